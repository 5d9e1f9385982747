import { describe, expect, test } from 'vitest';
import { TASK_DEFAULTS, emptyBoard, type Board, type Task } from '../../domain/index.js';
import { applyOp, findTask, type PendingOp } from './pending-op.js';

const task: Task = {
  ...TASK_DEFAULTS,
  id: 'task-1',
  boardId: 'board-1',
  listId: 'list-1',
  title: 'Launch',
  description: '',
  position: 'a0',
  version: 2,
  createdAt: '2026-11-30T00:00:00.000Z',
  updatedAt: '2026-11-30T00:00:00.000Z',
};
const other: Task = { ...task, id: 'task-2', position: 'a1' };
const board: Board = {
  ...emptyBoard({ id: 'board-1', title: 'B', createdAt: '2026-11-30T00:00:00.000Z' }),
  labels: [{ id: 'label-bug', boardId: 'board-1', name: 'bug', color: 'red', position: 'a0' }],
  lists: [
    {
      id: 'list-1',
      boardId: 'board-1',
      title: 'To do',
      position: 'a0',
      wipLimit: null,
      wipHard: false,
      tasks: [task, other],
    },
  ],
};

/** Laying an op over a board that already shows it must change nothing: the overlay stays until its event. */
function twice(op: PendingOp, start: Board = board): Board {
  const once = applyOp(start, op);
  expect(applyOp(once, op)).toBe(once);
  return once;
}

describe('the overlays of card operations: shown at once, idempotent', () => {
  test('labels and assignees are added and removed as sets, in the order put on', () => {
    const shown = twice({
      kind: 'updateTask',
      taskId: 'task-1',
      labels: { add: ['label-bug'] },
      assignees: { add: ['user-a', 'user-b'] },
    });
    expect(findTask(shown, 'task-1')).toMatchObject({
      labelIds: ['label-bug'],
      assigneeIds: ['user-a', 'user-b'],
    });
    const removed = twice({ kind: 'updateTask', taskId: 'task-1', assignees: { remove: ['user-a'] } }, shown);
    expect(findTask(removed, 'task-1')!.assigneeIds).toEqual(['user-b']);
  });

  test('only the changed card is a new object; the others keep their identity (their cards do not render)', () => {
    const shown = applyOp(board, { kind: 'updateTask', taskId: 'task-1', coverColor: 'sky' });
    expect(findTask(shown, 'task-1')!.coverColor).toBe('sky');
    expect(findTask(shown, 'task-2')).toBe(other);
  });

  test('clearing the due date clears "done" and the reminder, as the server does', () => {
    const due = twice({
      kind: 'updateTask',
      taskId: 'task-1',
      dueAt: '2026-12-03T17:00:00.000Z',
      dueComplete: true,
      reminder: 60,
    });
    expect(findTask(due, 'task-1')).toMatchObject({ dueComplete: true, reminder: 60 });
    const cleared = twice({ kind: 'updateTask', taskId: 'task-1', dueAt: null }, due);
    expect(findTask(cleared, 'task-1')).toMatchObject({ dueAt: null, dueComplete: false, reminder: null });
  });

  test('archive sets a value: archiving an archived card keeps its time, restoring clears it', () => {
    const archived = twice({ kind: 'updateTask', taskId: 'task-1', archived: true });
    const at = findTask(archived, 'task-1')!.archivedAt;
    expect(at).not.toBeNull();
    expect(
      findTask(applyOp(archived, { kind: 'updateTask', taskId: 'task-1', archived: true }), 'task-1')!
        .archivedAt,
    ).toBe(at);
    expect(
      findTask(twice({ kind: 'updateTask', taskId: 'task-1', archived: false }, archived), 'task-1')!
        .archivedAt,
    ).toBeNull();
  });

  test('a change the board already has returns the very same board', () => {
    expect(
      applyOp(board, {
        kind: 'updateTask',
        taskId: 'task-1',
        title: 'Launch',
        labels: { remove: ['label-x'] },
      }),
    ).toBe(board);
    expect(applyOp(board, { kind: 'setWipLimit', listId: 'list-1', wipLimit: null, wipHard: false })).toBe(
      board,
    );
  });

  test('labels: created at the end, renamed and recoloured, deleted off every card', () => {
    const created = twice({ kind: 'createLabel', labelId: 'label-ux', name: 'ux', color: null });
    expect(created.labels.map((label) => label.name)).toEqual(['bug', 'ux']);
    const renamed = twice(
      { kind: 'updateLabel', labelId: 'label-bug', name: 'defect', color: 'orange_dark' },
      created,
    );
    expect(renamed.labels[0]).toMatchObject({ name: 'defect', color: 'orange_dark' });
    const labelled = applyOp(renamed, {
      kind: 'updateTask',
      taskId: 'task-1',
      labels: { add: ['label-bug', 'label-ux'] },
    });
    const deleted = twice({ kind: 'deleteLabel', labelId: 'label-bug' }, labelled);
    expect(deleted.labels.map((label) => label.id)).toEqual(['label-ux']);
    expect(findTask(deleted, 'task-1')!.labelIds).toEqual(['label-ux']);
    expect(findTask(deleted, 'task-2')).toBe(other);
  });

  test("a WIP limit and a card created with the filter's labels and assignees", () => {
    const limited = twice({ kind: 'setWipLimit', listId: 'list-1', wipLimit: 5, wipHard: true });
    expect(limited.lists[0]).toMatchObject({ wipLimit: 5, wipHard: true });
    const made = twice({
      kind: 'createTask',
      taskId: 'task-3',
      listId: 'list-1',
      title: 'New',
      labelIds: ['label-bug'],
      assigneeIds: ['user-a'],
    });
    expect(findTask(made, 'task-3')).toMatchObject({ labelIds: ['label-bug'], assigneeIds: ['user-a'] });
  });
});
