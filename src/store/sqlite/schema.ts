import type Database from 'better-sqlite3';
import type { Task } from '../../domain/index.js';
import { ITEM_TEXT_EVENT_TYPES, ItemTextAuthors } from '../item-authors.js';
import { taskSearchDocs } from '../search-rows.js';
import { rekeySearchRows } from './search-index.js';

/** A migration is SQL, or a step in code for what SQL cannot do (our tokenizer is JavaScript). */
type Migration = string | ((db: Database.Database) => void);

/**
 * Migrations, applied in order, each once, inside one transaction. Append, never edit: a database
 * in the field has run the earlier ones. Positions compare as plain strings (BINARY collation),
 * which is the order fractional-indexing keys are made for.
 */
const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE boards (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    seq         INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
  );
  CREATE TABLE lists (
    id        TEXT PRIMARY KEY,
    board_id  TEXT NOT NULL REFERENCES boards(id),
    title     TEXT NOT NULL,
    position  TEXT NOT NULL
  );
  CREATE INDEX lists_by_board ON lists (board_id, position);
  CREATE TABLE tasks (
    id           TEXT PRIMARY KEY,
    board_id     TEXT NOT NULL REFERENCES boards(id),
    list_id      TEXT NOT NULL REFERENCES lists(id),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    position     TEXT NOT NULL,
    version      INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
  );
  CREATE INDEX tasks_by_list ON tasks (board_id, list_id, position);
  CREATE TABLE events (
    board_id  TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    type      TEXT NOT NULL,
    data      TEXT NOT NULL,
    PRIMARY KEY (board_id, seq)
  ) WITHOUT ROWID;
  CREATE TABLE idempotency_keys (
    key          TEXT PRIMARY KEY,
    fingerprint  TEXT NOT NULL,
    board_id     TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT,
    created_at   TEXT NOT NULL
  );
  CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
  `,
  // Ids are never used twice, deleted things' included (clients propose ids, and one that names a
  // deleted task must not bring it back). Filled from what the tables and the logs still show.
  // An Idempotency-Key keeps the typed outcome of its write, not an HTTP status.
  `
  CREATE TABLE used_ids (
    id        TEXT PRIMARY KEY,
    board_id  TEXT NOT NULL
  ) WITHOUT ROWID;
  INSERT OR IGNORE INTO used_ids (id, board_id) SELECT id, id FROM boards;
  INSERT OR IGNORE INTO used_ids (id, board_id) SELECT id, board_id FROM lists;
  INSERT OR IGNORE INTO used_ids (id, board_id) SELECT id, board_id FROM tasks;
  INSERT OR IGNORE INTO used_ids (id, board_id)
    SELECT json_extract(data, '$.list.id'), board_id FROM events WHERE type = 'list_created';
  INSERT OR IGNORE INTO used_ids (id, board_id)
    SELECT json_extract(data, '$.task.id'), board_id FROM events WHERE type = 'task_created';
  ALTER TABLE idempotency_keys ADD COLUMN change TEXT NOT NULL DEFAULT 'changed';
  UPDATE idempotency_keys
    SET change = CASE status WHEN 201 THEN 'created' WHEN 204 THEN 'deleted' ELSE 'changed' END;
  ALTER TABLE idempotency_keys DROP COLUMN status;
  ALTER TABLE idempotency_keys RENAME COLUMN body TO entity;
  `,
  // Access (docs/ACCOUNTS.md): boards from before it stay as open as they were (public_edit, listed,
  // no owner). Members keep the order they were added in (the seq of their member_added, 0 for a
  // board's creator).
  `
  ALTER TABLE boards ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public_edit';
  ALTER TABLE boards ADD COLUMN listed INTEGER NOT NULL DEFAULT 1;
  CREATE TABLE board_members (
    board_id   TEXT NOT NULL REFERENCES boards(id),
    user_id    TEXT NOT NULL,
    username   TEXT NOT NULL,
    role       TEXT NOT NULL,
    added_seq  INTEGER NOT NULL,
    PRIMARY KEY (board_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX board_members_by_user ON board_members (user_id);
  `,
  // Accounts (docs/ACCOUNTS.md; store/accounts.ts). Sessions, tokens and invitations are kept by the
  // SHA-256 of their secret, never the secret. A session is deleted when it ends; a token or an
  // invitation is marked revoked (its owner still sees it in the list). Throttles are rows, one per
  // failed attempt, so that every process counts the same ones.
  `
  CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX sessions_by_user ON sessions (user_id);
  CREATE INDEX sessions_by_expiry ON sessions (expires_at);
  CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    hash          TEXT NOT NULL UNIQUE,
    user_id       TEXT NOT NULL REFERENCES users(id),
    name          TEXT NOT NULL,
    scope         TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    created_at    TEXT NOT NULL,
    expires_at    TEXT,
    last_used_at  TEXT,
    revoked_at    TEXT
  );
  CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
  CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,
    board_id    TEXT NOT NULL REFERENCES boards(id),
    role        TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    label       TEXT,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT,
    max_uses    INTEGER,
    uses        INTEGER NOT NULL DEFAULT 0,
    revoked_at  TEXT
  );
  CREATE INDEX invitations_by_board ON invitations (board_id);
  CREATE TABLE attempts (
    bucket  TEXT NOT NULL,
    at      TEXT NOT NULL
  );
  CREATE INDEX attempts_by_bucket ON attempts (bucket, at);
  CREATE INDEX attempts_by_age ON attempts (at);
  `,
  // Cards (docs/API.md, "Model"): a board's labels, a list's WIP limit, a task's dates, labels,
  // assignees, cover, archive and per-field versions. Tasks and lists from before take the new
  // fields' defaults, which is also what the reducer gives their old whole-task events, so the
  // migrated rows and the fold of the old log agree; the log itself is never rewritten. Label and
  // assignee ids and the field versions are JSON text: read and written whole with their task.
  `
  ALTER TABLE lists ADD COLUMN wip_limit INTEGER;
  ALTER TABLE lists ADD COLUMN wip_hard INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE tasks ADD COLUMN start_at TEXT;
  ALTER TABLE tasks ADD COLUMN due_at TEXT;
  ALTER TABLE tasks ADD COLUMN due_complete INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE tasks ADD COLUMN reminder INTEGER;
  ALTER TABLE tasks ADD COLUMN label_ids TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE tasks ADD COLUMN assignee_ids TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE tasks ADD COLUMN cover_color TEXT;
  ALTER TABLE tasks ADD COLUMN archived_at TEXT;
  ALTER TABLE tasks ADD COLUMN field_versions TEXT NOT NULL DEFAULT '{}';
  CREATE TABLE labels (
    id        TEXT PRIMARY KEY,
    board_id  TEXT NOT NULL REFERENCES boards(id),
    name      TEXT NOT NULL,
    color     TEXT,
    position  TEXT NOT NULL
  );
  CREATE INDEX labels_by_board ON labels (board_id, position);
  `,
  // Comments, a task's history and search (docs/API.md). The log learns which task each event is
  // about (task_id, backfilled from the events it holds: a task's history is read by an index, with
  // no second table). Comments are rows of their own, paged per task and never pruned with the log.
  // Search rows: see store/search-rows.ts; FTS5 holds only their hex-encoded terms, by rowid. The
  // tasks already there are indexed by the tokenizer in code, in the migration's transaction.
  (db) => {
    db.exec(`
  ALTER TABLE events ADD COLUMN task_id TEXT;
  UPDATE events SET task_id = COALESCE(
    json_extract(data, '$.task.id'), json_extract(data, '$.comment.taskId'), json_extract(data, '$.taskId'));
  CREATE INDEX events_by_task ON events (board_id, task_id, seq) WHERE task_id IS NOT NULL;
  CREATE TABLE comments (
    id           TEXT PRIMARY KEY,
    board_id     TEXT NOT NULL REFERENCES boards(id),
    task_id      TEXT NOT NULL,
    body         TEXT NOT NULL,
    by_user_id   TEXT,
    by_username  TEXT,
    created_at   TEXT NOT NULL,
    edited_at    TEXT,
    added_seq    INTEGER NOT NULL
  );
  CREATE INDEX comments_by_task ON comments (task_id, added_seq);
  CREATE TABLE search_docs (
    id          INTEGER PRIMARY KEY,
    doc_key     TEXT NOT NULL UNIQUE,
    board_id    TEXT NOT NULL,
    task_id     TEXT NOT NULL,
    comment_id  TEXT,
    field       TEXT NOT NULL,
    rank        INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    body        TEXT NOT NULL
  );
  CREATE INDEX search_docs_by_task ON search_docs (task_id);
  CREATE VIRTUAL TABLE search_terms USING fts5 (terms, tokenize = 'ascii', detail = 'none');
    `);
    const tasks = db
      .prepare<[], Pick<Task, 'id' | 'title' | 'description' | 'updatedAt'> & { boardId: string }>(
        `SELECT id, board_id AS boardId, title, description, updated_at AS updatedAt FROM tasks`,
      )
      .all();
    // In insertion order, as this step always wrote them: the step that keys them in result order
    // (rekeySearchRows) comes later and takes every row as it finds it.
    const insertDoc = db.prepare<[string, string, string, string | null, string, number, string, string]>(
      `INSERT INTO search_docs (doc_key, board_id, task_id, comment_id, field, rank, updated_at, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertTerms = db.prepare<[number | bigint, string]>(
      'INSERT INTO search_terms (rowid, terms) VALUES (?, ?)',
    );
    for (const task of tasks) {
      for (const [docKey, boardId, taskId, commentId, field, rank, at, body, terms] of taskSearchDocs(
        task.boardId,
        task,
      )) {
        const { lastInsertRowid } = insertDoc.run(docKey, boardId, taskId, commentId, field, rank, at, body);
        insertTerms.run(lastInsertRowid, terms);
      }
    }
  },
  // Checklists and links (docs/API.md, "Model"): JSON text on the task's row, read and written whole
  // with it like its label ids; tasks from before have none, as the reducer gives their old events.
  `
  ALTER TABLE tasks ADD COLUMN checklists TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE tasks ADD COLUMN links TEXT NOT NULL DEFAULT '[]';
  `,
  // Who wrote each checklist item's text (ChecklistItem.textBy), on the item in its task's JSON: no
  // column. Filled from the log's events that made or reworded each item (store/item-authors.ts),
  // so that the migrated rows are the fold of the log; null where the log no longer holds them.
  (db) => {
    const authors = new ItemTextAuthors();
    const events = db.prepare<[], { data: string }>(
      `SELECT data FROM events
       WHERE type IN (${ITEM_TEXT_EVENT_TYPES.map((type) => `'${type}'`).join(', ')})
         AND (type <> 'checklist_item_updated' OR json_extract(data, '$.changes.text') IS NOT NULL)
       ORDER BY board_id, seq`,
    );
    for (const { data } of events.iterate()) authors.note(data);
    const tasks = db
      .prepare<[], { id: string; checklists: string }>(
        `SELECT id, checklists FROM tasks WHERE checklists <> '[]'`,
      )
      .all();
    const update = db.prepare<[string, string]>('UPDATE tasks SET checklists = ? WHERE id = ?');
    for (const task of tasks) update.run(authors.fill(task.checklists), task.id);
  },
  // Search rows keyed in result order, so that a search reads its page and stops
  // (sqlite/search-index.ts); the rows already there get their new ids.
  rekeySearchRows,
  // The search index is written after each write, from the journal it leaves in its transaction
  // (sqlite/search-journal.ts). `n` is the order of commit; `entry` what the batch does to the index.
  `
  CREATE TABLE search_journal (
    n      INTEGER PRIMARY KEY,
    entry  TEXT NOT NULL
  );
  `,
];

/** `upTo`: stop after this migration (tests lay out an old schema with it). */
export function migrate(db: Database.Database, upTo = MIGRATIONS.length): { created: boolean } {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  let applied = 0;
  // What is applied is read under the write lock: processes starting together on one file (npm run
  // cluster) each wait for the lock, and the later ones then find the migrations done.
  const run = db.transaction(() => {
    applied = (
      db.prepare('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations').get() as {
        version: number;
      }
    ).version;
    MIGRATIONS.forEach((sql, index) => {
      const version = index + 1;
      if (version <= applied || version > upTo) return;
      if (typeof sql === 'string') db.exec(sql);
      else sql(db);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
        version,
        new Date().toISOString(),
      );
    });
  });
  run.immediate();
  return { created: applied === 0 };
}
