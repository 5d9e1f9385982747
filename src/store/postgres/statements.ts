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
  /**
   * What batches are decided on, in one round trip: their boards' heads, their keys' records, their
   * taken ids, the comments they name (with their boards: a comment is only found on its own), and
   * the events each board's cached snapshot lacks (after `$5`, at most CATCH_UP_EVENTS; -1: none
   * cached), read in the same snapshot as the heads. A batch that lost its board to another process
   * is decided again on the next lookups alone, not on one more read of the log.
   */
  batchLookups: `SELECT
      (SELECT coalesce(json_agg(json_build_object('id', id, 'seq', seq, 'deleted_at', deleted_at)), '[]')
        FROM boards WHERE id = ANY($1::text[])) AS heads,
      (SELECT coalesce(json_agg(json_build_object('key', key, 'fingerprint', fingerprint, 'boardId', board_id,
          'seq', seq, 'change', change, 'entityJson', entity)), '[]')
        FROM idempotency_keys WHERE key = ANY($2::text[])) AS records,
      (SELECT coalesce(array_agg(id), '{}') FROM used_ids WHERE id = ANY($3::text[])) AS taken,
      (SELECT coalesce(json_agg(c), '[]') FROM (
        SELECT id, board_id, task_id, body, by_user_id, by_username, created_at, edited_at, added_seq
        FROM comments WHERE board_id = ANY($1::text[]) AND id = ANY($4::text[])) c) AS comments,
      (SELECT coalesce(json_agg(json_build_object('boardId', e.board_id, 'seq', e.seq, 'data', e.data)
          ORDER BY e.board_id, e.seq), '[]')
        FROM unnest($1::text[], $5::bigint[]) AS c (id, after)
        CROSS JOIN LATERAL (SELECT board_id, seq, data FROM events
          WHERE board_id = c.id AND seq > c.after AND c.after >= 0 ORDER BY seq LIMIT $6) e) AS missed`,
  idempotencyRecord: `SELECT fingerprint, board_id AS "boardId", seq, change, entity AS "entityJson"
                      FROM idempotency_keys WHERE key = $1`,
  insertIdempotencyRecord: `INSERT INTO idempotency_keys (key, fingerprint, board_id, seq, change, entity, created_at)
                            VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  pruneIdempotency: 'DELETE FROM idempotency_keys WHERE created_at < $1',
  pruneEvents: 'DELETE FROM events e USING boards b WHERE b.id = e.board_id AND e.seq <= b.seq - $1',
} as const;

/**
 * Batches' rows in ONE statement, on its own (no BEGIN … COMMIT around it), whatever their size and
 * however many boards they span: the boards' rows are locked by its first part, in id order (two
 * statements that share boards never wait for each other in a cycle), and only for that one round
 * trip. It applies only if every board is still at the seq its batch was decided on (`$6`): every
 * other part is conditional on that, so if another process wrote to one of them first, nothing is
 * written and the batches are decided again. An id or Idempotency-Key that another process took
 * meanwhile fails the statement with a unique violation, with the same effect. Its parts run against
 * one snapshot and touch disjoint rows (BatchRows writes each row once), and foreign keys are
 * checked when the statement ends, on the rows as it leaves them. The NOTIFYs (one per board) are
 * delivered once it commits.
 */
export const WRITE_BATCHES = `
  WITH
    locked AS (
      SELECT id, seq FROM boards WHERE id = ANY($1::text[]) ORDER BY id COLLATE "C" FOR UPDATE),
    ok AS (
      SELECT count(*) = cardinality($1::text[]) AS applies
      FROM locked JOIN unnest($1::text[], $6::bigint[]) AS h (id, expected)
        ON locked.id = h.id AND locked.seq = h.expected),
    head AS (
      UPDATE boards SET seq = h.seq, updated_at = h.updated_at, title = h.title, deleted_at = h.deleted_at,
        visibility = h.visibility, listed = h.listed
      FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $7::text[], $8::boolean[])
        AS h (id, seq, updated_at, title, deleted_at, visibility, listed)
      WHERE boards.id = h.id AND (SELECT applies FROM ok)),
    upsert_members AS (
      INSERT INTO board_members (board_id, user_id, username, role, added_seq)
      SELECT board_id, user_id, username, role, added_seq
      FROM unnest($11::text[], $12::text[], $13::text[], $14::text[], $15::bigint[])
        AS m (board_id, user_id, username, role, added_seq)
      WHERE (SELECT applies FROM ok)
      ON CONFLICT (board_id, user_id) DO UPDATE SET role = excluded.role, username = excluded.username,
        added_seq = CASE WHEN excluded.added_seq = 0 THEN board_members.added_seq ELSE excluded.added_seq END),
    delete_members AS (
      DELETE FROM board_members USING unnest($16::text[], $17::text[]) AS d (board_id, user_id)
      WHERE board_members.board_id = d.board_id AND board_members.user_id = d.user_id
        AND (SELECT applies FROM ok)),
    upsert_labels AS (
      INSERT INTO labels (id, board_id, name, color, position)
      SELECT id, board_id, name, color, position
      FROM unnest($18::text[], $19::text[], $20::text[], $21::text[], $22::text[])
        AS l (id, board_id, name, color, position)
      WHERE (SELECT applies FROM ok)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, color = excluded.color, position = excluded.position),
    delete_labels AS (DELETE FROM labels WHERE id = ANY($23::text[]) AND (SELECT applies FROM ok)),
    upsert_lists AS (
      INSERT INTO lists (id, board_id, title, position, wip_limit, wip_hard)
      SELECT id, board_id, title, position, wip_limit, wip_hard
      FROM unnest($24::text[], $25::text[], $26::text[], $27::text[], $28::int[], $29::boolean[])
        AS l (id, board_id, title, position, wip_limit, wip_hard)
      WHERE (SELECT applies FROM ok)
      ON CONFLICT (id) DO UPDATE SET title = excluded.title, position = excluded.position,
        wip_limit = excluded.wip_limit, wip_hard = excluded.wip_hard),
    upsert_tasks AS (
      INSERT INTO tasks (${TASK_COLUMNS})
      SELECT id, board_id, list_id, title, description, position, version, created_at, updated_at, start_at, due_at,
        due_complete, reminder, label_ids, assignee_ids, cover_color, archived_at, field_versions, checklists, links
      FROM unnest($30::text[], $31::text[], $32::text[], $33::text[], $34::text[], $35::text[], $36::int[],
          $37::text[], $38::text[], $39::text[], $40::text[], $41::boolean[], $42::int[], $43::text[], $44::text[],
          $45::text[], $46::text[], $47::text[], $48::text[], $49::text[])
        AS t (id, board_id, list_id, title, description, position, version, created_at, updated_at, start_at, due_at,
          due_complete, reminder, label_ids, assignee_ids, cover_color, archived_at, field_versions, checklists, links)
      WHERE (SELECT applies FROM ok)
      ON CONFLICT (id) DO UPDATE SET list_id = excluded.list_id, title = excluded.title,
        description = excluded.description, position = excluded.position, version = excluded.version,
        updated_at = excluded.updated_at, start_at = excluded.start_at, due_at = excluded.due_at,
        due_complete = excluded.due_complete, reminder = excluded.reminder, label_ids = excluded.label_ids,
        assignee_ids = excluded.assignee_ids, cover_color = excluded.cover_color,
        archived_at = excluded.archived_at, field_versions = excluded.field_versions,
        checklists = excluded.checklists, links = excluded.links),
    delete_tasks AS (DELETE FROM tasks WHERE id = ANY($50::text[]) AND (SELECT applies FROM ok)),
    delete_lists AS (DELETE FROM lists WHERE id = ANY($51::text[]) AND (SELECT applies FROM ok)),
    insert_events AS (
      INSERT INTO events (board_id, seq, type, data, task_id)
      SELECT board_id, seq, type, data, task_id
      FROM unnest($52::text[], $53::bigint[], $54::text[], $55::text[], $56::text[])
        AS e (board_id, seq, type, data, task_id)
      WHERE (SELECT applies FROM ok)),
    purge_comments AS (
      DELETE FROM comments WHERE task_id = ANY($57::text[]) AND (SELECT applies FROM ok)),
    purge_search AS (
      DELETE FROM search_docs WHERE task_id = ANY($57::text[]) AND (SELECT applies FROM ok)),
    upsert_comments AS (
      INSERT INTO comments (id, board_id, task_id, body, by_user_id, by_username, created_at, edited_at, added_seq)
      SELECT id, board_id, task_id, body, by_user_id, by_username, created_at, edited_at, added_seq
      FROM unnest($58::text[], $59::text[], $60::text[], $61::text[], $62::text[], $63::text[], $64::text[],
        $65::text[], $66::bigint[])
        AS c (id, board_id, task_id, body, by_user_id, by_username, created_at, edited_at, added_seq)
      WHERE (SELECT applies FROM ok)
      ON CONFLICT (id) DO UPDATE SET body = excluded.body, edited_at = excluded.edited_at,
        added_seq = CASE WHEN excluded.added_seq = 0 THEN comments.added_seq ELSE excluded.added_seq END),
    delete_comments AS (
      DELETE FROM comments WHERE id = ANY($67::text[]) AND (SELECT applies FROM ok)),
    upsert_search AS (
      INSERT INTO search_docs (doc_key, board_id, task_id, comment_id, field, rank, updated_at, body, terms)
      SELECT doc_key, board_id, task_id, comment_id, field, rank, updated_at, body,
        array_to_tsvector(string_to_array(terms, ' '))
      FROM unnest($68::text[], $69::text[], $70::text[], $71::text[], $72::text[], $73::int[], $74::text[],
        $75::text[], $76::text[]) AS s (doc_key, board_id, task_id, comment_id, field, rank, updated_at, body, terms)
      WHERE (SELECT applies FROM ok)
      ON CONFLICT (doc_key) DO UPDATE SET updated_at = excluded.updated_at, body = excluded.body,
        terms = excluded.terms),
    delete_search AS (
      DELETE FROM search_docs WHERE doc_key = ANY($77::text[]) AND (SELECT applies FROM ok)),
    claims AS (
      INSERT INTO used_ids (id, board_id) SELECT id, board_id FROM unnest($78::text[], $79::text[]) AS c (id, board_id)
      WHERE (SELECT applies FROM ok)),
    keys AS (
      INSERT INTO idempotency_keys (key, fingerprint, board_id, seq, change, entity, created_at)
      SELECT key, fingerprint, board_id, seq, change, entity, created_at
      FROM unnest($80::text[], $81::text[], $82::text[], $83::bigint[], $84::text[], $85::text[], $86::text[])
        AS k (key, fingerprint, board_id, seq, change, entity, created_at)
      WHERE (SELECT applies FROM ok))
  SELECT (SELECT applies FROM ok) AS applied,
    (SELECT count(pg_notify($9, payload)) FROM unnest($10::text[]) AS payload WHERE (SELECT applies FROM ok))
      AS notified`;

/** Search rows as the columns `insertSearchDocs` unnests. */
export function searchDocColumns(docs: readonly SearchDocValues[]): unknown[][] {
  return [0, 1, 2, 3, 4, 5, 6, 7, 8].map((index) => docs.map((doc) => doc[index]));
}

/** PostgreSQL's answer to an id or Idempotency-Key that another process took meanwhile. */
export const UNIQUE_VIOLATION = '23505';

/** A batch's rows with the seq its board was at when the batch was decided. */
export interface DecidedRows {
  rows: BatchRows;
  expectedSeq: number;
}

/**
 * Writes batches of distinct boards, each decided on its board at `expectedSeq`, with the NOTIFY
 * that tells other processes of each. False when one of the boards had moved on (nothing written);
 * rejects with a unique violation when an id or key was taken meanwhile (nothing written either).
 */
export async function writeBatchRows(
  queryable: Pick<pg.Pool, 'query'>,
  batches: readonly DecidedRows[],
  channel: string,
): Promise<boolean> {
  const all = batches.map(({ rows }) => rows);
  const each = <T, U>(pick: (rows: BatchRows) => readonly T[], value: (item: T, rows: BatchRows) => U): U[] =>
    all.flatMap((rows) => pick(rows).map((item) => value(item, rows)));
  /** The column `index` of the rows `pick` names, over every batch. */
  const column = (pick: (rows: BatchRows) => readonly unknown[][], index: number): unknown[] =>
    each(pick, (row) => row[index]);
  const columns = (
    pick: (rows: BatchRows) => readonly unknown[][],
    indexes: readonly number[],
  ): unknown[][] => indexes.map((index) => column(pick, index));
  const events = (rows: BatchRows) => rows.events;
  const keys = (rows: BatchRows) => rows.keys;
  // Named: each connection parses and plans the statement once, not on every batch (a quarter of the
  // database's CPU per write, measured with bench/writes.js).
  const result = await queryable.query<{ applied: boolean }>({
    name: 'liveboard_write_batches',
    text: WRITE_BATCHES,
    values: [
      all.map((rows) => rows.boardId),
      all.map((rows) => rows.head.seq),
      all.map((rows) => rows.head.updatedAt),
      all.map((rows) => rows.head.title),
      all.map((rows) => rows.head.deletedAt),
      batches.map(({ expectedSeq }) => expectedSeq),
      all.map((rows) => rows.head.visibility),
      all.map((rows) => rows.head.listed),
      channel,
      all.map((rows) => `${rows.boardId}:${rows.head.seq}`),
      // MemberRowValues: board_id, user_id, username, role, added_seq
      ...columns((rows) => rows.upsertMembers, [0, 1, 2, 3, 4]),
      each(
        (rows) => rows.deleteMemberIds,
        (_, rows) => rows.boardId,
      ),
      each(
        (rows) => rows.deleteMemberIds,
        (userId) => userId,
      ),
      // LabelRowValues: id, board_id, name, color, position
      ...columns((rows) => rows.upsertLabels, [0, 1, 2, 3, 4]),
      all.flatMap((rows) => rows.deleteLabelIds),
      // ListRowValues: id, board_id, title, position, wip_limit, wip_hard
      ...columns((rows) => rows.upsertLists, [0, 1, 2, 3, 4, 5]),
      // TaskRowValues, all twenty columns in TASK_COLUMNS' order
      ...columns((rows) => rows.upsertTasks, [...Array(20).keys()]),
      all.flatMap((rows) => rows.deleteTaskIds),
      all.flatMap((rows) => rows.deleteListIds),
      each(events, (_, rows) => rows.boardId),
      each(events, (event) => event.seq),
      each(events, (event) => event.type),
      each(events, (event) => event.json),
      each(events, (event) => event.taskId),
      all.flatMap((rows) => rows.purgeTaskIds),
      // CommentRowValues: id, board_id, task_id, body, by_user_id, by_username, created_at, edited_at, added_seq
      ...columns((rows) => rows.upsertComments, [0, 1, 2, 3, 4, 5, 6, 7, 8]),
      all.flatMap((rows) => rows.deleteCommentIds),
      // SearchDocValues: doc_key, board_id, task_id, comment_id, field, rank, updated_at, body, terms
      ...columns((rows) => rows.upsertSearchDocs, [0, 1, 2, 3, 4, 5, 6, 7, 8]),
      all.flatMap((rows) => rows.deleteSearchDocKeys),
      each(
        (rows) => rows.claims,
        (id) => id,
      ),
      each(
        (rows) => rows.claims,
        (_, rows) => rows.boardId,
      ),
      each(keys, ({ key }) => key),
      each(keys, ({ record }) => record.fingerprint),
      each(keys, (_, rows) => rows.boardId),
      each(keys, ({ record }) => record.seq),
      each(keys, ({ record }) => record.change),
      each(keys, ({ record }) => record.entityJson),
      each(keys, ({ at }) => at),
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
