/**
 * A log keeps the last LIVEBOARD_EVENT_RETENTION events of each board. A client resuming from
 * before them cannot be replayed to: it is told to `reset` (refetch the snapshot, go on from its
 * seq), on the stream and on the poll alike; one resuming within them is replayed as ever.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StreamMessage } from '../domain/index.js';
import { type PollBody } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';
import { openStream } from '../../test/support/sse.js';

describe('resuming from before the retained history', () => {
  const live = useServer({ env: { LIVEBOARD_EVENT_RETENTION: '5' } });
  let boardId: string;

  beforeAll(async () => {
    const board = await live.api.createBoard('Pruned');
    boardId = board.id;
    for (let index = 0; index < 10; index++) await live.api.createList(boardId, `L${index}`);
    // Pruning runs when the server starts (and hourly).
    await live.server.stop();
    await live.server.restart();
  });

  it('tells a stream to reset, then goes on live from the board seq', async () => {
    const stream = openStream(`${live.server.url}/boards/${boardId}/events`, { lastEventId: '2' });
    try {
      await stream.waitForCount(1);
      expect(stream.messages[0]).toEqual({ id: '10', data: { type: 'reset', seq: 10 } });
      await live.api.createList(boardId, 'after the reset');
      await stream.waitForCount(2);
      expect((stream.messages[1]!.data as StreamMessage).seq).toBe(11);
    } finally {
      stream.close();
    }
  });

  it('tells a poll to reset', async () => {
    const response = await live.api.get<PollBody>(`/boards/${boardId}/poll?after=2&timeout=0`);
    expect(response.body).toEqual({
      events: [{ type: 'reset', seq: expect.any(Number) }],
      seq: expect.any(Number),
    });
  });

  it('replays as ever to a client within the retained events', async () => {
    const snapshot = await live.api.snapshot(boardId);
    const from = snapshot.seq - 5;
    const stream = openStream(`${live.server.url}/boards/${boardId}/events`, { lastEventId: String(from) });
    try {
      await stream.waitForCount(5);
      expect(stream.messages.map((message) => Number(message.id))).toEqual(
        [1, 2, 3, 4, 5].map((n) => from + n),
      );
    } finally {
      stream.close();
    }
  });
});
