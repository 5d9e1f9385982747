/**
 * Cards over real HTTP, on each store (this file runs in both vitest projects): labels, card fields,
 * per-field conflicts, WIP limits, writes that change nothing, the bad input of issue 15 refused
 * cleanly, and the snapshot's ETag.
 */
import { describe, expect, it } from 'vitest';
import type { Board, BoardEvent, Label, List, Task } from '../domain/index.js';
import { boardSeqOf, testUser, type ApiResponse, type ErrorBody } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';

const live = useServer();

interface CardBoard {
  board: Board;
  todo: List;
  doing: List;
  bug: Label;
  task: Task;
}

/** A board with a label, lists todo and doing (hard WIP limit 1, empty), and a task in todo. */
async function cardBoard(): Promise<CardBoard> {
  const board = await live.api.createBoard();
  const bug = (await live.api.post<Label>(`/boards/${board.id}/labels`, { name: 'Bug', color: 'red' })).body;
  const todo = await live.api.createList(board.id, 'Todo');
  const doing = await live.api.createList(board.id, 'Doing', { wipLimit: 1, wipHard: true });
  const task = await live.api.createTask(board.id, todo.id, 'Card');
  return { board, todo, doing, bug, task };
}

const patchTask = (boardId: string, taskId: string, json: unknown) =>
  live.api.patch<Task & ErrorBody>(`/boards/${boardId}/tasks/${taskId}`, json);

/** Asserts a refusal: its status, code and field, and that the board did not change. */
async function expectRefused(
  boardId: string,
  response: ApiResponse<unknown>,
  status: number,
  code: string,
  field?: string,
): Promise<void> {
  const before = await live.api.snapshot(boardId);
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const error = (response.body as ErrorBody).error;
  expect(error.code, response.text).toBe(code);
  if (field !== undefined) expect(error.field, response.text).toBe(field);
  expect(await live.api.snapshot(boardId)).toEqual(before);
}

