import type Database from 'better-sqlite3';
import {
  encodeTerm,
  fts5Match,
  type Fts5Term,
  type SearchDocRow,
  type SearchDocValues,
  type SearchQuery,
} from '../search-rows.js';

/**
 * SQLite's search index, laid out so that a search reads one page and stops. Two things made a
 * common word or a short prefix cost up to 150 ms at 50,000 cards (bench:cards):
 *
 * - Every match was ordered: joined to its row for its rank and time, then sorted, to keep 50. So
 *   a row's id (the FTS5 rowid of its terms) is its place in the result order: `rank << 59 | time
 *   << 24 | n`, the rank of its field (SEARCH_FIELDS), its `updated_at` in spans of GROUP_MS since
 *   2000 counted down from 2^35 (newest first), and a number telling it from the other rows of
 *   that rank and span (a group; 2^24 of them, handed out one after another). FTS5 hands matches
 *   over in rowid order; the page is the first of them, completed with the rest of the last group
 *   it reaches, then ordered exactly (rank, updated_at newest first, doc_key) as PostgreSQL orders
 *   them. Ids past 2^53 are BigInts.
 * - FTS5 answers a prefix (`"…"*`) by merging the whole doclist of every word it begins, every
 *   board's rows, before it hands over the first match: 83,000 rowids for `rel`. So each word the
 *   index holds is also kept in `search_words`, and a query term becomes the words it begins,
 *   OR'ed (`("72656c65617365")`), each read lazily like any word. Words whose rows are gone stay
 *   (an empty branch of the OR); a term beginning more than MAX_WORDS words stays a prefix.
 *
 * FTS5 holds no copy of the terms (`content=''`, rows deleted by rowid): search_docs has the text.
 */
const GROUP_SHIFT = 24n;
const TIME_BITS = 35;
const LAST_TIME = 2 ** TIME_BITS - 1;
const EPOCH_MS = Date.UTC(2000, 0, 1);
/**
 * A group's span of time. The ids of a group follow one another, so a word's rowids within it are
 * a byte apart in FTS5's doclists; groups of a second made them four (an index 3.4× the size of
 * the one before this layout, against 1.85× now). A page reads the rest of the group it ends in:
 * the rows of its board and kind changed in those 64 seconds that match.
 */
const GROUP_MS = 64_000;
const TIES = 1n << GROUP_SHIFT;
/** Past this, a term is matched as a prefix: an OR of more words costs as much as the merge. */
const MAX_WORDS = 1000;

/** The group of a row: its rank, then its time newest first, to GROUP_MS. */
export function searchGroupOf(rank: number, updatedAt: string): bigint {
  if (!Number.isInteger(rank) || rank < 0 || rank > 15) throw new RangeError(`search rank ${rank}`);
  const time = Math.floor((Date.parse(updatedAt) - EPOCH_MS) / GROUP_MS);
  // Times before 2000 (none the server stamps) share the oldest group: the order stays right.
  const clamped = Number.isNaN(time) ? 0 : Math.min(Math.max(time, 0), LAST_TIME);
  return (BigInt(rank) << BigInt(TIME_BITS)) | BigInt(LAST_TIME - clamped);
}

const groupOfId = (id: bigint): bigint => id >> GROUP_SHIFT;

/** The words of a row's terms (search-rows.ts: the board's term first, then the hex words), as JSON. */
function wordsOf(terms: string): string {
  return JSON.stringify(terms.split(' ').slice(1));
}

/**
 * Writes one search row: its document (by key), its terms (FTS5, by the document's id) and its
 * words, in the group its rank and time give, keeping its id while its group stays the same.
 */
