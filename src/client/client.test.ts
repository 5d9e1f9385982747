import { beforeAll, describe, expect, it } from 'vitest';
import { testUser } from '../../test/support/http.js';
import { freePort, useServer } from '../../test/support/server.js';
import { LiveboardApiError, LiveboardClient, LiveboardNetworkError } from './index.js';

const live = useServer();
let client: LiveboardClient;

beforeAll(async () => {
  // As the test user, with an API token: boards are made by someone, and are theirs.
  client = new LiveboardClient({ baseUrl: live.server.url, token: (await testUser(live.server.url)).token });
});

describe('LiveboardClient REST against a real server', () => {
  it('creates, reads, renames and deletes a board, each write with the seq of its event', async () => {
    const created = await client.createBoard({ title: 'SDK board' });
    expect(created.data).toMatchObject({ title: 'SDK board', seq: 0, lists: [] });
    expect(created.replayed).toBe(false);
    const boardId = created.data.id;

    expect((await client.listBoards()).map((board) => board.id)).toContain(boardId);
    expect(await client.getBoard(boardId)).toEqual(created.data);

    const renamed = await client.updateBoard(boardId, { title: 'Renamed' });
    expect(renamed).toMatchObject({ data: { id: boardId, title: 'Renamed' }, seq: 1, replayed: false });

    const deleted = await client.deleteBoard(boardId);
    expect(deleted).toEqual({ data: null, seq: 2, replayed: false });
    await expect(client.getBoard(boardId)).rejects.toMatchObject({ status: 404, code: 'board_not_found' });
  });

  it('creates, renames, moves and deletes lists and tasks, and the snapshot agrees', async () => {
    const boardId = (await client.createBoard({ title: 'Lists and tasks' })).data.id;
    const todo = await client.createList(boardId, { title: 'To do' });
    expect(todo).toMatchObject({ data: { title: 'To do', boardId }, seq: 1 });
    const done = await client.createList(boardId, { title: 'Done' });
    const first = await client.createList(boardId, { title: 'Inbox', beforeId: todo.data.id });
    expect(first.seq).toBe(3);

    const renamedList = await client.updateList(boardId, done.data.id, { title: 'Shipped' });
    expect(renamedList).toMatchObject({ data: { id: done.data.id, title: 'Shipped' }, seq: 4 });
    const movedList = await client.updateList(boardId, first.data.id, { afterId: done.data.id });
    expect(movedList.seq).toBe(5);

    const task = await client.createTask(boardId, {
      listId: todo.data.id,
      title: 'Write SDK',
      description: 'typed',
    });
    expect(task).toMatchObject({ data: { title: 'Write SDK', description: 'typed', version: 1 }, seq: 6 });
    const ahead = await client.createTask(boardId, {
      listId: todo.data.id,
      title: 'Before it',
      beforeId: task.data.id,
    });
    const updated = await client.updateTask(boardId, task.data.id, { title: 'Write the SDK', version: 1 });
    expect(updated).toMatchObject({ data: { title: 'Write the SDK', version: 2 }, seq: 8 });
    const moved = await client.updateTask(boardId, task.data.id, { listId: done.data.id });
    expect(moved).toMatchObject({ data: { listId: done.data.id }, seq: 9 });
    expect(await client.deleteTask(boardId, ahead.data.id)).toEqual({ data: null, seq: 10, replayed: false });

    const board = await client.getBoard(boardId);
    expect(board.seq).toBe(10);
    expect(board.lists.map((list) => list.title)).toEqual(['To do', 'Shipped', 'Inbox']);
    expect(board.lists[1]!.tasks.map((t) => t.title)).toEqual(['Write the SDK']);
    expect(board.lists[0]!.tasks).toEqual([]);

    expect(await client.deleteList(boardId, done.data.id)).toEqual({ data: null, seq: 11, replayed: false });
    expect((await client.getBoard(boardId)).lists.map((list) => list.id)).toEqual([
      todo.data.id,
      first.data.id,
    ]);
  });

  it('replays a POST with the same Idempotency-Key instead of writing twice', async () => {
    const boardId = (await client.createBoard({ title: 'Idempotent' })).data.id;
    const listId = (await client.createList(boardId, { title: 'L' })).data.id;
    const key = `sdk-test-${Date.now()}`;
    const once = await client.createTask(boardId, { listId, title: 'Only once' }, { idempotencyKey: key });
    const again = await client.createTask(boardId, { listId, title: 'Only once' }, { idempotencyKey: key });
    expect(again).toEqual({ ...once, replayed: true });
    expect((await client.getBoard(boardId)).lists[0]!.tasks).toHaveLength(1);
  });

  it('polls: events after a seq at once, and an empty answer after the timeout', async () => {
    const boardId = (await client.createBoard({ title: 'Polled' })).data.id;
    await client.createList(boardId, { title: 'A' });
    await client.createList(boardId, { title: 'B' });
    const result = await client.poll(boardId, { after: 0, timeoutSeconds: 5 });
    expect(result.seq).toBe(2);
    expect(result.events.map((event) => [event.type, event.seq])).toEqual([
      ['list_created', 1],
      ['list_created', 2],
    ]);
    expect(await client.poll(boardId, { after: 2, timeoutSeconds: 0.2 })).toEqual({ events: [], seq: 2 });
  });

  it('throws LiveboardApiError with the code, status and field of a 4xx', async () => {
    const boardId = (await client.createBoard({ title: 'Errors' })).data.id;
    const listId = (await client.createList(boardId, { title: 'L' })).data.id;

    const invalid = await client.createTask(boardId, { listId, title: '' }).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(LiveboardApiError);
    expect(invalid).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((invalid as LiveboardApiError).details.field).toMatch(/title/);

    await expect(client.getBoard('board-nope')).rejects.toMatchObject({
      name: 'LiveboardApiError',
      status: 404,
      code: 'board_not_found',
    });
    await expect(client.createTask(boardId, { listId: 'list-nope', title: 'x' })).rejects.toMatchObject({
      status: 404,
      code: 'list_not_found',
    });
    const task = (await client.createTask(boardId, { listId, title: 'v1' })).data;
    await client.updateTask(boardId, task.id, { title: 'v2', version: 1 });
    await expect(client.updateTask(boardId, task.id, { title: 'stale', version: 1 })).rejects.toMatchObject({
      status: 409,
      code: 'version_conflict',
    });
  });

  it("gives an answer without one of the server's codes the code http_<status> (a proxy's error page)", async () => {
    const answering = (response: Response): LiveboardClient =>
      new LiveboardClient({ baseUrl: 'http://proxy.test', fetch: async () => response });
    await expect(
      answering(new Response('Bad gateway', { status: 502 })).getBoard('board-1'),
    ).rejects.toMatchObject({ status: 502, code: 'http_502', message: 'Bad gateway' });
    const unknownCode = new Response(
      JSON.stringify({ error: { code: 'teapot', message: 'short and stout' } }),
      {
        status: 418,
        headers: { 'content-type': 'application/json' },
      },
    );
    await expect(answering(unknownCode).getBoard('board-1')).rejects.toMatchObject({
      status: 418,
      code: 'http_418',
      message: 'short and stout',
    });
  });

  it('throws LiveboardNetworkError, not an API error, when nothing listens', async () => {
    const nowhere = new LiveboardClient({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    const error = await nowhere.listBoards().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LiveboardNetworkError);
    expect((error as Error).message).toMatch(/cannot reach/);
  });

  it('passes an aborted signal through as an AbortError', async () => {
    const abort = new AbortController();
    const pending = client.poll('board-1', { timeoutSeconds: 10, signal: abort.signal });
    abort.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
