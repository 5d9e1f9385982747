import { describe, expect, it } from 'vitest';
import { dueStatus } from './due-status.js';
import { filterTasks, type TaskFilter } from './filter-tasks.js';
import { TASK_DEFAULTS, emptyBoard, type Board, type Task } from './model.js';

// Wednesday 2 December 2026, 12:00 UTC.
const NOW = new Date('2026-12-02T12:00:00.000Z');

const task = (id: string, extra: Partial<Task> = {}): Task => ({
  ...TASK_DEFAULTS,
  id,
  boardId: 'board-f',
  listId: 'list-f',
  title: id,
  description: '',
  position: id,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

function board(): Board {
  const tasks = [
    task('plain'),
    task('bug', { labelIds: ['label-bug'], assigneeIds: ['user-me'], description: 'Crash on login' }),
    task('both', { labelIds: ['label-bug', 'label-ui'], assigneeIds: ['user-other'] }),
    task('overdue', { dueAt: '2026-12-01T09:00:00.000Z' }),
    task('today', { dueAt: '2026-12-02T20:00:00.000Z' }),
    task('sunday', { dueAt: '2026-12-06T20:00:00.000Z' }),
    task('later', { dueAt: '2026-12-20T20:00:00.000Z' }),
    task('done', { dueAt: '2026-12-01T09:00:00.000Z', dueComplete: true }),
    task('archived', { archivedAt: '2026-11-01T00:00:00.000Z', labelIds: ['label-bug'] }),
  ];
  return {
    ...emptyBoard({ id: 'board-f', title: 'F', createdAt: '2026-01-01T00:00:00.000Z' }),
    labels: [
      { id: 'label-bug', boardId: 'board-f', name: 'Bug', color: 'red', position: 'a0' },
      { id: 'label-ui', boardId: 'board-f', name: 'Interface', color: 'blue', position: 'a1' },
    ],
    lists: [
      { id: 'list-f', boardId: 'board-f', title: 'F', position: 'a0', wipLimit: null, wipHard: false, tasks },
    ],
  };
}

const ids = (filter: TaskFilter, offset?: number): string[] =>
  filterTasks(board(), filter, { now: NOW, timeZoneOffsetMinutes: offset ?? 0 }).lists[0]!.tasks.map(
    (t) => t.id,
  );

describe('filterTasks', () => {
  it('hides archived cards unless asked, and shows them alone when asked', () => {
    expect(ids({})).not.toContain('archived');
    expect(ids({ archived: 'only' })).toEqual(['archived']);
    expect(ids({ archived: 'include' })).toContain('archived');
  });

  it('labels: any, all, none', () => {
    expect(ids({ labels: { mode: 'any', ids: ['label-bug', 'label-ui'] } })).toEqual(['bug', 'both']);
    expect(ids({ labels: { mode: 'all', ids: ['label-bug', 'label-ui'] } })).toEqual(['both']);
    expect(ids({ labels: 'none' })).toEqual(['plain', 'overdue', 'today', 'sunday', 'later', 'done']);
  });

  it('assignees: me, and no one', () => {
    expect(ids({ assignees: ['user-me'] })).toEqual(['bug']);
    expect(ids({ assignees: 'none' })).not.toContain('bug');
    expect(ids({ assignees: 'none' })).not.toContain('both');
  });

  it('due: overdue, today, this week, none, done — in the viewer’s zone', () => {
    expect(ids({ due: 'overdue' })).toEqual(['overdue']);
    expect(ids({ due: 'today' })).toEqual(['today']);
    expect(ids({ due: 'week' })).toEqual(['overdue', 'today', 'sunday']);
    expect(ids({ due: 'done' })).toEqual(['done']);
    expect(ids({ due: 'none' })).toEqual(['plain', 'bug', 'both']);
    // At UTC+5 it is already 17:00; 20:00 UTC is 01:00 tomorrow there.
    expect(ids({ due: 'today' }, 300)).toEqual([]);
  });

  it('quick text: every word, any case, in the title, the description or a label’s name', () => {
    expect(ids({ text: 'CRASH login' })).toEqual(['bug']);
    expect(ids({ text: 'interface' })).toEqual(['both']);
    expect(ids({ text: 'bug', labels: { mode: 'any', ids: ['label-ui'] } })).toEqual(['both']);
  });
});

describe('dueStatus', () => {
  it('is computed from the time now: none, done, overdue, due soon (24 hours), due later', () => {
    expect(dueStatus(task('x'), NOW)).toBe('none');
    expect(dueStatus(task('x', { dueAt: '2026-12-01T00:00:00.000Z', dueComplete: true }), NOW)).toBe('done');
    expect(dueStatus(task('x', { dueAt: '2026-12-02T11:59:59.000Z' }), NOW)).toBe('overdue');
    expect(dueStatus(task('x', { dueAt: '2026-12-03T12:00:00.000Z' }), NOW)).toBe('due_soon');
    expect(dueStatus(task('x', { dueAt: '2026-12-03T12:00:01.000Z' }), NOW)).toBe('due_later');
  });
});
