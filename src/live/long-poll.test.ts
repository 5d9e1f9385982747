import { afterEach, describe, expect, it } from 'vitest';
import type { Board } from '../domain/index.js';
import { boardSeqOf, type ErrorBody, type PollBody } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';
import { openStream, type StreamCollector } from '../../test/support/sse.js';

const live = useServer();
const clients: StreamCollector[] = [];

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

async function boardWithEvents(count: number): Promise<{ board: Board; listId: string }> {
  const board = await live.api.createBoard();
  const list = await live.api.createList(board.id, 'L');
  for (let i = 0; i < count; i++) await live.api.createTask(board.id, list.id, `task ${i}`);
  return { board, listId: list.id };
}

const poll = (boardId: string, query: string) => live.api.get<PollBody>(`/boards/${boardId}/poll${query}`);

describe('GET /boards/:id/poll (long poll)', () => {
  it('returns at once the same events as the SSE stream, same JSON, same order, and the seq to ask from next', async () => {
    const { board, listId } = await boardWithEvents(2);
    const task = await live.api.createTask(board.id, listId, 'moves');
    await live.api.patch(`/boards/${board.id}/tasks/${task.id}`, { title: 'renamed', description: 'd' });
    await live.api.post(`/boards/${board.id}/lists`, { title: 'other', beforeId: listId });
    await live.api.patch(`/boards/${board.id}`, { title: 'new title' }, await live.api.asOwner());
    await live.api.delete(`/boards/${board.id}/tasks/${task.id}`);
    const seq = (await live.api.snapshot(board.id)).seq;
    expect(seq).toBe(8);

    const client = openStream(`${live.server.url}/boards/${board.id}/events?lastEventId=0`);
    clients.push(client);
    await client.waitForCount(seq);

    const started = Date.now();
    const response = await poll(board.id, '?after=0&timeout=10');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(response.status).toBe(200);
    expect(response.body.seq).toBe(seq);
    expect(response.body.events).toEqual(client.messages.map((message) => message.data));
    expect(response.body.events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    const partial = await poll(board.id, '?after=5&timeout=10');
    expect(partial.body).toEqual({ events: client.messages.slice(5).map((message) => message.data), seq });
  });

  it('a waiting poll wakes within 100 ms of a write', async () => {
    const { board, listId } = await boardWithEvents(0);
    for (let attempt = 0; attempt < 3; attempt++) {
      const after = (await live.api.snapshot(board.id)).seq;
      let pollAnsweredAt = 0;
      const waiting = poll(board.id, `?after=${after}&timeout=10`).then((response) => {
        pollAnsweredAt = performance.now();
        return response;
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(pollAnsweredAt).toBe(0);
      const write = await live.api.post(`/boards/${board.id}/tasks`, { listId, title: `wake ${attempt}` });
      const writeAnsweredAt = performance.now();
      const response = await waiting;
      // Negative when the poll is answered before the write's own response: that is fine.
      expect(pollAnsweredAt - writeAnsweredAt).toBeLessThan(100);
      expect(response.status).toBe(200);
      expect(response.body.events.map((event) => event.seq)).toEqual([boardSeqOf(write)]);
      expect(response.body.seq).toBe(boardSeqOf(write));
    }
  });

  it('a poll with nothing new times out with {"events":[]} after about its timeout', async () => {
    const { board } = await boardWithEvents(1);
    const started = Date.now();
    const response = await poll(board.id, '?after=2&timeout=1');
    const elapsed = Date.now() - started;
    expect(response.status).toBe(200);
    expect(response.body.events).toEqual([]);
    expect(response.body.seq).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3000);
  });

  it('without after, waits for the next event and returns only it', async () => {
    const { board, listId } = await boardWithEvents(2);
    const waiting = poll(board.id, '?timeout=10');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const write = await live.api.post(`/boards/${board.id}/tasks`, { listId, title: 'next' });
    const response = await waiting;
    expect(response.status).toBe(200);
    expect(response.body.events.map((event) => event.seq)).toEqual([boardSeqOf(write)]);
  });

  it('after beyond the board seq answers a reset with the board seq, at once', async () => {
    const { board } = await boardWithEvents(1);
    const started = Date.now();
    const response = await poll(board.id, '?after=99&timeout=10');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(response.status).toBe(200);
    expect(response.body.events).toEqual([{ type: 'reset', seq: 2 }]);
  });

  it('answers at most 1000 events at once; asking again from the answered seq gets the rest, in order', async () => {
    const { board, listId } = await boardWithEvents(0);
    const writers = 4;
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let i = 0; i < 1000 / writers; i++)
          await live.api.createTask(board.id, listId, `bulk ${writer}-${i}`);
      }),
    );
    const seqs: number[] = [];
    let after = 0;
    for (let page = 0; page < 1001 && after < 1001; page++) {
      const response = await poll(board.id, `?after=${after}&timeout=10`);
      expect(response.body.events.length).toBeGreaterThan(0);
      expect(response.body.events.length).toBeLessThanOrEqual(1000);
      expect(response.body.seq).toBe(response.body.events.at(-1)!.seq);
      seqs.push(...response.body.events.map((event) => event.seq));
      after = response.body.seq;
    }
    expect(seqs).toEqual(Array.from({ length: 1001 }, (_, i) => i + 1));
  }, 60_000);

  it('an unknown board is 404 board_not_found', async () => {
    const response = await live.api.get<ErrorBody>('/boards/board-nosuchboard/poll?after=0&timeout=1');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('board_not_found');
  });
});
