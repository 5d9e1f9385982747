import { ConfigError } from '../config.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** The store that a DATABASE_URL names: `file:<path>` (or `file::memory:`) is SQLite. */
export async function openStore(databaseUrl: string): Promise<Store> {
  if (databaseUrl.startsWith('file:')) {
    return new SqliteStore(databaseUrl.slice('file:'.length) || './data/liveboard.db');
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      'PostgreSQL is not available in this version yet: use DATABASE_URL=file:<path> (SQLite, the default)',
    );
  }
  throw new ConfigError(`DATABASE_URL must start with file: or postgres://, got '${databaseUrl}'`);
}
