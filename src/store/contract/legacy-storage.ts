/**
 * Boards as the first schema kept them (before `used_ids`, with Idempotency-Key records holding an
 * HTTP status and body, and before accounts: no visibility, no members), for S15 and S20. The rows
 * are plain SQL that both backends' first schema accepts, built from real events (without `by`, as
 * events were before accounts) so that the migrated snapshots can be checked against their fold.
 * Later rules lay out the storages of later schemas the same way (before cards, before item authors).
 */
import {
  applyEvents,
  emptyBoard,
  taskOfEvent,
  type Author,
  type Board,
  type BoardEvent,
  type ListInfo,
  type Task,
  type TASK_DEFAULTS,
} from '../../domain/index.js';

export const LEGACY_BOARD = { id: 'board-legacy001', title: 'Legacy', createdAt: '2026-01-01T00:00:00.000Z' };
/** A second board, so that "every board" means more than one. */
export const LEGACY_OTHER_BOARD = {
  id: 'board-legacy002',
  title: 'Legacy too',
  createdAt: '2026-01-01T00:00:05.000Z',
};
export const LEGACY_BOARDS = [LEGACY_BOARD, LEGACY_OTHER_BOARD];
export const LEGACY_IDEMPOTENCY_KEY = {
  key: 'legacy-key',
  fingerprint: 'POST /boards/board-legacy001/tasks',
};
/** Ids the legacy storage shows: in its rows (of either board), and one only in its log (a deleted task). */
export const LEGACY_TAKEN_IDS = ['list-legacy001', 'task-legacy001', 'task-legacygone', 'list-legacy002'];

const at = (second: number): string => `2026-01-01T00:00:0${second}.000Z`;

/**
 * A list and a task as events held them before cards: without WIP fields, dates, labels or
 * per-field versions. The types of today's events have them, so the old shapes are cast, on purpose:
 * the reducer and the migration must cope with exactly what old logs hold.
 */
type LegacyTask = Omit<Task, keyof typeof TASK_DEFAULTS>;
const legacyList = (list: Omit<ListInfo, 'wipLimit' | 'wipHard'>): ListInfo => list as ListInfo;
const legacyTask = (task: LegacyTask): Task => task as Task;

/** Each legacy board's log. */
export function legacyEvents(boardId: string): BoardEvent[] {
  if (boardId === LEGACY_OTHER_BOARD.id) {
    return [
      {
        type: 'list_created',
        seq: 1,
        at: at(6),
        list: legacyList({ id: 'list-legacy002', boardId, title: 'Elsewhere', position: 'a0' }),
      },
    ];
  }
  const task = (id: string, title: string, position: string, second: number): Task =>
    legacyTask({
      id,
      boardId: LEGACY_BOARD.id,
      listId: 'list-legacy001',
      title,
      description: '',
      position,
      version: 1,
      createdAt: at(second),
      updatedAt: at(second),
    });
  return [
    {
      type: 'list_created',
      seq: 1,
      at: at(1),
      list: legacyList({ id: 'list-legacy001', boardId: LEGACY_BOARD.id, title: 'Todo', position: 'a0' }),
    },
    { type: 'task_created', seq: 2, at: at(2), task: task('task-legacy001', 'Kept', 'a0', 2) },
    { type: 'task_created', seq: 3, at: at(3), task: task('task-legacygone', 'Gone', 'a1', 3) },
    { type: 'task_deleted', seq: 4, at: at(4), taskId: 'task-legacygone' },
  ];
}

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** INSERT statements for the legacy boards' rows, logs and one Idempotency-Key record (status 201). */
export function legacyRows(): string[] {
  const rows: string[] = [];
  for (const info of LEGACY_BOARDS) {
    const events = legacyEvents(info.id);
    const board = applyEvents(emptyBoard(info), events);
    rows.push(
      `INSERT INTO boards (id, title, seq, created_at, updated_at) VALUES
         (${quote(board.id)}, ${quote(board.title)}, ${board.seq}, ${quote(board.createdAt)}, ${quote(board.updatedAt)})`,
    );
    for (const list of board.lists) {
      rows.push(
        `INSERT INTO lists (id, board_id, title, position) VALUES
           (${quote(list.id)}, ${quote(board.id)}, ${quote(list.title)}, ${quote(list.position)})`,
      );
      for (const task of list.tasks) {
        rows.push(
          `INSERT INTO tasks (id, board_id, list_id, title, description, position, version, created_at, updated_at) VALUES
             (${[task.id, board.id, list.id, task.title, task.description, task.position].map(quote).join(', ')},
              ${task.version}, ${quote(task.createdAt)}, ${quote(task.updatedAt)})`,
        );
      }
    }
    rows.push(
      ...events.map(
        (event) =>
          `INSERT INTO events (board_id, seq, type, data) VALUES
             (${quote(board.id)}, ${event.seq}, ${quote(event.type)}, ${quote(JSON.stringify(event))})`,
      ),
    );
  }
  const kept = applyEvents(emptyBoard(LEGACY_BOARD), legacyEvents(LEGACY_BOARD.id)).lists[0]!.tasks[0]!;
  rows.push(
    `INSERT INTO idempotency_keys (key, fingerprint, board_id, seq, status, body, created_at) VALUES
       (${quote(LEGACY_IDEMPOTENCY_KEY.key)}, ${quote(LEGACY_IDEMPOTENCY_KEY.fingerprint)}, ${quote(LEGACY_BOARD.id)},
        2, 201, ${quote(JSON.stringify(kept))}, ${quote(new Date().toISOString())})`,
  );
  return rows;
}

