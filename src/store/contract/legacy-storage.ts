/**
 * A board as the first schema kept it (before `used_ids`, with Idempotency-Key records holding an
 * HTTP status and body), for S15. The rows are plain SQL that both backends' first schema accepts,
 * built from real events so that the migrated snapshot can be checked against their fold.
 */
import { applyEvents, emptyBoard, type BoardEvent, type Task } from '../../domain/index.js';

export const LEGACY_BOARD = { id: 'board-legacy001', title: 'Legacy', createdAt: '2026-01-01T00:00:00.000Z' };
export const LEGACY_IDEMPOTENCY_KEY = {
  key: 'legacy-key',
  fingerprint: 'POST /boards/board-legacy001/tasks',
};
/** Ids the legacy storage shows: in its rows, and one only in its log (a deleted task). */
export const LEGACY_TAKEN_IDS = ['list-legacy001', 'task-legacy001', 'task-legacygone'];

const at = (second: number): string => `2026-01-01T00:00:0${second}.000Z`;

function legacyEvents(): BoardEvent[] {
  const task = (id: string, title: string, position: string, second: number): Task => ({
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
      list: { id: 'list-legacy001', boardId: LEGACY_BOARD.id, title: 'Todo', position: 'a0' },
    },
    { type: 'task_created', seq: 2, at: at(2), task: task('task-legacy001', 'Kept', 'a0', 2) },
    { type: 'task_created', seq: 3, at: at(3), task: task('task-legacygone', 'Gone', 'a1', 3) },
    { type: 'task_deleted', seq: 4, at: at(4), taskId: 'task-legacygone' },
  ];
}

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** INSERT statements for the legacy board's rows, log and one Idempotency-Key record (status 201). */
export function legacyRows(): string[] {
  const events = legacyEvents();
  const board = applyEvents(emptyBoard(LEGACY_BOARD), events);
  const list = board.lists[0]!;
  const kept = list.tasks[0]!;
  return [
    `INSERT INTO boards (id, title, seq, created_at, updated_at) VALUES
       (${quote(board.id)}, ${quote(board.title)}, ${board.seq}, ${quote(board.createdAt)}, ${quote(board.updatedAt)})`,
    `INSERT INTO lists (id, board_id, title, position) VALUES
       (${quote(list.id)}, ${quote(board.id)}, ${quote(list.title)}, ${quote(list.position)})`,
    `INSERT INTO tasks (id, board_id, list_id, title, description, position, version, created_at, updated_at) VALUES
       (${[kept.id, board.id, list.id, kept.title, kept.description, kept.position].map(quote).join(', ')},
        ${kept.version}, ${quote(kept.createdAt)}, ${quote(kept.updatedAt)})`,
    ...events.map(
      (event) =>
        `INSERT INTO events (board_id, seq, type, data) VALUES
           (${quote(board.id)}, ${event.seq}, ${quote(event.type)}, ${quote(JSON.stringify(event))})`,
    ),
    `INSERT INTO idempotency_keys (key, fingerprint, board_id, seq, status, body, created_at) VALUES
       (${quote(LEGACY_IDEMPOTENCY_KEY.key)}, ${quote(LEGACY_IDEMPOTENCY_KEY.fingerprint)}, ${quote(board.id)},
        2, 201, ${quote(JSON.stringify(kept))}, ${quote(new Date().toISOString())})`,
  ];
}