export function prepareSearchWrites(db: Database.Database): (doc: SearchDocValues) => void {
  const docOf = db
    .prepare<[string], { id: bigint }>('SELECT id FROM search_docs WHERE doc_key = ?')
    .safeIntegers(true);
  const lastOfGroup = db
    .prepare<[bigint, bigint], { id: bigint | null }>(
      'SELECT MAX(id) AS id FROM search_docs WHERE id BETWEEN ? AND ?',
    )
    .safeIntegers(true);
  // Only once a group's last id is taken: the first free one of its gaps, if any.
  const gapOfGroup = db
    .prepare<{ first: bigint; last: bigint }, { id: bigint }>(
      `SELECT @first AS id WHERE NOT EXISTS (SELECT 1 FROM search_docs WHERE id = @first)
       UNION ALL
       SELECT a.id + 1 FROM search_docs a WHERE a.id BETWEEN @first AND @last - 1
         AND NOT EXISTS (SELECT 1 FROM search_docs b WHERE b.id = a.id + 1)
       LIMIT 1`,
    )
    .safeIntegers(true);
  const insertDoc = db.prepare<
    [bigint, string, string, string, string | null, string, number, string, string]
  >(
    `INSERT INTO search_docs (id, doc_key, board_id, task_id, comment_id, field, rank, updated_at, body)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateDoc = db.prepare<[bigint, string, string, bigint]>(
    'UPDATE search_docs SET id = ?, updated_at = ?, body = ? WHERE id = ?',
  );
  const deleteTerms = db.prepare<[bigint]>('DELETE FROM search_terms WHERE rowid = ?');
  const insertTerms = db.prepare<[bigint, string]>('INSERT INTO search_terms (rowid, terms) VALUES (?, ?)');
  const insertWords = db.prepare<[string]>(
    'INSERT OR IGNORE INTO search_words (word) SELECT value FROM json_each(?)',
  );
  const freeIdOf = (group: bigint): bigint => {
    const first = group << GROUP_SHIFT;
    const last = first + TIES - 1n;
    const taken = lastOfGroup.get(first, last)?.id ?? null;
    if (taken === null) return first;
    if (taken < last) return taken + 1n;
    const gap = gapOfGroup.get({ first, last })?.id;
    if (gap === undefined) throw new Error(`search index: ${TIES} rows of one kind in one second`);
    return gap;
  };
  return (doc) => {
    const [docKey, boardId, taskId, commentId, field, rank, updatedAt, body, terms] = doc;
    const group = searchGroupOf(rank, updatedAt);
    const held = docOf.get(docKey)?.id;
    let id: bigint;
    if (held === undefined) {
      id = freeIdOf(group);
      insertDoc.run(id, docKey, boardId, taskId, commentId, field, rank, updatedAt, body);
    } else {
      deleteTerms.run(held);
      id = groupOfId(held) === group ? held : freeIdOf(group);
      updateDoc.run(id, updatedAt, body, held);
    }
    insertTerms.run(id, terms);
    insertWords.run(wordsOf(terms));
  };
}

/** What a search reads: the words its terms begin, the ids of the matches from a group on, then the page's rows. */
export function prepareSearchReads(db: Database.Database) {
  const wordsFrom = db
    .prepare<{ from: string; to: string; limit: number }, string>(
      'SELECT word FROM search_words WHERE word >= @from AND word < @to ORDER BY word LIMIT @limit',
    )
    .pluck();
  const matchesFrom = db
    .prepare<{ match: string; from: bigint }, { id: bigint }>(
      `SELECT rowid AS id FROM search_terms WHERE search_terms MATCH @match AND rowid >= @from ORDER BY rowid`,
    )
    .safeIntegers(true);
  const rowsOf = db.prepare<{ ids: string; boardId: string; limit: number }, SearchDocRow>(
    `SELECT doc_key, task_id, comment_id, field, rank, updated_at, body FROM search_docs
     WHERE id IN (SELECT value FROM json_each(@ids)) AND board_id = @boardId
     ORDER BY rank, updated_at DESC, doc_key LIMIT @limit`,
  );
  const rowsAfter = db.prepare<
    { ids: string; boardId: string; limit: number; rank: number; updatedAt: string; docKey: string },
    SearchDocRow
  >(
    `SELECT doc_key, task_id, comment_id, field, rank, updated_at, body FROM search_docs
     WHERE id IN (SELECT value FROM json_each(@ids)) AND board_id = @boardId
       AND (rank > @rank OR (rank = @rank AND (updated_at < @updatedAt
         OR (updated_at = @updatedAt AND doc_key > @docKey))))
     ORDER BY rank, updated_at DESC, doc_key LIMIT @limit`,
  );

  /** Each term as the words it begins (hex sorts before `g`), or a prefix when they are too many; null when one begins none. */
  const fts5Terms = (terms: readonly string[]): Fts5Term[] | null => {
    const expanded: Fts5Term[] = [];
    for (const term of terms) {
      const from = encodeTerm(term);
      const words = wordsFrom.all({ from, to: `${from}g`, limit: MAX_WORDS + 1 });
      if (words.length === 0) return null;
      expanded.push(words.length > MAX_WORDS ? { prefix: term } : { words });
    }
    return expanded;
  };

  /** The rows of a page and one more (whether there is a next page), in result order. */
  return (boardId: string, query: SearchQuery): SearchDocRow[] => {
    const terms = fts5Terms(query.terms);
    if (terms === null) return [];
    const match = fts5Match(boardId, terms);
    const wanted = query.limit + 1;
    const after = query.after;
    // A page after a cursor starts at the cursor's group: its rows before the cursor are read and
    // left out by the exact order, and do not count towards the page.
    const cursorGroup = after ? searchGroupOf(after.rank, after.updatedAt) : -1n;
    const ids: bigint[] = [];
    let counted = 0;
    let lastGroup = -1n;
    const from = cursorGroup < 0n ? 0n : cursorGroup << GROUP_SHIFT;
    for (const { id } of matchesFrom.iterate({ match, from })) {
      const group = groupOfId(id);
      if (counted >= wanted && group !== lastGroup) break;
      ids.push(id);
      if (group !== cursorGroup) counted++;
      lastGroup = group;
    }
    if (ids.length === 0) return [];
    const params = { ids: `[${ids.join(',')}]`, boardId, limit: wanted };
    return after ? rowsAfter.all({ ...params, ...after }) : rowsOf.all(params);
  };
}

/**
 * The migration to this layout: every row gets its id in result order, the terms go into a
 * contentless FTS5 table, and the index's words into search_words. New tables are filled from the
 * old ones, in id order, then put in their place. Rows of one group are numbered from 0.
 */
export function rekeySearchRows(db: Database.Database): void {
  const rows = db
    .prepare<[], { id: bigint; rank: bigint; updated_at: string }>(
      'SELECT id, rank, updated_at FROM search_docs',
    )
    .safeIntegers(true)
    .all();
  const next = new Map<bigint, bigint>();
  db.exec(`
  CREATE TEMP TABLE search_ids (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
  CREATE TABLE search_docs_keyed (
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
  CREATE VIRTUAL TABLE search_terms_keyed USING fts5 (
    terms, tokenize = 'ascii', detail = 'none', content = '', contentless_delete = 1);
  CREATE TABLE search_words (word TEXT PRIMARY KEY) WITHOUT ROWID;
  `);
  const remember = db.prepare<[bigint, bigint]>('INSERT INTO search_ids (old, new) VALUES (?, ?)');
  for (const { id, rank, updated_at: updatedAt } of rows) {
    const group = searchGroupOf(Number(rank), updatedAt);
    const n = next.get(group) ?? 0n;
    if (n === TIES) throw new Error(`search index: ${TIES} rows of one kind in one second`);
    next.set(group, n + 1n);
    remember.run(id, (group << GROUP_SHIFT) | n);
  }
  const insertWords = db.prepare<[string]>(
    'INSERT OR IGNORE INTO search_words (word) SELECT value FROM json_each(?)',
  );
  for (const terms of db.prepare<[], string>('SELECT terms FROM search_terms').pluck().all()) {
    insertWords.run(wordsOf(terms));
  }
  db.exec(`
  INSERT INTO search_docs_keyed (id, doc_key, board_id, task_id, comment_id, field, rank, updated_at, body)
    SELECT i.new, d.doc_key, d.board_id, d.task_id, d.comment_id, d.field, d.rank, d.updated_at, d.body
    FROM search_docs d JOIN search_ids i ON i.old = d.id ORDER BY i.new;
  INSERT INTO search_terms_keyed (rowid, terms)
    SELECT i.new, t.terms FROM search_terms t JOIN search_ids i ON i.old = t.rowid ORDER BY i.new;
  DROP TABLE search_terms;
  DROP TABLE search_docs;
  DROP TABLE temp.search_ids;
  ALTER TABLE search_docs_keyed RENAME TO search_docs;
  ALTER TABLE search_terms_keyed RENAME TO search_terms;
  CREATE INDEX search_docs_by_task ON search_docs (task_id);
  `);
  // One segment: filled at once, the index is left in segments that the next writes would merge
  // into theirs, each write paying for some (twice the time of one per row, measured).
  db.exec(`INSERT INTO search_terms (search_terms) VALUES ('optimize')`);
}
