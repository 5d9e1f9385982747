import pg from 'pg';
import { defineAccountStoreContract } from '../contract/account-contract.js';
import {
  dropSchema,
  freshSchemaName,
  POSTGRES_URL,
  postgresReachable,
} from '../../../test/support/postgres.js';
import { PostgresStore } from './postgres-store.js';
import { migrate } from './schema.js';

/** The schema version before the accounts' tables (migration 4). */
const BEFORE_ACCOUNTS = 3;

const reachable = await postgresReachable();
let schemas: string[] = [];

function freshSchema(): string {
  const schema = freshSchemaName();
  schemas.push(schema);
  return schema;
}

defineAccountStoreContract(
  'postgres',
  {
    async open() {
      const store = new PostgresStore(POSTGRES_URL, freshSchema());
      await store.migrate();
      return store;
    },
    async openAgain() {
      const store = new PostgresStore(POSTGRES_URL, schemas.at(-1));
      await store.migrate();
      return store;
    },
    async openBeforeAccounts(rows) {
      const schema = freshSchema();
      const client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        await migrate(client, schema, BEFORE_ACCOUNTS);
        for (const sql of rows) await client.query(sql);
      } finally {
        await client.end();
      }
      return new PostgresStore(POSTGRES_URL, schema);
    },
    async cleanup() {
      for (const schema of schemas) await dropSchema(schema);
      schemas = [];
    },
  },
  { skip: !reachable, revocationsAcrossStores: true },
);
