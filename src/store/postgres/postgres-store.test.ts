import { defineStoreContract } from '../store-contract.js';
import {
  dropSchema,
  freshSchemaName,
  POSTGRES_URL,
  postgresReachable,
} from '../../../test/support/postgres.js';
import { PostgresStore } from './postgres-store.js';

const reachable = await postgresReachable();
let schema: string | undefined;

defineStoreContract(
  'postgres',
  {
    async open() {
      schema = freshSchemaName();
      return new PostgresStore(POSTGRES_URL, schema);
    },
    async reopen() {
      const store = new PostgresStore(POSTGRES_URL, schema);
      await store.migrate();
      return store;
    },
    async cleanup() {
      if (schema) await dropSchema(schema);
      schema = undefined;
    },
  },
  { skip: !reachable },
);
