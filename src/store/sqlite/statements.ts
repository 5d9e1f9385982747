import type Database from 'better-sqlite3';
import { idTaken, type BoardEventType, type Visibility } from '../../domain/index.js';
import {
  TASK_COLUMNS,
  type BoardRow,
  type CommentRow,
  type CommentRowValues,
  type HeadRow,
  type LabelRow,
  type LabelRowValues,
  type ListRow,
  type MemberRow,
  type MemberRowValues,
  type TaskRow,
  type TaskRowValues,
} from '../board-rows.js';
import { prepareSearchReads } from './search-index.js';
import { prepareSearchJournal } from './search-journal.js';
import type { BoardListing } from '../store.js';
import type { BatchRows, KeyRecord } from '../batch-rows.js';
import type { BoardCreationPlan, IdempotencyRecord } from '../write-plan.js';

/** Every statement the SQLite store runs, prepared once when the store opens. */
export function prepareStatements(db: Database.Database) {
  return {
    boardRow: db.prepare<[string], BoardRow>(
      'SELECT id, title, seq, created_at, updated_at, deleted_at, visibility, listed FROM boards WHERE id = ?',
    ),
    ownerless: db.prepare<[number], { id: string }>(
      `SELECT id FROM boards b WHERE deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM board_members m WHERE m.board_id = b.id AND m.role = 'owner')
       ORDER BY created_at, id LIMIT ?`,
    ),
    membersOfBoard: db.prepare<[string], MemberRow>(
      'SELECT user_id, username, role FROM board_members WHERE board_id = ? ORDER BY added_seq, user_id',
    ),
    boardSeq: db.prepare<[string], { seq: number; deleted_at: string | null; visibility: Visibility }>(
      'SELECT seq, deleted_at, visibility FROM boards WHERE id = ?',
    ),
    /** The head of a board as one statement reads it: its seq and where its log starts, as of one moment. */
    boardHead: db.prepare<[string], HeadRow>(
      `SELECT seq, deleted_at, visibility, (SELECT MIN(seq) FROM events WHERE board_id = boards.id) AS first
       FROM boards WHERE id = ?`,
    ),
    /** A user's boards and the listed public ones ('' for anonymous: no user has that id). */
    boardsOf: db.prepare<[string], BoardRow & { role: BoardListing['role'] }>(
      `SELECT b.id, b.title, b.seq, b.created_at, b.updated_at, b.deleted_at, b.visibility, b.listed, m.role
       FROM boards b LEFT JOIN board_members m ON m.board_id = b.id AND m.user_id = ?
       WHERE b.deleted_at IS NULL AND (m.role IS NOT NULL OR (b.listed = 1 AND b.visibility <> 'private'))
       ORDER BY b.created_at, b.id`,
    ),
    listsOfBoard: db.prepare<[string], ListRow>(
      'SELECT id, board_id, title, position, wip_limit, wip_hard FROM lists WHERE board_id = ? ORDER BY position, id',
    ),
    tasksOfBoard: db.prepare<[string], TaskRow>(
      `SELECT ${TASK_COLUMNS}, (SELECT COUNT(*) FROM comments c WHERE c.task_id = tasks.id) AS comment_count
       FROM tasks WHERE board_id = ? ORDER BY list_id, position, id`,
    ),
    labelsOfBoard: db.prepare<[string], LabelRow>(
      'SELECT id, board_id, name, color, position FROM labels WHERE board_id = ? ORDER BY position, id',
    ),
    comment: db.prepare<[string, string], CommentRow>(
      `SELECT id, board_id, task_id, body, by_user_id, by_username, created_at, edited_at, added_seq
       FROM comments WHERE id = ? AND board_id = ?`,
    ),
    commentsOfTask: db.prepare<[string, string, number, number], CommentRow>(
      `SELECT id, board_id, task_id, body, by_user_id, by_username, created_at, edited_at, added_seq
       FROM comments WHERE task_id = ? AND board_id = ? AND added_seq < ? ORDER BY added_seq DESC LIMIT ?`,
    ),
    upsertComment: db.prepare<CommentRowValues>(
      `INSERT INTO comments (id, board_id, task_id, body, by_user_id, by_username, created_at, edited_at, added_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET body = excluded.body, edited_at = excluded.edited_at,
         added_seq = CASE WHEN excluded.added_seq = 0 THEN comments.added_seq ELSE excluded.added_seq END`,
    ),
    deleteComment: db.prepare<[string]>('DELETE FROM comments WHERE id = ?'),
    deleteCommentsOfTask: db.prepare<[string]>('DELETE FROM comments WHERE task_id = ?'),
    /** What each batch does to the search index, applied after it (search-journal.ts). */
    searchJournal: prepareSearchJournal(db),
    /** A page of results, read in result order from the index (search-index.ts). */
    searchRows: prepareSearchReads(db),
    idUsed: db.prepare<[string], { used: 1 }>('SELECT 1 AS used FROM used_ids WHERE id = ?'),
    claimId: db.prepare<[string, string]>('INSERT OR IGNORE INTO used_ids (id, board_id) VALUES (?, ?)'),
    insertBoard: db.prepare<[string, string, string, string, string, number]>(
      'INSERT INTO boards (id, title, seq, created_at, updated_at, visibility, listed) VALUES (?, ?, 0, ?, ?, ?, ?)',
    ),
    updateHead: db.prepare<[number, string, string, string | null, string, number, string]>(
      'UPDATE boards SET seq = ?, updated_at = ?, title = ?, deleted_at = ?, visibility = ?, listed = ? WHERE id = ?',
    ),
    upsertMember: db.prepare<MemberRowValues>(
      `INSERT INTO board_members (board_id, user_id, username, role, added_seq) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (board_id, user_id) DO UPDATE SET role = excluded.role, username = excluded.username,
         added_seq = CASE WHEN excluded.added_seq = 0 THEN board_members.added_seq ELSE excluded.added_seq END`,
    ),
    deleteMember: db.prepare<[string, string]>(
      'DELETE FROM board_members WHERE board_id = ? AND user_id = ?',
    ),
    upsertList: db.prepare<[string, string, string, string, number | null, number]>(
      `INSERT INTO lists (id, board_id, title, position, wip_limit, wip_hard) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, position = excluded.position,
         wip_limit = excluded.wip_limit, wip_hard = excluded.wip_hard`,
    ),
    upsertLabel: db.prepare<LabelRowValues>(
      `INSERT INTO labels (id, board_id, name, color, position) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, color = excluded.color, position = excluded.position`,
    ),
    deleteLabel: db.prepare<[string]>('DELETE FROM labels WHERE id = ?'),
    deleteList: db.prepare<[string]>('DELETE FROM lists WHERE id = ?'),
    upsertTask: db.prepare<SqliteTaskRowValues>(
      `INSERT INTO tasks (${TASK_COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET list_id = excluded.list_id, title = excluded.title,
         description = excluded.description, position = excluded.position, version = excluded.version,
         updated_at = excluded.updated_at, start_at = excluded.start_at, due_at = excluded.due_at,
         due_complete = excluded.due_complete, reminder = excluded.reminder, label_ids = excluded.label_ids,
         assignee_ids = excluded.assignee_ids, cover_color = excluded.cover_color,
         archived_at = excluded.archived_at, field_versions = excluded.field_versions,
         checklists = excluded.checklists, links = excluded.links`,
    ),
    deleteTask: db.prepare<[string]>('DELETE FROM tasks WHERE id = ?'),
    insertEvent: db.prepare<[string, number, BoardEventType, string, string | null]>(
      'INSERT INTO events (board_id, seq, type, data, task_id) VALUES (?, ?, ?, ?, ?)',
    ),
    eventsBefore: db.prepare<[string, number, number], { seq: number; type: BoardEventType; data: string }>(
      'SELECT seq, type, data FROM events WHERE board_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
    ),
    taskEventsBefore: db.prepare<
      [string, string, number, number],
      { seq: number; type: BoardEventType; data: string }
    >(
      // Named: without statistics SQLite would walk the primary key backwards to skip the sort, all
      // 100,000 events of a busy board for a card's few (30 ms measured; 0.1 ms by this index).
      `SELECT seq, type, data FROM events INDEXED BY events_by_task
       WHERE board_id = ? AND task_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
    ),
    taskInLog: db.prepare<[string, string], { found: 1 }>(
      'SELECT 1 AS found FROM events INDEXED BY events_by_task WHERE board_id = ? AND task_id = ? LIMIT 1',
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

/** TaskRowValues as SQLite binds them: booleans as 0 and 1. */
type SqliteTaskRowValues = Array<TaskRowValues[number] extends infer V ? Exclude<V, boolean> : never>;

/** Writes a batch's rows inside the caller's transaction, in the order BatchRows gives. */
export function writeBatchRows(statements: Statements, rows: BatchRows): void {
  for (const values of rows.upsertLabels) statements.upsertLabel.run(...values);
  for (const [id, boardId, title, position, wipLimit, wipHard] of rows.upsertLists) {
    statements.upsertList.run(id, boardId, title, position, wipLimit, wipHard ? 1 : 0);
  }
  for (const values of rows.upsertTasks) {
    statements.upsertTask.run(...values.map((value) => (typeof value === 'boolean' ? Number(value) : value)));
  }
  for (const taskId of rows.deleteTaskIds) statements.deleteTask.run(taskId);
  for (const listId of rows.deleteListIds) statements.deleteList.run(listId);
  for (const labelId of rows.deleteLabelIds) statements.deleteLabel.run(labelId);
  for (const values of rows.upsertMembers) statements.upsertMember.run(...values);
  for (const userId of rows.deleteMemberIds) statements.deleteMember.run(rows.boardId, userId);
  for (const taskId of rows.purgeTaskIds) statements.deleteCommentsOfTask.run(taskId);
  for (const values of rows.upsertComments) statements.upsertComment.run(...values);
  for (const commentId of rows.deleteCommentIds) statements.deleteComment.run(commentId);
  statements.searchJournal.record(rows);
  for (const event of rows.events)
    statements.insertEvent.run(rows.boardId, event.seq, event.type, event.json, event.taskId);
  for (const id of rows.claims) claim(statements, id, rows.boardId);
  for (const key of rows.keys) rememberKey(statements, key);
  const { seq, updatedAt, title, deletedAt, visibility, listed } = rows.head;
  statements.updateHead.run(seq, updatedAt, title, deletedAt, visibility, listed ? 1 : 0, rows.boardId);
}

/** Inserts a new board's row, claiming its id. */
export function writeNewBoard(statements: Statements, plan: BoardCreationPlan): void {
  claim(statements, plan.board.id, plan.board.id);
  const { id, title, createdAt, updatedAt, visibility, listed } = plan.board;
  statements.insertBoard.run(id, title, createdAt, updatedAt, visibility, listed ? 1 : 0);
  for (const member of plan.members) {
    statements.upsertMember.run(id, member.userId, member.username, member.role, 0);
  }
  if (plan.key) rememberKey(statements, plan.key);
}

function claim(statements: Statements, id: string, boardId: string): void {
  if (statements.claimId.run(id, boardId).changes === 0) throw idTaken(id);
}

function rememberKey(statements: Statements, { key, record, at }: KeyRecord): void {
  const { fingerprint, boardId, seq, change, entityJson } = record;
  statements.insertIdempotencyRecord.run(key, fingerprint, boardId, seq, change, entityJson, at);
}
