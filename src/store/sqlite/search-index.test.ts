/**
 * SQLite's search index as laid out in search-index.ts: every row's id is its place in the result
 * order, through edits; a storage from the layout before migrates with the same results; a term
 * beginning more words than an OR takes is still found. The results themselves (the same on both
 * stores) are the contract's (comments-search-contract.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { queryTerms } from '../../domain/index.js';
import { searchDoc, type SearchDocValues, type SearchField } from '../search-rows.js';
import { migrate } from './schema.js';
import { searchGroupOf } from './search-index.js';
import { SqliteStore } from './sqlite-store.js';

let folder: string | undefined;
const fileOf = (): string => {
  folder = mkdtempSync(join(tmpdir(), 'liveboard-search-index-'));
  return join(folder, 'store.db');
};
afterEach(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

const operator = { operator: true };
const hits = (page: Awaited<ReturnType<SqliteStore['search']>>) =>
  page.results.map((result) => `${result.taskId}:${result.field}`);

/** Every row's id against its rank and time: the group they give, and no two alike. */
function expectKeyedInOrder(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare<[], { id: bigint; rank: bigint; updated_at: string }>(
        'SELECT id, rank, updated_at FROM search_docs',
      )
      .safeIntegers(true)
      .all();
    for (const row of rows) expect(row.id >> 24n).toBe(searchGroupOf(Number(row.rank), row.updated_at));
    return rows.length;
  } finally {
    db.close();
  }
}

