/**
 * https (LIVEBOARD_TLS_CERT and LIVEBOARD_TLS_KEY): HTTP/2 for a client that offers it, HTTP/1.1
 * for one that does not, on one port. REST, the SSE stream and the long poll work both ways, and
 * over HTTP/2 they share one connection: two streams, a long poll and a write multiplexed on ONE
 * session. The real server, with a certificate made for this file by openssl.
 */
import { textWaiter } from '../../test/support/text-waiter.js';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import type { Board, List } from '../domain/index.js';
import type { PollBody } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';
import { connectH2, makeSelfSignedCertificate, type H2Client } from '../../test/support/tls.js';

const LIVE_WITHIN_MS = 1000;
const certificate = makeSelfSignedCertificate();
const live = useServer({ tls: certificate });
afterAll(() => certificate.dispose());

/** A user's write token per server, signed up over HTTP/2 (fetch would not trust the test's certificate). */
const tokens = new Map<string, Promise<string>>();
let users = 0;

function tokenFor(h2: H2Client, url: string): Promise<string> {
  let token = tokens.get(url);
  if (!token) {
    token = (async () => {
      const username = `tls-${process.pid}-${++users}`;
      const signedUp = await h2.request('POST', '/auth/signup', {
        json: { username, password: 'test password' },
      });
      expect(signedUp.status).toBe(201);
      const cookie = String(signedUp.headers['set-cookie'] ?? '').split(';')[0]!;
      const created = await h2.request('POST', '/me/tokens', {
        json: { name: 'tls', scope: 'write' },
        headers: { cookie },
      });
      expect(created.status).toBe(201);
      return (created.body as { secret: string }).secret;
    })();
    tokens.set(url, token);
  }
  return token;
}

/** A board made by a user, open to everyone (public_edit): the rest of each test writes and reads anonymously. */
async function boardWithList(
  h2: H2Client,
  url: string,
  title: string,
): Promise<{ board: Board; list: List }> {
  const board = await h2.request('POST', '/boards', {
    json: { title, visibility: 'public_edit' },
    headers: { authorization: `Bearer ${await tokenFor(h2, url)}` },
  });
  expect(board.status).toBe(201);
  const { id } = board.body as Board;
  const list = await h2.request('POST', `/boards/${id}/lists`, { json: { title: 'To do' } });
  expect(list.status).toBe(201);
  return { board: board.body as Board, list: list.body as List };
}

