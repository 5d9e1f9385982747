import { afterEach, describe, expect, it } from 'vitest';
import { EventSource } from 'eventsource';
import { normalizeTask, taskForEvent, type Board, type BoardEvent, type Task } from '../domain/index.js';
import { boardSeqOf, type ApiResponse } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';
import { openRawStream, openStream, type RawStream, type StreamCollector } from '../../test/support/sse.js';

const RETRY_MS = 300;
const live = useServer({ env: { LIVEBOARD_HEARTBEAT_MS: '200', LIVEBOARD_RETRY_MS: String(RETRY_MS) } });
const openStreams: (StreamCollector | RawStream)[] = [];

afterEach(() => {
  for (const stream of openStreams.splice(0)) stream.close();
});

const eventsUrl = (boardId: string, query = ''): string =>
  `${live.server.url}/boards/${boardId}/events${query}`;

function stream(url: string, options?: { lastEventId?: string }): StreamCollector {
  const collector = openStream(url, options);
  openStreams.push(collector);
  return collector;
}

async function raw(url: string, headers?: Record<string, string>): Promise<RawStream> {
  const opened = await openRawStream(url, headers);
  openStreams.push(opened);
  return opened;
}

/** A board with one list and `count` tasks: seq = count + 1. */
async function boardWithEvents(count: number): Promise<{ board: Board; listId: string }> {
  const board = await live.api.createBoard();
  const list = await live.api.createList(board.id, 'L');
  for (let i = 0; i < count; i++) await live.api.createTask(board.id, list.id, `task ${i}`);
  return { board, listId: list.id };
}

