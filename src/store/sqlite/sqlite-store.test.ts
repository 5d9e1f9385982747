import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineStoreContract } from '../store-contract.js';
import { SqliteStore } from './sqlite-store.js';

let folder: string | undefined;

defineStoreContract('sqlite', {
  async open() {
    folder = mkdtempSync(join(tmpdir(), 'liveboard-store-'));
    return new SqliteStore(join(folder, 'store.db'));
  },
  async reopen() {
    return new SqliteStore(join(folder!, 'store.db'));
  },
  async cleanup() {
    if (folder) rmSync(folder, { recursive: true, force: true });
    folder = undefined;
  },
});