/** The board the cards rule (S21) finds in a storage laid out by the schema before cards. */
export const PRE_CARDS_BOARD = {
  id: 'board-precards01',
  title: 'Before cards',
  createdAt: '2026-06-01T00:00:00.000Z',
};

/**
 * A board's log as it stood before cards: whole-task `task_updated` and `task_moved` events,
 * lists and tasks without the card fields, events signed by `by` (accounts had landed).
 */
export function preCardsEvents(): BoardEvent[] {
  const boardId = PRE_CARDS_BOARD.id;
  const when = (second: number): string => `2026-06-01T00:00:${String(second).padStart(2, '0')}.000Z`;
  const by = null;
  const base = (id: string, listId: string, title: string, position: string, second: number) =>
    legacyTask({
      id,
      boardId,
      listId,
      title,
      description: '',
      position,
      version: 1,
      createdAt: when(second),
      updatedAt: when(second),
    });
  const moved = base('task-precards01', 'list-precards01', 'First', 'a0', 3);
  return [
    {
      type: 'list_created',
      seq: 1,
      at: when(1),
      by,
      list: legacyList({ id: 'list-precards01', boardId, title: 'Todo', position: 'a0' }),
    },
    {
      type: 'list_created',
      seq: 2,
      at: when(2),
      by,
      list: legacyList({ id: 'list-precards02', boardId, title: 'Done', position: 'a1' }),
    },
    { type: 'task_created', seq: 3, at: when(3), by, task: moved },
    {
      type: 'task_created',
      seq: 4,
      at: when(4),
      by,
      task: base('task-precards02', 'list-precards01', 'Second', 'a1', 4),
    },
    {
      type: 'task_updated',
      seq: 5,
      at: when(5),
      by,
      task: legacyTask({
        ...moved,
        title: 'First, renamed',
        description: 'old text',
        version: 2,
        updatedAt: when(5),
      } as never),
    },
    {
      type: 'task_moved',
      seq: 6,
      at: when(6),
      by,
      task: legacyTask({
        ...moved,
        title: 'First, renamed',
        description: 'old text',
        listId: 'list-precards02',
        position: 'a0',
        version: 3,
        updatedAt: when(6),
      } as never),
    },
  ] as BoardEvent[];
}