describe('SQLite: the search index keyed in result order', () => {
  it('every row’s id is its group (rank, then time newest first) through creates, edits, comments and deletions', async () => {
    const path = fileOf();
    const store = new SqliteStore(path);
    try {
      const { boardId } = await store.createBoard({ title: 'Index' }, operator);
      const list = await store.execute(boardId, { type: 'create_list', title: 'To do' }, operator);
      const listId = (list.entity as { id: string }).id;
      const at = (minute: number) => ({ ...operator, now: new Date(Date.UTC(2026, 2, 1, 10, minute)) });
      const ids: string[] = [];
      for (let k = 0; k < 6; k += 1) {
        const made = await store.execute(
          boardId,
          { type: 'create_task', listId, title: `Alpha ${k}`, description: `alpha notes ${k}` },
          at(k),
        );
        ids.push((made.entity as { id: string }).id);
      }
      await store.execute(boardId, { type: 'update_task', taskId: ids[0]!, title: 'Alpha renamed' }, at(30));
      const comment = await store.execute(
        boardId,
        { type: 'add_comment', taskId: ids[1]!, body: 'alpha!' },
        at(31),
      );
      const commentId = (comment.entity as { id: string }).id;
      await store.execute(boardId, { type: 'edit_comment', commentId, body: 'alpha again' }, at(90));
      await store.execute(boardId, { type: 'delete_task', taskId: ids[2]! }, at(91));
      // The search applies the writes' journal (search-journal.ts) before it reads: then the rows are there.
      const found = hits(await store.search(boardId, { terms: queryTerms('alpha'), limit: 50 }));
      expect(expectKeyedInOrder(path)).toBe(5 * 2 + 1);
      expect(found).toEqual([
        `${ids[0]}:title`,
        `${ids[5]}:title`,
        `${ids[4]}:title`,
        `${ids[3]}:title`,
        `${ids[1]}:title`,
        `${ids[5]}:description`,
        `${ids[4]}:description`,
        `${ids[3]}:description`,
        `${ids[1]}:description`,
        `${ids[0]}:description`,
        `${ids[1]}:comment`,
      ]);
    } finally {
      await store.close();
    }
  });

  it('a storage whose search rows are in the layout before (ids in insertion order) migrates: each keyed, the same results page after page', async () => {
    const path = fileOf();
    const db = new Database(path);
    migrate(db, 8);
    const insertDoc = db.prepare(
      `INSERT INTO search_docs (doc_key, board_id, task_id, comment_id, field, rank, updated_at, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertTerms = db.prepare('INSERT INTO search_terms (rowid, terms) VALUES (?, ?)');
    const start = Date.UTC(2026, 0, 1);
    // Out of time order, several in one group and some at the very same instant, on two boards.
    const offsets = [5_000, 0, 0, 70_000, 1, 64_000, 63_999, 3_600_000, 0, 120_000, 5_000, 2];
    const docs: SearchDocValues[] = [];
    offsets.forEach((offset, k) => {
      const field: SearchField = (['title', 'description', 'comment', 'item'] as const)[k % 4]!;
      const part = field === 'comment' || field === 'item' ? `part-${String(k).padStart(2, '0')}` : null;
      const taskId = `task-old${String(k % 5).padStart(4, '0')}`;
      const at = new Date(start + offset).toISOString();
      for (const boardId of ['board-old0001', 'board-old0002']) {
        const doc = searchDoc(boardId, { id: taskId }, field, `Legacy words ${k}`, at, part)!;
        if (boardId === 'board-old0001') docs.push(doc);
        const [docKey, , , commentId, , rank, updatedAt, body, terms] = doc;
        const key = boardId === 'board-old0001' ? docKey : `${docKey}-2`;
        const { lastInsertRowid } = insertDoc.run(
          key,
          boardId,
          taskId,
          commentId,
          field,
          rank,
          updatedAt,
          body,
        );
        insertTerms.run(lastInsertRowid, terms);
      }
    });
    db.close();
    const expected = docs
      .map(([docKey, , taskId, , field, rank, updatedAt]) => ({
        docKey,
        hit: `${taskId}:${field}`,
        rank,
        updatedAt,
      }))
      .sort(
        (a, b) =>
          a.rank - b.rank ||
          (a.updatedAt > b.updatedAt ? -1 : a.updatedAt < b.updatedAt ? 1 : a.docKey < b.docKey ? -1 : 1),
      )
      .map((row) => row.hit);

    const store = new SqliteStore(path);
    try {
      expect(expectKeyedInOrder(path)).toBe(24);
      const terms = queryTerms('legac');
      expect(hits(await store.search('board-old0001', { terms, limit: 50 }))).toEqual(expected);
      for (const limit of [1, 5]) {
        const paged: string[] = [];
        let after: Awaited<ReturnType<SqliteStore['search']>>['next'] = null;
        do {
          const page = await store.search('board-old0001', { terms, limit, after: after ?? undefined });
          paged.push(...hits(page));
          after = page.next;
        } while (after !== null && paged.length <= expected.length);
        expect(paged).toEqual(expected);
      }
      expect(hits(await store.search('board-old0001', { terms: queryTerms('words 11'), limit: 50 }))).toEqual(
        ['task-old0001:item'],
      );
    } finally {
      await store.close();
    }
  });

  it('a term beginning more words than an OR of words takes is matched as a prefix, with the same results', async () => {
    const store = new SqliteStore(fileOf());
    try {
      const { boardId } = await store.createBoard({ title: 'Words' }, operator);
      const list = await store.execute(boardId, { type: 'create_list', title: 'To do' }, operator);
      const listId = (list.entity as { id: string }).id;
      const many = Array.from({ length: 1100 }, (_, k) => `qz${k.toString(36)}`).join(' ');
      const made = await store.execute(
        boardId,
        { type: 'create_task', listId, title: 'Many words', description: many },
        operator,
      );
      const taskId = (made.entity as { id: string }).id;
      for (const query of ['qz', 'qz1', 'qzz', 'qz1 qz']) {
        expect(hits(await store.search(boardId, { terms: queryTerms(query), limit: 50 })), query).toEqual([
          `${taskId}:description`,
        ]);
      }
      expect(hits(await store.search(boardId, { terms: queryTerms('qzzz'), limit: 50 }))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
