import picocolors from 'picocolors';
import { describe, expect, it } from 'vitest';
import type { BoardEvent, StreamMessage, Task } from '../client/index.js';
import { formatEvent, type NameBook } from './format-event.js';

const colors = picocolors.createColors(false);
const AT = '2026-12-01T10:20:30.000Z';
const names = (): NameBook => ({ listTitles: new Map([['list-done', 'Done']]), taskTitles: new Map() });
const task = { id: 'task-1', listId: 'list-done', title: 'Ship it' } as Task;

describe('formatEvent (liveboard tail)', () => {
  it('names a task from its per-field events by the title it learnt, and says what changed', () => {
    const book = names();
    formatEvent({ type: 'task_created', seq: 1, at: AT, by: null, task } as BoardEvent, book, colors);
    const updated: StreamMessage = {
      type: 'task_updated',
      seq: 2,
      at: AT,
      by: { userId: 'user-1', username: 'ana' },
      taskId: 'task-1',
      version: 2,
      changes: { dueComplete: { from: false, to: true }, labelIds: { add: ['label-1'], remove: [] } },
    };
    expect(formatEvent(updated, book, colors)).toBe(
      '    #2 10:20:30 task_updated   "Ship it" dueComplete, labelIds task-1 by ana',
    );
    const renamed: StreamMessage = {
      type: 'task_moved',
      seq: 3,
      at: AT,
      taskId: 'task-1',
      version: 3,
      listId: 'list-done',
      fromListId: 'list-todo',
      position: 'a1',
      changes: { title: { from: 'Ship it', to: 'Shipped' } },
    };
    expect(formatEvent(renamed, book, colors)).toBe(
      '    #3 10:20:30 task_moved     "Shipped" (was "Ship it") → Done task-1',
    );
    expect(book.taskTitles.get('task-1')).toBe('Shipped');
  });

  it('still prints the whole-task events of logs from before, and labels', () => {
    const book = names();
    const old = { type: 'task_moved', seq: 4, at: AT, task } as unknown as StreamMessage;
    expect(formatEvent(old, book, colors)).toBe('    #4 10:20:30 task_moved     "Ship it" → Done task-1');
    const label: StreamMessage = {
      type: 'label_created',
      seq: 5,
      at: AT,
      label: { id: 'label-1', boardId: 'b', name: 'Bug', color: 'red', position: 'a0' },
    };
    expect(formatEvent(label, book, colors)).toBe('    #5 10:20:30 label_created  label "Bug" red');
  });
});