describe('https with HTTP/2', () => {
  it('speaks HTTP/2 to a client that offers it, and answers /healthz, a write and a snapshot over it', async () => {
    const h2 = await connectH2(live.server.url, { ca: certificate.cert });
    try {
      expect(h2.session.alpnProtocol).toBe('h2');
      const health = await h2.request('GET', '/healthz');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ ok: true });

      const { board, list } = await boardWithList(h2, live.server.url, 'Over HTTP/2');
      const created = await h2.request('POST', `/boards/${board.id}/tasks`, {
        json: { listId: list.id, title: 'Written over h2' },
      });
      expect(created.status).toBe(201);
      const seq = Number(created.headers['board-seq']);
      expect(seq).toBeGreaterThan(0);

      const snapshot = await h2.request('GET', `/boards/${board.id}`);
      expect(snapshot.status).toBe(200);
      const shown = snapshot.body as Board;
      expect(shown.seq).toBe(seq);
      expect(shown.lists.flatMap((shownList) => shownList.tasks.map((task) => task.title))).toEqual([
        'Written over h2',
      ]);
    } finally {
      await h2.close();
    }
  });

  it('multiplexes two SSE streams, a long poll and a write on ONE session: both streams and the poll get the write at once', async () => {
    const h2 = await connectH2(live.server.url, { ca: certificate.cert });
    try {
      const { board, list } = await boardWithList(h2, live.server.url, 'Multiplexed');
      const { seq } = (await h2.request('GET', `/boards/${board.id}`)).body as { seq: number };
      const compressible = { 'accept-encoding': 'gzip, deflate, br' };
      const streams = await Promise.all([
        h2.openStream(`/boards/${board.id}/events`, compressible),
        h2.openStream(`/boards/${board.id}/events?lastEventId=${seq}`, compressible),
      ]);
      const poll = h2.request('GET', `/boards/${board.id}/poll?after=${seq}&timeout=10`);
      for (const stream of streams) {
        expect(stream.status).toBe(200);
        expectStreamHeaders(stream.headers);
        // No Connection header on HTTP/2: it is a connection-specific header HTTP/2 forbids.
        expect(stream.headers.connection).toBeUndefined();
        await stream.waitForText((text) => text.startsWith('retry: '));
      }

      const startedAt = Date.now();
      const created = await h2.request('POST', `/boards/${board.id}/tasks`, {
        json: { listId: list.id, title: 'Seen by all' },
      });
      expect(created.status).toBe(201);
      const writeSeq = Number(created.headers['board-seq']);
      await Promise.all(
        streams.map((stream) =>
          stream.waitForText((text) => text.includes(`id: ${writeSeq}\n`), LIVE_WITHIN_MS),
        ),
      );
      const polled = await poll;
      expect(Date.now() - startedAt).toBeLessThan(LIVE_WITHIN_MS);
      expect(polled.status).toBe(200);
      expect((polled.body as PollBody).events.map((event) => event.seq)).toEqual([writeSeq]);
      for (const stream of streams) expect(stream.text()).toContain('"title":"Seen by all"');
      // Everything above went over the one session this client opened.
      expect(h2.session.destroyed).toBe(false);

      // A stream the client cancels is closed on the server too (the session stays up).
      for (const stream of streams) stream.close();
      await expect
        .poll(async () => metric((await h2.request('GET', '/metrics')).text, 'liveboard_open_streams'), {
          timeout: 5000,
        })
        .toBe(0);
    } finally {
      await h2.close();
    }
  });

  it('serves HTTP/1.1 over TLS to a client that does not offer HTTP/2: REST, the SSE stream and the long poll', async () => {
    const h2 = await connectH2(live.server.url, { ca: certificate.cert });
    const { board, list } = await boardWithList(h2, live.server.url, 'Over https/1.1');
    await h2.close();

    const health = await https1(live.server.url, 'GET', '/healthz');
    expect(health.alpn).toBe(false);
    expect(health.status).toBe(200);
    const { seq } = JSON.parse((await https1(live.server.url, 'GET', `/boards/${board.id}`)).text) as {
      seq: number;
    };

    const stream = await openHttps1Stream(`${live.server.url}/boards/${board.id}/events`);
    try {
      expect(stream.status).toBe(200);
      expectStreamHeaders(stream.headers);
      await stream.waitForText((text) => text.startsWith('retry: '));
      const poll = https1(live.server.url, 'GET', `/boards/${board.id}/poll?after=${seq}&timeout=10`);

      const created = await https1(live.server.url, 'POST', `/boards/${board.id}/tasks`, {
        listId: list.id,
        title: 'Written over https/1.1',
      });
      expect(created.status).toBe(201);
      const writeSeq = Number(created.headers['board-seq']);
      await stream.waitForText((text) => text.includes(`id: ${writeSeq}\n`), LIVE_WITHIN_MS);
      const polled = JSON.parse((await poll).text) as PollBody;
      expect(polled.events.map((event) => event.seq)).toEqual([writeSeq]);
    } finally {
      stream.close();
    }
  });

  // Last: it stops this file's server.
  it('SIGTERM ends streams and exits 0 at once, even while a client holds its HTTP/2 session open', async () => {
    const h2 = await connectH2(live.server.url, { ca: certificate.cert });
    const stream = await h2.openStream('/boards/board-1/events');
    await stream.waitForText((text) => text.startsWith('retry: '));
    // And a second, idle session: a browser keeps one open after its tab's requests are done.
    const idle = await connectH2(live.server.url, { ca: certificate.cert });
    expect((await idle.request('GET', '/healthz')).status).toBe(200);
    try {
      const exitCode = await Promise.race([
        live.server.stop(),
        new Promise((resolve) => setTimeout(() => resolve('still running after 10 s'), 10_000)),
      ]);
      expect(exitCode).toBe(0);
    } finally {
      await Promise.all([h2.close(), idle.close()]);
    }
  });
});

