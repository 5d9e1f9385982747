import { describe, expect, it } from 'vitest';
import { applyEvent, applyEvents } from './apply-event.js';
import type { BoardCommand } from './commands.js';
import { decide, type DecideContext } from './decide.js';
import type { BoardEvent } from './events.js';
import { LIMITS } from './limits.js';
import { emptyBoard, type Author, type Board } from './model.js';
import {
  ANA,
  BOB,
  boardOf,
  errorOf,
  NOW,
  OWNER,
  stampedEvent,
  T0,
  taskOf,
} from '../../test/support/domain-boards.js';
import { LABEL_COLORS } from './palette.js';

function context(by: Author | null = OWNER): DecideContext {
  let counter = 0;
  return { now: NOW, newId: (kind) => `${kind}-new${++counter}`, by };
}

/** The stamped event a command becomes (or null), as a subscriber receives it. */
const eventOf = (board: Board, command: BoardCommand, by: Author | null = OWNER): BoardEvent | null =>
  stampedEvent(board, command, context(by));

/** decide → stampEvent → applyEvent, as the store does; a no-change leaves the board as it was. */
function run(board: Board, command: BoardCommand, by: Author | null = OWNER): Board {
  const event = eventOf(board, command, by);
  return event === null ? board : applyEvent(board, event);
}

/** Owner, Ana and Bob editors; labels bug and urgent; lists todo (two tasks) and doing (hard limit 2, one task). */
function cardBoard(): Board {
  let board = boardOf('board-c', 'Cards', OWNER, ANA, BOB);
  board = run(board, { type: 'create_label', id: 'label-bug', name: 'Bug', color: 'red' });
  board = run(board, { type: 'create_label', id: 'label-urgent', name: 'Urgent', color: 'orange_dark' });
  board = run(board, { type: 'create_list', id: 'list-todo', title: 'To do' });
  board = run(board, { type: 'create_list', id: 'list-doing', title: 'Doing', wipLimit: 2, wipHard: true });
  board = run(board, { type: 'create_task', id: 'task-1', listId: 'list-todo', title: 'One' });
  board = run(board, { type: 'create_task', id: 'task-2', listId: 'list-todo', title: 'Two' });
  return run(board, { type: 'create_task', id: 'task-3', listId: 'list-doing', title: 'Three' });
}

const patch = (
  fields: Omit<Extract<BoardCommand, { type: 'update_task' }>, 'type' | 'taskId'>,
  taskId = 'task-1',
) => ({ type: 'update_task', taskId, ...fields }) as BoardCommand;

