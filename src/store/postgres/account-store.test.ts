import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Revocation } from '../accounts.js';
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

describe.skipIf(!reachable)('PostgreSQL revocations', () => {
  const schema = freshSchemaName();
  afterAll(() => dropSchema(schema));

  it('a store that listens before its schema exists hears the revocations made once it does', async () => {
    const early = new PostgresStore(POSTGRES_URL, schema);
    const heard: Revocation[] = [];
    await early.accounts.watchRevocations((revocation) => heard.push(revocation));
    const other = new PostgresStore(POSTGRES_URL, schema);
    try {
      await other.migrate();
      const now = new Date();
      const user = await other.accounts.createUser({
        username: 'alice',
        displayName: '',
        passwordHash: 'h',
        now,
      });
      await other.accounts.createSession({ idHash: 'a'.repeat(64), userId: user.id, now, ttlMs: 60_000 });
      await other.accounts.revokeSession('a'.repeat(64));
      const deadline = Date.now() + 3000;
      while (heard.length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(heard).toEqual([{ kind: 'session', idHash: 'a'.repeat(64) }]);
    } finally {
      await other.close();
      await early.close();
    }
  });
});
