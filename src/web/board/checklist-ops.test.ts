import { describe, expect, test } from 'vitest';
import { TASK_DEFAULTS, emptyBoard, type Board, type Task } from '../../domain/index.js';
import { checklistProgress } from './checklist-ops.js';
import { applyOp, findTask, type PendingOp } from './pending-op.js';

const item = (id: string, text: string, done = false) => ({
  id,
  text,
  done,
  position: id,
  version: 1,
  textBy: null,
});
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
  checklists: [
    {
      id: 'checklist-1',
      title: 'Steps',
      position: 'a0',
      items: [item('item-a', 'Write', true), item('item-b', 'Review'), item('item-c', 'Publish')],
    },
  ],
};
const other: Task = { ...task, id: 'task-2', position: 'a1', checklists: [] };
const board: Board = {
  ...emptyBoard({ id: 'board-1', title: 'B', createdAt: '2026-11-30T00:00:00.000Z' }),
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
function twice(op: PendingOp, start: Board = board): Task {
  const once = applyOp(start, op);
  expect(applyOp(once, op)).toBe(once);
  expect(findTask(once, 'task-2')).toBe(other);
  return findTask(once, 'task-1')!;
}

const texts = (shown: Task) => shown.checklists.map((each) => each.items.map((one) => one.text));

describe('the overlays of checklist and link operations: shown at once, idempotent, the other cards untouched', () => {
  test('a tick sets done (twice is once); a tick already shown changes nothing at all', () => {
    const shown = twice({ kind: 'updateItem', taskId: 'task-1', itemId: 'item-b', done: true });
    expect(checklistProgress(shown.checklists)).toEqual({ done: 2, total: 3 });
    expect(applyOp(board, { kind: 'updateItem', taskId: 'task-1', itemId: 'item-a', done: true })).toBe(
      board,
    );
  });

  test('items and checklists are added at the end under the ids proposed, renamed, deleted', () => {
    const added = twice({
      kind: 'addItem',
      taskId: 'task-1',
      checklistId: 'checklist-1',
      itemId: 'item-d',
      text: 'Tell',
    });
    expect(texts(added)).toEqual([['Write', 'Review', 'Publish', 'Tell']]);
    const list = twice({
      kind: 'addChecklist',
      taskId: 'task-1',
      checklistId: 'checklist-2',
      title: 'Later',
    });
    expect(list.checklists.map((each) => [each.id, each.title, each.items.length])).toEqual([
      ['checklist-1', 'Steps', 3],
      ['checklist-2', 'Later', 0],
    ]);
    const renamed = twice({
      kind: 'renameChecklist',
      taskId: 'task-1',
      checklistId: 'checklist-1',
      title: 'Stages',
    });
    expect(renamed.checklists[0]!.title).toBe('Stages');
    expect(
      twice({ kind: 'deleteItem', taskId: 'task-1', itemId: 'item-a' }).checklists[0]!.items,
    ).toHaveLength(2);
    expect(
      twice({ kind: 'deleteChecklist', taskId: 'task-1', checklistId: 'checklist-1' }).checklists,
    ).toEqual([]);
  });

  test('an item moved by beforeId or afterId, and its text edited', () => {
    const top = twice({ kind: 'updateItem', taskId: 'task-1', itemId: 'item-c', beforeId: 'item-a' });
    expect(texts(top)).toEqual([['Publish', 'Write', 'Review']]);
    const after = twice({ kind: 'updateItem', taskId: 'task-1', itemId: 'item-a', afterId: 'item-b' });
    expect(texts(after)).toEqual([['Review', 'Write', 'Publish']]);
    const edited = twice({
      kind: 'updateItem',
      taskId: 'task-1',
      itemId: 'item-b',
      text: 'Proofread',
      version: 1,
    });
    expect(texts(edited)).toEqual([['Write', 'Proofread', 'Publish']]);
  });

  test('links are added with their title and removed', () => {
    const linked = twice({
      kind: 'addLink',
      taskId: 'task-1',
      linkId: 'link-1',
      url: 'https://example.com',
      title: 'Ex',
    });
    expect(linked.links).toEqual([{ id: 'link-1', url: 'https://example.com', title: 'Ex' }]);
    const onBoard = applyOp(board, {
      kind: 'addLink',
      taskId: 'task-1',
      linkId: 'link-1',
      url: 'https://example.com',
    });
    expect(
      findTask(applyOp(onBoard, { kind: 'removeLink', taskId: 'task-1', linkId: 'link-1' }), 'task-1')!.links,
    ).toEqual([]);
  });

  test('an op on a card that is gone, or an item that is gone, changes nothing', () => {
    expect(applyOp(board, { kind: 'updateItem', taskId: 'task-9', itemId: 'item-a', done: false })).toBe(
      board,
    );
    expect(applyOp(board, { kind: 'updateItem', taskId: 'task-1', itemId: 'item-z', done: true })).toBe(
      board,
    );
    expect(applyOp(board, { kind: 'removeLink', taskId: 'task-1', linkId: 'link-9' })).toBe(board);
  });
});

/** The board with a second checklist on task-1, "Later" (Call, Mail), and a link. */
function withTwoChecklists(): Board {
  const later = {
    id: 'checklist-2',
    title: 'Later',
    position: 'a1',
    items: [item('item-x', 'Call'), item('item-y', 'Mail')],
  };
  const links = [{ id: 'link-1', url: 'https://example.com/spec', title: 'Spec' }];
  return applyOp(
    {
      ...board,
      lists: board.lists.map((list) => ({
        ...list,
        tasks: list.tasks.map((each) =>
          each.id === 'task-1' ? { ...each, checklists: [...each.checklists, later], links } : each,
        ),
      })),
    },
    { kind: 'updateItem', taskId: 'task-1', itemId: 'item-a', done: true },
  );
}

describe('the overlays of moves between checklists, of checklists, and of link edits', () => {
  const titles = (shown: Task) => shown.checklists.map((each) => each.title);

  test('a checklist moved before or after another, or to the end; laid again it changes nothing', () => {
    const start = withTwoChecklists();
    const first = twice(
      { kind: 'moveChecklist', taskId: 'task-1', checklistId: 'checklist-2', beforeId: 'checklist-1' },
      start,
    );
    expect(titles(first)).toEqual(['Later', 'Steps']);
    const after = twice(
      { kind: 'moveChecklist', taskId: 'task-1', checklistId: 'checklist-1', afterId: 'checklist-2' },
      start,
    );
    expect(titles(after)).toEqual(['Later', 'Steps']);
    // Already where it goes, or gone: the very same board.
    expect(
      applyOp(start, {
        kind: 'moveChecklist',
        taskId: 'task-1',
        checklistId: 'checklist-2',
        afterId: 'checklist-1',
      }),
    ).toBe(start);
    expect(applyOp(start, { kind: 'moveChecklist', taskId: 'task-1', checklistId: 'checklist-9' })).toBe(
      start,
    );
  });

  test('an item moved to another checklist goes to its end, or where placed, keeping its tick; laid again (its event in) it changes nothing', () => {
    const start = withTwoChecklists();
    const atEnd = twice(
      { kind: 'updateItem', taskId: 'task-1', itemId: 'item-a', checklistId: 'checklist-2' },
      start,
    );
    expect(texts(atEnd)).toEqual([
      ['Review', 'Publish'],
      ['Call', 'Mail', 'Write'],
    ]);
    expect(atEnd.checklists[1]!.items[2]!.done).toBe(true);
    const placed = twice(
      {
        kind: 'updateItem',
        taskId: 'task-1',
        itemId: 'item-c',
        checklistId: 'checklist-2',
        beforeId: 'item-y',
      },
      start,
    );
    expect(texts(placed)).toEqual([
      ['Write', 'Review'],
      ['Call', 'Publish', 'Mail'],
    ]);
    // Once there, a move to its checklist without a place does not chase the end as others add items.
    const more = applyOp(
      applyOp(start, { kind: 'updateItem', taskId: 'task-1', itemId: 'item-a', checklistId: 'checklist-2' }),
      {
        kind: 'addItem',
        taskId: 'task-1',
        checklistId: 'checklist-2',
        itemId: 'item-z',
        text: 'Post',
      },
    );
    expect(
      applyOp(more, { kind: 'updateItem', taskId: 'task-1', itemId: 'item-a', checklistId: 'checklist-2' }),
    ).toBe(more);
    // A checklist deleted meanwhile: the item stays where it is.
    const gone = applyOp(start, { kind: 'deleteChecklist', taskId: 'task-1', checklistId: 'checklist-2' });
    expect(
      applyOp(gone, {
        kind: 'updateItem',
        taskId: 'task-1',
        itemId: 'item-a',
        checklistId: 'checklist-2',
        afterId: 'item-x',
      }),
    ).toBe(gone);
  });

  test('a link’s title and URL edited; the same values again, or a link gone, change nothing', () => {
    const start = withTwoChecklists();
    const renamed = twice(
      { kind: 'updateLink', taskId: 'task-1', linkId: 'link-1', title: 'API spec' },
      start,
    );
    expect(renamed.links).toEqual([{ id: 'link-1', url: 'https://example.com/spec', title: 'API spec' }]);
    const moved = twice(
      { kind: 'updateLink', taskId: 'task-1', linkId: 'link-1', url: 'https://example.com/api', title: '' },
      start,
    );
    expect(moved.links).toEqual([{ id: 'link-1', url: 'https://example.com/api', title: '' }]);
    expect(applyOp(start, { kind: 'updateLink', taskId: 'task-1', linkId: 'link-1', title: 'Spec' })).toBe(
      start,
    );
    expect(applyOp(start, { kind: 'updateLink', taskId: 'task-1', linkId: 'link-9', title: 'x' })).toBe(
      start,
    );
  });
});
