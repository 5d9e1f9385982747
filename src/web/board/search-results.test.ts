import { describe, expect, test } from 'vitest';
import {
  TASK_DEFAULTS,
  emptyBoard,
  excerptOf,
  highlightsOf,
  queryTerms,
  type Board,
  type StreamMessage,
  type Task,
} from '../../domain/index.js';
import type { SearchResult } from '../../client/index.js';
import { changesSearch, resultKey, resultsOnBoard } from './search-results.js';

const AT = '2026-11-30T00:00:00.000Z';
const longText = `${'Lorem ipsum dolor sit amet. '.repeat(20)}The invoice is late. ${'More words. '.repeat(20)}`;
const card = (id: string, title: string, description = '', items: [string, string][] = []): Task => ({
  ...TASK_DEFAULTS,
  id,
  boardId: 'board-1',
  listId: 'list-1',
  title,
  description,
  position: id,
  version: 1,
  createdAt: AT,
  updatedAt: AT,
  checklists: items.length
    ? [
        {
          id: 'checklist-1',
          title: 'Steps',
          position: 'a0',
          items: items.map(([itemId, text]) => ({
            id: itemId,
            text,
            done: false,
            position: itemId,
            version: 1,
            textBy: null,
          })),
        },
      ]
    : [],
});
const boardOf = (...tasks: Task[]): Board => ({
  ...emptyBoard({ id: 'board-1', title: 'B', createdAt: AT }),
  lists: [
    {
      id: 'list-1',
      boardId: 'board-1',
      title: 'To do',
      position: 'a0',
      wipLimit: null,
      wipHard: false,
      tasks,
    },
  ],
});
/** A result as the server makes it (store/search-rows.ts: the same excerpt from the same tokenizer). */
const found = (
  taskId: string,
  field: SearchResult['field'],
  text: string,
  query: string,
  part: { commentId?: string; itemId?: string } = {},
): SearchResult => ({ taskId, field, ...part, ...excerptOf(text, highlightsOf(text, queryTerms(query))) });

describe('search results follow the board they were found on', () => {
  const terms = queryTerms('invoice');
  const results = [
    found('task-1', 'title', 'Quarterly invoice run', 'invoice'),
    found('task-2', 'description', longText, 'invoice'),
    found('task-3', 'comment', 'Send the invoice', 'invoice', { commentId: 'comment-1' }),
    found('task-4', 'item', 'Check the invoice', 'invoice', { itemId: 'item-1' }),
  ];
  const board = boardOf(
    card('task-1', 'Quarterly invoice run'),
    card('task-2', 'Long', longText),
    card('task-3', 'Commented'),
    card('task-4', 'With steps', '', [['item-1', 'Check the invoice']]),
  );

  test('a board that contradicts none of them gives the very same array, long fields included', () => {
    expect(resultsOnBoard(results, board, terms)).toBe(results);
    expect(results[1]!.offset).toBeGreaterThan(0);
  });

  test('a card deleted, a title or an item no longer matching, an item deleted: dropped at once', () => {
    const changed = boardOf(
      card('task-2', 'Long', longText),
      card('task-3', 'Commented'),
      card('task-4', 'With steps', '', [['item-2', 'Check the invoice']]),
    );
    expect(resultsOnBoard(results, changed, terms).map(resultKey)).toEqual([
      'task-2:description:',
      'task-3:comment:comment-1',
    ]);
    const renamed = boardOf(card('task-1', 'Quarterly billing run'), ...board.lists[0]!.tasks.slice(1));
    expect(resultsOnBoard(results, renamed, terms).map((result) => result.taskId)).toEqual([
      'task-2',
      'task-3',
      'task-4',
    ]);
  });

  test('a text that still matches shows as the board now has it, highlighted; the others keep their identity', () => {
    const renamed = boardOf(
      card('task-1', 'Invoice run, monthly'),
      card('task-2', 'Long', `Invoice first. ${longText}`),
      ...board.lists[0]!.tasks.slice(2),
    );
    const shown = resultsOnBoard(results, renamed, terms);
    expect(shown[0]).toMatchObject({
      text: 'Invoice run, monthly',
      offset: 0,
      highlights: [{ start: 0, end: 7 }],
    });
    // The window moves to the new first match, at the start of the field.
    expect(shown[1]).toMatchObject({ offset: 0, highlights: [{ start: 0, end: 7 }] });
    expect(shown[2]).toBe(results[2]);
    expect(shown[3]).toBe(results[3]);
  });

  test('only changes to what the server searches ask the query again', () => {
    const base = { seq: 2, at: AT, by: null };
    const asks = (message: StreamMessage) => changesSearch(message);
    expect(
      asks({
        ...base,
        type: 'task_updated',
        taskId: 'task-1',
        version: 2,
        changes: { title: { from: 'a', to: 'b' } },
      }),
    ).toBe(true);
    expect(
      asks({
        ...base,
        type: 'task_updated',
        taskId: 'task-1',
        version: 2,
        changes: { archivedAt: { from: null, to: AT } },
      }),
    ).toBe(false);
    expect(asks({ ...base, type: 'task_deleted', taskId: 'task-1' })).toBe(true);
    expect(asks({ ...base, type: 'comment_deleted', taskId: 'task-1', commentId: 'comment-1' })).toBe(true);
    expect(asks({ type: 'reset', seq: 3 })).toBe(true);
    expect(
      asks({
        ...base,
        type: 'checklist_item_updated',
        taskId: 'task-1',
        checklistId: 'checklist-1',
        itemId: 'item-1',
        version: 1,
        changes: { done: { from: false, to: true } },
      }),
    ).toBe(false);
    expect(
      asks({
        ...base,
        type: 'task_moved',
        taskId: 'task-1',
        version: 2,
        listId: 'list-2',
        fromListId: 'list-1',
        position: 'a0',
      }),
    ).toBe(false);
  });
});
