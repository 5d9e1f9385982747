import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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