/** INSERT statements for the pre-cards board: its row (public_edit, listed, as S20 leaves boards), rows and log. */
export function preCardsRows(): string[] {
  const events = preCardsEvents();
  const board = applyEvents(emptyBoard(PRE_CARDS_BOARD), events);
  const rows = [
    `INSERT INTO boards (id, title, seq, created_at, updated_at, visibility) VALUES
       (${quote(board.id)}, ${quote(board.title)}, ${board.seq}, ${quote(board.createdAt)}, ${quote(board.updatedAt)}, 'public_edit')`,
  ];
  for (const list of board.lists) {
    rows.push(
      `INSERT INTO lists (id, board_id, title, position) VALUES
         (${[list.id, board.id, list.title, list.position].map(quote).join(', ')})`,
    );
    for (const task of list.tasks) {
      rows.push(
        `INSERT INTO tasks (id, board_id, list_id, title, description, position, version, created_at, updated_at) VALUES
           (${[task.id, board.id, list.id, task.title, task.description, task.position].map(quote).join(', ')},
            ${task.version}, ${quote(task.createdAt)}, ${quote(task.updatedAt)})`,
      );
    }
  }
  for (const event of events) {
    rows.push(
      `INSERT INTO events (board_id, seq, type, data) VALUES
         (${quote(board.id)}, ${event.seq}, ${quote(event.type)}, ${quote(JSON.stringify(event))})`,
    );
  }
  return rows;
}

/** The boards the item authors rule (S34) finds in a storage laid out by the schema before items kept `textBy`. */
export const PRE_ITEM_AUTHORS_BOARD = {
  id: 'board-preauth01',
  title: 'Before item authors',
  createdAt: '2026-09-01T00:00:00.000Z',
};
/** A board whose log was pruned: it no longer holds the making of its items, only a later rewording. */
export const PRE_ITEM_AUTHORS_PRUNED_BOARD = {
  id: 'board-preauth02',
  title: 'Pruned',
  createdAt: '2026-09-01T00:00:00.000Z',
};

/**
 * The first board's log as it stood before items kept who wrote their text: items made by Ana (with
 * their checklist) and by Olga, one reworded by Olga, one ticked by Olga (a tick writes no text),
 * one reworded anonymously. The events themselves are as today's: items never carried an author.
 */
export function preItemAuthorsEvents(owner: Author, editor: Author): BoardEvent[] {
  const boardId = PRE_ITEM_AUTHORS_BOARD.id;
  const when = (second: number): string => `2026-09-01T00:00:0${second}.000Z`;
  const taskId = 'task-preauth01';
  const checklistId = 'checklist-preauth01';
  const item = (id: string, text: string, position: string) => ({
    id,
    text,
    done: false,
    position,
    version: 1,
  });
  return [
    {
      type: 'list_created',
      seq: 1,
      at: when(1),
      by: owner,
      list: { id: 'list-preauth01', boardId, title: 'To do', position: 'a0', wipLimit: null, wipHard: false },
    },
    {
      type: 'task_created',
      seq: 2,
      at: when(2),
      by: owner,
      task: {
        id: taskId,
        boardId,
        listId: 'list-preauth01',
        title: 'Launch',
        description: '',
        position: 'a0',
        version: 1,
        createdAt: when(2),
        updatedAt: when(2),
      },
    },
    {
      type: 'checklist_added',
      seq: 3,
      at: when(3),
      by: editor,
      taskId,
      checklist: {
        id: checklistId,
        title: 'Steps',
        position: 'a0',
        items: [item('item-preauth01', 'write', 'a0'), item('item-preauth02', 'review', 'a1')],
      },
    },
    {
      type: 'checklist_item_added',
      seq: 4,
      at: when(4),
      by: owner,
      taskId,
      checklistId,
      item: item('item-preauth03', 'ship', 'a2'),
    },
    {
      type: 'checklist_item_updated',
      seq: 5,
      at: when(5),
      by: owner,
      taskId,
      checklistId,
      itemId: 'item-preauth02',
      version: 2,
      changes: { text: { from: 'review', to: 'proofread' } },
    },
    {
      type: 'checklist_item_updated',
      seq: 6,
      at: when(6),
      by: owner,
      taskId,
      checklistId,
      itemId: 'item-preauth01',
      version: 1,
      changes: { done: { from: false, to: true } },
    },
    {
      type: 'checklist_item_updated',
      seq: 7,
      at: when(7),
      by: null,
      taskId,
      checklistId,
      itemId: 'item-preauth03',
      version: 2,
      changes: { text: { from: 'ship', to: 'ship it' } },
    },
  ];
}

