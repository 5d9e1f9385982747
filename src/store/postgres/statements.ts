import type pg from 'pg';
import { idTaken } from '../../domain/index.js';
import type { BatchRows } from '../batch-rows.js';
import type { BoardCreationPlan } from '../write-plan.js';

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
  pruneIdempotency: 'DELETE FROM idempotency_keys WHERE created_at < $1',
  pruneEvents: 'DELETE FROM events e USING boards b WHERE b.id = e.board_id AND e.seq <= b.seq - $1',
} as const;

/**
 * A batch's rows in ONE statement, whatever the batch's size: one round trip while the board's row
 * is locked. Its parts run against one snapshot and touch disjoint rows (BatchRows writes each row
 * once), and foreign keys are checked when the statement ends, on the rows as it leaves them.
 */
const WRITE_BATCH = `
  WITH
    upsert_lists AS (
      INSERT INTO lists (id, board_id, title, position)
      SELECT id, $1, title, position FROM unnest($2::text[], $3::text[], $4::text[]) AS l (id, title, position)
      ON CONFLICT (id) DO UPDATE SET title = excluded.title, position = excluded.position),
    upsert_tasks AS (
      INSERT INTO tasks (id, board_id, list_id, title, description, position, version, created_at, updated_at)
      SELECT id, $1, list_id, title, description, position, version, created_at, updated_at
      FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::text[], $12::text[])
        AS t (id, list_id, title, description, position, version, created_at, updated_at)
      ON CONFLICT (id) DO UPDATE SET list_id = excluded.list_id, title = excluded.title,
        description = excluded.description, position = excluded.position, version = excluded.version,
        updated_at = excluded.updated_at),
    delete_tasks AS (DELETE FROM tasks WHERE id = ANY($13::text[])),
    delete_lists AS (DELETE FROM lists WHERE id = ANY($14::text[])),
    insert_events AS (
      INSERT INTO events (board_id, seq, type, data)
      SELECT $1, seq, type, data FROM unnest($15::bigint[], $16::text[], $17::text[]) AS e (seq, type, data)),
    claims AS (
      INSERT INTO used_ids (id, board_id) SELECT id, $1 FROM unnest($18::text[]) AS c (id)
      ON CONFLICT DO NOTHING RETURNING id),
    keys AS (
      INSERT INTO idempotency_keys (key, fingerprint, board_id, seq, change, entity, created_at)
      SELECT key, fingerprint, $1, seq, change, entity, created_at
      FROM unnest($19::text[], $20::text[], $21::bigint[], $22::text[], $23::text[], $24::text[])
        AS k (key, fingerprint, seq, change, entity, created_at)),
    head AS (UPDATE boards SET seq = $25, updated_at = $26, title = $27, deleted_at = $28 WHERE id = $1)
  SELECT array(SELECT id FROM claims) AS claimed, pg_notify($29, $30)`;

/**
 * Writes a batch's rows inside the caller's transaction, with the NOTIFY that tells other processes
 * of it (delivered only if, and once, the transaction commits); refuses it whole if one of its ids
 * was claimed meanwhile.
 */
export async function writeBatchRows(client: pg.PoolClient, rows: BatchRows, channel: string): Promise<void> {
  const column = <T>(values: readonly unknown[][], index: number): T[] =>
    values.map((row) => row[index] as T);
  const { upsertLists: lists, upsertTasks: tasks, keys } = rows;
  const result = await client.query<{ claimed: string[] }>(WRITE_BATCH, [
    rows.boardId,
    column(lists, 0),
    column(lists, 2),
    column(lists, 3),
    // TaskRowValues: id, board_id, list_id, title, description, position, version, created_at, updated_at
    ...[0, 2, 3, 4, 5, 6, 7, 8].map((index) => column(tasks, index)),
    rows.deleteTaskIds,
    rows.deleteListIds,
    rows.events.map((event) => event.seq),
    rows.events.map((event) => event.type),
    rows.events.map((event) => event.json),
    rows.claims,
    keys.map(({ key }) => key),
    keys.map(({ record }) => record.fingerprint),
    keys.map(({ record }) => record.seq),
    keys.map(({ record }) => record.change),
    keys.map(({ record }) => record.entityJson),
    keys.map(({ at }) => at),
    rows.head.seq,
    rows.head.updatedAt,
    rows.head.title,
    rows.head.deletedAt,
    channel,
    `${rows.boardId}:${rows.head.seq}`,
  ]);
  const claimed = new Set(result.rows[0]!.claimed);
  const taken = rows.claims.find((id) => !claimed.has(id));
  if (taken !== undefined) throw idTaken(taken);
}

/** Inserts a new board's row, claiming its id. */
export async function writeNewBoard(client: pg.PoolClient, plan: BoardCreationPlan): Promise<void> {
  const claimed = await client.query(SQL.claimId, [plan.board.id, plan.board.id]);
  if (claimed.rowCount === 0) throw idTaken(plan.board.id);
  const { id, title, createdAt, updatedAt } = plan.board;
  await client.query(SQL.insertBoard, [id, title, createdAt, updatedAt]);
  if (plan.key) {
    const { key, record, at } = plan.key;
    const { fingerprint, boardId, seq, change, entityJson } = record;
    await client.query(SQL.insertIdempotencyRecord, [key, fingerprint, boardId, seq, change, entityJson, at]);
  }
}
