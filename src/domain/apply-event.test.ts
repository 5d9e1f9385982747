import { describe, expect, it } from 'vitest';
import { applyEvent, applyEvents } from './apply-event.js';
import { eventForLog, type BoardEvent } from './events.js';
import type { Board, ListInfo, Task } from './model.js';
import { TASK_DEFAULTS, emptyBoard, normalizeTask, taskForEvent } from './model.js';

const T0 = '2026-01-01T00:00:00.000Z';
const at = (second: number): string => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;

const list = (id: string, position: string, title = id): ListInfo => ({
  id,
  boardId: 'board-1',
  title,
  position,
  wipLimit: null,
  wipHard: false,
});
const task = (id: string, listId: string, position: string, extra: Partial<Task> = {}): Task => ({
  ...TASK_DEFAULTS,
  id,
  boardId: 'board-1',
  listId,
  title: id,
  description: '',
  position,
  version: 1,
  createdAt: T0,
  updatedAt: T0,
  commentCount: 0,
  ...extra,
});

/** A board with lists a (tasks t1, t2) and b (empty), built through the reducer itself at seq 4. */
function boardWithTasks(): Board {
  return applyEvents(emptyBoard({ id: 'board-1', title: 'B', createdAt: T0 }), [
    { type: 'list_created', seq: 1, at: at(1), list: list('list-a', 'a0') },
    { type: 'list_created', seq: 2, at: at(2), list: list('list-b', 'a1') },
    { type: 'task_created', seq: 3, at: at(3), task: task('task-1', 'list-a', 'a0') },
    { type: 'task_created', seq: 4, at: at(4), task: task('task-2', 'list-a', 'a1') },
  ]);
}

