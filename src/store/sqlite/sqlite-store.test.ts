import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { defineChecklistsContract } from '../contract/checklists-contract.js';
import { defineCommentsAndSearchContract } from '../contract/comments-search-contract.js';
import { defineStoreContract, type StoreFixture } from '../contract/store-contract.js';
import { migrate } from './schema.js';
import { SqliteStore } from './sqlite-store.js';

let folder: string | undefined;

function freshFile(): string {
  folder = mkdtempSync(join(tmpdir(), 'liveboard-store-'));
  return join(folder, 'store.db');
}

const fixture: StoreFixture = {
  async open() {
    return new SqliteStore(freshFile());
  },
  async reopen() {
    return new SqliteStore(join(folder!, 'store.db'));
  },
  async openLegacy(legacyRows, schemaVersion = 1) {
    const path = freshFile();
    const db = new Database(path);
    migrate(db, schemaVersion);
    for (const sql of legacyRows) db.exec(sql);
    db.close();
    return new SqliteStore(path);
  },
  async cleanup() {
    if (folder) rmSync(folder, { recursive: true, force: true });
    folder = undefined;
  },
};

defineStoreContract('sqlite', fixture);
defineCommentsAndSearchContract('sqlite', fixture);
defineChecklistsContract('sqlite', fixture);

describe('SQLite: several boards in one transaction (executeBoardBatches)', () => {
  it('decides each board’s writes as executeBatch would, a refusal alone, in one commit', async () => {
    const store = (await fixture.open()) as SqliteStore;
    try {
      const operator = { operator: true };
      const boards: { boardId: string; listId: string }[] = [];
      for (const title of ['one', 'two', 'three']) {
        const board = await store.createBoard({ title }, operator);
        const list = await store.execute(board.boardId, { type: 'create_list', title: 'to do' }, operator);
        boards.push({ boardId: board.boardId, listId: (list.entity as { id: string }).id });
      }
      const task = (listId: string, title: string) => ({
        command: { type: 'create_task' as const, listId, title },
        options: operator,
      });
      const results = await store.executeBoardBatches(
        boards.map(({ boardId, listId }, index) => ({
          boardId,
          writes:
            index === 1
              ? [task(listId, 'a'), task('list-nowhere0001', 'refused'), task(listId, 'b')]
              : [task(listId, `only ${index}`)],
        })),
      );
      expect(results.map((board) => board.map((result) => result.ok))).toEqual([
        [true],
        [true, false, true],
        [true],
      ]);
      expect(results[1]![1]).toMatchObject({ ok: false, error: { code: 'list_not_found' } });
      for (const [index, { boardId }] of boards.entries()) {
        const snapshot = await store.getBoard(boardId);
        expect(snapshot!.seq).toBe(index === 1 ? 3 : 2);
        const events = await store.readEvents(boardId, 1, 10);
        expect(events.map((event) => event.seq)).toEqual(index === 1 ? [2, 3] : [2]);
      }
      await expect(
        store.executeBoardBatches([
          { boardId: boards[0]!.boardId, writes: [] },
          { boardId: boards[0]!.boardId, writes: [] },
        ]),
      ).rejects.toThrow(TypeError);
    } finally {
      await store.close();
    }
  });
});