describe('a reader too slow to keep, over HTTP/2', () => {
  const slow = useServer({
    tls: certificate,
    env: { LIVEBOARD_STREAM_BUFFER_BYTES: '16384', LIVEBOARD_WRITE_RATE_LIMIT: '0' },
  });

  it('has its one stream reset: the other streams and requests of its session go on', async () => {
    const h2 = await connectH2(slow.server.url, { ca: certificate.cert });
    // As a browser does (Chromium's is 15 MB): one stalled stream must not stall the connection.
    h2.session.setLocalWindowSize(16 * 1024 * 1024);
    try {
      const { board, list } = await boardWithList(h2, slow.server.url, 'Slow over h2');
      const [stalled, reading] = await Promise.all([
        h2.openStream(`/boards/${board.id}/events`),
        h2.openStream(`/boards/${board.id}/events`),
      ]);
      await stalled.waitForText((text) => text.startsWith('retry: '));
      stalled.pause();

      // Its flow-control window (64 KiB) fills first, then the server's bound for it.
      const description = 'x'.repeat(9000);
      let lastSeq = 0;
      let dropped = 0;
      for (let written = 1; written <= 200 && dropped === 0; written++) {
        const created = await h2.request('POST', `/boards/${board.id}/tasks`, {
          json: { listId: list.id, title: `t${written}`, description },
        });
        expect(created.status).toBe(201);
        lastSeq = Number(created.headers['board-seq']);
        if (written % 5 === 0) {
          dropped = metric(
            (await h2.request('GET', '/metrics')).text,
            'liveboard_slow_clients_dropped_total',
          );
        }
      }
      expect(dropped).toBe(1);
      // Reset (RST_STREAM) without the rest of its events: its client resumes with Last-Event-ID.
      stalled.resume();
      await stalled.closed;
      expect(stalled.text()).not.toContain(`id: ${lastSeq}\n`);

      // The same session still carries the other stream, live, and new requests.
      await reading.waitForText((text) => text.includes(`id: ${lastSeq}\n`));
      const next = await h2.request('POST', `/boards/${board.id}/tasks`, {
        json: { listId: list.id, title: 'after the drop' },
      });
      expect(next.status).toBe(201);
      await reading.waitForText(
        (text) => text.includes(`id: ${Number(next.headers['board-seq'])}\n`),
        LIVE_WITHIN_MS,
      );
      expect(h2.session.destroyed).toBe(false);
      expect(metric((await h2.request('GET', '/metrics')).text, 'liveboard_open_streams')).toBe(1);
      reading.close();
    } finally {
      await h2.close();
    }
  }, 60_000);
});

function expectStreamHeaders(headers: IncomingHttpHeaders): void {
  expect(headers['content-type']).toBe('text/event-stream; charset=utf-8');
  expect(headers['x-accel-buffering']).toBe('no');
  expect(headers['content-encoding']).toBeUndefined();
}

function metric(metrics: string, name: string): number {
  const line = metrics.split('\n').find((entry) => entry.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

const tlsOptions = (): RequestOptions => ({ ca: certificate.cert, agent: false });

/** One HTTP/1.1 request over TLS (node:https offers no ALPN, so the server falls back to HTTP/1.1). */
function https1(
  origin: string,
  method: string,
  path: string,
  json?: unknown,
): Promise<{ status: number; headers: IncomingHttpHeaders; text: string; alpn: string | false }> {
  return new Promise((resolve, reject) => {
    const body = json === undefined ? undefined : JSON.stringify(json);
    const request = httpsRequest(
      `${origin}${path}`,
      {
        ...tlsOptions(),
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (response) => {
        const alpn = (response.socket as { alpnProtocol?: string | false }).alpnProtocol ?? false;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, alpn }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function openHttps1Stream(url: string): Promise<{
  status: number;
  headers: IncomingHttpHeaders;
  waitForText(predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): void;
}> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, tlsOptions(), (response) => {
      const received = textWaiter();
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => received.append(chunk));
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        waitForText: received.waitForText,
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
    request.end();
  });
}
