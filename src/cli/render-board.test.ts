import picocolors from 'picocolors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_DEFAULTS, type Board, type Task } from '../domain/index.js';
import { renderBoard, wrap } from './render-board.js';

const colors = picocolors.createColors(false);
const task = (id: string, listId: string, title: string): Task => ({
  ...TASK_DEFAULTS,
  id,
  boardId: 'board-1',
  listId,
  title,
  description: '',
  position: 'a0',
  version: 1,
  createdAt: '',
  updatedAt: '',
  commentCount: 0,
});
const board: Board = {
  id: 'board-1',
  title: 'Demo',
  seq: 4,
  createdAt: '',
  updatedAt: '',
  visibility: 'public_edit',
  listed: true,
  members: [],
  labels: [],
  lists: [
    {
      id: 'list-todo',
      boardId: 'board-1',
      title: 'To do',
      position: 'a0',
      wipLimit: null,
      wipHard: false,
      tasks: [task('task-1', 'list-todo', 'Write the documentation for the CLI')],
    },
    {
      id: 'list-done',
      boardId: 'board-1',
      title: 'Done',
      position: 'a1',
      wipLimit: null,
      wipHard: false,
      tasks: [],
    },
  ],
};

describe('renderBoard', () => {
  it('puts lists side by side, wrapping long titles within their column', () => {
    const lines = renderBoard(board, { width: 60, colors }).split('\n');
    expect(lines[0]).toBe('Demo board-1 · seq 4');
    expect(lines[2]).toMatch(/^To do \(1\) +Done \(0\)$/);
    expect(lines[2]!.indexOf('Done')).toBe(lines[3]!.indexOf('list-done'));
    expect(lines.slice(5, 8).join('\n')).toMatch(
      /• Write the documentation for +\(empty\)\n {2}the CLI\n {2}task-1/,
    );
  });

  it('stacks lists one under the other when the terminal is too narrow for columns', () => {
    const text = renderBoard(board, { width: 30, colors });
    expect(text).toContain('To do (1) list-todo\n  • Write the documentation for the CLI task-1\n');
    expect(text).toContain('Done (0) list-done\n  (empty)');
  });

  describe('cards', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const card = (id: string, title: string, fields: Partial<Task>): Task => ({
      ...task(id, 'list-todo', title),
      ...fields,
    });
    const busy: Board = {
      ...board,
      members: [{ userId: 'user-ana', username: 'ana', role: 'editor' }],
      labels: [
        { id: 'label-bug', boardId: 'board-1', name: 'bug', color: 'red', position: 'a0' },
        { id: 'label-green', boardId: 'board-1', name: '', color: 'green_dark', position: 'a1' },
      ],
      lists: [
        {
          ...board.lists[0]!,
          wipLimit: 2,
          wipHard: true,
          tasks: [
            card('task-1', 'Fix the login', {
              labelIds: ['label-bug', 'label-green'],
              dueAt: '2026-12-01T09:00:00Z',
              assigneeIds: ['user-ana', 'user-gone'],
              commentCount: 2,
            }),
            card('task-2', 'Soon', { dueAt: '2026-12-01T20:00:00Z' }),
            card('task-3', 'Old', {
              archivedAt: '2026-11-01T00:00:00Z',
              dueAt: '2026-12-09T12:00:00Z',
              dueComplete: true,
            }),
          ],
        },
        {
          ...board.lists[1]!,
          wipLimit: 1,
          wipHard: false,
          tasks: [card('task-4', 'A', {}), card('task-5', 'B', {})],
        },
      ],
    };
    const zone = process.env.TZ;
    beforeAll(() => {
      process.env.TZ = 'UTC';
    });
    afterAll(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });

    it('says each badge in words under the title, archived tasks hidden, and WIP in the header', () => {
      const text = renderBoard(busy, { width: 30, colors, now });
      expect(text).toContain(
        'To do (2 / 2, hard) list-todo\n' +
          '  • Fix the login task-1\n' +
          '    [bug] · [green dark label] · overdue Tue 1 Dec 09:00 · @ana · @a former member · 2 comments\n' +
          '  • Soon task-2\n' +
          '    due soon Tue 1 Dec 20:00\n',
      );
      expect(text).not.toContain('Old');
      expect(text).toContain('Done (2 / 1, over limit) list-done');
    });

    it('shows archived tasks when asked, and "n of m" when filtered', () => {
      const archived = renderBoard(busy, { width: 30, colors, now, archived: true });
      expect(archived).toContain('  • Old task-3\n    archived · done Wed 9 Dec 12:00');
      expect(archived).toContain('To do (3, WIP 2 / 2, hard) list-todo');
      const filtered = renderBoard(busy, {
        width: 30,
        colors,
        now,
        filtering: true,
        matches: (each) => each.labelIds.includes('label-bug'),
      });
      expect(filtered).toContain('To do (1 of 2, WIP 2 / 2, hard) list-todo\n  • Fix the login');
      expect(filtered).toContain('Done (0 of 2, WIP 2 / 1, over limit) list-done\n  (none match)');
    });

    it('packs badges into the column, never splitting one', () => {
      const lines = renderBoard(busy, { width: 60, colors, now }).split('\n');
      const first = lines.findIndex((line) => line.startsWith('• Fix the login'));
      expect(lines.slice(first + 1, first + 5).map((line) => line.slice(0, 29).trimEnd())).toEqual([
        '  [bug] · [green dark label]',
        '  overdue Tue 1 Dec 09:00',
        '  @ana · @a former member',
        '  2 comments',
      ]);
    });
  });
});

describe('wrap', () => {
  it('breaks at spaces, and cuts words longer than a line', () => {
    expect(wrap('one two three', 7)).toEqual(['one two', 'three']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrap('', 4)).toEqual(['']);
  });
});