const ids = (collector: StreamCollector): number[] => collector.messages.map((message) => Number(message.id));
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('GET /boards/:id/events (SSE)', () => {
  it('answers 200 text/event-stream, no-cache, X-Accel-Buffering: no, uncompressed even for gzip, and opens with retry:', async () => {
    const { board } = await boardWithEvents(0);
    const response = await raw(eventsUrl(board.id), { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(response.headers['cache-control']).toContain('no-cache');
    expect(response.headers['x-accel-buffering']).toBe('no');
    expect(response.headers['content-encoding']).toBeUndefined();
    const text = await response.waitForText((soFar) => soFar.includes('\n'));
    expect(text.startsWith('retry: ')).toBe(true);
    const retry = Number(/^retry: (\d+)\r?\n/.exec(text)?.[1]);
    // The configured retry with "a little jitter".
    expect(retry).toBeGreaterThanOrEqual(RETRY_MS * 0.5);
    expect(retry).toBeLessThanOrEqual(RETRY_MS * 2);
  });

  it('sends keep-alive comment lines on an idle stream', async () => {
    const { board } = await boardWithEvents(0);
    const response = await raw(eventsUrl(board.id));
    const text = await response.waitForText((soFar) => (soFar.match(/^: /gm) ?? []).length >= 2, 3000);
    expect(text).toMatch(/^: /m);
  });

  it('frames each event as id: <seq> then data: <event JSON>, with no event: line', async () => {
    const { board, listId } = await boardWithEvents(0);
    const response = await raw(eventsUrl(board.id));
    await response.waitForText((soFar) => soFar.includes('\n'));
    const created = await live.api.createTask(board.id, listId, 'framed');
    const text = await response.waitForText(
      (soFar) => soFar.includes(created.id) && /\n\n/.test(soFar.split(created.id)[1]!),
    );
    const frame = /(?:^|\n)id: (\d+)\ndata: (.*)\n\n/.exec(text);
    expect(frame?.[1]).toBe('2');
    const event = JSON.parse(frame![2]!) as BoardEvent & { type: 'task_created' };
    expect(event).toMatchObject({ type: 'task_created', seq: 2 });
    // A plain new task: the card fields at their defaults stay out of the frame, and the fold puts them back.
    expect(event.task).toEqual(taskForEvent(created));
    expect(Object.keys(event.task)).not.toContain('labelIds');
    expect(normalizeTask(event.task)).toEqual(created);
    expect(text).not.toMatch(/^event:/m);
  });

  it('delivers every event to an EventSource with id equal to the Board-Seq of its write', async () => {
    const { board, listId } = await boardWithEvents(0);
    const client = stream(eventsUrl(board.id));
    await client.waitForOpen();
    const writes: ApiResponse<unknown>[] = [];
    const task = await live.api.post<{ id: string }>(`/boards/${board.id}/tasks`, { listId, title: 'a' });
    writes.push(task);
    writes.push(await live.api.patch(`/boards/${board.id}/tasks/${task.body.id}`, { title: 'b' }));
    writes.push(await live.api.post(`/boards/${board.id}/lists`, { title: 'second' }));
    writes.push(await live.api.patch(`/boards/${board.id}`, { title: 'renamed' }, await live.api.asOwner()));
    writes.push(await live.api.delete(`/boards/${board.id}/tasks/${task.body.id}`));
    const seqs = writes.map(boardSeqOf);
    expect(seqs).toEqual([2, 3, 4, 5, 6]);
    await client.waitForCount(seqs.length);
    expect(client.messages.map((message) => message.id)).toEqual(seqs.map(String));
    expect(client.messages.map((message) => message.data.seq)).toEqual(seqs);
    expect(client.messages.map((message) => message.data.type)).toEqual([
      'task_created',
      'task_updated',
      'list_created',
      'board_updated',
      'task_deleted',
    ]);
    expect(client.messages.map((message) => message.data)).toEqual(await live.api.events(board.id, 1));
  });

  it("a board's stream carries only that board's events", async () => {
    const mine = await boardWithEvents(0);
    const other = await boardWithEvents(0);
    const client = stream(eventsUrl(mine.board.id));
    await client.waitForOpen();
    await live.api.createTask(other.board.id, other.listId, 'not for you');
    const write = await live.api.post(`/boards/${mine.board.id}/tasks`, {
      listId: mine.listId,
      title: 'for you',
    });
    await live.api.createTask(other.board.id, other.listId, 'not for you either');
    await client.waitForCount(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.messages).toEqual([
      {
        id: String(boardSeqOf(write)),
        data: expect.objectContaining({ type: 'task_created', task: taskForEvent(write.body as Task) }),
      },
    ]);
  });

  it('without a position, starts from the current seq (no history)', async () => {
    const { board, listId } = await boardWithEvents(3);
    const client = stream(eventsUrl(board.id));
    await client.waitForOpen();
    const write = await live.api.post(`/boards/${board.id}/tasks`, { listId, title: 'live' });
    await client.waitForCount(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.messages.map((message) => message.id)).toEqual([String(boardSeqOf(write))]);
  });

  it('?lastEventId=N replays exactly the events with seq > N, then live events', async () => {
    const { board, listId } = await boardWithEvents(7);
    const client = stream(eventsUrl(board.id, '?lastEventId=3'));
    await client.waitForCount(5);
    await live.api.createTask(board.id, listId, 'live one');
    await client.waitForCount(6);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ids(client)).toEqual(range(4, 9));
    expect(client.messages.map((message) => message.data)).toEqual(await live.api.events(board.id, 3));
  });

  it('the Last-Event-ID header replays exactly the events with seq > N, then live events', async () => {
    const { board, listId } = await boardWithEvents(7);
    const client = stream(eventsUrl(board.id), { lastEventId: '5' });
    await client.waitForCount(3);
    await live.api.createTask(board.id, listId, 'live one');
    await client.waitForCount(4);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ids(client)).toEqual(range(6, 9));
  });

  it('a Last-Event-ID beyond the board seq gets {"type":"reset","seq":<board seq>}', async () => {
    const { board } = await boardWithEvents(2);
    const viaHeader = stream(eventsUrl(board.id), { lastEventId: '50' });
    const viaQuery = stream(eventsUrl(board.id, '?lastEventId=51'));
    await viaHeader.waitForCount(1);
    await viaQuery.waitForCount(1);
    expect(viaHeader.messages[0]!.data).toEqual({ type: 'reset', seq: 3 });
    expect(viaQuery.messages[0]!.data).toEqual({ type: 'reset', seq: 3 });
  });

  it('an unknown board is 404 with a JSON error, and EventSource gives up', async () => {
    const response = await raw(eventsUrl('board-nosuchboard'));
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    await response.ended;
    expect(JSON.parse(response.text())).toMatchObject({ error: { code: 'board_not_found' } });

    const client = stream(eventsUrl('board-nosuchboard'));
    await client.waitFor(() => client.errors.length > 0, 3000, 'an error');
    expect(client.errors[0]!.code).toBe(404);
    expect(client.source.readyState).toBe(EventSource.CLOSED);
  });

  it('a deleted board stream gets board_deleted, then the server closes it', async () => {
    const { board } = await boardWithEvents(1);
    const rawStream = await raw(eventsUrl(board.id));
    const client = stream(eventsUrl(board.id));
    await client.waitForOpen();
    await rawStream.waitForText((soFar) => soFar.includes('\n'));
    const deletion = await live.api.delete(`/boards/${board.id}`, await live.api.asOwner());
    expect(deletion.status).toBe(204);

    await client.waitForCount(1);
    expect(client.messages[0]).toEqual({
      id: String(boardSeqOf(deletion)),
      data: expect.objectContaining({ type: 'board_deleted', seq: boardSeqOf(deletion), boardId: board.id }),
    });
    const closed = await Promise.race([
      rawStream.ended.then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 3000)),
    ]);
    expect(closed).toBe('closed');
    expect(rawStream.text()).toContain('"board_deleted"');
    // Reconnecting finds no board: EventSource stops for good.
    await client.waitFor(() => client.source.readyState === EventSource.CLOSED, 3000, 'EventSource to close');
  });

  it('hands over from replay to live with no gap and no duplicate while writes race the replay', async () => {
    const { board, listId } = await boardWithEvents(150);
    const writers = 4;
    const writesPerWriter = 25;
    const clients: { client: StreamCollector; after: number }[] = [
      { client: stream(eventsUrl(board.id, '?lastEventId=0')), after: 0 },
    ];
    const writing = Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let i = 0; i < writesPerWriter; i++) {
          const response = await live.api.post(`/boards/${board.id}/tasks`, {
            listId,
            title: `w${writer}-${i}`,
          });
          if (response.status !== 201) throw new Error(`write failed: ${response.status} ${response.text}`);
          // Open more clients while the writes are under way, each mid-replay at a different point.
          if (writer === 0 && i % 8 === 4) {
            clients.push({ client: stream(eventsUrl(board.id), { lastEventId: String(i) }), after: i });
          }
        }
      }),
    );
    await writing;
    const finalSeq = 1 + 150 + writers * writesPerWriter;
    expect((await live.api.snapshot(board.id)).seq).toBe(finalSeq);
    for (const { client, after } of clients) {
      await client.waitFor(
        (messages) => Number(messages.at(-1)?.id ?? 0) >= finalSeq,
        10_000,
        `the stream to reach seq ${finalSeq}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(ids(client)).toEqual(range(after + 1, finalSeq));
    }
    expect(clients.length).toBeGreaterThan(1);
    const all = await live.api.events(board.id);
    expect(clients[0]!.client.messages.map((message) => message.data as BoardEvent)).toEqual(all);
  });
});
