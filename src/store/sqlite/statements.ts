import type Database from 'better-sqlite3';
import type { BoardEvent, BoardEventType } from '../../domain/index.js';
import type { IdempotencyRowValues } from '../write-plan.js';
import {
  taskRowValues,
  type BoardRow,
  type ListRow,
  type TaskRow,
  type TaskRowValues,
} from '../board-rows.js';

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
    idempotencyRecord: db.prepare<[string], IdempotencyRow>(
      'SELECT fingerprint, board_id, seq, status, body FROM idempotency_keys WHERE key = ?',
    ),
    insertIdempotencyRecord: db.prepare<IdempotencyRowValues>(
      `INSERT INTO idempotency_keys (key, fingerprint, board_id, seq, status, body, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    pruneIdempotency: db.prepare<[string]>('DELETE FROM idempotency_keys WHERE created_at < ?'),
    pruneEvents: db.prepare<[number]>(
      'DELETE FROM events WHERE seq <= (SELECT b.seq FROM boards b WHERE b.id = events.board_id) - ?',
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

export interface IdempotencyRow {
  fingerprint: string;
  board_id: string;
  seq: number;
  status: number;
  body: string | null;
}

/** Writes what an event changes to the board's rows (the log row itself is written by the caller). */
export function projectEvent(statements: Statements, boardId: string, event: BoardEvent): void {
  switch (event.type) {
    case 'task_created':
    case 'task_updated':
    case 'task_moved':
      statements.upsertTask.run(...taskRowValues(boardId, event.task));
      return;
    case 'task_deleted':
      statements.deleteTask.run(event.taskId);
      return;
    case 'list_created':
    case 'list_updated':
    case 'list_moved':
      statements.upsertList.run(event.list.id, boardId, event.list.title, event.list.position);
      return;
    case 'list_deleted':
      statements.deleteTasksOfList.run(event.listId);
      statements.deleteList.run(event.listId);
      return;
    case 'board_updated':
      statements.renameBoard.run(event.board.title, boardId);
      return;
    case 'board_deleted':
      statements.deleteTasksOfBoard.run(boardId);
      statements.deleteListsOfBoard.run(boardId);
      statements.markBoardDeleted.run(event.at, boardId);
      return;
  }
}
