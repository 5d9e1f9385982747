/**
 * SQLite's search index is written after each write, from the journal the write leaves in its own
 * transaction (search-journal.ts). A search still finds every acknowledged write, a crash loses
 * nothing, and the journal's entries are applied in the order their writes committed. That the
 * results match PostgreSQL's is the contract's to show (comments-search-contract.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queryTerms } from '../../domain/index.js';
import { SEARCH_INDEX_MAX_WAIT_MS, SEARCH_INDEX_QUIET_MS, SqliteStore } from './sqlite-store.js';

let folder: string | undefined;
const stores: SqliteStore[] = [];
const open = (path: string): SqliteStore => {
  const store = new SqliteStore(path);
  stores.push(store);
  return store;
};
const fileOf = (): string => {
  folder = mkdtempSync(join(tmpdir(), 'liveboard-search-journal-'));
  return join(folder, 'store.db');
};
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

const operator = { operator: true };

/** What the file holds, read by a connection of its own: journal entries and search rows. */
function counts(path: string): { journal: number; docs: number } {
  const db = new Database(path, { readonly: true });
  try {
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { journal: count('search_journal'), docs: count('search_docs') };
  } finally {
    db.close();
  }
}

async function boardWithList(store: SqliteStore): Promise<{ boardId: string; listId: string }> {
  const { boardId } = await store.createBoard({ title: 'Journal' }, operator);
  const list = await store.execute(boardId, { type: 'create_list', title: 'To do' }, operator);
  return { boardId, listId: (list.entity as { id: string }).id };
}

async function createTask(
  store: SqliteStore,
  boardId: string,
  listId: string,
  title: string,
): Promise<string> {
  const made = await store.execute(boardId, { type: 'create_task', listId, title }, operator);
  return (made.entity as { id: string }).id;
}

const titlesFound = async (store: SqliteStore, boardId: string, words: string): Promise<string[]> =>
  (await store.search(boardId, { terms: queryTerms(words), limit: 50 })).results.map((result) => result.text);

describe('SQLite: the search journal', () => {
  it('a write leaves one entry and no search row; a search applies the journal first and finds it', async () => {
    const path = fileOf();
    const store = open(path);
    const { boardId, listId } = await boardWithList(store);
    await createTask(store, boardId, listId, 'Quarterly report');
    await createTask(store, boardId, listId, 'Quarterly budget');
    expect(counts(path)).toEqual({ journal: 2, docs: 0 });
    expect(await titlesFound(store, boardId, 'quarterly')).toEqual(['Quarterly budget', 'Quarterly report']);
    expect(counts(path)).toEqual({ journal: 0, docs: 2 });
  });

  it('the index takes in a stretch of writes on its own soon after them, in one go', async () => {
    const path = fileOf();
    const store = open(path);
    const { boardId, listId } = await boardWithList(store);
    for (let i = 0; i < 20; i++) await createTask(store, boardId, listId, `Task ${i}`);
    expect(counts(path).journal).toBe(20);
    const deadline = Date.now() + 5000;
    while (counts(path).journal > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(counts(path)).toEqual({ journal: 0, docs: 20 });
  });

  it('waits for the writes to pause, and no longer than its deadline while they keep coming', async () => {
    // The store's clock and timers, stepped by the test: a write every 100 ms never leaves the
    // 150 ms pause the index waits for.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const path = fileOf();
      const store = open(path);
      const { boardId, listId } = await boardWithList(store); // its list's write starts the wait
      const step = 100;
      expect(step).toBeLessThan(SEARCH_INDEX_QUIET_MS);
      let elapsed = 0;
      let written = 0;
      while (elapsed + step < SEARCH_INDEX_MAX_WAIT_MS) {
        await createTask(store, boardId, listId, `Task ${written++}`);
        await vi.advanceTimersByTimeAsync(step);
        elapsed += step;
      }
      // Writing all along: nothing applied yet (applied 100 ms after the first write, before).
      expect(counts(path)).toEqual({ journal: written, docs: 0 });
      // Still writing, the deadline passes: everything so far is applied, in one go.
      await createTask(store, boardId, listId, `Task ${written++}`);
      await vi.advanceTimersByTimeAsync(step);
      expect(counts(path)).toEqual({ journal: 0, docs: written });
      // A new stretch of writes waits afresh, and its pause applies it.
      await createTask(store, boardId, listId, `Task ${written++}`);
      await vi.advanceTimersByTimeAsync(SEARCH_INDEX_QUIET_MS - 1);
      expect(counts(path).journal).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(counts(path)).toEqual({ journal: 0, docs: written });
    } finally {
      vi.useRealTimers();
    }
  });

  it('entries apply in commit order: a task renamed, then deleted, before the index took either in', async () => {
    const path = fileOf();
    const store = open(path);
    const { boardId, listId } = await boardWithList(store);
    const kept = await createTask(store, boardId, listId, 'Draft plan');
    const gone = await createTask(store, boardId, listId, 'Draft memo');
    await store.execute(boardId, { type: 'update_task', taskId: kept, title: 'Final plan' }, operator);
    await store.execute(boardId, { type: 'delete_task', taskId: gone }, operator);
    expect(counts(path).journal).toBe(4);
    expect(await titlesFound(store, boardId, 'draft')).toEqual([]);
    expect(await titlesFound(store, boardId, 'plan')).toEqual(['Final plan']);
    expect(counts(path)).toEqual({ journal: 0, docs: 1 });
  });

  it('nothing is lost to a crash: the next process to open the file (or search it) applies what was left', async () => {
    const path = fileOf();
    // The process that wrote never applies its journal (as if killed right after its writes
    // were acknowledged): a second store on the file, as after a restart or in a cluster, does.
    const killed = open(path);
    const { boardId, listId } = await boardWithList(killed);
    await createTask(killed, boardId, listId, 'Survives the crash');
    expect(counts(path).journal).toBe(1);
    const restarted = open(path);
    expect(await titlesFound(restarted, boardId, 'crash')).toEqual(['Survives the crash']);
    expect(counts(path)).toEqual({ journal: 0, docs: 1 });
    // The writer's own turn comes later and finds nothing left to apply: no row twice.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await titlesFound(killed, boardId, 'crash')).toEqual(['Survives the crash']);
    expect(counts(path)).toEqual({ journal: 0, docs: 1 });
  });

  it('a clean stop leaves the index whole and the journal empty', async () => {
    const path = fileOf();
    const store = new SqliteStore(path);
    const { boardId, listId } = await boardWithList(store);
    await createTask(store, boardId, listId, 'Before the stop');
    await store.close();
    expect(counts(path)).toEqual({ journal: 0, docs: 1 });
  });
});