describe('labels', () => {
  it('creates, recolours, renames, reorders and deletes labels, one event each', () => {
    let board = cardBoard();
    expect(board.labels.map((label) => [label.id, label.name, label.color])).toEqual([
      ['label-bug', 'Bug', 'red'],
      ['label-urgent', 'Urgent', 'orange_dark'],
    ]);
    expect(eventOf(board, { type: 'create_label', name: '', color: null })).toMatchObject({
      type: 'label_created',
      label: { id: 'label-new1', boardId: 'board-c', name: '', color: null },
    });
    board = run(board, {
      type: 'update_label',
      labelId: 'label-urgent',
      name: 'Now',
      color: 'sky_light',
      beforeId: 'label-bug',
    });
    expect(board.labels.map((label) => [label.id, label.name, label.color])).toEqual([
      ['label-urgent', 'Now', 'sky_light'],
      ['label-bug', 'Bug', 'red'],
    ]);
  });

  it('a label deletion takes it off every card in that one event', () => {
    let board = cardBoard();
    board = run(board, patch({ labels: { add: ['label-bug', 'label-urgent'] } }));
    board = run(board, patch({ labels: { add: ['label-bug'] } }, 'task-3'));
    const event = eventOf(board, { type: 'delete_label', labelId: 'label-bug' })!;
    expect(event).toEqual({
      type: 'label_deleted',
      seq: board.seq + 1,
      at: NOW,
      by: OWNER,
      labelId: 'label-bug',
    });
    const after = applyEvent(board, event);
    expect(after.labels.map((label) => label.id)).toEqual(['label-urgent']);
    expect(taskOf(after).labelIds).toEqual(['label-urgent']);
    expect(taskOf(after, 'task-3').labelIds).toEqual([]);
    // Cards are stripped, not changed: their versions stay.
    expect(taskOf(after).version).toBe(taskOf(board).version);
  });

  it('refuses a colour outside the palette and a name too long or on two lines', () => {
    const board = cardBoard();
    expect(LABEL_COLORS).toHaveLength(30);
    for (const color of ['magenta', '#ff0000', 'Green', 'green_darker']) {
      expect(
        errorOf(() => decide(board, { type: 'create_label', name: 'x', color: color as never }, context())),
      ).toMatchObject({
        code: 'validation_failed',
        details: { field: 'color' },
      });
    }
    for (const name of ['x'.repeat(101), 'two\nlines', 'nul\u0000', 'lone \ud800']) {
      expect(
        errorOf(() => decide(board, { type: 'create_label', name, color: 'green' }, context())),
      ).toMatchObject({
        code: 'validation_failed',
        details: { field: 'name' },
      });
    }
    expect(
      decide(board, { type: 'create_label', name: 'x'.repeat(100), color: 'green' }, context()),
    ).not.toBeNull();
  });

  it('refuses the 1,001st label of a board with limit_reached', () => {
    let board = cardBoard();
    for (let index = board.labels.length; index < LIMITS.labelsPerBoard; index++) {
      board = run(board, { type: 'create_label', id: `label-n${index}`, name: `L${index}`, color: null });
    }
    expect(board.labels).toHaveLength(1000);
    expect(
      errorOf(() => decide(board, { type: 'create_label', name: 'one more', color: null }, context())),
    ).toMatchObject({
      code: 'limit_reached',
      status: 409,
      details: { field: 'labels', limit: 1000 },
    });
  });

  it('an update that changes nothing is no event; an unknown label is label_not_found', () => {
    const board = cardBoard();
    expect(
      decide(board, { type: 'update_label', labelId: 'label-bug', name: ' Bug ', color: 'red' }, context()),
    ).toBeNull();
    expect(
      decide(board, { type: 'update_label', labelId: 'label-bug', afterId: 'label-urgent' }, context()),
    ).not.toBeNull();
    expect(
      decide(board, { type: 'update_label', labelId: 'label-bug', beforeId: 'label-urgent' }, context()),
    ).toBeNull();
    expect(
      errorOf(() => decide(board, { type: 'delete_label', labelId: 'label-nope' }, context())),
    ).toMatchObject({
      code: 'label_not_found',
      status: 404,
    });
  });
});

