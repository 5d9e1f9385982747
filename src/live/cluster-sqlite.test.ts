/**
 * `npm run cluster` on the embedded store: several processes share one SQLite file and one port,
 * and every process streams every board, whichever process took the write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardEvent } from '../domain/index.js';
import { apiClient } from '../../test/support/http.js';
import { startServer, type TestServer } from '../../test/support/server.js';
import { openStream, type StreamCollector } from '../../test/support/sse.js';

describe.skipIf(process.env.LIVEBOARD_TEST_STORE === 'postgres')('two processes on one SQLite file', () => {
  let server: TestServer;
  const streams: StreamCollector[] = [];
  beforeAll(async () => {
    server = await startServer({ processes: 2, env: { LIVEBOARD_WRITE_RATE_LIMIT: '0' } });
  }, 60_000);
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await server.dispose();
  });

  it('gives every subscriber, on either process, every event 1..N once, in order', async () => {
    const api = apiClient(server.url);
    const board = await api.createBoard('Cluster');
    const list = await api.createList(board.id, 'L');
    // New connections alternate between the processes: these land on both.
    for (let index = 0; index < 6; index++) {
      streams.push(openStream(`${server.url}/boards/${board.id}/events?lastEventId=0`));
    }
    await Promise.all(streams.map((stream) => stream.waitForOpen()));
    // Each write on its own connection, so writes are taken by both processes, two at a time.
    await Promise.all(
      [0, 1].map(async (writer) => {
        for (let index = 0; index < 15; index++) {
          await api.call('POST', `/boards/${board.id}/tasks`, {
            json: { listId: list.id, title: `w${writer}-${index}` },
            headers: { Connection: 'close' },
          });
        }
      }),
    );
    const expected = Array.from({ length: 31 }, (_, index) => index + 1);
    for (const stream of streams) {
      await stream.waitFor((messages) => messages.length >= 31, 10_000, 'all 31 events');
      expect(stream.messages.map((message) => (message.data as BoardEvent).seq)).toEqual(expected);
    }
    const snapshot = await api.snapshot(board.id);
    expect(snapshot.seq).toBe(31);
    expect(snapshot.lists[0]!.tasks).toHaveLength(30);
  });
});
