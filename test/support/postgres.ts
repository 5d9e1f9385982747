/**
 * PostgreSQL for tests: the local server (127.0.0.1:5432, database `test`), with a fresh schema per
 * use so that runs never see each other's tables. Where no server answers, tests skip saying why;
 * in CI (CI=true) they must run, so there an unreachable server is a failure, not a skip.
 */
import pg from 'pg';

export const POSTGRES_URL =
  process.env.LIVEBOARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    if (process.env.CI) {
      throw new Error(`PostgreSQL at ${POSTGRES_URL} is required in CI: ${String(error)}`, { cause: error });
    }
    console.warn(`skipping PostgreSQL tests: no server at ${POSTGRES_URL} (${String(error)})`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function freshSchemaName(): string {
  return `lb_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
}

/** A DATABASE_URL that keeps Liveboard's tables in its own schema. */
export function schemaUrl(schema: string): string {
  return `${POSTGRES_URL}?schema=${schema}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs SQL as an administrator of the test database (e.g. pg_terminate_backend). */
export async function adminQuery<Row extends pg.QueryResultRow>(
  sql: string,
  params: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
