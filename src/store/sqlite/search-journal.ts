import type Database from 'better-sqlite3';
import type { BatchRows } from '../batch-rows.js';
import type { SearchDocValues } from '../search-rows.js';
import { prepareSearchWrites } from './search-index.js';

/**
 * SQLite's search index is written after the write that changes it, from a journal the write
 * leaves in its own transaction: one row per batch, in `search_journal`, saying what the batch
 * does to the index (which tasks' rows go, which rows are written, which go by key).
 *
 * Why: FTS5 writes a segment and its structure record at every commit, and the rows, their keys and
 * words are pages of their own. A lone writer's commit wrote 86 KB for 38 KB before search (about
 * ten pages for the index alone) and spent 160 µs more CPU. The journal's row is one page, next to
 * the previous one; the index then takes a whole stretch of writes in one transaction.
 *
 * What a reader sees is the same: a search applies the journal before it reads (any process's
 * journal, under `npm run cluster` too), so it finds every acknowledged write, as PostgreSQL's does,
 * whose index is written in the write. Nothing is lost to a crash: the journal commits with the
 * write, and whoever applies it next (a later write's turn, a search, the next start) finds it.
 * Applying is idempotent per entry and entries go in commit order, so two processes applying at
 * once (each in its own IMMEDIATE transaction) leave the index as one would.
 *
 * A migration that reads or rewrites search rows must apply the journal first (applyAll).
 */
interface JournalEntry {
  /** Tasks whose rows all go (a task deleted for good). */
  purge?: string[];
  /** Rows written, by their key. */
  upsert?: SearchDocValues[];
  /** Rows that go, by key. */
  forget?: string[];
}

/** How many entries one transaction applies: a few milliseconds of the event loop at most. */
export const SEARCH_JOURNAL_CHUNK = 500;

export function prepareSearchJournal(db: Database.Database) {
  const append = db.prepare<[string]>('INSERT INTO search_journal (entry) VALUES (?)');
  const first = db.prepare<[number], { n: number; entry: string }>(
    'SELECT n, entry FROM search_journal ORDER BY n LIMIT ?',
  );
  const drop = db.prepare<[number]>('DELETE FROM search_journal WHERE n <= ?');
  const any = db.prepare<[], { n: number }>('SELECT n FROM search_journal LIMIT 1');
  const writeDoc = prepareSearchWrites(db);
  const forgetTermsOfDoc = db.prepare<[string]>(
    'DELETE FROM search_terms WHERE rowid = (SELECT id FROM search_docs WHERE doc_key = ?)',
  );
  const forgetDoc = db.prepare<[string]>('DELETE FROM search_docs WHERE doc_key = ?');
  const forgetTermsOfTask = db.prepare<[string]>(
    'DELETE FROM search_terms WHERE rowid IN (SELECT id FROM search_docs WHERE task_id = ?)',
  );
  const forgetDocsOfTask = db.prepare<[string]>('DELETE FROM search_docs WHERE task_id = ?');

  /** In the batch's transaction: what it does to the index, if anything. */
  const record = (rows: BatchRows): void => {
    const entry: JournalEntry = {};
    if (rows.purgeTaskIds.length > 0) entry.purge = rows.purgeTaskIds;
    if (rows.upsertSearchDocs.length > 0) entry.upsert = rows.upsertSearchDocs;
    if (rows.deleteSearchDocKeys.length > 0) entry.forget = rows.deleteSearchDocKeys;
    if (entry.purge || entry.upsert || entry.forget) append.run(JSON.stringify(entry));
  };

  /** Inside a transaction: applies the oldest entries, at most `limit`; how many it applied. */
  const applyOldest = (limit: number): number => {
    const entries = first.all(limit);
    for (const { entry } of entries) {
      const { purge = [], upsert = [], forget = [] } = JSON.parse(entry) as JournalEntry;
      // The order the batch's own rows were written in before the journal (purged tasks' rows
      // first, then the rows written, then those forgotten), which the stores share.
      for (const taskId of purge) {
        forgetTermsOfTask.run(taskId);
        forgetDocsOfTask.run(taskId);
      }
      for (const doc of upsert) writeDoc(doc);
      for (const docKey of forget) {
        forgetTermsOfDoc.run(docKey);
        forgetDoc.run(docKey);
      }
    }
    if (entries.length > 0) drop.run(entries.at(-1)!.n);
    return entries.length;
  };

  // A chunk is the oldest entries still there when its IMMEDIATE transaction starts, so a chunk
  // another process applied meanwhile is never applied twice.
  const applyChunk = db.transaction(() => applyOldest(SEARCH_JOURNAL_CHUNK)).immediate;

  /** Whether any entry waits (this process's or another's). */
  const pending = (): boolean => any.get() !== undefined;

  return {
    record,
    pending,
    /**
     * Applies the whole journal, a chunk per transaction; when nothing waits, it takes no write
     * lock (most writes journal nothing: a move, a list, a label).
     */
    applyAll: (): void => {
      if (!pending()) return;
      while (applyChunk() === SEARCH_JOURNAL_CHUNK);
    },
  };
}

export type SearchJournal = ReturnType<typeof prepareSearchJournal>;
