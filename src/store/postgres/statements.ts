import type pg from 'pg';
import { idTaken } from '../../domain/index.js';
import type { BatchRows } from '../batch-rows.js';
import { TASK_COLUMNS } from '../board-rows.js';
import type { SearchDocValues } from '../search-rows.js';
import type { BoardCreationPlan } from '../write-plan.js';

/** Every statement the PostgreSQL store runs, by name, as sqlite/statements.ts has SQLite's. */
export const SQL = {
  boardRow:
    'SELECT id, title, seq, created_at, updated_at, deleted_at, visibility, listed FROM boards WHERE id = $1',
  ownerless: `SELECT id FROM boards b WHERE deleted_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM board_members m WHERE m.board_id = b.id AND m.role = 'owner')
              ORDER BY created_at, id COLLATE "C" LIMIT $1`,
  membersOfBoard: `SELECT user_id, username, role FROM board_members WHERE board_id = $1
                   ORDER BY added_seq, user_id COLLATE "C"`,
  boardSeq: 'SELECT seq, deleted_at FROM boards WHERE id = $1',
  /** boardHead without the members, for when those of its seq are known already. */
  boardHeadWithoutMembers: `SELECT b.seq, b.deleted_at, b.visibility,
                (SELECT MIN(seq) FROM events e WHERE e.board_id = b.id) AS first
              FROM boards b WHERE b.id = $1`,
  boardHead: `SELECT b.seq, b.deleted_at, b.visibility,
                (SELECT MIN(seq) FROM events e WHERE e.board_id = b.id) AS first,
                (SELECT coalesce(json_agg(json_build_object('user_id', m.user_id, 'username', m.username,
                    'role', m.role) ORDER BY m.added_seq, m.user_id COLLATE "C"), '[]')
                  FROM board_members m WHERE m.board_id = b.id) AS members
              FROM boards b WHERE b.id = $1`,
  /** A user's boards and the listed public ones ('' for anonymous: no user has that id). */
  boardsOf: `SELECT b.id, b.title, b.seq, b.created_at, b.updated_at, b.deleted_at, b.visibility, b.listed, m.role
             FROM boards b LEFT JOIN board_members m ON m.board_id = b.id AND m.user_id = $1
             WHERE b.deleted_at IS NULL AND (m.role IS NOT NULL OR (b.listed AND b.visibility <> 'private'))
             ORDER BY b.created_at, b.id COLLATE "C"`,
  insertMember: `INSERT INTO board_members (board_id, user_id, username, role, added_seq)
                 VALUES ($1, $2, $3, $4, $5)`,
  listsOfBoard: 'SELECT id, board_id, title, position, wip_limit, wip_hard FROM lists WHERE board_id = $1',
  tasksOfBoard: `SELECT ${TASK_COLUMNS}, (SELECT COUNT(*)::int FROM comments c WHERE c.task_id = tasks.id) AS comment_count
                 FROM tasks WHERE board_id = $1`,
  labelsOfBoard: 'SELECT id, board_id, name, color, position FROM labels WHERE board_id = $1',
  commentsOfTask: `SELECT id, board_id, task_id, body, by_user_id, by_username, created_at, edited_at, added_seq
                   FROM comments WHERE task_id = $1 AND board_id = $2 AND added_seq < $3
                   ORDER BY added_seq DESC LIMIT $4`,
  eventsBefore: `SELECT seq, type, data FROM events WHERE board_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`,
  taskEventsBefore: `SELECT seq, type, data FROM events WHERE board_id = $1 AND task_id = $2 AND seq < $3
                     ORDER BY seq DESC LIMIT $4`,
  firstEventSeq: 'SELECT MIN(seq) AS seq FROM events WHERE board_id = $1',
  taskInLog: 'SELECT 1 FROM events WHERE board_id = $1 AND task_id = $2 LIMIT 1',
  /** Search: see the SQLite store's; `$5…$7` the position after which a page starts, or nulls. */
  search: `SELECT doc_key, task_id, comment_id, field, rank, updated_at, body FROM search_docs
           WHERE terms @@ $1::tsquery AND board_id = $2
             AND ($4::int IS NULL OR rank > $4 OR (rank = $4 AND (updated_at < $5
               OR (updated_at = $5 AND doc_key > $6))))
           ORDER BY rank, updated_at DESC, doc_key LIMIT $3`,
  /** Search rows from columns (the migration that indexes existing tasks). */
  insertSearchDocs: `INSERT INTO search_docs (doc_key, board_id, task_id, comment_id, field, rank, updated_at, body, terms)
                     SELECT doc_key, board_id, task_id, comment_id, field, rank, updated_at, body,
                       array_to_tsvector(string_to_array(terms, ' '))
                     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[],
                       $8::text[], $9::text[])
                       AS s (doc_key, board_id, task_id, comment_id, field, rank, updated_at, body, terms)`,
  claimId: 'INSERT INTO used_ids (id, board_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
  insertBoard: `INSERT INTO boards (id, title, seq, created_at, updated_at, visibility, listed)
                VALUES ($1, $2, 0, $3, $4, $5, $6)`,
  eventsAfter: 'SELECT seq, type, data FROM events WHERE board_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
  /** Two requests with one key, at once, on two processes: the second waits here for the first. */
  lockIdempotencyKey: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
  /** After lost races, a batch waits for the board's row lock (see PostgresStore.executeBatch). */
  lockBoard: 'SELECT 1 FROM boards WHERE id = $1 FOR UPDATE',
  /** What a batch is decided on, in one round trip: the board's head, its keys' records, its taken ids. */
  batchLookups: `SELECT
      (SELECT seq FROM boards WHERE id = $1) AS seq,
      (SELECT deleted_at FROM boards WHERE id = $1) AS deleted_at,
      (SELECT coalesce(json_agg(json_build_object('key', key, 'fingerprint', fingerprint, 'boardId', board_id,
          'seq', seq, 'change', change, 'entityJson', entity)), '[]')
        FROM idempotency_keys WHERE key = ANY($2::text[])) AS records,
      (SELECT coalesce(array_agg(id), '{}') FROM used_ids WHERE id = ANY($3::text[])) AS taken,
      (SELECT coalesce(json_agg(c), '[]') FROM (
        SELECT id, board_id, task_id, body, by_user_id, by_username, created_at, edited_at, added_seq
        FROM comments WHERE board_id = $1 AND id = ANY($4::text[])) c) AS comments`,
  idempotencyRecord: `SELECT fingerprint, board_id AS "boardId", seq, change, entity AS "entityJson"
                      FROM idempotency_keys WHERE key = $1`,
  insertIdempotencyRecord: `INSERT INTO idempotency_keys (key, fingerprint, board_id, seq, change, entity, created_at)
                            VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  pruneIdempotency: 'DELETE FROM idempotency_keys WHERE created_at < $1',
  pruneEvents: 'DELETE FROM events e USING boards b WHERE b.id = e.board_id AND e.seq <= b.seq - $1',
} as const;

/**
 * A batch's rows in ONE statement, on its own (no BEGIN … COMMIT around it), whatever the batch's
 * size: the board's row is locked by its first part and only for that one round trip. It applies
 * only if the board is still at the seq the batch was decided on (`$29`): every other part is
 * conditional on the head's update, so if another process wrote first, nothing is written and the
 * batch is decided again. An id or Idempotency-Key that another process took meanwhile fails the
 * statement with a unique violation, with the same effect. Its parts run against one snapshot and
 * touch disjoint rows (BatchRows writes each row once), and foreign keys are checked when the
 * statement ends, on the rows as it leaves them. The NOTIFY is delivered once it commits.
 */
const WRITE_BATCH = `
  WITH
    head AS (
      UPDATE boards SET seq = $25, updated_at = $26, title = $27, deleted_at = $28, visibility = $32, listed = $33
      WHERE id = $1 AND seq = $29 RETURNING id),
    upsert_members AS (
      INSERT INTO board_members (board_id, user_id, username, role, added_seq)
      SELECT $1, user_id, username, role, added_seq
      FROM unnest($34::text[], $35::text[], $36::text[], $37::bigint[]) AS m (user_id, username, role, added_seq)
      WHERE EXISTS (SELECT 1 FROM head)
      ON CONFLICT (board_id, user_id) DO UPDATE SET role = excluded.role, username = excluded.username,
        added_seq = CASE WHEN excluded.added_seq = 0 THEN board_members.added_seq ELSE excluded.added_seq END),
    delete_members AS (
      DELETE FROM board_members WHERE board_id = $1 AND user_id = ANY($38::text[]) AND EXISTS (SELECT 1 FROM head)),
    upsert_labels AS (
      INSERT INTO labels (id, board_id, name, color, position)
      SELECT id, $1, name, color, position
      FROM unnest($50::text[], $51::text[], $52::text[], $53::text[]) AS l (id, name, color, position)
      WHERE EXISTS (SELECT 1 FROM head)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, color = excluded.color, position = excluded.position),
    delete_labels AS (DELETE FROM labels WHERE id = ANY($54::text[]) AND EXISTS (SELECT 1 FROM head)),
    upsert_lists AS (
      INSERT INTO lists (id, board_id, title, position, wip_limit, wip_hard)
      SELECT id, $1, title, position, wip_limit, wip_hard
      FROM unnest($2::text[], $3::text[], $4::text[], $39::int[], $40::boolean[])
        AS l (id, title, position, wip_limit, wip_hard)
      WHERE EXISTS (SELECT 1 FROM head)
      ON CONFLICT (id) DO UPDATE SET title = excluded.title, position = excluded.position,
        wip_limit = excluded.wip_limit, wip_hard = excluded.wip_hard),
    upsert_tasks AS (
      INSERT INTO tasks (${TASK_COLUMNS})
      SELECT id, $1, list_id, title, description, position, version, created_at, updated_at, start_at, due_at,
        due_complete, reminder, label_ids, assignee_ids, cover_color, archived_at, field_versions, checklists, links
      FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::text[], $12::text[],
          $41::text[], $42::text[], $43::boolean[], $44::int[], $45::text[], $46::text[], $47::text[], $48::text[],
          $49::text[], $75::text[], $76::text[])
        AS t (id, list_id, title, description, position, version, created_at, updated_at, start_at, due_at,
          due_complete, reminder, label_ids, assignee_ids, cover_color, archived_at, field_versions, checklists, links)
      WHERE EXISTS (SELECT 1 FROM head)
      ON CONFLICT (id) DO UPDATE SET list_id = excluded.list_id, title = excluded.title,
        description = excluded.description, position = excluded.position, version = excluded.version,
        updated_at = excluded.updated_at, start_at = excluded.start_at, due_at = excluded.due_at,
        due_complete = excluded.due_complete, reminder = excluded.reminder, label_ids = excluded.label_ids,
        assignee_ids = excluded.assignee_ids, cover_color = excluded.cover_color,
        archived_at = excluded.archived_at, field_versions = excluded.field_versions,
        checklists = excluded.checklists, links = excluded.links),
    delete_tasks AS (DELETE FROM tasks WHERE id = ANY($13::text[]) AND EXISTS (SELECT 1 FROM head)),
    delete_lists AS (DELETE FROM lists WHERE id = ANY($14::text[]) AND EXISTS (SELECT 1 FROM head)),
    insert_events AS (
      INSERT INTO events (board_id, seq, type, data, task_id)
      SELECT $1, seq, type, data, task_id
      FROM unnest($15::bigint[], $16::text[], $17::text[], $55::text[]) AS e (seq, type, data, task_id)
      WHERE EXISTS (SELECT 1 FROM head)),
    purge_comments AS (
      DELETE FROM comments WHERE task_id = ANY($56::text[]) AND EXISTS (SELECT 1 FROM head)),
    purge_search AS (
      DELETE FROM search_docs WHERE task_id = ANY($56::text[]) AND EXISTS (SELECT 1 FROM head)),
    upsert_comments AS (
      INSERT INTO comments (id, board_id, task_id, body, by_user_id, by_username, created_at, edited_at, added_seq)
      SELECT id, $1, task_id, body, by_user_id, by_username, created_at, edited_at, added_seq
      FROM unnest($57::text[], $58::text[], $59::text[], $60::text[], $61::text[], $62::text[], $63::text[],
        $64::bigint[]) AS c (id, task_id, body, by_user_id, by_username, created_at, edited_at, added_seq)
      WHERE EXISTS (SELECT 1 FROM head)
      ON CONFLICT (id) DO UPDATE SET body = excluded.body, edited_at = excluded.edited_at,
        added_seq = CASE WHEN excluded.added_seq = 0 THEN comments.added_seq ELSE excluded.added_seq END),
    delete_comments AS (
      DELETE FROM comments WHERE id = ANY($65::text[]) AND EXISTS (SELECT 1 FROM head)),
    upsert_search AS (
      INSERT INTO search_docs (doc_key, board_id, task_id, comment_id, field, rank, updated_at, body, terms)
      SELECT doc_key, $1, task_id, comment_id, field, rank, updated_at, body,
        array_to_tsvector(string_to_array(terms, ' '))
      FROM unnest($66::text[], $67::text[], $68::text[], $69::text[], $70::int[], $71::text[], $72::text[],
        $73::text[]) AS s (doc_key, task_id, comment_id, field, rank, updated_at, body, terms)
      WHERE EXISTS (SELECT 1 FROM head)
      ON CONFLICT (doc_key) DO UPDATE SET updated_at = excluded.updated_at, body = excluded.body,
        terms = excluded.terms),
    delete_search AS (
      DELETE FROM search_docs WHERE doc_key = ANY($74::text[]) AND EXISTS (SELECT 1 FROM head)),
    claims AS (
      INSERT INTO used_ids (id, board_id) SELECT id, $1 FROM unnest($18::text[]) AS c (id)
      WHERE EXISTS (SELECT 1 FROM head)),
    keys AS (
      INSERT INTO idempotency_keys (key, fingerprint, board_id, seq, change, entity, created_at)
      SELECT key, fingerprint, $1, seq, change, entity, created_at
      FROM unnest($19::text[], $20::text[], $21::bigint[], $22::text[], $23::text[], $24::text[])
        AS k (key, fingerprint, seq, change, entity, created_at)
      WHERE EXISTS (SELECT 1 FROM head))
  SELECT EXISTS (SELECT 1 FROM head) AS applied,
    CASE WHEN EXISTS (SELECT 1 FROM head) THEN pg_notify($30, $31) END AS notified`;

/** Search rows as the columns `insertSearchDocs` unnests. */
export function searchDocColumns(docs: readonly SearchDocValues[]): unknown[][] {
  return [0, 1, 2, 3, 4, 5, 6, 7, 8].map((index) => docs.map((doc) => doc[index]));
}

/** PostgreSQL's answer to an id or Idempotency-Key that another process took meanwhile. */
export const UNIQUE_VIOLATION = '23505';

/**
 * Writes a batch decided on the board at `expectedSeq`, with the NOTIFY that tells other processes
 * of it. False when the board had moved on (nothing written); rejects with a unique violation when
 * an id or key was taken meanwhile (nothing written either).
 */
export async function writeBatchRows(
  queryable: Pick<pg.Pool, 'query'>,
  rows: BatchRows,
  expectedSeq: number,
  channel: string,
): Promise<boolean> {
  const column = <T>(values: readonly unknown[][], index: number): T[] =>
    values.map((row) => row[index] as T);
  const { upsertLists: lists, upsertTasks: tasks, keys } = rows;
  // Named: each connection parses and plans the statement once, not on every batch (a quarter of the
  // database's CPU per write, measured with bench/writes.js).
  const result = await queryable.query<{ applied: boolean }>({
    name: 'liveboard_write_batch',
    text: WRITE_BATCH,
    values: [
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
      expectedSeq,
      channel,
      `${rows.boardId}:${rows.head.seq}`,
      rows.head.visibility,
      rows.head.listed,
      // MemberRowValues: board_id, user_id, username, role, added_seq
      ...[1, 2, 3, 4].map((index) => column(rows.upsertMembers, index)),
      rows.deleteMemberIds,
      column(lists, 4),
      column(lists, 5),
      // The columns of cards (TaskRowValues 9 to 17): start_at … field_versions.
      ...[9, 10, 11, 12, 13, 14, 15, 16, 17].map((index) => column(tasks, index)),
      // LabelRowValues: id, board_id, name, color, position
      ...[0, 2, 3, 4].map((index) => column(rows.upsertLabels, index)),
      rows.deleteLabelIds,
      rows.events.map((event) => event.taskId),
      rows.purgeTaskIds,
      // CommentRowValues: id, board_id, task_id, body, by_user_id, by_username, created_at, edited_at, added_seq
      ...[0, 2, 3, 4, 5, 6, 7, 8].map((index) => column(rows.upsertComments, index)),
      rows.deleteCommentIds,
      // SearchDocValues: doc_key, board_id, task_id, comment_id, field, rank, updated_at, body, terms
      ...[0, 2, 3, 4, 5, 6, 7, 8].map((index) => column(rows.upsertSearchDocs, index)),
      rows.deleteSearchDocKeys,
      // The card's parts (TaskRowValues 18 and 19): checklists, links.
      column(tasks, 18),
      column(tasks, 19),
    ],
  });
  return result.rows[0]!.applied;
}

/** Inserts a new board's row, claiming its id. */
export async function writeNewBoard(client: pg.PoolClient, plan: BoardCreationPlan): Promise<void> {
  const claimed = await client.query(SQL.claimId, [plan.board.id, plan.board.id]);
  if (claimed.rowCount === 0) throw idTaken(plan.board.id);
  const { id, title, createdAt, updatedAt, visibility, listed } = plan.board;
  await client.query(SQL.insertBoard, [id, title, createdAt, updatedAt, visibility, listed]);
  for (const member of plan.members) {
    await client.query(SQL.insertMember, [id, member.userId, member.username, member.role, 0]);
  }
  if (plan.key) {
    const { key, record, at } = plan.key;
    const { fingerprint, boardId, seq, change, entityJson } = record;
    await client.query(SQL.insertIdempotencyRecord, [key, fingerprint, boardId, seq, change, entityJson, at]);
  }
}