describe('a card’s labels and assignees', () => {
  it('adds and removes as sets: never a conflict, and only what really changes is in the event', () => {
    let board = cardBoard();
    board = run(board, patch({ labels: { add: ['label-bug'] }, assignees: { add: [ANA.userId] } }));
    const event = eventOf(
      board,
      patch({ labels: { add: ['label-bug', 'label-urgent'], remove: [] }, version: 1 }),
    );
    expect(event).toMatchObject({
      type: 'task_updated',
      taskId: 'task-1',
      version: 3,
      changes: { labelIds: { add: ['label-urgent'], remove: [] } },
    });
    board = applyEvent(board, event!);
    expect(taskOf(board).labelIds).toEqual(['label-bug', 'label-urgent']);
    board = run(
      board,
      patch({
        labels: { remove: ['label-bug', 'label-gone'] },
        assignees: { add: [BOB.userId], remove: [ANA.userId] },
      }),
    );
    expect(taskOf(board)).toMatchObject({ labelIds: ['label-urgent'], assigneeIds: [BOB.userId] });
    // Adding what is there and removing what is not is no change at all.
    expect(
      decide(board, patch({ labels: { add: ['label-urgent'], remove: ['label-bug'] } }), context()),
    ).toBeNull();
  });

  it('refuses an unknown or other board’s label with 404 and applies nothing else of the PATCH', () => {
    const board = cardBoard();
    const error = errorOf(() =>
      decide(
        board,
        patch({ title: 'Renamed', labels: { add: ['label-bug', 'label-elsewhere'] } }),
        context(),
      ),
    );
    expect(error).toMatchObject({ code: 'label_not_found', status: 404, details: { field: 'labels.add' } });
  });

  it('refuses the same id in add and remove, duplicates, more than 50, and the 51st label on a card', () => {
    let board = cardBoard();
    expect(
      errorOf(() =>
        decide(board, patch({ labels: { add: ['label-bug'], remove: ['label-bug'] } }), context()),
      ),
    ).toMatchObject({
      code: 'validation_failed',
      details: { field: 'labels.remove' },
    });
    expect(
      errorOf(() => decide(board, patch({ labels: { add: ['label-bug', 'label-bug'] } }), context())),
    ).toMatchObject({
      code: 'validation_failed',
      details: { field: 'labels.add' },
    });
    const many = Array.from({ length: 51 }, (_, index) => `label-m${index}`);
    for (const id of many) board = run(board, { type: 'create_label', id, name: id, color: null });
    expect(errorOf(() => decide(board, patch({ labels: { add: many } }), context()))).toMatchObject({
      code: 'validation_failed',
      details: { field: 'labels.add' },
    });
    board = run(board, patch({ labels: { add: many.slice(0, 50) } }));
    expect(taskOf(board).labelIds).toHaveLength(50);
    expect(errorOf(() => decide(board, patch({ labels: { add: ['label-bug'] } }), context()))).toMatchObject({
      code: 'limit_reached',
      status: 409,
      details: { field: 'labels', limit: 50, count: 51 },
    });
  });

  it('assigns members only: a non-member is member_not_found', () => {
    const board = cardBoard();
    expect(
      errorOf(() => decide(board, patch({ assignees: { add: ['user-stranger'] } }), context())),
    ).toMatchObject({
      code: 'member_not_found',
      status: 404,
      details: { field: 'assignees.add' },
    });
    expect(
      errorOf(() =>
        decide(
          board,
          { type: 'create_task', listId: 'list-todo', title: 'x', assigneeIds: ['user-stranger'] },
          context(),
        ),
      ),
    ).toMatchObject({ code: 'member_not_found', details: { field: 'assigneeIds' } });
  });

  it('a create carries its first labels, dates and assignees in its one event', () => {
    const board = cardBoard();
    const event = eventOf(board, {
      type: 'create_task',
      listId: 'list-todo',
      title: 'Full',
      labelIds: ['label-urgent', 'label-bug'],
      assigneeIds: [ANA.userId],
      startAt: '2026-12-01T09:00:00+01:00',
      dueAt: '2026-12-03T17:00:00Z',
      reminder: 60,
      coverColor: 'sky',
    });
    expect(event).toMatchObject({
      type: 'task_created',
      task: {
        labelIds: ['label-urgent', 'label-bug'],
        assigneeIds: [ANA.userId],
        startAt: '2026-12-01T08:00:00.000Z',
        dueAt: '2026-12-03T17:00:00.000Z',
        dueComplete: false,
        reminder: 60,
        coverColor: 'sky',
        archivedAt: null,
        version: 1,
        fieldVersions: {},
      },
    });
  });
});