describe('labels over HTTP', () => {
  it('creates (201), updates (200) and deletes (204) a label, each one event with its Board-Seq', async () => {
    const board = await live.api.createBoard();
    const created = await live.api.post<Label>(`/boards/${board.id}/labels`, {
      name: ' Urgent ',
      color: 'orange_dark',
    });
    expect(created.status).toBe(201);
    expect(boardSeqOf(created)).toBe(1);
    expect(created.body).toEqual({
      id: created.body.id,
      boardId: board.id,
      name: 'Urgent',
      color: 'orange_dark',
      position: created.body.position,
    });
    expect(created.body.id).toMatch(/^label-/);
    const updated = await live.api.patch<Label>(`/boards/${board.id}/labels/${created.body.id}`, {
      color: null,
    });
    expect([updated.status, boardSeqOf(updated), updated.body.color]).toEqual([200, 2, null]);
    const list = await live.api.createList(board.id, 'L');
    await live.api.createTask(board.id, list.id, 'labelled', { labelIds: [created.body.id] });
    const deleted = await live.api.delete(`/boards/${board.id}/labels/${created.body.id}`);
    expect([deleted.status, boardSeqOf(deleted)]).toEqual([204, 5]);
    const snapshot = await live.api.snapshot(board.id);
    expect(snapshot.labels).toEqual([]);
    expect(snapshot.lists[0]!.tasks[0]!.labelIds).toEqual([]);
    const events = await live.api.events(board.id, 4);
    expect(events).toEqual([
      { type: 'label_deleted', seq: 5, at: events[0]!.at, by: null, labelId: created.body.id },
    ]);
  });

  it('a retry with the same Idempotency-Key replays the label; a proposed id is kept', async () => {
    const board = await live.api.createBoard();
    const headers = { 'idempotency-key': 'label-key-1' };
    const json = { name: 'Once', color: 'green', id: 'label-proposed0001' };
    const first = await live.api.post<Label>(`/boards/${board.id}/labels`, json, { headers });
    const again = await live.api.post<Label>(`/boards/${board.id}/labels`, json, { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(first.body.id).toBe('label-proposed0001');
    expect((await live.api.snapshot(board.id)).seq).toBe(1);
  });

  it('a label of another board is not found on this one, in a path and in labels.add', async () => {
    const mine = await cardBoard();
    const other = await cardBoard();
    await expectRefused(
      mine.board.id,
      await live.api.patch(`/boards/${mine.board.id}/labels/${other.bug.id}`, { name: 'x' }),
      404,
      'label_not_found',
    );
    await expectRefused(
      mine.board.id,
      await patchTask(mine.board.id, mine.task.id, { title: 'not applied', labels: { add: [other.bug.id] } }),
      404,
      'label_not_found',
      'labels.add',
    );
  });

  it('refuses colours outside the palette and names too long or on two lines (400, with the field)', async () => {
    const { board, bug } = await cardBoard();
    for (const color of ['magenta', '#ff0000', 'Green', 7]) {
      await expectRefused(
        board.id,
        await live.api.post(`/boards/${board.id}/labels`, { name: 'x', color }),
        400,
        'validation_failed',
        'color',
      );
    }
    for (const name of ['x'.repeat(101), 'two\nlines', 'nul\u0000', 'lone \ud800']) {
      await expectRefused(
        board.id,
        await live.api.patch(`/boards/${board.id}/labels/${bug.id}`, { name }),
        400,
        'validation_failed',
        'name',
      );
    }
  });
});

describe('card fields over HTTP', () => {
  it('a PATCH of several fields is one event carrying only what changed; the task answers them all', async () => {
    const { board, task, bug } = await cardBoard();
    const owner = await testUser(live.api.baseUrl);
    // The board's maker (its owner) is a member: the one user who may be assigned.
    const response = await patchTask(board.id, task.id, {
      dueAt: '2026-12-03T18:00:00+01:00',
      reminder: 60,
      coverColor: 'sky',
      labels: { add: [bug.id] },
      assignees: { add: [owner.id] },
      version: 1,
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      dueAt: '2026-12-03T17:00:00.000Z',
      reminder: 60,
      coverColor: 'sky',
      labelIds: [bug.id],
      assigneeIds: [owner.id],
      version: 2,
    });
    const [event] = await live.api.events(board.id, boardSeqOf(response) - 1);
    expect(event).toEqual({
      type: 'task_updated',
      seq: boardSeqOf(response),
      at: response.body.updatedAt,
      by: null,
      taskId: task.id,
      version: 2,
      changes: {
        dueAt: { from: null, to: '2026-12-03T17:00:00.000Z' },
        reminder: { from: null, to: 60 },
        coverColor: { from: null, to: 'sky' },
        labelIds: { add: [bug.id], remove: [] },
        assigneeIds: { add: [owner.id], remove: [] },
      },
    });
  });

  it('a write that changes nothing writes nothing: 200, the entity, the current Board-Seq, no event', async () => {
    const { board, task, bug, todo } = await cardBoard();
    const first = await patchTask(board.id, task.id, {
      dueComplete: false,
      labels: { remove: [bug.id] },
      title: 'Card',
    });
    expect(first.status).toBe(200);
    expect(boardSeqOf(first)).toBe(board.seq + 4);
    expect(first.body).toEqual(task);
    const list = await live.api.patch<List>(`/boards/${board.id}/lists/${todo.id}`, {
      title: 'Todo',
      wipLimit: null,
    });
    expect([list.status, boardSeqOf(list)]).toEqual([200, 4]);
    const label = await live.api.patch<Label>(`/boards/${board.id}/labels/${bug.id}`, {
      name: 'Bug',
      color: 'red',
    });
    expect([label.status, boardSeqOf(label), label.body]).toEqual([200, 4, bug]);
    expect(await live.api.events(board.id, 4)).toEqual([]);
  });

  it('edits of different fields from one version all land; the same field is 409 with conflicts', async () => {
    const { board, task, bug } = await cardBoard();
    expect((await patchTask(board.id, task.id, { description: 'A', version: 1 })).status).toBe(200);
    expect((await patchTask(board.id, task.id, { dueAt: '2026-12-03T17:00:00Z', version: 1 })).status).toBe(
      200,
    );
    expect((await patchTask(board.id, task.id, { labels: { add: [bug.id] }, version: 1 })).status).toBe(200);
    const conflict = await patchTask(board.id, task.id, { description: 'B', version: 1 });
    await expectRefused(board.id, conflict, 409, 'version_conflict', 'description');
    expect(conflict.body.error).toMatchObject({
      currentVersion: 4,
      conflicts: [{ field: 'description', value: 'A', version: 2, by: null }],
    });
    expect((await live.api.snapshot(board.id)).lists[0]!.tasks[0]).toMatchObject({
      description: 'A',
      dueAt: '2026-12-03T17:00:00.000Z',
      labelIds: [bug.id],
    });
  });

  it('refuses the bad input of issue 15, with the field, the same on every store, changing nothing', async () => {
    const { board, task, todo } = await cardBoard();
    const cases: Array<[unknown, string]> = [
      [{ dueAt: '2026-12-03' }, 'dueAt'],
      [{ dueAt: '2026-12-03T17:00' }, 'dueAt'],
      [{ dueAt: '2026-02-30T10:00:00Z' }, 'dueAt'],
      [{ dueAt: 'tomorrow' }, 'dueAt'],
      [{ dueAt: 1764781200000 }, 'dueAt'],
      [{ dueAt: '1969-12-31T23:59:59Z' }, 'dueAt'],
      [{ dueAt: '3000-01-01T00:00:00Z' }, 'dueAt'],
      [{ dueAt: '2026-12-03T17:00:00Z', startAt: '2026-12-04T17:00:00Z' }, 'startAt'],
      [{ dueComplete: true }, 'dueComplete'],
      [{ reminder: 30 }, 'reminder'],
      [{ dueAt: '2026-12-03T17:00:00Z', reminder: -5 }, 'reminder'],
      [{ dueAt: '2026-12-03T17:00:00Z', reminder: 2.5 }, 'reminder'],
      [{ dueAt: '2026-12-03T17:00:00Z', reminder: 40321 }, 'reminder'],
      [{ dueAt: '2026-12-03T17:00:00Z', reminder: '60' }, 'reminder'],
      [{ coverColor: 'green_dark' }, 'coverColor'],
      [{ archived: 'yes' }, 'archived'],
      [{ dueComplete: 1 }, 'dueComplete'],
      [{ labels: { add: ['label-x', 'label-x'] } }, 'labels.add'],
      [{ labels: { add: Array.from({ length: 51 }, (_, i) => `label-${i}`) } }, 'labels.add'],
      [{ labels: { add: 'label-x' } }, 'labels.add'],
      [{ labels: { toggle: ['label-x'] } }, 'labels.toggle'],
      [{ title: 'tab\there' }, 'title'],
      [{ description: 'x'.repeat(16_385) }, 'description'],
    ];
    for (const [json, field] of cases) {
      await expectRefused(
        board.id,
        await patchTask(board.id, task.id, json),
        400,
        'validation_failed',
        field,
      );
    }
    // The same id in add and remove.
    await expectRefused(
      board.id,
      await patchTask(board.id, task.id, { labels: { add: ['label-x'], remove: ['label-x'] } }),
      400,
      'validation_failed',
      'labels.remove',
    );
    for (const [json, field] of [
      [{ wipLimit: 0 }, 'wipLimit'],
      [{ wipLimit: 1000 }, 'wipLimit'],
      [{ wipLimit: 2.5 }, 'wipLimit'],
      [{ wipLimit: '5' }, 'wipLimit'],
      [{ wipHard: 'true' }, 'wipHard'],
    ] as const) {
      await expectRefused(
        board.id,
        await live.api.patch(`/boards/${board.id}/lists/${todo.id}`, json),
        400,
        'validation_failed',
        field,
      );
    }
    // The start after the due date when the PATCH sets only the due date.
    expect((await patchTask(board.id, task.id, { startAt: '2026-12-01T00:00:00Z' })).status).toBe(200);
    await expectRefused(
      board.id,
      await patchTask(board.id, task.id, { dueAt: '2026-11-30T00:00:00Z' }),
      400,
      'validation_failed',
      'dueAt',
    );
    // A description of exactly the new limit is taken.
    expect((await patchTask(board.id, task.id, { description: 'x'.repeat(16_384) })).status).toBe(200);
  });

  it('assigning someone who is not a member is 404 member_not_found', async () => {
    const { board, task } = await cardBoard();
    await expectRefused(
      board.id,
      await patchTask(board.id, task.id, { assignees: { add: ['user-nobody0001'] } }),
      404,
      'member_not_found',
      'assignees.add',
    );
  });

  it('archives and restores; an archived task stays in the snapshot with archivedAt', async () => {
    const { board, task } = await cardBoard();
    const archived = await patchTask(board.id, task.id, { archived: true });
    expect(archived.body.archivedAt).toBe(archived.body.updatedAt);
    expect((await live.api.snapshot(board.id)).lists[0]!.tasks[0]!.archivedAt).toBe(archived.body.archivedAt);
    const again = await patchTask(board.id, task.id, { archived: true });
    expect(boardSeqOf(again)).toBe(boardSeqOf(archived));
    expect((await patchTask(board.id, task.id, { archived: false })).body.archivedAt).toBeNull();
  });
});

describe('WIP limits over HTTP', () => {
  it('refuses creating, moving and restoring into a full hard list with limit and count; moving within stays allowed', async () => {
    const { board, doing, task, todo } = await cardBoard();
    const inside = await live.api.createTask(board.id, doing.id, 'in progress');
    const refusedCreate = await live.api.post<ErrorBody>(`/boards/${board.id}/tasks`, {
      listId: doing.id,
      title: 'x',
    });
    await expectRefused(board.id, refusedCreate, 409, 'wip_limit_reached', 'listId');
    expect(refusedCreate.body.error).toMatchObject({ limit: 1, count: 1 });
    await expectRefused(
      board.id,
      await patchTask(board.id, task.id, { listId: doing.id }),
      409,
      'wip_limit_reached',
      'listId',
    );
    // Archive the one inside: the list has room; a task moves in; the archived one cannot come back.
    await patchTask(board.id, inside.id, { archived: true });
    expect((await patchTask(board.id, task.id, { listId: doing.id })).status).toBe(200);
    expect((await patchTask(board.id, task.id, { beforeId: inside.id })).status).toBe(200);
    await expectRefused(
      board.id,
      await patchTask(board.id, inside.id, { archived: false }),
      409,
      'wip_limit_reached',
      'archived',
    );
    expect(todo.wipLimit).toBeNull();
  });

  it('10 concurrent moves into one free place: exactly one succeeds', async () => {
    const { board, doing, todo } = await cardBoard();
    const tasks = await Promise.all(
      Array.from({ length: 10 }, (_, i) => live.api.createTask(board.id, todo.id, `t${i}`)),
    );
    const answers = await Promise.all(
      tasks.map((task) => patchTask(board.id, task.id, { listId: doing.id })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, ...Array<number>(9).fill(409)]);
    const snapshot = await live.api.snapshot(board.id);
    expect(snapshot.lists.find((list) => list.id === doing.id)!.tasks).toHaveLength(1);
  });
});

describe('the snapshot’s ETag', () => {
  it('answers ETag per seq, 304 on If-None-Match, and a new ETag once the board changes', async () => {
    const { board, task } = await cardBoard();
    const first = await live.api.get<Board>(`/boards/${board.id}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toBe(`W/"${board.id}.${first.body.seq}"`);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const again = await live.api.get(`/boards/${board.id}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(boardSeqOf(again)).toBe(first.body.seq);
    await patchTask(board.id, task.id, { title: 'changed' });
    const changed = await live.api.get<Board>(`/boards/${board.id}`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe(`W/"${board.id}.${first.body.seq + 1}"`);
  });

  it('a board the caller may not read is 404 whatever If-None-Match says', async () => {
    const owner = await testUser(live.api.baseUrl);
    const created = await live.api.post<Board>(
      '/boards',
      { title: 'Private' },
      { headers: { authorization: `Bearer ${owner.token}` } },
    );
    const etag = `W/"${created.body.id}.0"`;
    const anonymous = await live.api.get<ErrorBody>(`/boards/${created.body.id}`, {
      headers: { 'if-none-match': etag },
    });
    expect(anonymous.status).toBe(404);
    expect(anonymous.body.error.code).toBe('board_not_found');
  });
});

describe('event shapes on the wire', () => {
  it('a tick, a label change and a move are at most 400 bytes, however big the card', async () => {
    const { board, task, bug, doing } = await cardBoard();
    await patchTask(board.id, task.id, { description: 'd'.repeat(16_000), dueAt: '2026-12-03T17:00:00Z' });
    const from = (await live.api.snapshot(board.id)).seq;
    await patchTask(board.id, task.id, { dueComplete: true });
    await patchTask(board.id, task.id, { labels: { add: [bug.id] } });
    await patchTask(board.id, task.id, { listId: doing.id });
    const poll = await live.api.get<{ events: BoardEvent[] }>(
      `/boards/${board.id}/poll?after=${from}&timeout=0`,
    );
    expect(poll.body.events.map((event) => event.type)).toEqual([
      'task_updated',
      'task_updated',
      'task_moved',
    ]);
    for (const event of poll.body.events) expect(JSON.stringify(event).length).toBeLessThanOrEqual(400);
  });
});
