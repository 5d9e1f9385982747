import type Database from 'better-sqlite3';
import { idTaken, type BoardEventType } from '../../domain/index.js';
import type { BoardRow, ListRow, TaskRow, TaskRowValues } from '../board-rows.js';
import type { IdempotencyRecord, RowChange } from '../write-plan.js';

/** Every statement the SQLite store runs, prepared once when the store opens. */
export function prepareStatements(db: Database.Database) {
  return {
    boardRow: db.prepare<[string], BoardRow>(
      'SELECT id, title, seq, created_at, updated_at, deleted_at FROM boards WHERE id = ?',
    ),
    boardSeq: db.prepare<[string], { seq: number; deleted_at: string | null }>(
      'SELECT seq, deleted_at FROM boards WHERE id = ?',
    ),
    liveBoards: db.prepare<[], BoardRow>(
      'SELECT id, title, seq, created_at, updated_at, deleted_at FROM boards WHERE deleted_at IS NULL ORDER BY created_at, id',
    ),
    listsOfBoard: db.prepare<[string], ListRow>(
      'SELECT id, board_id, title, position FROM lists WHERE board_id = ? ORDER BY position, id',
    ),
    tasksOfBoard: db.prepare<[string], TaskRow>(
      `SELECT id, board_id, list_id, title, description, position, version, created_at, updated_at
       FROM tasks WHERE board_id = ? ORDER BY list_id, position, id`,
    ),
    idUsed: db.prepare<[string], { used: 1 }>('SELECT 1 AS used FROM used_ids WHERE id = ?'),
    claimId: db.prepare<[string, string]>('INSERT OR IGNORE INTO used_ids (id, board_id) VALUES (?, ?)'),
    insertBoard: db.prepare<[string, string, string, string]>(
      'INSERT INTO boards (id, title, seq, created_at, updated_at) VALUES (?, ?, 0, ?, ?)',
    ),
    bumpBoard: db.prepare<[number, string, string]>('UPDATE boards SET seq = ?, updated_at = ? WHERE id = ?'),
    renameBoard: db.prepare<[string, string]>('UPDATE boards SET title = ? WHERE id = ?'),
    markBoardDeleted: db.prepare<[string, string]>('UPDATE boards SET deleted_at = ? WHERE id = ?'),
    upsertList: db.prepare<[string, string, string, string]>(
      `INSERT INTO lists (id, board_id, title, position) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, position = excluded.position`,
    ),
    deleteList: db.prepare<[string]>('DELETE FROM lists WHERE id = ?'),
    deleteListsOfBoard: db.prepare<[string]>('DELETE FROM lists WHERE board_id = ?'),
    upsertTask: db.prepare<TaskRowValues>(
      `INSERT INTO tasks (id, board_id, list_id, title, description, position, version, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET list_id = excluded.list_id, title = excluded.title,
         description = excluded.description, position = excluded.position, version = excluded.version,
         updated_at = excluded.updated_at`,
    ),
    deleteTask: db.prepare<[string]>('DELETE FROM tasks WHERE id = ?'),
    deleteTasksOfList: db.prepare<[string]>('DELETE FROM tasks WHERE list_id = ?'),
    deleteTasksOfBoard: db.prepare<[string]>('DELETE FROM tasks WHERE board_id = ?'),
    insertEvent: db.prepare<[string, number, BoardEventType, string]>(
      'INSERT INTO events (board_id, seq, type, data) VALUES (?, ?, ?, ?)',
    ),
    eventsAfter: db.prepare<[string, number, number], { seq: number; type: BoardEventType; data: string }>(
      'SELECT seq, type, data FROM events WHERE board_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    firstEventSeq: db.prepare<[string], { seq: number | null }>(
      'SELECT MIN(seq) AS seq FROM events WHERE board_id = ?',
    ),
    idempotencyRecord: db.prepare<[string], IdempotencyRecord>(
      `SELECT fingerprint, board_id AS boardId, seq, change, entity AS entityJson
       FROM idempotency_keys WHERE key = ?`,
    ),
    insertIdempotencyRecord: db.prepare<[string, string, string, number, string, string | null, string]>(
      `INSERT INTO idempotency_keys (key, fingerprint, board_id, seq, change, entity, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    pruneIdempotency: db.prepare<[string]>('DELETE FROM idempotency_keys WHERE created_at < ?'),
    pruneEvents: db.prepare<[number]>(
      'DELETE FROM events WHERE seq <= (SELECT b.seq FROM boards b WHERE b.id = events.board_id) - ?',
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

/** Writes a plan's row changes, in order, inside the caller's transaction. */
export function writeRows(statements: Statements, rows: readonly RowChange[]): void {
  for (const row of rows) writeRow(statements, row);
}

function writeRow(statements: Statements, row: RowChange): void {
  switch (row.kind) {
    case 'claim_id':
      if (statements.claimId.run(row.id, row.boardId).changes === 0) throw idTaken(row.id);
      return;
    case 'insert_board':
      statements.insertBoard.run(row.board.id, row.board.title, row.board.createdAt, row.board.updatedAt);
      return;
    case 'rename_board':
      statements.renameBoard.run(row.title, row.boardId);
      return;
    case 'delete_board':
      statements.deleteTasksOfBoard.run(row.boardId);
      statements.deleteListsOfBoard.run(row.boardId);
      statements.markBoardDeleted.run(row.at, row.boardId);
      return;
    case 'upsert_list':
      statements.upsertList.run(row.id, row.boardId, row.title, row.position);
      return;
    case 'delete_list':
      statements.deleteTasksOfList.run(row.listId);
      statements.deleteList.run(row.listId);
      return;
    case 'upsert_task':
      statements.upsertTask.run(...row.values);
      return;
    case 'delete_task':
      statements.deleteTask.run(row.taskId);
      return;
    case 'append_event':
      statements.insertEvent.run(row.boardId, row.seq, row.type, row.json);
      statements.bumpBoard.run(row.seq, row.at, row.boardId);
      return;
    case 'remember_key': {
      const { fingerprint, boardId, seq, change, entityJson } = row.record;
      statements.insertIdempotencyRecord.run(row.key, fingerprint, boardId, seq, change, entityJson, row.at);
      return;
    }
  }
}