describe('dates, reminder, cover and archive', () => {
  it('sets, converts to UTC and clears dates; clearing the due date clears completion and reminder', () => {
    let board = run(
      cardBoard(),
      patch({ dueAt: '2026-12-03T18:00:00+01:00', reminder: 30, dueComplete: true }),
    );
    expect(taskOf(board)).toMatchObject({
      dueAt: '2026-12-03T17:00:00.000Z',
      reminder: 30,
      dueComplete: true,
    });
    const event = eventOf(board, patch({ dueAt: null }));
    expect(event).toMatchObject({
      changes: {
        dueAt: { from: '2026-12-03T17:00:00.000Z', to: null },
        dueComplete: { from: true, to: false },
        reminder: { from: 30, to: null },
      },
    });
    board = applyEvent(board, event!);
    expect(taskOf(board)).toMatchObject({ dueAt: null, reminder: null, dueComplete: false });
  });

  it('refuses due dates that are not instants with a zone, or outside 1970–2999', () => {
    const board = cardBoard();
    for (const dueAt of [
      '2026-12-03',
      '2026-12-03T17:00',
      '2026-02-30T10:00:00Z',
      '2026-12-03T25:00:00Z',
      'tomorrow',
      1764781200000,
      '1969-12-31T23:59:59Z',
      '3000-01-01T00:00:00Z',
    ]) {
      expect(
        errorOf(() => decide(board, patch({ dueAt: dueAt as string }), context())),
        String(dueAt),
      ).toMatchObject({
        code: 'validation_failed',
        details: { field: 'dueAt' },
      });
    }
    expect(decide(board, patch({ dueAt: '2999-12-31T23:59:59.999Z' }), context())).not.toBeNull();
  });

  it('refuses a start after the due date, also when the PATCH sets only one of them', () => {
    const board = run(cardBoard(), patch({ startAt: '2026-12-01T00:00:00Z', dueAt: '2026-12-03T00:00:00Z' }));
    expect(errorOf(() => decide(board, patch({ startAt: '2026-12-04T00:00:00Z' }), context()))).toMatchObject(
      {
        details: { field: 'startAt' },
      },
    );
    expect(errorOf(() => decide(board, patch({ dueAt: '2026-11-30T00:00:00Z' }), context()))).toMatchObject({
      details: { field: 'dueAt' },
    });
  });

  it('refuses completion or a reminder without a due date, reminders out of range, covers outside the 10', () => {
    const board = cardBoard();
    expect(errorOf(() => decide(board, patch({ dueComplete: true }), context()))).toMatchObject({
      details: { field: 'dueComplete' },
    });
    expect(errorOf(() => decide(board, patch({ reminder: 10 }), context()))).toMatchObject({
      details: { field: 'reminder' },
    });
    for (const reminder of [-5, 2.5, 40321, '5']) {
      expect(
        errorOf(() =>
          decide(board, patch({ dueAt: '2026-12-03T00:00:00Z', reminder: reminder as number }), context()),
        ),
      ).toMatchObject({
        details: { field: 'reminder' },
      });
    }
    for (const coverColor of ['green_dark', 'magenta', 'Red']) {
      expect(
        errorOf(() => decide(board, patch({ coverColor: coverColor as never }), context())),
      ).toMatchObject({
        details: { field: 'coverColor' },
      });
    }
    expect(errorOf(() => decide(board, patch({ archived: 'yes' as never }), context()))).toMatchObject({
      details: { field: 'archived' },
    });
  });

  it('archives and restores by setting a value, so a retry is no change', () => {
    let board = run(cardBoard(), patch({ archived: true }));
    expect(taskOf(board).archivedAt).toBe(NOW);
    expect(decide(board, patch({ archived: true }), context())).toBeNull();
    board = run(board, patch({ archived: false }));
    expect(taskOf(board).archivedAt).toBeNull();
    expect(decide(board, patch({ archived: false }), context())).toBeNull();
  });
});

