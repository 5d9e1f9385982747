import { describe, expect, it } from 'vitest';
import { applyEvent, type Board, type BoardCommand, type DecideContext } from '../../domain/index.js';
import { NOW, OWNER, boardOf, stampedEvent } from '../../../test/support/domain-boards.js';
import { ShownLists } from './shown-lists.js';

const clock = { now: new Date(NOW) };
let ids = 0;
const context: DecideContext = {
  now: NOW,
  newId: (kind) => `${kind}-${String(++ids).padStart(8, '0')}`,
  by: OWNER,
  operator: true,
  findComment: () => undefined,
};
const run = (board: Board, command: BoardCommand): Board =>
  applyEvent(board, stampedEvent(board, command, context)!);

/** Three lists of two cards; the second list's first card archived. */
function threeLists(): Board {
  let board = boardOf('board-shown', 'Shown', OWNER);
  for (const title of ['a', 'b', 'c']) board = run(board, { type: 'create_list', title });
  for (const list of board.lists) {
    for (const title of ['one', 'two']) board = run(board, { type: 'create_task', listId: list.id, title });
  }
  const archived = board.lists[1]!.tasks[0]!;
  return run(board, { type: 'update_task', taskId: archived.id, archived: true });
}

describe('ShownLists: the board as the filter shows it, list by list', () => {
  it('keeps every list the same object when a change touched another one', () => {
    const shown = new ShownLists();
    const before = threeLists();
    const first = shown.filter(before, {}, '{}', clock);
    // A list with nothing hidden is shown as it is; the one with an archived card without it.
    expect(first.lists[0]).toBe(before.lists[0]);
    expect(first.lists[1]!.tasks.map((task) => task.title)).toEqual(['two']);
    const ticked = run(before, {
      type: 'update_task',
      taskId: before.lists[2]!.tasks[0]!.id,
      dueComplete: false,
      title: 'one!',
    });
    const second = shown.filter(ticked, {}, '{}', clock);
    expect(second.lists[0]).toBe(first.lists[0]);
    expect(second.lists[1]).toBe(first.lists[1]);
    expect(second.lists[2]).not.toBe(first.lists[2]);
    expect(second.lists[2]!.tasks[0]!.title).toBe('one!');
  });

  it('works every list out again for another filter, minute or labels, and keeps the object of a list that shows the same', () => {
    const shown = new ShownLists();
    const board = threeLists();
    const all = shown.filter(board, {}, '{}', clock);
    const words = shown.filter(board, { text: 'two' }, '{"text":"two"}', clock);
    expect(words.lists.map((list) => list.tasks.map((task) => task.title))).toEqual([
      ['two'],
      ['two'],
      ['two'],
    ]);
    // The second list hid its archived card and shows the same under the words: the same object.
    expect(words.lists[1]).toBe(all.lists[1]);
    expect(words.lists[0]).not.toBe(all.lists[0]);
    const again = shown.filter(board, {}, '{}', clock);
    expect(again.lists[0]).toBe(all.lists[0]);
    expect(again.lists[1]).toBe(all.lists[1]);
    const later = shown.filter(board, {}, '{}', { now: new Date(clock.now.getTime() + 60_000) });
    expect(later.lists[1]).toBe(all.lists[1]);
    const labelled = run(board, { type: 'create_label', name: 'urgent', color: 'red' });
    expect(shown.filter(labelled, {}, '{}', clock).lists[1]).toBe(all.lists[1]);
  });

  it('shows a card as overdue from the minute it is, and leaves the other lists as they were', () => {
    const shown = new ShownLists();
    let board = threeLists();
    const due = board.lists[2]!.tasks[0]!;
    board = run(board, {
      type: 'update_task',
      taskId: due.id,
      dueAt: new Date(clock.now.getTime() + 30_000).toISOString(),
    });
    const overdue = { due: 'overdue' } as const;
    const before = shown.filter(board, overdue, '{"due":"overdue"}', clock);
    expect(before.lists.map((list) => list.tasks.length)).toEqual([0, 0, 0]);
    const after = shown.filter(board, overdue, '{"due":"overdue"}', {
      now: new Date(clock.now.getTime() + 60_000),
    });
    expect(after.lists[2]!.tasks.map((task) => task.id)).toEqual([due.id]);
    expect(after.lists[0]).toBe(before.lists[0]);
    expect(after.lists[1]).toBe(before.lists[1]);
  });
});
