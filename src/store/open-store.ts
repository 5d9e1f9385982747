import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/**
 * The store that a DATABASE_URL names: `file:<path>` (or `file::memory:`) is SQLite. The URL has
 * been checked by the config loader (config.ts), which tells the operator what is wrong with it;
 * what is refused here can only be a caller's mistake.
 */
export async function openStore(databaseUrl: string): Promise<Store> {
  if (databaseUrl.startsWith('file:')) {
    return new SqliteStore(databaseUrl.slice('file:'.length) || './data/liveboard.db');
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    // `?schema=name` keeps Liveboard's tables in that schema (tests give each run its own).
    const url = new URL(databaseUrl);
    const schema = url.searchParams.get('schema') ?? undefined;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new TypeError(`DATABASE_URL: schema must be a plain lower-case identifier, got '${schema}'`);
    }
    url.searchParams.delete('schema');
    return new PostgresStore(url.toString(), schema);
  }
  throw new TypeError(`DATABASE_URL must start with file: or postgres://, got '${databaseUrl}'`);
}