describe('WIP limits', () => {
  it('refuses creating, moving or restoring into a full hard-limited list, with limit and count', () => {
    let board = run(cardBoard(), { type: 'create_task', id: 'task-4', listId: 'list-doing', title: 'Four' });
    const full = { code: 'wip_limit_reached', status: 409, details: { limit: 2, count: 2 } };
    expect(
      errorOf(() => decide(board, { type: 'create_task', listId: 'list-doing', title: 'x' }, context())),
    ).toMatchObject({
      ...full,
      details: { ...full.details, field: 'listId' },
    });
    expect(errorOf(() => decide(board, patch({ listId: 'list-doing' }), context()))).toMatchObject(full);
    // Moving within the full list stays allowed.
    expect(decide(board, patch({ beforeId: 'task-3' }, 'task-4'), context())).toMatchObject({
      type: 'task_moved',
    });
    // An archived task does not count, and is not counted when it moves in; restoring it counts.
    board = run(board, patch({ archived: true }, 'task-4'));
    board = run(board, patch({ archived: true }));
    board = run(board, patch({ listId: 'list-doing' }));
    expect(board.lists[1]!.tasks.map((task) => task.id)).toEqual(['task-3', 'task-4', 'task-1']);
    board = run(board, { type: 'create_task', id: 'task-5', listId: 'list-doing', title: 'Five' });
    expect(errorOf(() => decide(board, patch({ archived: false }), context()))).toMatchObject({
      code: 'wip_limit_reached',
      details: { field: 'archived', limit: 2, count: 2 },
    });
  });

  it('a soft limit refuses nothing; WIP fields are validated and travel on list_updated', () => {
    let board = run(cardBoard(), { type: 'update_list', listId: 'list-doing', wipHard: false, wipLimit: 1 });
    board = run(board, { type: 'create_task', listId: 'list-doing', title: 'over' });
    expect(board.lists[1]!.tasks).toHaveLength(2);
    expect(eventOf(board, { type: 'update_list', listId: 'list-doing', wipLimit: null })).toMatchObject({
      type: 'list_updated',
      list: { id: 'list-doing', wipLimit: null, wipHard: false },
    });
    expect(
      decide(board, { type: 'update_list', listId: 'list-doing', wipLimit: 1, wipHard: false }, context()),
    ).toBeNull();
    for (const wipLimit of [0, 1000, 2.5, '5']) {
      expect(
        errorOf(() =>
          decide(
            board,
            { type: 'update_list', listId: 'list-doing', wipLimit: wipLimit as number },
            context(),
          ),
        ),
      ).toMatchObject({
        details: { field: 'wipLimit' },
      });
    }
    expect(
      errorOf(() =>
        decide(board, { type: 'update_list', listId: 'list-doing', wipHard: 'true' as never }, context()),
      ),
    ).toMatchObject({
      details: { field: 'wipHard' },
    });
  });
});

