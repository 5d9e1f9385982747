import picocolors from 'picocolors';
import { describe, expect, it } from 'vitest';
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
    expect(text).toContain('To do list-todo\n  • Write the documentation for the CLI task-1\n');
    expect(text).toContain('Done list-done\n  (empty)');
  });
});

describe('wrap', () => {
  it('breaks at spaces, and cuts words longer than a line', () => {
    expect(wrap('one two three', 7)).toEqual(['one two', 'three']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrap('', 4)).toEqual(['']);
  });
});