/** Freezes a value and everything in it, so an accidental mutation throws in strict mode. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const taskIds = (board: Board, listId: string): string[] =>
  board.lists.find((candidate) => candidate.id === listId)?.tasks.map((t) => t.id) ?? [];

describe('applyEvent', () => {
  it('stamps the board with the event seq and time on every event', () => {
    const board = boardWithTasks();
    expect(board.seq).toBe(4);
    expect(board.updatedAt).toBe(at(4));
    expect(board.createdAt).toBe(T0);
    const next = applyEvent(board, { type: 'task_deleted', seq: 5, at: at(5), taskId: 'task-1' });
    expect(next.seq).toBe(5);
    expect(next.updatedAt).toBe(at(5));
  });

  it('keeps lists and tasks sorted by position whatever order they were created in', () => {
    const board = applyEvents(emptyBoard({ id: 'board-1', title: 'B', createdAt: T0 }), [
      { type: 'list_created', seq: 1, at: at(1), list: list('list-z', 'a5') },
      { type: 'list_created', seq: 2, at: at(2), list: list('list-y', 'a2') },
      { type: 'task_created', seq: 3, at: at(3), task: task('task-late', 'list-z', 'a9') },
      { type: 'task_created', seq: 4, at: at(4), task: task('task-early', 'list-z', 'a1') },
    ]);
    expect(board.lists.map((l) => l.id)).toEqual(['list-y', 'list-z']);
    expect(taskIds(board, 'list-z')).toEqual(['task-early', 'task-late']);
  });

  it('replaces an updated task in place without duplicating it', () => {
    const updated = task('task-1', 'list-a', 'a0', { title: 'renamed', version: 2, updatedAt: at(5) });
    const board = applyEvent(boardWithTasks(), { type: 'task_updated', seq: 5, at: at(5), task: updated });
    expect(taskIds(board, 'list-a')).toEqual(['task-1', 'task-2']);
    expect(board.lists[0]!.tasks[0]).toEqual(updated);
  });

  it('moves a task to another list and to its new position', () => {
    const moved = task('task-1', 'list-b', 'a0', { version: 2 });
    let board = applyEvent(boardWithTasks(), { type: 'task_moved', seq: 5, at: at(5), task: moved });
    expect(taskIds(board, 'list-a')).toEqual(['task-2']);
    expect(taskIds(board, 'list-b')).toEqual(['task-1']);
    const reordered = task('task-1', 'list-b', 'Zz', { version: 3 });
    board = applyEvent(board, {
      type: 'task_created',
      seq: 6,
      at: at(6),
      task: task('task-3', 'list-b', 'a1'),
    });
    board = applyEvent(board, {
      type: 'task_moved',
      seq: 7,
      at: at(7),
      task: { ...reordered, position: 'a2' },
    });
    expect(taskIds(board, 'list-b')).toEqual(['task-3', 'task-1']);
  });

  it('removes a deleted task', () => {
    const board = applyEvent(boardWithTasks(), { type: 'task_deleted', seq: 5, at: at(5), taskId: 'task-2' });
    expect(taskIds(board, 'list-a')).toEqual(['task-1']);
  });

  it('renames a list and keeps its tasks; moving a list reorders lists and keeps its tasks', () => {
    let board = applyEvent(boardWithTasks(), {
      type: 'list_updated',
      seq: 5,
      at: at(5),
      list: list('list-a', 'a0', 'Renamed'),
    });
    expect(board.lists[0]!.title).toBe('Renamed');
    expect(taskIds(board, 'list-a')).toEqual(['task-1', 'task-2']);
    board = applyEvent(board, {
      type: 'list_moved',
      seq: 6,
      at: at(6),
      list: list('list-a', 'a2', 'Renamed'),
    });
    expect(board.lists.map((l) => l.id)).toEqual(['list-b', 'list-a']);
    expect(taskIds(board, 'list-a')).toEqual(['task-1', 'task-2']);
  });

  it('removes a deleted list together with its tasks', () => {
    const board = applyEvent(boardWithTasks(), { type: 'list_deleted', seq: 5, at: at(5), listId: 'list-a' });
    expect(board.lists.map((l) => l.id)).toEqual(['list-b']);
    expect(board.lists.flatMap((l) => l.tasks)).toEqual([]);
  });

  it('renames the board on board_updated', () => {
    const board = applyEvent(boardWithTasks(), {
      type: 'board_updated',
      seq: 5,
      at: at(5),
      board: {
        id: 'board-1',
        title: 'New title',
        seq: 5,
        createdAt: T0,
        updatedAt: at(5),
        visibility: 'private',
        listed: false,
      },
    });
    expect(board.title).toBe('New title');
    expect(board.lists).toHaveLength(2);
  });

  it('keeps members in the order they were added, changes a role in place, and removes one', () => {
    const ana = { userId: 'user-ana', username: 'ana' };
    const bob = { userId: 'user-bob', username: 'bob' };
    const board = applyEvents(boardWithTasks(), [
      { type: 'member_added', seq: 5, at: at(5), by: null, member: { ...ana, role: 'owner' } },
      { type: 'member_added', seq: 6, at: at(6), by: ana, member: { ...bob, role: 'viewer' } },
      { type: 'member_updated', seq: 7, at: at(7), by: ana, member: { ...ana, role: 'editor' } },
    ]);
    expect(board.members).toEqual([
      { ...ana, role: 'editor' },
      { ...bob, role: 'viewer' },
    ]);
    expect([board.seq, board.updatedAt]).toEqual([7, at(7)]);
    const left = applyEvent(board, { type: 'member_removed', seq: 8, at: at(8), by: ana, ...ana });
    expect(left.members).toEqual([{ ...bob, role: 'viewer' }]);
    expect(left.lists).toEqual(board.lists);
  });

  it('changes visibility and listed on visibility_changed, and nothing else', () => {
    const before = boardWithTasks();
    expect([before.visibility, before.listed, before.members]).toEqual(['private', false, []]);
    const board = applyEvent(before, {
      type: 'visibility_changed',
      seq: 5,
      at: at(5),
      by: null,
      visibility: 'public_edit',
      listed: true,
    });
    expect(board).toEqual({ ...before, seq: 5, updatedAt: at(5), visibility: 'public_edit', listed: true });
  });

  it('empties the board on board_deleted', () => {
    const board = applyEvent(boardWithTasks(), {
      type: 'board_deleted',
      seq: 5,
      at: at(5),
      boardId: 'board-1',
    });
    expect(board.lists).toEqual([]);
    expect(board.seq).toBe(5);
  });

  it('never mutates the board it is given', () => {
    const before = deepFreeze(boardWithTasks());
    const copy = structuredClone(before);
    const events: BoardEvent[] = [
      { type: 'task_moved', seq: 5, at: at(5), task: task('task-1', 'list-b', 'a0', { version: 2 }) },
      { type: 'list_moved', seq: 6, at: at(6), list: list('list-a', 'a5') },
      { type: 'task_deleted', seq: 7, at: at(7), taskId: 'task-2' },
      { type: 'list_deleted', seq: 8, at: at(8), listId: 'list-b' },
      { type: 'member_added', seq: 9, at: at(9), member: { userId: 'user-a', username: 'a', role: 'owner' } },
      {
        type: 'member_updated',
        seq: 10,
        at: at(10),
        member: { userId: 'user-a', username: 'a', role: 'viewer' },
      },
      { type: 'member_removed', seq: 11, at: at(11), userId: 'user-a', username: 'a' },
      { type: 'visibility_changed', seq: 12, at: at(12), visibility: 'public', listed: true },
    ];
    expect(() => applyEvents(before, events)).not.toThrow();
    expect(before).toEqual(copy);
  });
});

describe('applyEvents', () => {
  it('skips events at or below the board seq, so replaying an overlap applies each event once', () => {
    const board = boardWithTasks();
    const extra: BoardEvent = {
      type: 'task_created',
      seq: 5,
      at: at(5),
      task: task('task-3', 'list-b', 'a0'),
    };
    const once = applyEvents(board, [extra]);
    const overlapping = applyEvents(board, [
      { type: 'task_created', seq: 3, at: at(3), task: task('task-1', 'list-a', 'a0') },
      extra,
      extra,
    ]);
    expect(overlapping).toEqual(once);
    expect(taskIds(overlapping, 'list-b')).toEqual(['task-3']);
  });
});

describe('a task_created as the log keeps it', () => {
  const plain = task('task-plain', 'list-a', 'a2');

  it('leaves out exactly the card fields at their defaults, and the fold puts them back', () => {
    const carried = taskForEvent(plain);
    expect(Object.keys(carried).sort()).toEqual(
      [
        'boardId',
        'createdAt',
        'description',
        'id',
        'listId',
        'position',
        'title',
        'updatedAt',
        'version',
      ].sort(),
    );
    expect(normalizeTask(carried)).toEqual(plain);
  });

  it('keeps every card field that was set, empty strings and core fields included', () => {
    const busy: Task = {
      ...plain,
      labelIds: ['label-a'],
      dueAt: '2026-12-01T09:00:00.000Z',
      dueComplete: true,
      reminder: 0,
      fieldVersions: { title: { version: 1, by: null } },
    };
    const carried = taskForEvent(busy);
    expect(carried).toMatchObject({ labelIds: ['label-a'], dueComplete: true, description: '' });
    expect(carried).not.toHaveProperty('assigneeIds');
    expect(normalizeTask(carried)).toEqual(busy);
  });

  it('folds to the same board as the whole task does', () => {
    const board = boardWithTasks();
    const whole: BoardEvent = { type: 'task_created', seq: 5, at: at(5), by: null, task: plain };
    const logged = JSON.parse(JSON.stringify(eventForLog(whole))) as BoardEvent;
    expect(applyEvent(board, logged)).toEqual(applyEvent(board, whole));
    expect(JSON.stringify(logged).length).toBeLessThan(JSON.stringify(whole).length * 0.75);
  });
});
