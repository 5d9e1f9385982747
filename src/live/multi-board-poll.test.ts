/**
 * The long poll for several boards (`GET /poll?boards=…`), over real HTTP against the built server:
 * the stream's messages as JSON, at once or after a wait, positions passed back, the 1000-event cap
 * shared among the boards, and the stream's refusals.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { taskForEvent, type BoardEvent } from '../domain/index.js';
import { boardWith, type ErrorBody } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';
import { openStream, type StreamCollector } from '../../test/support/sse.js';

type BoardMessage = { boardId: string; type: string; seq?: number };
interface BoardSetPollBody {
  events: BoardMessage[];
  positions: string;
}

const live = useServer({ env: { LIVEBOARD_WRITE_RATE_LIMIT: '0' } });
const clients: StreamCollector[] = [];

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

const poll = (query: string) => live.api.get<BoardSetPollBody>(`/poll${query}`);
const settle = (ms = 150): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function expectedMessages(boardId: string, after: number): Promise<BoardMessage[]> {
  const events: BoardEvent[] = await live.api.events(boardId, after);
  return events.map((event) => ({ boardId, ...event }));
}

const ofBoard = (messages: BoardMessage[], boardId: string): BoardMessage[] =>
  messages.filter((message) => message.boardId === boardId);

describe('GET /poll?boards=… (long poll for several boards)', () => {
  it('answers at once what the boards hold after their positions: the same messages as the stream, and every position', async () => {
    const boards = [await boardWith(live.api, 3), await boardWith(live.api, 0), await boardWith(live.api, 2)];
    const query = `?boards=${boards[0]!.id}:1,${boards[1]!.id}:1,${boards[2]!.id}:0`;
    const stream = openStream(`${live.server.url}/events${query}`);
    clients.push(stream);
    await stream.waitForCount(3 + 3);

    const started = Date.now();
    const response = await poll(`${query}&timeout=10`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body.positions).toBe('4.1.3');
    const streamed = stream.messages.map((message) => message.data as unknown as BoardMessage);
    for (const board of boards) {
      expect(ofBoard(response.body.events, board.id)).toEqual(ofBoard(streamed, board.id));
    }
    expect(ofBoard(response.body.events, boards[0]!.id)).toEqual(await expectedMessages(boards[0]!.id, 1));
    expect(ofBoard(response.body.events, boards[2]!.id)).toEqual(await expectedMessages(boards[2]!.id, 0));
    expect(Object.keys(response.body.events[0]!)[0]).toBe('boardId');
  });

  it('waits for the first events of any of its boards, and wakes within 100 ms of a write', async () => {
    const boards = [await boardWith(live.api, 0), await boardWith(live.api, 0), await boardWith(live.api, 0)];
    let answeredAt = 0;
    const waiting = poll(`?boards=${boards.map((board) => `${board.id}:1`).join(',')}&timeout=10`).then(
      (response) => {
        answeredAt = performance.now();
        return response;
      },
    );
    await settle();
    expect(answeredAt).toBe(0);
    const task = await live.api.createTask(boards[1]!.id, boards[1]!.listId, 'wake up');
    const writtenAt = performance.now();
    const response = await waiting;
    expect(answeredAt - writtenAt).toBeLessThan(100);
    expect(response.body.events).toEqual([
      expect.objectContaining({ boardId: boards[1]!.id, seq: 2, task: taskForEvent(task) }),
    ]);
    expect(response.body.positions).toBe('1.2.1');
  });

  it('without positions, waits for the next event of any board and returns only it', async () => {
    const boards = [await boardWith(live.api, 2), await boardWith(live.api, 2)];
    const waiting = poll(`?boards=${boards[0]!.id},${boards[1]!.id}&timeout=10`);
    await settle();
    await live.api.createTask(boards[0]!.id, boards[0]!.listId, 'next');
    const response = await waiting;
    expect(response.body.events.map((message) => [message.boardId, message.seq])).toEqual([
      [boards[0]!.id, 4],
    ]);
    expect(response.body.positions).toBe('4.3');
  });

  it('times out with no events and the positions unchanged', async () => {
    const boards = [await boardWith(live.api, 1), await boardWith(live.api, 0)];
    const started = Date.now();
    const response = await poll(`?boards=${boards[0]!.id}:2,${boards[1]!.id}:1&timeout=1`);
    const elapsed = Date.now() - started;
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ events: [], positions: '2.1' });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3000);
    // timeout=0 answers at once.
    const now = await poll(`?boards=${boards[0]!.id}:2,${boards[1]!.id}:1&timeout=0`);
    expect(now.body).toEqual({ events: [], positions: '2.1' });
  });

  it('passing the answered positions back follows every board with no gap and no duplicate while they are written', async () => {
    const boards = [await boardWith(live.api, 0), await boardWith(live.api, 0), await boardWith(live.api, 0)];
    const boardsParam = boards.map((board) => board.id).join(',');
    let writing = true;
    const writer = (async () => {
      for (let round = 0; round < 40; round++) {
        for (const board of boards) await live.api.createTask(board.id, board.listId, `round ${round}`);
        await settle(5);
      }
      writing = false;
    })();
    const received: BoardMessage[] = [];
    let positions = '1.1.1';
    let polls = 0;
    for (; polls < 500; polls++) {
      // Every other poll passes its positions as each board's :<seq> instead of &positions=.
      const seqs = positions.split('.');
      const query =
        polls % 2 === 0
          ? `?boards=${boardsParam}&positions=${positions}&timeout=2`
          : `?boards=${boards.map((board, index) => `${board.id}:${seqs[index]}`).join(',')}&timeout=2`;
      const response = await poll(query);
      expect(response.status).toBe(200);
      received.push(...response.body.events);
      positions = response.body.positions;
      if (!writing && response.body.events.length === 0) break;
    }
    await writer;
    expect(polls).toBeGreaterThan(3);
    expect(positions).toBe('41.41.41');
    for (const board of boards)
      expect(ofBoard(received, board.id)).toEqual(await expectedMessages(board.id, 1));
  });

  it('answers at most 1000 events, shared among the boards that have some; asking again gets the rest', async () => {
    const [big, small] = [await boardWith(live.api, 0), await boardWith(live.api, 4)];
    const writers = 4;
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let i = 0; i < 1000 / writers; i++)
          await live.api.createTask(big!.id, big!.listId, `bulk ${writer}-${i}`);
      }),
    );
    const first = await poll(`?boards=${big!.id}:0,${small!.id}:0&timeout=10`);
    expect(first.body.events).toHaveLength(1000);
    expect(ofBoard(first.body.events, small!.id).map((message) => message.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(ofBoard(first.body.events, big!.id).map((message) => message.seq)).toEqual(
      Array.from({ length: 995 }, (_, i) => i + 1),
    );
    expect(first.body.positions).toBe('995.5');
    const rest = await poll(`?boards=${big!.id},${small!.id}&positions=${first.body.positions}&timeout=10`);
    expect(rest.body.events.map((message) => message.seq)).toEqual([996, 997, 998, 999, 1000, 1001]);
    expect(rest.body.positions).toBe('1001.5');
  }, 60_000);

  it('says unavailable for an unknown and a deleted board, and reset for a position ahead, at once, with the others\u2019 events', async () => {
    const [ahead, deleted, flowing] = [
      await boardWith(live.api, 0),
      await boardWith(live.api, 0),
      await boardWith(live.api, 1),
    ];
    expect((await live.api.delete(`/boards/${deleted!.id}`, await live.api.asOwner())).status).toBe(204);
    const started = Date.now();
    const response = await poll(
      `?boards=${ahead!.id}:9,board-nosuchboard:3,${deleted!.id},${flowing!.id}:1&timeout=10`,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(response.body.events).toEqual([
      { boardId: ahead!.id, type: 'reset', seq: 1 },
      { boardId: 'board-nosuchboard', type: 'unavailable' },
      { boardId: deleted!.id, type: 'unavailable' },
      ...(await expectedMessages(flowing!.id, 1)),
    ]);
    expect(response.body.positions).toBe('1.3.0.2');
  });

  it('refuses malformed boards and positions with 400 naming the field, and is 404 when no board can be followed', async () => {
    for (const query of [
      '',
      '?boards=',
      '?boards=board-1:',
      '?boards=board-1:-1',
      '?boards=board-1:x',
      '?boards=board-1,board-1',
      `?boards=${Array.from({ length: 33 }, (_, i) => `b${i}`).join(',')}`,
      '?boards=board-1&boards=board-2',
    ]) {
      const response = await live.api.get<ErrorBody>(`/poll${query}${query ? '&' : '?'}timeout=0`);
      expect(response.status, query).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'validation_failed', field: 'boards' });
    }
    for (const positions of ['1', '1.2.3', '1.x', '', '1.12345678901234567']) {
      const response = await live.api.get<ErrorBody>(`/poll?boards=board-1,board-2&positions=${positions}`);
      expect(response.status, positions).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'validation_failed', field: 'positions' });
    }
    const unknown = await live.api.get<ErrorBody>('/poll?boards=board-nosuch1,board-nosuch2&timeout=0');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('board_not_found');
  });
});
