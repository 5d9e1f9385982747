import picocolors from 'picocolors';
import { describe, expect, it } from 'vitest';
import { emptyBoard, type BoardEvent, type StreamMessage } from '../domain/index.js';
import { formatEvent, nextBoard } from './format-event.js';

const colors = picocolors.createColors(false);
const AT = '2026-12-01T10:20:30.000Z';

describe('formatEvent (liveboard tail)', () => {
  it("tells each event with describeEvent, names learnt by folding the stream, per-field events' changes said", () => {
    let board = emptyBoard({ id: 'board-t', title: 'T', createdAt: AT });
    const messages: StreamMessage[] = [
      {
        type: 'list_created',
        seq: 1,
        at: AT,
        by: null,
        list: {
          id: 'list-todo',
          boardId: 'board-t',
          title: 'To do',
          position: 'a0',
          wipLimit: null,
          wipHard: false,
        },
      },
      {
        type: 'list_created',
        seq: 2,
        at: AT,
        by: null,
        list: {
          id: 'list-done',
          boardId: 'board-t',
          title: 'Done',
          position: 'a1',
          wipLimit: null,
          wipHard: false,
        },
      },
      {
        type: 'task_created',
        seq: 3,
        at: AT,
        by: null,
        task: {
          id: 'task-1',
          boardId: 'board-t',
          listId: 'list-todo',
          title: 'Ship it',
          description: '',
          position: 'a0',
          version: 1,
          createdAt: AT,
          updatedAt: AT,
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
        },
      } as BoardEvent,
      {
        type: 'task_moved',
        seq: 4,
        at: AT,
        by: { userId: 'user-1', username: 'ana' },
        taskId: 'task-1',
        version: 2,
        listId: 'list-done',
        fromListId: 'list-todo',
        position: 'a1',
        changes: { title: { from: 'Ship it', to: 'Shipped' } },
      },
      { type: 'reset', seq: 9 },
    ];
    const lines = messages.map((message) => {
      const line = formatEvent(message, board, colors);
      board = nextBoard(board, message);
      return line;
    });
    expect(lines.slice(2)).toEqual([
      '    #3 10:20:30 task_created   Someone added “Ship it” to To do',
      '    #4 10:20:30 task_moved     ana moved “Ship it” from To do to Done and renamed it to “Shipped”',
      '    #9 reset          the server cannot replay from here; the board is at seq 9',
    ]);
  });
});
