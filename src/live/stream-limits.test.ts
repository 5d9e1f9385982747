/**
 * The stream's behaviour at its limits: a reader too slow to keep, a process at its stream
 * capacity, and a stream asked for on a connection that already carried other requests.
 */
import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useServer, type TestServer } from '../../test/support/server.js';
import { openStream } from '../../test/support/sse.js';

async function metric(server: TestServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : Number.NaN;
}

describe('a reader too slow to keep', () => {
  const live = useServer({
    env: { LIVEBOARD_STREAM_BUFFER_BYTES: '16384', LIVEBOARD_WRITE_RATE_LIMIT: '0' },
  });

  it('is dropped once its unsent bytes pass the bound, and loses nothing when it resumes', async () => {
    const board = await live.api.createBoard('Slow');
    const list = await live.api.createList(board.id, 'L');
    // A client that sends its request, then never reads: the server's buffer for it only grows.
    const socket = connect(live.server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /boards/${board.id}/events?lastEventId=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    socket.on('error', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.pause();

    // The kernel's socket buffers take some megabytes first; the server's own bound comes after.
    const description = 'x'.repeat(9000);
    let written = 0;
    let dropped = 0;
    while (written < 2000 && dropped === 0) {
      await live.api.createTask(board.id, list.id, `t${written}`, { description });
      written++;
      if (written % 50 === 0) dropped = await metric(live.server, 'liveboard_slow_clients_dropped_total');
    }
    expect(dropped, `dropped after ${written} events`).toBe(1);
    // The dropped stream is closed and forgotten.
    expect(await metric(live.server, 'liveboard_open_streams')).toBe(0);

    // It comes back with its position and gets everything, in order.
    const resumed = openStream(`${live.server.url}/boards/${board.id}/events`, { lastEventId: '1' });
    try {
      await resumed.waitForCount(written, 15_000);
      expect(resumed.messages.map((message) => Number(message.id))).toEqual(
        Array.from({ length: written }, (_, index) => index + 2),
      );
    } finally {
      resumed.close();
      socket.destroy();
    }
  }, 60_000);
});

describe('a process at its stream capacity', () => {
  const live = useServer({ env: { LIVEBOARD_MAX_STREAMS: '2', LIVEBOARD_RETRY_MS: '1000' } });

  it('answers 200 with a ten times longer retry: and closes, never 429 or 503', async () => {
    const first = openStream(`${live.server.url}/boards/board-1/events`);
    const second = openStream(`${live.server.url}/boards/board-1/events`);
    try {
      await Promise.all([first.waitForOpen(), second.waitForOpen()]);
      const third = await fetch(`${live.server.url}/boards/board-1/events`);
      expect(third.status).toBe(200);
      expect(third.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const body = await third.text(); // resolves: the server closed it
      const retry = Number(/^retry: (\d+)/.exec(body)?.[1]);
      expect(retry).toBeGreaterThanOrEqual(10_000);
      expect(body).not.toMatch(/^data:/m);
      expect(await metric(live.server, 'liveboard_streams_turned_away_total')).toBe(1);
    } finally {
      first.close();
      second.close();
    }
  });
});

describe('a stream on a connection that already carried requests', () => {
  const live = useServer();

  it('is served the same stream, on the same socket', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const get = (path: string, onData?: (text: string) => boolean) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(`${live.server.url}${path}`, { agent }, (response) => {
          sockets.add(response.socket);
          let text = '';
          response.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (onData?.(text)) {
              req.destroy();
              resolve({ status: response.statusCode ?? 0, text });
            }
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect((await get('/boards/board-1')).status).toBe(200);
      const stream = await get('/boards/board-1/events?lastEventId=0', (text) => /^id: 2$/m.test(text));
      expect(sockets.size).toBe(1);
      expect(stream.status).toBe(200);
      expect(stream.text).toMatch(/^retry: \d+\n\n(?:: keep-alive\n\n)*id: 1\ndata: \{"type":"list_created"/);
    } finally {
      agent.destroy();
    }
  });
});
