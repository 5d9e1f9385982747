// The publisher's side of the wire: keep-alive HTTP requests, timed on the shared monotonic clock.
import { Agent, request } from 'node:http';
import { monotonicMs } from './clock.js';

export function createAgent(maxSockets = 16) {
  return new Agent({ keepAlive: true, maxSockets });
}

/** One request; resolves {status, headers, body, startedAt, ms}. Never rejects on HTTP status. */
export function send(url, { method = 'GET', headers = {}, body, agent, timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const startedAt = monotonicMs();
    const payload = body === undefined ? undefined : Buffer.from(body);
    const req = request(
      url,
      {
        method,
        agent,
        headers: payload ? { 'Content-Length': payload.length, ...headers } : headers,
        timeout: timeoutMs,
      },
      (res) => {
        const parts = [];
        res.on('data', (part) => parts.push(part));
        res.on('end', () => {
          // Timed at the last byte, before the body is decoded: that is this client's work, not the
          // server's (a megabyte of brotli read as UTF-8 took 12 ms, most of a warm snapshot's GET).
          const ms = monotonicMs() - startedAt;
          resolve({
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(parts).toString(),
            startedAt,
            ms,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Polls `url` until it answers 200; throws after `timeoutMs`. */
export async function waitHealthy(url, timeoutMs = 20_000, isAlive = () => true) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await send(url, { timeoutMs: 1000 });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (!isAlive()) throw new Error(`${url}: the process exited before it was healthy`);
    if (Date.now() > deadline) throw new Error(`${url} not healthy within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
