import { describe, expect, it } from 'vitest';
import { newId, type Board, type List, type Task } from '../domain/index.js';
import { boardSeqOf, testUser, type ErrorBody } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';

const live = useServer();

/** The test user's Bearer header: boards are made (and deleted) by a user, their owner. */
async function asOwner(): Promise<{ headers: Record<string, string> }> {
  return { headers: { authorization: `Bearer ${(await testUser(live.server.url)).token}` } };
}

/** A fresh board with one list, at seq 1. */
async function boardWithList(): Promise<{ board: Board; list: List }> {
  const board = await live.api.createBoard();
  return { board, list: await live.api.createList(board.id, 'Todo') };
}

describe('ids proposed by clients', () => {
  it('creates a board, a list and a task under the ids the client proposed', async () => {
    const boardId = newId('board');
    const listId = newId('list');
    const taskId = `task-${'z9'.repeat(20)}`;
    const board = await live.api.post<Board>(
      '/boards',
      { title: 'Proposed', id: boardId, visibility: 'public_edit' },
      await asOwner(),
    );
    expect(board.status).toBe(201);
    expect(board.body.id).toBe(boardId);
    const list = await live.api.post<List>(`/boards/${boardId}/lists`, { title: 'L', id: listId });
    expect([list.status, list.body.id]).toEqual([201, listId]);
    const task = await live.api.post<Task>(`/boards/${boardId}/tasks`, { listId, title: 'T', id: taskId });
    expect([task.status, task.body.id, boardSeqOf(task)]).toEqual([201, taskId, 2]);
    const events = await live.api.events(boardId);
    expect(events.map((event) => event.type === 'task_created' && event.task.id)).toEqual([false, taskId]);
  });

  it('refuses an id of the wrong shape with 400 validation_failed on field id, and changes nothing', async () => {
    const { board, list } = await boardWithList();
    const malformed: unknown[] = [
      'task-short',
      'task-UPPERCASE1',
      'task-with-dash1',
      'task-abcdefgh!',
      `task-${'a'.repeat(41)}`,
      'list-abcdefgh1',
      'abcdefgh12',
      'task-',
      '',
      ' task-abcdefgh1',
      42,
      null,
    ];
    for (const id of malformed) {
      const response = await live.api.post<ErrorBody>(`/boards/${board.id}/tasks`, {
        listId: list.id,
        title: 'T',
        id,
      });
      expect([response.status, response.body.error.code, response.body.error.field], String(id)).toEqual([
        400,
        'validation_failed',
        'id',
      ]);
    }
    const listResponse = await live.api.post<ErrorBody>(`/boards/${board.id}/lists`, {
      title: 'L',
      id: 'task-abcdefgh1',
    });
    expect([listResponse.status, listResponse.body.error.field]).toEqual([400, 'id']);
    const boardResponse = await live.api.post<ErrorBody>(
      '/boards',
      { title: 'B', id: 'board-1' },
      await asOwner(),
    );
    expect([boardResponse.status, boardResponse.body.error.field]).toEqual([400, 'id']);
    expect((await live.api.snapshot(board.id)).seq).toBe(1);
  });

  it('refuses an id in use, on this board or another, with 409 id_taken, and changes nothing', async () => {
    const first = await boardWithList();
    const second = await boardWithList();
    const taken = newId('task');
    await live.api.createTask(first.board.id, first.list.id, 'original', { id: taken });
    for (const { board, list } of [first, second]) {
      const response = await live.api.post<ErrorBody>(`/boards/${board.id}/tasks`, {
        listId: list.id,
        title: 'copy',
        id: taken,
      });
      expect(response.status).toBe(409);
      expect(response.body.error).toMatchObject({ code: 'id_taken', field: 'id' });
    }
    const clash = await live.api.post<ErrorBody>(
      '/boards',
      { title: 'Clash', id: first.board.id },
      await asOwner(),
    );
    expect([clash.status, clash.body.error.code]).toEqual([409, 'id_taken']);
    const listClash = await live.api.post<ErrorBody>(`/boards/${second.board.id}/lists`, {
      title: 'Clash',
      id: first.list.id,
    });
    expect([listClash.status, listClash.body.error.code]).toEqual([409, 'id_taken']);
    expect((await live.api.snapshot(first.board.id)).seq).toBe(2);
    expect((await live.api.snapshot(second.board.id)).seq).toBe(1);
  });

  it("refuses the id of a deleted board's task, so a deleted thing never comes back", async () => {
    const doomed = await boardWithList();
    const ghost = newId('task');
    await live.api.createTask(doomed.board.id, doomed.list.id, 'ghost', { id: ghost });
    expect((await live.api.delete(`/boards/${doomed.board.id}`, await asOwner())).status).toBe(204);
    const { board, list } = await boardWithList();
    const response = await live.api.post<ErrorBody>(`/boards/${board.id}/tasks`, {
      listId: list.id,
      title: 'ghost again',
      id: ghost,
    });
    expect([response.status, response.body.error.code]).toEqual([409, 'id_taken']);
    const again = await live.api.post<ErrorBody>(
      '/boards',
      { title: 'Back?', id: doomed.board.id },
      await asOwner(),
    );
    expect([again.status, again.body.error.code]).toEqual([409, 'id_taken']);
  });

  it('replays a create retried with its Idempotency-Key instead of refusing its own id', async () => {
    const { board, list } = await boardWithList();
    const body = { listId: list.id, title: 'once', id: newId('task') };
    const headers = { 'Idempotency-Key': `key-${newId('task')}` };
    const first = await live.api.post<Task>(`/boards/${board.id}/tasks`, body, { headers });
    const retry = await live.api.post<Task>(`/boards/${board.id}/tasks`, body, { headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(boardSeqOf(retry)).toBe(boardSeqOf(first));
    const withoutKey = await live.api.post<ErrorBody>(`/boards/${board.id}/tasks`, body);
    expect(withoutKey.body.error.code).toBe('id_taken');
    const snapshot = await live.api.snapshot(board.id);
    expect(snapshot.seq).toBe(2);
    expect(snapshot.lists[0]!.tasks.map((task) => task.id)).toEqual([body.id]);
  });
});
