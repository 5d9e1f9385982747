import {
  excerptOf,
  highlightsOf,
  termsOf,
  type Comment,
  type Highlight,
  type Task,
} from '../domain/index.js';

/**
 * What the stores index for search, and how: one row per searchable field (a task's title, its
 * description, each comment), holding the field's text and its terms (domain/search-text.ts).
 *
 * Terms are stored hex-encoded (UTF-8 bytes, two digits each): neither FTS5's tokenizer nor
 * PostgreSQL's text-search parser ever sees a user's words, so neither can split, fold or choke on
 * them differently (raw input crashes both query parsers), and prefix order survives the encoding
 * (a term's prefix encodes to a prefix of its encoding). The row also carries its board as a term
 * (`z…`, never a hex digit), so a search narrows to its board inside the full-text index itself.
 */

/**
 * The kinds of field a result can be in, in the order results are ranked: a title before a comment.
 * A row's rank is stored with it, so a new kind goes last (checklist items came after comments).
 */
export const SEARCH_FIELDS = ['title', 'description', 'comment', 'item'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/** A search row's values in the column order both backends write them. */
export type SearchDocValues = [
  docKey: string,
  boardId: string,
  taskId: string,
  commentId: string | null,
  field: SearchField,
  rank: number,
  updatedAt: string,
  body: string,
  terms: string,
];

/** A search row as both backends read it back. */
export interface SearchDocRow {
  doc_key: string;
  task_id: string;
  comment_id: string | null;
  field: SearchField;
  rank: number;
  updated_at: string;
  body: string;
}

/** Where a page of results ends: the last result's place in the order (rank, newest first, key). */
export interface SearchPosition {
  rank: number;
  updatedAt: string;
  docKey: string;
}

export interface SearchQuery {
  /** Folded query terms (domain queryTerms): at least one. */
  terms: string[];
  limit: number;
  after?: SearchPosition | undefined;
}

export interface SearchResult {
  taskId: string;
  field: SearchField;
  /** The comment the words are in, for `field: 'comment'`. */
  commentId?: string;
  /** The checklist item the words are in, for `field: 'item'`. */
  itemId?: string;
  /** Plain text: the field, or a window of it around the first highlight. */
  text: string;
  /** Where `text` starts in the field. */
  offset: number;
  highlights: Highlight[];
}

export interface SearchPage {
  results: SearchResult[];
  /** Where the next page starts; null on the last page. */
  next: SearchPosition | null;
}

const encoder = new TextEncoder();

export function encodeTerm(term: string): string {
  let hex = '';
  for (const byte of encoder.encode(term)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export function boardTerm(boardId: string): string {
  return `z${encodeTerm(boardId)}`;
}

/**
 * A field's row, or null when the field holds no word (nothing to find it by). `partId`: the
 * comment's or checklist item's id, for those fields.
 */
export function searchDoc(
  boardId: string,
  task: Pick<Task, 'id'>,
  field: SearchField,
  body: string,
  updatedAt: string,
  partId: string | null = null,
): SearchDocValues | null {
  const terms = termsOf(body);
  if (terms.length === 0) return null;
  const encoded = [boardTerm(boardId), ...terms.map(encodeTerm)].join(' ');
  return [
    docKeyOf(task.id, field, partId),
    boardId,
    task.id,
    field === 'comment' ? partId : null,
    field,
    SEARCH_FIELDS.indexOf(field),
    updatedAt,
    body,
    encoded,
  ];
}

/**
 * A row's key: a task's field by the task's id, a comment or a checklist item by its own id (ids
 * are never used twice). `partId` is the comment's or item's id.
 */
export function docKeyOf(taskId: string, field: SearchField, partId: string | null = null): string {
  return field === 'comment' || field === 'item' ? `${partId}` : `${taskId}/${field}`;
}

/** A task's rows as they stand (a migration indexes what is already there with it). */
export function taskSearchDocs(
  boardId: string,
  task: Pick<Task, 'id' | 'title' | 'description' | 'updatedAt'>,
  updatedAt = task.updatedAt,
): SearchDocValues[] {
  return [
    searchDoc(boardId, task, 'title', task.title, updatedAt),
    searchDoc(boardId, task, 'description', task.description, updatedAt),
  ].filter((doc): doc is SearchDocValues => doc !== null);
}

/**
 * A checklist item's row. Its id is its key (the comment_id column is a comment's alone): a result
 * names the item by the key it was found by.
 */
export function itemSearchDoc(
  boardId: string,
  taskId: string,
  item: { id: string; text: string },
  updatedAt: string,
): SearchDocValues | null {
  return searchDoc(boardId, { id: taskId }, 'item', item.text, updatedAt, item.id);
}

export function commentSearchDoc(comment: Comment, updatedAt: string): SearchDocValues | null {
  return searchDoc(comment.boardId, { id: comment.taskId }, 'comment', comment.body, updatedAt, comment.id);
}

/**
 * One query term in FTS5's terms: the indexed words it begins (encoded), or, where they are too
 * many to name, the term itself as a prefix.
 */
export type Fts5Term = { words: readonly string[] } | { prefix: string };

/** FTS5's MATCH expression: the board's term and every query term, all required. */
export function fts5Match(boardId: string, terms: readonly Fts5Term[]): string {
  const clauses = terms.map((term) =>
    'prefix' in term
      ? `"${encodeTerm(term.prefix)}"*`
      : `(${term.words.map((word) => `"${word}"`).join(' OR ')})`,
  );
  return [`"${boardTerm(boardId)}"`, ...clauses].join(' AND ');
}

/** PostgreSQL's tsquery, in its input syntax: lexemes quoted as they are stored, no parser between. */
export function tsquery(boardId: string, terms: readonly string[]): string {
  return [`'${boardTerm(boardId)}'`, ...terms.map((term) => `'${encodeTerm(term)}':*`)].join(' & ');
}

/**
 * A page of results from the rows a backend found (at most `limit + 1`, in order): the extra row
 * only says there is a next page.
 */
export function searchPageOf(rows: readonly SearchDocRow[], query: SearchQuery): SearchPage {
  const page = rows.slice(0, query.limit);
  const results = page.map((row): SearchResult => {
    const excerpt = excerptOf(row.body, highlightsOf(row.body, query.terms));
    return {
      taskId: row.task_id,
      field: row.field,
      ...(row.comment_id === null ? {} : { commentId: row.comment_id }),
      ...(row.field === 'item' ? { itemId: row.doc_key } : {}),
      ...excerpt,
    };
  });
  const last = page.at(-1);
  const next =
    rows.length > query.limit && last
      ? { rank: Number(last.rank), updatedAt: last.updated_at, docKey: last.doc_key }
      : null;
  return { results, next };
}
