import { describe, expect, it } from 'vitest';
import type { Board, List, Task } from '../domain/index.js';
import { boardSeqOf, testUser, type ErrorBody } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';

const live = useServer();

const tasksOf = (board: Board, listId: string): string[] =>
  board.lists.find((list) => list.id === listId)?.tasks.map((task) => task.id) ?? [];

/** A fresh board with lists todo and done, at seq 2. */
async function twoLists(): Promise<{ board: Board; todo: List; done: List }> {
  const board = await live.api.createBoard();
  const todo = await live.api.createList(board.id, 'Todo');
  const done = await live.api.createList(board.id, 'Done');
  return { board, todo, done };
}

describe('tasks over HTTP', () => {
  it('POST creates a task (201) at version 1 with Board-Seq = the new seq', async () => {
    const { board, todo } = await twoLists();
    const response = await live.api.post<Task>(`/boards/${board.id}/tasks`, {
      listId: todo.id,
      title: ' Write tests ',
      description: 'all of them',
    });
    expect(response.status).toBe(201);
    expect(boardSeqOf(response)).toBe(3);
    const task = response.body;
    expect(task.id).toMatch(/^task-/);
    expect(task).toEqual({
      id: task.id,
      boardId: board.id,
      listId: todo.id,
      title: 'Write tests',
      description: 'all of them',
      position: task.position,
      version: 1,
      createdAt: task.createdAt,
      updatedAt: task.createdAt,
      startAt: null,
      dueAt: null,
      dueComplete: false,
      reminder: null,
      labelIds: [],
      assigneeIds: [],
      coverColor: null,
      archivedAt: null,
      fieldVersions: {},
      commentCount: 0,
      checklists: [],
      links: [],
    });
    const snapshot = await live.api.snapshot(board.id);
    expect(snapshot.seq).toBe(3);
    expect(snapshot.lists[0]!.tasks).toEqual([task]);
    const plain = await live.api.createTask(board.id, todo.id, 'no description');
    expect(plain.description).toBe('');
  });

  it('orders tasks by position: at the end by default, or before/after a sibling', async () => {
    const { board, todo } = await twoLists();
    const a = await live.api.createTask(board.id, todo.id, 'a');
    const c = await live.api.createTask(board.id, todo.id, 'c');
    const b = await live.api.createTask(board.id, todo.id, 'b', { afterId: a.id });
    const first = await live.api.createTask(board.id, todo.id, 'first', { beforeId: a.id });
    const between = await live.api.createTask(board.id, todo.id, 'between', { beforeId: c.id });
    const snapshot = await live.api.snapshot(board.id);
    expect(tasksOf(snapshot, todo.id)).toEqual([first.id, a.id, b.id, between.id, c.id]);
    const positions = snapshot.lists[0]!.tasks.map((task) => task.position);
    expect([...positions].sort()).toEqual(positions);
  });

  it('PATCH that changes only text is task_updated: version + 1, same list and position', async () => {
    const { board, todo } = await twoLists();
    const task = await live.api.createTask(board.id, todo.id, 'draft');
    const response = await live.api.patch<Task>(`/boards/${board.id}/tasks/${task.id}`, {
      title: 'final',
      description: 'details',
    });
    expect(response.status).toBe(200);
    expect(boardSeqOf(response)).toBe(4);
    expect(response.body).toMatchObject({
      id: task.id,
      title: 'final',
      description: 'details',
      version: 2,
      listId: todo.id,
      position: task.position,
      createdAt: task.createdAt,
    });
    const [event] = await live.api.events(board.id, 3);
    // The event carries what changed, not the whole task.
    expect(event).toEqual({
      type: 'task_updated',
      seq: 4,
      at: response.body.updatedAt,
      by: null,
      taskId: task.id,
      version: 2,
      changes: { title: { from: 'draft', to: 'final' }, description: { to: 'details' } },
    });
  });

  it('PATCH that changes listId is task_moved, to the end of the target list', async () => {
    const { board, todo, done } = await twoLists();
    const existing = await live.api.createTask(board.id, done.id, 'already done');
    const task = await live.api.createTask(board.id, todo.id, 'mover');
    const response = await live.api.patch<Task>(`/boards/${board.id}/tasks/${task.id}`, { listId: done.id });
    expect(response.status).toBe(200);
    expect(boardSeqOf(response)).toBe(5);
    expect(response.body).toMatchObject({ id: task.id, listId: done.id, version: 2 });
    const snapshot = await live.api.snapshot(board.id);
    expect(tasksOf(snapshot, todo.id)).toEqual([]);
    expect(tasksOf(snapshot, done.id)).toEqual([existing.id, task.id]);
    const [event] = await live.api.events(board.id, 4);
    expect(event).toEqual({
      type: 'task_moved',
      seq: 5,
      at: response.body.updatedAt,
      by: null,
      taskId: task.id,
      version: 2,
      listId: done.id,
      fromListId: todo.id,
      position: response.body.position,
    });
  });

  it('PATCH with beforeId/afterId moves a task within and across lists (task_moved)', async () => {
    const { board, todo, done } = await twoLists();
    const a = await live.api.createTask(board.id, todo.id, 'a');
    const b = await live.api.createTask(board.id, todo.id, 'b');
    const c = await live.api.createTask(board.id, todo.id, 'c');
    const x = await live.api.createTask(board.id, done.id, 'x');

    const toFront = await live.api.patch<Task>(`/boards/${board.id}/tasks/${c.id}`, { beforeId: a.id });
    expect(toFront.status).toBe(200);
    expect(tasksOf(await live.api.snapshot(board.id), todo.id)).toEqual([c.id, a.id, b.id]);

    const toBack = await live.api.patch<Task>(`/boards/${board.id}/tasks/${c.id}`, { afterId: b.id });
    expect(toBack.status).toBe(200);
    expect(tasksOf(await live.api.snapshot(board.id), todo.id)).toEqual([a.id, b.id, c.id]);

    const across = await live.api.patch<Task>(`/boards/${board.id}/tasks/${a.id}`, {
      listId: done.id,
      beforeId: x.id,
    });
    expect(across.status).toBe(200);
    expect(boardSeqOf(across)).toBe(9);
    const snapshot = await live.api.snapshot(board.id);
    expect(tasksOf(snapshot, todo.id)).toEqual([b.id, c.id]);
    expect(tasksOf(snapshot, done.id)).toEqual([a.id, x.id]);

    const events = await live.api.events(board.id, 6);
    expect(events.map((event) => event.type)).toEqual(['task_moved', 'task_moved', 'task_moved']);
  });

  it('PATCH with a matching version succeeds; a stale version is 409 version_conflict and changes nothing', async () => {
    const { board, todo } = await twoLists();
    const task = await live.api.createTask(board.id, todo.id, 'v1');
    const ok = await live.api.patch<Task>(`/boards/${board.id}/tasks/${task.id}`, {
      title: 'v2',
      version: 1,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(2);

    const before = await live.api.snapshot(board.id);
    const stale = await live.api.patch<ErrorBody>(`/boards/${board.id}/tasks/${task.id}`, {
      title: 'lost',
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.headers.get('board-seq')).toBeNull();
    expect(await live.api.snapshot(board.id)).toEqual(before);
  });

  it('DELETE a task answers 204 with Board-Seq; it is gone and a second delete is 404', async () => {
    const { board, todo } = await twoLists();
    const task = await live.api.createTask(board.id, todo.id, 'bye');
    const keep = await live.api.createTask(board.id, todo.id, 'stay');
    const response = await live.api.delete(`/boards/${board.id}/tasks/${task.id}`);
    expect(response.status).toBe(204);
    expect(boardSeqOf(response)).toBe(5);
    const snapshot = await live.api.snapshot(board.id);
    expect(tasksOf(snapshot, todo.id)).toEqual([keep.id]);
    const again = await live.api.delete<ErrorBody>(`/boards/${board.id}/tasks/${task.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('task_not_found');
    const [event] = await live.api.events(board.id, 4);
    expect(event).toMatchObject({ type: 'task_deleted', seq: 5, taskId: task.id });
  });

  it('every successful write is exactly one event whose seq is the Board-Seq it answered', async () => {
    const { board, todo, done } = await twoLists();
    const seqs: number[] = [];
    const t = await live.api.post<Task>(`/boards/${board.id}/tasks`, { listId: todo.id, title: 't' });
    seqs.push(boardSeqOf(t));
    seqs.push(boardSeqOf(await live.api.patch(`/boards/${board.id}/tasks/${t.body.id}`, { title: 'u' })));
    seqs.push(
      boardSeqOf(await live.api.patch(`/boards/${board.id}/tasks/${t.body.id}`, { listId: done.id })),
    );
    seqs.push(boardSeqOf(await live.api.patch(`/boards/${board.id}/lists/${done.id}`, { title: 'D' })));
    // Anyone changes a public_edit board's lists and tasks; renaming it takes a member (its owner here).
    const owner = await testUser(live.server.url);
    const headers = { authorization: `Bearer ${owner.token}` };
    seqs.push(boardSeqOf(await live.api.patch(`/boards/${board.id}`, { title: 'B' }, { headers })));
    seqs.push(boardSeqOf(await live.api.delete(`/boards/${board.id}/tasks/${t.body.id}`)));
    seqs.push(boardSeqOf(await live.api.delete(`/boards/${board.id}/lists/${todo.id}`)));
    expect(seqs).toEqual([3, 4, 5, 6, 7, 8, 9]);
    const events = await live.api.events(board.id);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const ownerAuthor = { userId: owner.id, username: owner.username };
    expect(events.map((event) => event.by)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      ownerAuthor,
      null,
      null,
    ]);
    expect((await live.api.snapshot(board.id)).seq).toBe(9);
  });
});
