import type { PoolClient } from 'pg';
import { ITEM_TEXT_EVENT_TYPES, ItemTextAuthors } from '../item-authors.js';
import { taskSearchDocs } from '../search-rows.js';
import { SQL, searchDocColumns } from './statements.js';

/** A migration is SQL, or a step in code for what SQL cannot do (our tokenizer is JavaScript). */
type Migration = string | ((client: Pick<PoolClient, 'query'>) => Promise<void>);

/**
 * Migrations, applied in order, each once. Append, never edit. Positions and ids sort with
 * COLLATE "C" (code-unit order), the order fractional-indexing keys are made for and the one SQLite
 * and JavaScript use, so both stores give the same order. Times are ISO strings, as on the wire.
 */
const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE boards (
    id          text PRIMARY KEY,
    title       text NOT NULL,
    seq         bigint NOT NULL DEFAULT 0,
    created_at  text NOT NULL,
    updated_at  text NOT NULL,
    deleted_at  text
  );
  CREATE TABLE lists (
    id        text PRIMARY KEY,
    board_id  text NOT NULL REFERENCES boards(id),
    title     text NOT NULL,
    position  text COLLATE "C" NOT NULL
  );
  CREATE INDEX lists_by_board ON lists (board_id, position);
  CREATE TABLE tasks (
    id           text PRIMARY KEY,
    board_id     text NOT NULL REFERENCES boards(id),
    list_id      text NOT NULL REFERENCES lists(id),
    title        text NOT NULL,
    description  text NOT NULL,
    position     text COLLATE "C" NOT NULL,
    version      integer NOT NULL,
    created_at   text NOT NULL,
    updated_at   text NOT NULL
  );
  CREATE INDEX tasks_by_board ON tasks (board_id, list_id, position);
  CREATE TABLE events (
    board_id  text NOT NULL,
    seq       bigint NOT NULL,
    type      text NOT NULL,
    data      text NOT NULL,
    PRIMARY KEY (board_id, seq)
  );
  CREATE TABLE idempotency_keys (
    key          text PRIMARY KEY,
    fingerprint  text NOT NULL,
    board_id     text NOT NULL,
    seq          bigint NOT NULL,
    status       integer NOT NULL,
    body         text,
    created_at   text NOT NULL
  );
  CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
  `,
  // Ids are never used twice, deleted things' included (clients propose ids, and one that names a
  // deleted task must not bring it back). Filled from what the tables and the logs still show.
  // An Idempotency-Key keeps the typed outcome of its write, not an HTTP status.
  `
  CREATE TABLE used_ids (
    id        text PRIMARY KEY,
    board_id  text NOT NULL
  );
  INSERT INTO used_ids (id, board_id) SELECT id, id FROM boards ON CONFLICT DO NOTHING;
  INSERT INTO used_ids (id, board_id) SELECT id, board_id FROM lists ON CONFLICT DO NOTHING;
  INSERT INTO used_ids (id, board_id) SELECT id, board_id FROM tasks ON CONFLICT DO NOTHING;
  INSERT INTO used_ids (id, board_id)
    SELECT (data::jsonb) -> 'list' ->> 'id', board_id FROM events WHERE type = 'list_created'
    ON CONFLICT DO NOTHING;
  INSERT INTO used_ids (id, board_id)
    SELECT (data::jsonb) -> 'task' ->> 'id', board_id FROM events WHERE type = 'task_created'
    ON CONFLICT DO NOTHING;
  ALTER TABLE idempotency_keys ADD COLUMN change text NOT NULL DEFAULT 'changed';
  UPDATE idempotency_keys
    SET change = CASE status WHEN 201 THEN 'created' WHEN 204 THEN 'deleted' ELSE 'changed' END;
  ALTER TABLE idempotency_keys DROP COLUMN status;
  ALTER TABLE idempotency_keys RENAME COLUMN body TO entity;
  `,
  // Access: see the SQLite schema's third migration.
  `
  ALTER TABLE boards ADD COLUMN visibility text NOT NULL DEFAULT 'public_edit';
  ALTER TABLE boards ADD COLUMN listed boolean NOT NULL DEFAULT true;
  CREATE TABLE board_members (
    board_id   text NOT NULL REFERENCES boards(id),
    user_id    text NOT NULL,
    username   text NOT NULL,
    role       text NOT NULL,
    added_seq  bigint NOT NULL,
    PRIMARY KEY (board_id, user_id)
  );
  CREATE INDEX board_members_by_user ON board_members (user_id);
  `,
  // Accounts: see the SQLite schema's fourth migration. Times compare as text, so in "C" order.
  `
  CREATE TABLE users (
    id             text PRIMARY KEY,
    username       text NOT NULL UNIQUE,
    display_name   text NOT NULL,
    password_hash  text NOT NULL,
    created_at     text NOT NULL
  );
  CREATE TABLE sessions (
    id_hash       text PRIMARY KEY,
    user_id       text NOT NULL REFERENCES users(id),
    created_at    text NOT NULL,
    last_seen_at  text NOT NULL,
    expires_at    text COLLATE "C" NOT NULL
  );
  CREATE INDEX sessions_by_user ON sessions (user_id);
  CREATE INDEX sessions_by_expiry ON sessions (expires_at);
  CREATE TABLE api_tokens (
    id            text PRIMARY KEY,
    hash          text NOT NULL UNIQUE,
    user_id       text NOT NULL REFERENCES users(id),
    name          text NOT NULL,
    scope         text NOT NULL CHECK (scope IN ('read', 'write')),
    created_at    text COLLATE "C" NOT NULL,
    expires_at    text COLLATE "C",
    last_used_at  text,
    revoked_at    text
  );
  CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
  CREATE TABLE invitations (
    id          text PRIMARY KEY,
    hash        text NOT NULL UNIQUE,
    board_id    text NOT NULL REFERENCES boards(id),
    role        text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    label       text,
    created_by  text NOT NULL REFERENCES users(id),
    created_at  text COLLATE "C" NOT NULL,
    expires_at  text COLLATE "C",
    max_uses    integer,
    uses        integer NOT NULL DEFAULT 0,
    revoked_at  text
  );
  CREATE INDEX invitations_by_board ON invitations (board_id);
  CREATE TABLE attempts (
    bucket  text NOT NULL,
    at      text COLLATE "C" NOT NULL
  );
  CREATE INDEX attempts_by_bucket ON attempts (bucket, at);
  CREATE INDEX attempts_by_age ON attempts (at);
  `,
  // Cards: see the SQLite schema's fifth migration.
  `
  ALTER TABLE lists ADD COLUMN wip_limit integer;
  ALTER TABLE lists ADD COLUMN wip_hard boolean NOT NULL DEFAULT false;
  ALTER TABLE tasks ADD COLUMN start_at text;
  ALTER TABLE tasks ADD COLUMN due_at text;
  ALTER TABLE tasks ADD COLUMN due_complete boolean NOT NULL DEFAULT false;
  ALTER TABLE tasks ADD COLUMN reminder integer;
  ALTER TABLE tasks ADD COLUMN label_ids text NOT NULL DEFAULT '[]';
  ALTER TABLE tasks ADD COLUMN assignee_ids text NOT NULL DEFAULT '[]';
  ALTER TABLE tasks ADD COLUMN cover_color text;
  ALTER TABLE tasks ADD COLUMN archived_at text;
  ALTER TABLE tasks ADD COLUMN field_versions text NOT NULL DEFAULT '{}';
  CREATE TABLE labels (
    id        text PRIMARY KEY,
    board_id  text NOT NULL REFERENCES boards(id),
    name      text NOT NULL,
    color     text,
    position  text COLLATE "C" NOT NULL
  );
  CREATE INDEX labels_by_board ON labels (board_id, position);
  `,
  // Comments, a task's history and search: see the SQLite schema's sixth migration. The terms are
  // a tsvector made with array_to_tsvector: our lexemes as they are, no text-search parser between.
  async (client) => {
    await client.query(`
  ALTER TABLE events ADD COLUMN task_id text;
  UPDATE events SET task_id = COALESCE(
    (data::jsonb) -> 'task' ->> 'id', (data::jsonb) -> 'comment' ->> 'taskId', (data::jsonb) ->> 'taskId');
  CREATE INDEX events_by_task ON events (board_id, task_id, seq) WHERE task_id IS NOT NULL;
  CREATE TABLE comments (
    id           text PRIMARY KEY,
    board_id     text NOT NULL REFERENCES boards(id),
    task_id      text NOT NULL,
    body         text NOT NULL,
    by_user_id   text,
    by_username  text,
    created_at   text NOT NULL,
    edited_at    text,
    added_seq    bigint NOT NULL
  );
  CREATE INDEX comments_by_task ON comments (task_id, added_seq);
  CREATE TABLE search_docs (
    doc_key     text COLLATE "C" PRIMARY KEY,
    board_id    text NOT NULL,
    task_id     text NOT NULL,
    comment_id  text,
    field       text NOT NULL,
    rank        integer NOT NULL,
    updated_at  text COLLATE "C" NOT NULL,
    body        text NOT NULL,
    terms       tsvector NOT NULL
  );
  CREATE INDEX search_docs_terms ON search_docs USING gin (terms);
  CREATE INDEX search_docs_by_task ON search_docs (task_id);
    `);
    const { rows } = await client.query<{
      id: string;
      board_id: string;
      title: string;
      description: string;
      updated_at: string;
    }>('SELECT id, board_id, title, description, updated_at FROM tasks');
    const docs = rows.flatMap((row) =>
      taskSearchDocs(row.board_id, {
        id: row.id,
        title: row.title,
        description: row.description,
        updatedAt: row.updated_at,
      }),
    );
    for (let start = 0; start < docs.length; start += 1000) {
      await client.query(SQL.insertSearchDocs, searchDocColumns(docs.slice(start, start + 1000)));
    }
  },
  // Checklists and links: see the SQLite schema's seventh migration.
  `
  ALTER TABLE tasks ADD COLUMN checklists text NOT NULL DEFAULT '[]';
  ALTER TABLE tasks ADD COLUMN links text NOT NULL DEFAULT '[]';
  `,
  // Who wrote each checklist item's text: see the SQLite schema's eighth migration.
  async (client) => {
    const authors = new ItemTextAuthors();
    const { rows: events } = await client.query<{ data: string }>(
      `SELECT data FROM events
       WHERE type = ANY($1::text[])
         AND (type <> 'checklist_item_updated' OR (data::jsonb -> 'changes') ? 'text')
       ORDER BY board_id, seq`,
      [ITEM_TEXT_EVENT_TYPES],
    );
    for (const { data } of events) authors.note(data);
    const { rows: tasks } = await client.query<{ id: string; checklists: string }>(
      `SELECT id, checklists FROM tasks WHERE checklists <> '[]'`,
    );
    for (let start = 0; start < tasks.length; start += 1000) {
      const chunk = tasks.slice(start, start + 1000);
      await client.query(
        `UPDATE tasks SET checklists = filled.checklists
         FROM unnest($1::text[], $2::text[]) AS filled (id, checklists)
         WHERE tasks.id = filled.id`,
        [chunk.map((task) => task.id), chunk.map((task) => authors.fill(task.checklists))],
      );
    }
  },
];

/** Runs under an advisory lock, so that processes starting together migrate once, one at a time. */
/** `upTo`: stop after this migration (tests lay out an old schema with it). */
export async function migrate(
  client: Pick<PoolClient, 'query'>,
  schema?: string,
  upTo = MIGRATIONS.length,
): Promise<{ created: boolean }> {
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('liveboard_migrations'))");
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at text NOT NULL)',
    );
    const { rows } = await client.query<{ version: number }>(
      'SELECT COALESCE(MAX(version), 0)::int AS version FROM schema_migrations',
    );
    const applied = rows[0]!.version;
    for (const [index, sql] of MIGRATIONS.entries()) {
      const version = index + 1;
      if (version <= applied || version > upTo) continue;
      if (typeof sql === 'string') await client.query(sql);
      else await sql(client);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        version,
        new Date().toISOString(),
      ]);
    }
    await client.query('COMMIT');
    return { created: applied === 0 };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
