/**
 * Boards as the first schema kept them (before `used_ids`, with Idempotency-Key records holding an
 * HTTP status and body, and before accounts: no visibility, no members), for S15 and S20. The rows
 * are plain SQL that both backends' first schema accepts, built from real events (without `by`, as
 * events were before accounts) so that the migrated snapshots can be checked against their fold.
 */
import { applyEvents, emptyBoard, type BoardEvent, type ListInfo, type Task } from '../../domain/index.js';

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
type LegacyTask = Omit<
  Task,
  | 'startAt'
  | 'dueAt'
  | 'dueComplete'
  | 'reminder'
  | 'labelIds'
  | 'assigneeIds'
  | 'coverColor'
  | 'archivedAt'
  | 'fieldVersions'
>;
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
