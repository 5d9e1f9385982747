import { describe, expect, it } from 'vitest';
import type { Board, List } from '../domain/index.js';
import { boardSeqOf, type ErrorBody } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';

const live = useServer();

const listIds = (board: Board): string[] => board.lists.map((list) => list.id);

describe('lists over HTTP', () => {
  it('POST creates a list (201, list- id, no tasks) at the end, with Board-Seq = the new seq', async () => {
    const board = await live.api.createBoard();
    const first = await live.api.post<List>(`/boards/${board.id}/lists`, { title: 'First' });
    expect(first.status).toBe(201);
    expect(boardSeqOf(first)).toBe(1);
    expect(first.body).toMatchObject({ boardId: board.id, title: 'First', tasks: [] });
    expect(first.body.id).toMatch(/^list-/);
    expect(typeof first.body.position).toBe('string');
    const second = await live.api.post<List>(`/boards/${board.id}/lists`, { title: 'Second' });
    expect(boardSeqOf(second)).toBe(2);
    const snapshot = await live.api.snapshot(board.id);
    expect(snapshot.seq).toBe(2);
    expect(listIds(snapshot)).toEqual([first.body.id, second.body.id]);
  });

  it('places new lists with beforeId and afterId', async () => {
    const board = await live.api.createBoard();
    const a = await live.api.createList(board.id, 'A');
    const c = await live.api.createList(board.id, 'C');
    const b = await live.api.createList(board.id, 'B', { afterId: a.id });
    const start = await live.api.createList(board.id, 'Start', { beforeId: a.id });
    const snapshot = await live.api.snapshot(board.id);
    expect(listIds(snapshot)).toEqual([start.id, a.id, b.id, c.id]);
    // Positions are opaque, but they must sort in the order the board shows.
    const positions = snapshot.lists.map((list) => list.position);
    expect([...positions].sort()).toEqual(positions);
  });

  it('PATCH with only a title is list_updated; with beforeId/afterId it is list_moved', async () => {
    const board = await live.api.createBoard();
    const a = await live.api.createList(board.id, 'A');
    const b = await live.api.createList(board.id, 'B');
    await live.api.createTask(board.id, a.id, 'keeps me');

    const renamed = await live.api.patch<List>(`/boards/${board.id}/lists/${a.id}`, { title: 'A!' });
    expect(renamed.status).toBe(200);
    expect(boardSeqOf(renamed)).toBe(4);
    expect(renamed.body).toMatchObject({ id: a.id, title: 'A!' });

    const moved = await live.api.patch<List>(`/boards/${board.id}/lists/${a.id}`, { afterId: b.id });
    expect(moved.status).toBe(200);
    expect(boardSeqOf(moved)).toBe(5);
    const snapshot = await live.api.snapshot(board.id);
    expect(listIds(snapshot)).toEqual([b.id, a.id]);
    expect(snapshot.lists[1]!.tasks.map((task) => task.title)).toEqual(['keeps me']);

    const movedBack = await live.api.patch<List>(`/boards/${board.id}/lists/${a.id}`, { beforeId: b.id });
    expect(boardSeqOf(movedBack)).toBe(6);
    expect(listIds(await live.api.snapshot(board.id))).toEqual([a.id, b.id]);

    const events = await live.api.events(board.id, 3);
    expect(events.map((event) => [event.seq, event.type])).toEqual([
      [4, 'list_updated'],
      [5, 'list_moved'],
      [6, 'list_moved'],
    ]);
  });

  it('DELETE a list answers 204 and removes its tasks with it', async () => {
    const board = await live.api.createBoard();
    const doomed = await live.api.createList(board.id, 'Doomed');
    const kept = await live.api.createList(board.id, 'Kept');
    const task1 = await live.api.createTask(board.id, doomed.id, 'one');
    await live.api.createTask(board.id, doomed.id, 'two');
    await live.api.createTask(board.id, kept.id, 'stays');

    const response = await live.api.delete(`/boards/${board.id}/lists/${doomed.id}`);
    expect(response.status).toBe(204);
    expect(boardSeqOf(response)).toBe(6);
    const snapshot = await live.api.snapshot(board.id);
    expect(snapshot.seq).toBe(6);
    expect(listIds(snapshot)).toEqual([kept.id]);
    expect(snapshot.lists.flatMap((list) => list.tasks).map((task) => task.title)).toEqual(['stays']);

    const gone = await live.api.patch<ErrorBody>(`/boards/${board.id}/tasks/${task1.id}`, { title: 'ghost' });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('task_not_found');
    const events = await live.api.events(board.id, 5);
    expect(events).toEqual([expect.objectContaining({ type: 'list_deleted', seq: 6, listId: doomed.id })]);
  });
});
