import type pg from 'pg';
import { idTaken } from '../../domain/index.js';
import type { RowChange } from '../write-plan.js';

/** Every statement the PostgreSQL store runs, by name, as sqlite/statements.ts has SQLite's. */
export const SQL = {
  boardRow: 'SELECT id, title, seq, created_at, updated_at, deleted_at FROM boards WHERE id = $1',
  boardSeq: 'SELECT seq, deleted_at FROM boards WHERE id = $1',
  /** The row lock is what serializes a board's writers, across every process. */
  lockBoard: 'SELECT seq, deleted_at FROM boards WHERE id = $1 FOR UPDATE',
  boardHead: `SELECT b.seq, b.deleted_at, (SELECT MIN(seq) FROM events e WHERE e.board_id = b.id) AS first
              FROM boards b WHERE b.id = $1`,
  liveBoards: `SELECT id, title, seq, created_at, updated_at, deleted_at FROM boards
               WHERE deleted_at IS NULL ORDER BY created_at, id COLLATE "C"`,
  listsOfBoard: 'SELECT id, board_id, title, position FROM lists WHERE board_id = $1',
  tasksOfBoard: `SELECT id, board_id, list_id, title, description, position, version, created_at, updated_at
                 FROM tasks WHERE board_id = $1`,
  claimId: 'INSERT INTO used_ids (id, board_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
  insertBoard: 'INSERT INTO boards (id, title, seq, created_at, updated_at) VALUES ($1, $2, 0, $3, $4)',
  bumpBoard: 'UPDATE boards SET seq = $1, updated_at = $2 WHERE id = $3',
  renameBoard: 'UPDATE boards SET title = $1 WHERE id = $2',
  markBoardDeleted: 'UPDATE boards SET deleted_at = $1 WHERE id = $2',
  upsertList: `INSERT INTO lists (id, board_id, title, position) VALUES ($1, $2, $3, $4)
               ON CONFLICT (id) DO UPDATE SET title = excluded.title, position = excluded.position`,
  deleteList: 'DELETE FROM lists WHERE id = $1',
  deleteListsOfBoard: 'DELETE FROM lists WHERE board_id = $1',
  upsertTask: `INSERT INTO tasks (id, board_id, list_id, title, description, position, version, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
               ON CONFLICT (id) DO UPDATE SET list_id = excluded.list_id, title = excluded.title,
                 description = excluded.description, position = excluded.position, version = excluded.version,
                 updated_at = excluded.updated_at`,
  deleteTask: 'DELETE FROM tasks WHERE id = $1',
  deleteTasksOfList: 'DELETE FROM tasks WHERE list_id = $1',
  deleteTasksOfBoard: 'DELETE FROM tasks WHERE board_id = $1',
  insertEvent: 'INSERT INTO events (board_id, seq, type, data) VALUES ($1, $2, $3, $4)',
  eventsAfter: 'SELECT seq, type, data FROM events WHERE board_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
  /** Two requests with one key, at once, on two processes: the second waits here for the first. */
  lockIdempotencyKey: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
  lockIdempotencyKeys:
    'SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) FROM unnest($1::text[]) AS key',
  idempotencyRecords: `SELECT key, fingerprint, board_id AS "boardId", seq, change, entity AS "entityJson"
                       FROM idempotency_keys WHERE key = ANY($1::text[])`,
  usedIds: 'SELECT id FROM used_ids WHERE id = ANY($1::text[])',
  idempotencyRecord: `SELECT fingerprint, board_id AS "boardId", seq, change, entity AS "entityJson"
                      FROM idempotency_keys WHERE key = $1`,
  insertIdempotencyRecord: `INSERT INTO idempotency_keys (key, fingerprint, board_id, seq, change, entity, created_at)
                            VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  notifyCommit: 'SELECT pg_notify($1, $2)',
  pruneIdempotency: 'DELETE FROM idempotency_keys WHERE created_at < $1',
  pruneEvents: 'DELETE FROM events e USING boards b WHERE b.id = e.board_id AND e.seq <= b.seq - $1',
} as const;

/** Writes a plan's row changes, in order, inside the caller's transaction. */
export async function writeRows(client: pg.PoolClient, rows: readonly RowChange[]): Promise<void> {
  for (const row of rows) await writeRow(client, row);
}

async function writeRow(client: pg.PoolClient, row: RowChange): Promise<void> {
  switch (row.kind) {
    case 'claim_id': {
      const claimed = await client.query(SQL.claimId, [row.id, row.boardId]);
      if (claimed.rowCount === 0) throw idTaken(row.id);
      return;
    }
    case 'insert_board': {
      const { id, title, createdAt, updatedAt } = row.board;
      await client.query(SQL.insertBoard, [id, title, createdAt, updatedAt]);
      return;
    }
    case 'rename_board':
      await client.query(SQL.renameBoard, [row.title, row.boardId]);
      return;
    case 'delete_board':
      await client.query(SQL.deleteTasksOfBoard, [row.boardId]);
      await client.query(SQL.deleteListsOfBoard, [row.boardId]);
      await client.query(SQL.markBoardDeleted, [row.at, row.boardId]);
      return;
    case 'upsert_list':
      await client.query(SQL.upsertList, [row.id, row.boardId, row.title, row.position]);
      return;
    case 'delete_list':
      await client.query(SQL.deleteTasksOfList, [row.listId]);
      await client.query(SQL.deleteList, [row.listId]);
      return;
    case 'upsert_task':
      await client.query(SQL.upsertTask, row.values);
      return;
    case 'delete_task':
      await client.query(SQL.deleteTask, [row.taskId]);
      return;
    case 'append_event':
      await client.query(SQL.insertEvent, [row.boardId, row.seq, row.type, row.json]);
      await client.query(SQL.bumpBoard, [row.seq, row.at, row.boardId]);
      return;
    case 'remember_key': {
      const { fingerprint, boardId, seq, change, entityJson } = row.record;
      await client.query(SQL.insertIdempotencyRecord, [
        row.key,
        fingerprint,
        boardId,
        seq,
        change,
        entityJson,
        row.at,
      ]);
      return;
    }
  }
}