describe('events carry what changed', () => {
  it('a tick, a label change and a move are at most 400 bytes whatever the card holds', () => {
    let board = run(
      cardBoard(),
      patch({ description: 'd'.repeat(LIMITS.descriptionLength), dueAt: '2026-12-03T17:00:00Z' }),
    );
    const by: Author = {
      userId: 'user-abcdefghijklmnopqrstuvwxyz0123456789',
      username: 'a-rather-long-username-42',
    };
    board = { ...board, members: [...board.members, { ...by, role: 'editor' }] };
    const commands: BoardCommand[] = [
      patch({ dueComplete: true, version: 2 }),
      patch({ labels: { add: ['label-bug'], remove: [] }, version: 2 }),
      patch({ listId: 'list-doing', beforeId: 'task-3', version: 2 }),
    ];
    for (const command of commands) {
      const event = eventOf(board, command, by)!;
      expect(JSON.stringify(event).length, JSON.stringify(event)).toBeLessThanOrEqual(400);
    }
  });

  it('task_moved names both lists and the new position, and keeps the task’s other fields', () => {
    const board = run(cardBoard(), patch({ title: 'Renamed' }));
    const event = eventOf(board, patch({ listId: 'list-doing', afterId: 'task-3', version: 2 }))!;
    expect(event).toMatchObject({
      type: 'task_moved',
      taskId: 'task-1',
      version: 3,
      listId: 'list-doing',
      fromListId: 'list-todo',
    });
    expect('changes' in event).toBe(false);
    const after = applyEvent(board, event);
    expect(taskOf(after)).toMatchObject({ listId: 'list-doing', title: 'Renamed', version: 3 });
    expect(after.lists[1]!.tasks.map((task) => task.id)).toEqual(['task-3', 'task-1']);
  });

  it('a move to where the task already is, or a PATCH of equal values, is no event', () => {
    const board = cardBoard();
    expect(decide(board, patch({ afterId: 'task-2' }, 'task-1'), context())).not.toBeNull();
    expect(decide(board, patch({ beforeId: 'task-2' }, 'task-1'), context())).toBeNull();
    expect(
      decide(board, patch({ listId: 'list-todo', title: 'One', description: '' }), context()),
    ).toBeNull();
    expect(decide(board, { type: 'update_list', listId: 'list-todo', title: 'To do' }, context())).toBeNull();
  });

  it('the reducer replaces a task in place when its position does not change', () => {
    const board = cardBoard();
    const after = run(board, patch({ title: 'In place' }, 'task-2'));
    expect(after.lists[0]!.tasks.map((task) => task.id)).toEqual(['task-1', 'task-2']);
    expect(after.lists[0]!.tasks[0]).toBe(board.lists[0]!.tasks[0]);
    expect(after.lists[1]).toBe(board.lists[1]);
  });
});

describe('old logs keep folding', () => {
  it('folds the whole-task task_updated and task_moved of logs written before cards, with the new fields’ defaults', () => {
    const old = {
      id: 'task-old',
      boardId: 'board-o',
      listId: 'list-a',
      title: 'Old',
      description: '',
      position: 'a0',
      version: 1,
      createdAt: T0,
      updatedAt: T0,
    };
    const events = [
      {
        type: 'list_created',
        seq: 1,
        at: T0,
        list: { id: 'list-a', boardId: 'board-o', title: 'A', position: 'a0' },
      },
      {
        type: 'list_created',
        seq: 2,
        at: T0,
        list: { id: 'list-b', boardId: 'board-o', title: 'B', position: 'a1' },
      },
      { type: 'task_created', seq: 3, at: T0, task: old },
      { type: 'task_updated', seq: 4, at: T0, task: { ...old, title: 'Renamed', version: 2 } },
      {
        type: 'task_moved',
        seq: 5,
        at: T0,
        task: { ...old, title: 'Renamed', version: 3, listId: 'list-b', position: 'a5' },
      },
    ] as unknown as BoardEvent[];
    const board = applyEvents(
      emptyBoard({ id: 'board-o', title: 'O', createdAt: T0, visibility: 'public_edit' }),
      events,
    );
    expect(board.lists.map((list) => [list.id, list.wipLimit, list.wipHard, list.tasks.length])).toEqual([
      ['list-a', null, false, 0],
      ['list-b', null, false, 1],
    ]);
    expect(board.lists[1]!.tasks[0]).toEqual({
      ...old,
      title: 'Renamed',
      version: 3,
      listId: 'list-b',
      position: 'a5',
      startAt: null,
      dueAt: null,
      dueComplete: false,
      reminder: null,
      labelIds: [],
      assigneeIds: [],
      coverColor: null,
      archivedAt: null,
      fieldVersions: {},
      // Logs from before comments: no comments, so none counted.
      commentCount: 0,
      checklists: [],
      links: [],
    });
    // A new per-field event folds on top of the old shapes.
    const next = run(board, patch({ dueAt: '2026-12-03T17:00:00Z', version: 3 }, 'task-old'));
    expect(taskOf(next, 'task-old')).toMatchObject({
      version: 4,
      dueAt: '2026-12-03T17:00:00.000Z',
      fieldVersions: { dueAt: { version: 4, by: OWNER } },
    });
  });
});
