import pg from 'pg';
import { defineChecklistsContract } from '../contract/checklists-contract.js';
import { defineCommentsAndSearchContract } from '../contract/comments-search-contract.js';
import { defineStoreContract, type StoreFixture } from '../contract/store-contract.js';
import {
  dropSchema,
  freshSchemaName,
  POSTGRES_URL,
  postgresReachable,
} from '../../../test/support/postgres.js';
import { PostgresStore } from './postgres-store.js';
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
