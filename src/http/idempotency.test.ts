import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Board, BoardInfo, Task } from '../domain/index.js';
import { apiClient, boardSeqOf, signUp, testUser, type ErrorBody } from '../../test/support/http.js';
import { startServer, useServer, type TestServer } from '../../test/support/server.js';

const live = useServer();

const allTasks = (board: Board): Task[] => board.lists.flatMap((list) => list.tasks);
let keyCounter = 0;
const newKey = (): string => `test-key-${process.pid}-${Date.now()}-${++keyCounter}`;

describe('Idempotency-Key on POST', () => {
  it('a retried POST with the same key answers the first response and creates nothing new', async () => {
    const board = await live.api.createBoard();
    const list = await live.api.createList(board.id, 'L');
    const key = newKey();
    const body = { listId: list.id, title: 'once only' };
    const first = await live.api.post<Task>(`/boards/${board.id}/tasks`, body, {
      headers: { 'Idempotency-Key': key },
    });
    expect(first.status).toBe(201);
    expect(boardSeqOf(first)).toBe(2);
    expect(first.headers.get('idempotent-replayed')).not.toBe('true');

    const retry = await live.api.post<Task>(`/boards/${board.id}/tasks`, body, {
      headers: { 'Idempotency-Key': key },
    });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(boardSeqOf(retry)).toBe(2);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');

    const snapshot = await live.api.snapshot(board.id);
    expect(snapshot.seq).toBe(2);
    expect(allTasks(snapshot)).toEqual([first.body]);
    expect(await live.api.events(board.id)).toHaveLength(2);
  });

  it('a write that changed nothing keeps its key: retried after another change, it answers as before and changes nothing', async () => {
    const board = await live.api.createBoard();
    const list = await live.api.createList(board.id, 'L');
    const task = (await live.api.post<Task>(`/boards/${board.id}/tasks`, { listId: list.id, title: 'same' }))
      .body;
    const key = newKey();
    const first = await live.api.patch<Task>(
      `/boards/${board.id}/tasks/${task.id}`,
      { title: 'same' },
      { headers: { 'Idempotency-Key': key } },
    );
    expect([first.status, boardSeqOf(first), first.body]).toEqual([200, 2, task]);
    // Someone renames it; the first PATCH's answer was lost, and the client retries it.
    const renamed = await live.api.patch<Task>(`/boards/${board.id}/tasks/${task.id}`, { title: 'renamed' });
    expect(boardSeqOf(renamed)).toBe(3);
    const retry = await live.api.patch<Task>(
      `/boards/${board.id}/tasks/${task.id}`,
      { title: 'same' },
      { headers: { 'Idempotency-Key': key } },
    );
    expect([retry.status, boardSeqOf(retry), retry.body]).toEqual([200, 2, task]);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(allTasks(await live.api.snapshot(board.id))[0]!.title).toBe('renamed');
    expect(await live.api.events(board.id, 3)).toEqual([]);
  });

  it('the same key with a different body is 409 idempotency_key_reused and changes nothing', async () => {
    const board = await live.api.createBoard();
    const list = await live.api.createList(board.id, 'L');
    const key = newKey();
    const first = await live.api.post<Task>(
      `/boards/${board.id}/tasks`,
      { listId: list.id, title: 'original' },
      { headers: { 'Idempotency-Key': key } },
    );
    expect(first.status).toBe(201);
    const before = await live.api.snapshot(board.id);

    const reused = await live.api.post<ErrorBody>(
      `/boards/${board.id}/tasks`,
      { listId: list.id, title: 'something else' },
      { headers: { 'Idempotency-Key': key } },
    );
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect(await live.api.snapshot(board.id)).toEqual(before);
  });

  it('a retried POST /boards with the same key returns the same board and makes no second one', async () => {
    const key = newKey();
    const title = `Idempotent board ${key}`;
    const { token } = await testUser(live.server.url);
    const headers = { 'Idempotency-Key': key, authorization: `Bearer ${token}` };
    const first = await live.api.post<Board>('/boards', { title }, { headers });
    const retry = await live.api.post<Board>('/boards', { title }, { headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const boards = await live.api.get<{ boards: BoardInfo[] }>('/boards', { headers });
    expect(boards.body.boards.filter((board) => board.title === title)).toHaveLength(1);
  });

  it('a retried POST of a list with the same key creates one list', async () => {
    const board = await live.api.createBoard();
    const key = newKey();
    const first = await live.api.post(
      `/boards/${board.id}/lists`,
      { title: 'L' },
      { headers: { 'Idempotency-Key': key } },
    );
    const retry = await live.api.post(
      `/boards/${board.id}/lists`,
      { title: 'L' },
      { headers: { 'Idempotency-Key': key } },
    );
    expect(first.status).toBe(201);
    expect([retry.status, retry.body, boardSeqOf(retry)]).toEqual([201, first.body, 1]);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await live.api.snapshot(board.id)).lists).toHaveLength(1);
  });

  it('two concurrent POSTs with the same key commit one task', async () => {
    const board = await live.api.createBoard();
    const list = await live.api.createList(board.id, 'L');
    const key = newKey();
    const body = { listId: list.id, title: 'raced' };
    const responses = await Promise.all(
      [0, 1, 2].map(() =>
        live.api.post<Task>(`/boards/${board.id}/tasks`, body, { headers: { 'Idempotency-Key': key } }),
      ),
    );
    for (const response of responses) {
      // Either the replay of the one commit, or told the first is still in flight.
      if (response.status === 201)
        expect(response.body).toEqual(responses.find((r) => r.status === 201)!.body);
      else
        expect([response.status, (response.body as unknown as ErrorBody).error.code]).toEqual([
          409,
          'idempotency_key_in_flight',
        ]);
    }
    expect(responses.some((response) => response.status === 201)).toBe(true);
    const snapshot = await live.api.snapshot(board.id);
    expect(allTasks(snapshot).filter((task) => task.title === 'raced')).toHaveLength(1);
    expect(snapshot.seq).toBe(2);
  });
});