/**
 * INSERT statements for the two boards as the schema before item authors held them (public_edit and
 * listed): rows whose items have no `textBy`, the first board's whole log, and the pruned board's
 * last event alone (a rewording by the editor of one of its two items).
 */
export function preItemAuthorsRows(owner: Author, editor: Author): string[] {
  const events = preItemAuthorsEvents(owner, editor);
  const folded = applyEvents(emptyBoard(PRE_ITEM_AUTHORS_BOARD), events);
  const pruned: BoardEvent = {
    type: 'checklist_item_updated',
    seq: 5,
    at: '2026-09-01T00:00:05.000Z',
    by: editor,
    taskId: 'task-preauth02',
    checklistId: 'checklist-preauth02',
    itemId: 'item-pruned02',
    version: 2,
    changes: { text: { from: 'old', to: 'new' } },
  };
  const prunedBoard: Board = {
    ...emptyBoard(PRE_ITEM_AUTHORS_PRUNED_BOARD),
    seq: 5,
    updatedAt: pruned.at,
    lists: [
      {
        id: 'list-preauth02',
        boardId: PRE_ITEM_AUTHORS_PRUNED_BOARD.id,
        title: 'To do',
        position: 'a0',
        wipLimit: null,
        wipHard: false,
        tasks: [
          {
            ...folded.lists[0]!.tasks[0]!,
            id: 'task-preauth02',
            boardId: PRE_ITEM_AUTHORS_PRUNED_BOARD.id,
            listId: 'list-preauth02',
            checklists: [
              {
                id: 'checklist-preauth02',
                title: 'Old',
                position: 'a0',
                items: [
                  {
                    id: 'item-pruned01',
                    text: 'old one',
                    done: false,
                    position: 'a0',
                    version: 1,
                    textBy: null,
                  },
                  { id: 'item-pruned02', text: 'new', done: false, position: 'a1', version: 2, textBy: null },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
  const rows: string[] = [];
  for (const [board, log] of [
    [folded, events],
    [prunedBoard, [pruned]],
  ] as const) {
    rows.push(
      `INSERT INTO boards (id, title, seq, created_at, updated_at, visibility) VALUES
         (${[board.id, board.title].map(quote).join(', ')}, ${board.seq}, ${quote(board.createdAt)},
          ${quote(board.updatedAt)}, 'public_edit')`,
    );
    for (const list of board.lists) {
      rows.push(
        `INSERT INTO lists (id, board_id, title, position) VALUES
           (${[list.id, board.id, list.title, list.position].map(quote).join(', ')})`,
      );
      for (const task of list.tasks) {
        // As the schema before kept them: items without an author.
        const checklists = task.checklists.map((checklist) => ({
          ...checklist,
          items: checklist.items.map(({ textBy: _textBy, ...item }) => item),
        }));
        rows.push(
          `INSERT INTO tasks (id, board_id, list_id, title, description, position, version, created_at, updated_at, checklists) VALUES
             (${[task.id, board.id, list.id, task.title, task.description, task.position].map(quote).join(', ')},
              ${task.version}, ${quote(task.createdAt)}, ${quote(task.updatedAt)}, ${quote(JSON.stringify(checklists))})`,
        );
      }
    }
    for (const event of log) {
      rows.push(
        `INSERT INTO events (board_id, seq, type, data, task_id) VALUES
           (${quote(board.id)}, ${event.seq}, ${quote(event.type)}, ${quote(JSON.stringify(event))},
            ${taskOfEvent(event) === null ? 'NULL' : quote(taskOfEvent(event)!)})`,
      );
    }
  }
  return rows;
}
