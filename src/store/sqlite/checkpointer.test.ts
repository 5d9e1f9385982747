import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../domain/index.js';
import { MAIN_CONNECTION_AUTOCHECKPOINT_PAGES } from './checkpointer.js';
import { SqliteStore } from './sqlite-store.js';

let folder: string | undefined;
const stores: SqliteStore[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

function open(path: string): SqliteStore {
  const store = new SqliteStore(path);
  stores.push(store);
  return store;
}

async function boardWithList(store: SqliteStore): Promise<{ boardId: string; listId: string }> {
  const operator = { operator: true };
  const board = await store.createBoard({ title: 'checkpoints' }, operator);
  const list = await store.execute(board.boardId, { type: 'create_list', title: 'to do' }, operator);
  return { boardId: board.boardId, listId: (list.entity as { id: string }).id };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the WAL checkpointer (a worker thread)', () => {
  it('copies the WAL into the file, so that a commit seldom has to', async () => {
    folder = mkdtempSync(join(tmpdir(), 'liveboard-checkpoint-'));
    const path = join(folder, 'store.db');
    const store = open(path);
    const { boardId, listId } = await boardWithList(store);
    const description = 'x'.repeat(3000); // about a page of its own per task
    const writes = 2000;
    for (let i = 0; i < writes; i++) {
      // As a server's writes come: with a pause between them (here 1 ms; a request's round trip),
      // in which the worker finishes copying and the next commit rewinds the WAL.
      if (i % 2 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      await store.execute(
        boardId,
        { type: 'create_task', listId, title: `task ${i}`, description },
        { operator: true },
      );
    }
    // The worker copied many times what the committing connection's own threshold lets through:
    // that connection checkpointed at most a few times (when the worker could not catch up), not
    // once every thousand pages as SQLite does by default.
    await until(
      () => (store.checkpoints?.framesCopied ?? 0) > 5 * MAIN_CONNECTION_AUTOCHECKPOINT_PAGES,
      'the worker',
    );
    expect(store.checkpoints).toMatchObject({ failed: null });
    // And the WAL stays bounded: rewound behind the worker, or at worst checkpointed at that
    // threshold, past it by one transaction's frames. The largest here is not a write but the
    // search index catching up (500 journal entries of these 3 KB descriptions: 85 frames seen).
    const walFrames = (statSync(`${path}-wal`).size - 32) / (4096 + 24);
    expect(walFrames).toBeLessThan(MAIN_CONNECTION_AUTOCHECKPOINT_PAGES + 500);

    // What the worker copied is the database: a connection that reads the file alone sees it all.
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const reader = new Database(path, { readonly: true });
    try {
      const { count } = reader
        .prepare('SELECT count(*) AS count FROM tasks WHERE board_id = ?')
        .get(boardId) as {
        count: number;
      };
      expect(count).toBe(writes);
    } finally {
      reader.close();
    }
  });

  it('two processes’ stores on one file checkpoint side by side, and every write of both is kept', async () => {
    folder = mkdtempSync(join(tmpdir(), 'liveboard-checkpoint-'));
    const path = join(folder, 'store.db');
    const first = open(path);
    const second = open(path);
    const { boardId, listId } = await boardWithList(first);
    const description = 'y'.repeat(3000);
    for (let i = 0; i < 400; i++) {
      const store = i % 2 === 0 ? first : second;
      await store.execute(
        boardId,
        { type: 'create_task', listId, title: `task ${i}`, description },
        { operator: true },
      );
    }
    await until(
      () => (first.checkpoints?.framesCopied ?? 0) + (second.checkpoints?.framesCopied ?? 0) > 400,
      'the workers',
    );
    expect(first.checkpoints?.failed ?? null).toBeNull();
    expect(second.checkpoints?.failed ?? null).toBeNull();
    const board = await second.getBoard(boardId);
    const tasks: Task[] = board!.lists[0]!.tasks;
    expect(tasks).toHaveLength(400);
    expect(board!.seq).toBe(401);
  });

  it('looks at the WAL every few milliseconds while it moves, seldom once it is still', async () => {
    folder = mkdtempSync(join(tmpdir(), 'liveboard-checkpoint-'));
    const store = open(join(folder, 'store.db'));
    const { boardId, listId } = await boardWithList(store);
    const write = (title: string) =>
      store.execute(boardId, { type: 'create_task', listId, title }, { operator: true });
    // The writes are copied once they pause (50 ms), found within a look or two.
    await write('first');
    await until(() => (store.checkpoints?.checkpoints ?? 0) >= 1, 'the first checkpoint');
    const copied = store.checkpoints!;
    // Then 1.5 s with nothing written: at 5 ms a look, some 300 looks; backing off to 250 ms, about
    // 12. The looks are counted in the stats the worker posts with its next checkpoint.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await write('after a pause');
    await until(() => (store.checkpoints?.checkpoints ?? 0) > copied.checkpoints, 'the next checkpoint');
    const idleLooks = store.checkpoints!.looks - copied.looks;
    expect(idleLooks).toBeGreaterThan(3);
    expect(idleLooks).toBeLessThan(40);
    // The write after the pause was still copied within one long wait, its pause and a few looks.
    const board = await store.getBoard(boardId);
    expect(board!.lists[0]!.tasks).toHaveLength(2);
  });

  it('a store in memory has none', async () => {
    const store = open(':memory:');
    await boardWithList(store);
    expect(store.checkpoints).toBeUndefined();
  });
});