describe('Idempotency-Key, scoped per user', () => {
  it("one key sent by two users, or by a user and an anonymous client, is two writes: neither replays the other's", async () => {
    const board = await live.api.createBoard();
    const list = await live.api.createList(board.id, 'L');
    const ana = await signUp(live.server.url, `ana-${process.pid}-${++keyCounter}`);
    const key = newKey();
    const body = { listId: list.id, title: 'same key, same body' };
    const asAna = { 'Idempotency-Key': key, authorization: `Bearer ${ana.token}` };
    const anonymous = await live.api.post<Task>(`/boards/${board.id}/tasks`, body, {
      headers: { 'Idempotency-Key': key },
    });
    const signedIn = await live.api.post<Task>(`/boards/${board.id}/tasks`, body, { headers: asAna });
    expect([anonymous.status, signedIn.status]).toEqual([201, 201]);
    expect(signedIn.headers.get('idempotent-replayed')).not.toBe('true');
    expect(signedIn.body.id).not.toBe(anonymous.body.id);
    // Each one's own retry replays its own write.
    const anaAgain = await live.api.post<Task>(`/boards/${board.id}/tasks`, body, { headers: asAna });
    expect([anaAgain.status, anaAgain.body, anaAgain.headers.get('idempotent-replayed')]).toEqual([
      201,
      signedIn.body,
      'true',
    ]);
    // Another user's key is not "reused" for a different request: it is simply theirs.
    const { token } = await testUser(live.server.url);
    const other = await live.api.post<Board>(
      '/boards',
      { title: 'Mine' },
      { headers: { 'Idempotency-Key': key, authorization: `Bearer ${token}` } },
    );
    expect(other.status).toBe(201);
    const events = await live.api.events(board.id);
    expect(events.map((event) => [event.type, event.by?.username ?? null])).toEqual([
      ['list_created', null],
      ['task_created', null],
      ['task_created', ana.username],
    ]);
  });
});

describe('Idempotency-Key across a crash', () => {
  let crashing: TestServer | undefined;
  let recovered: TestServer | undefined;

  afterAll(async () => {
    // The recovered server shares the crashed one's data folder: stop it before that folder goes.
    await recovered?.dispose();
    await crashing?.dispose();
  });

  it('a POST cut off by a crash after its commit, retried with its key, returns the original task once', async () => {
    crashing = await startServer({
      entry: fileURLToPath(new URL('../../test/support/crash-after-commit.mjs', import.meta.url)),
    });
    const crashingApi = apiClient(crashing.url);
    const before = await crashingApi.snapshot('board-1');
    const key = newKey();
    const body = { listId: 'list-todo', title: `survives the crash ${key}` };

    const cutOff = await crashingApi
      .post(`/boards/board-1/tasks`, body, { headers: { 'Idempotency-Key': key } })
      .then(
        (response) => `answered ${response.status} ${response.text}`,
        () => 'no answer',
      );
    expect(cutOff).toBe('no answer');
    const exit = await Promise.race([
      crashing.exited().then(() => 'exited'),
      new Promise((resolve) => setTimeout(() => resolve('still running'), 5000)),
    ]);
    expect(exit).toBe('exited');

    recovered = await startServer({ databaseUrl: crashing.databaseUrl });
    const recoveredApi = apiClient(recovered.url);
    const retry = await recoveredApi.post<Task>(`/boards/board-1/tasks`, body, {
      headers: { 'Idempotency-Key': key },
    });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toMatchObject({
      title: body.title,
      listId: 'list-todo',
      boardId: 'board-1',
      version: 1,
    });
    expect(boardSeqOf(retry)).toBe(before.seq + 1);

    const after = await recoveredApi.snapshot('board-1');
    expect(after.seq).toBe(before.seq + 1);
    const matching = allTasks(after).filter((task) => task.title === body.title);
    expect(matching).toEqual([retry.body]);
  });
});
