import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { defineChecklistsContract } from '../contract/checklists-contract.js';
import { defineCommentsAndSearchContract } from '../contract/comments-search-contract.js';
import { defineStoreContract, type StoreFixture } from '../contract/store-contract.js';
import {
  dropSchema,
  freshSchemaName,
  POSTGRES_URL,
  postgresReachable,
} from '../../../test/support/postgres.js';
import { KEYED_SESSION, PostgresStore } from './postgres-store.js';
import { SQL, WRITE_BATCHES } from './statements.js';
import { migrate } from './schema.js';

const reachable = await postgresReachable();
let schema: string | undefined;

const fixture: StoreFixture = {
  async open() {
    schema = freshSchemaName();
    return new PostgresStore(POSTGRES_URL, schema);
  },
  async reopen() {
    const store = new PostgresStore(POSTGRES_URL, schema);
    await store.migrate();
    return store;
  },
  async openLegacy(legacyRows, schemaVersion = 1) {
    schema = freshSchemaName();
    const client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      await migrate(client, schema, schemaVersion);
      for (const sql of legacyRows) await client.query(sql);
    } finally {
      await client.end();
    }
    return new PostgresStore(POSTGRES_URL, schema);
  },
  async cleanup() {
    if (schema) await dropSchema(schema);
    schema = undefined;
  },
};

defineStoreContract('postgres', fixture, { skip: !reachable });
defineCommentsAndSearchContract('postgres', fixture, { skip: !reachable });
defineChecklistsContract('postgres', fixture, { skip: !reachable });

describe.skipIf(!reachable)('PostgreSQL: the write path’s plans', () => {
  /** The generic plan of `text` in a session with `options`, on the migrated, empty tables. */
  async function genericPlan(text: string, options: string): Promise<string> {
    const client = new pg.Client({
      connectionString: POSTGRES_URL,
      options: `-c search_path=${schema} ${options}`,
    });
    await client.connect();
    try {
      const parameters = Math.max(...[...text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
      await client.query(`PREPARE keyed AS ${text}`);
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN EXECUTE keyed(${Array.from({ length: parameters }, () => 'NULL').join(', ')})`,
      );
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await client.end();
    }
  }

  it('made while the tables are empty, scans none of them, so a long-lived connection stays fast as they grow', async () => {
    const store = await fixture.open();
    try {
      await store.migrate();
      const keyed = [
        WRITE_BATCHES,
        SQL.batchLookups,
        SQL.boardHead,
        SQL.boardHeadWithoutMembers,
        SQL.eventsAfter,
      ];
      for (const text of keyed) expect(await genericPlan(text, KEYED_SESSION)).not.toMatch(/Seq Scan/);
      // The same generic plan in a default session: what the first connections used to keep.
      expect(await genericPlan(WRITE_BATCHES, '-c plan_cache_mode=force_generic_plan')).toMatch(
        /Seq Scan on (search_docs|tasks|comments)/,
      );
    } finally {
      await store.close();
      await fixture.cleanup();
    }
  });
});
