/**
 * The disk cost of a board's log at the default retention (100,000 events), on both stores: a
 * board of 1,000 cards receiving the mix of a working board (creates, edits, moves, comments),
 * written through the store's group commit as the server writes it. Prints bytes per event and the
 * total, and the p50/p95 of a card's history page (GET /activity's query) on the full log and of a
 * search on that board (its ~1,000 cards and ~25,000 comments).
 *
 *   npx tsx bench/history/log-size.ts [events] [postgres-url]
 */
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { BoardCommand, Task } from '../../src/domain/index.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

const EVENTS = Number(process.argv[2] ?? 100_000);
const POSTGRES_URL = process.argv[3] ?? 'postgres://postgres@127.0.0.1:5432/test';
const OWNER = { userId: 'user-bench0001', username: 'bench' };
const BATCH = 100;

const words = 'plan ship review write test deploy fix design draft check call email report budget'.split(' ');
const sentence = (n: number, seed: number): string =>
  Array.from({ length: n }, (_, i) => words[(seed * 7 + i * 13) % words.length]).join(' ');

async function fill(store: Store): Promise<{ boardId: string; taskIds: string[] }> {
  const { boardId } = await store.createBoard({ title: 'Log size', owner: OWNER }, { by: OWNER });
  const listIds: string[] = [];
  for (const title of ['To do', 'Doing', 'Done']) {
    const outcome = await store.execute(boardId, { type: 'create_list', title }, { by: OWNER });
    listIds.push((outcome.entity as { id: string }).id);
  }
  const taskIds: string[] = [];
  let written = 3;
  while (written < EVENTS) {
    const writes: Array<{ command: BoardCommand; options: { by: typeof OWNER } }> = [];
    for (let i = 0; i < BATCH && written + writes.length < EVENTS; i++) {
      const n = written + writes.length;
      const taskId = taskIds.length > 0 ? taskIds[(n * 31) % taskIds.length]! : undefined;
      let command: BoardCommand;
      if (taskId === undefined || (taskIds.length < 1000 && n % 4 === 0)) {
        command = {
          type: 'create_task',
          listId: listIds[0]!,
          title: sentence(4, n),
          description: sentence(16, n),
        };
      } else if (n % 4 === 1) {
        command = { type: 'update_task', taskId, listId: listIds[(n + 1) % 3]! };
      } else if (n % 4 === 2) {
        command = { type: 'add_comment', taskId, body: sentence(12, n) };
      } else {
        command = { type: 'update_task', taskId, description: sentence(16, n + 1) };
      }
      writes.push({ command, options: { by: OWNER } });
    }
    const results = await store.executeBatch(boardId, writes);
    for (const result of results) {
      if (!result.ok) throw result.error;
      if (result.outcome.change === 'created' && 'listId' in result.outcome.entity!) {
        taskIds.push((result.outcome.entity as Task).id);
      }
    }
    written += writes.length;
  }
  return { boardId, taskIds };
}

async function historyTimings(store: Store, boardId: string, taskIds: string[]): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < 500; i++) {
    const start = performance.now();
    await store.readActivity(boardId, taskIds[(i * 37) % taskIds.length], { limit: 50 });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const searches: number[] = [];
  for (let i = 0; i < 500; i++) {
    const query = [words[i % words.length]!.slice(0, 3), words[(i * 5) % words.length]!];
    const start = performance.now();
    await store.search(boardId, { terms: query, limit: 20 });
    searches.push(performance.now() - start);
  }
  searches.sort((a, b) => a - b);
  return (
    `history page p50 ${times[250]!.toFixed(2)} ms, p95 ${times[475]!.toFixed(2)} ms; ` +
    `search (two prefix terms, 20 results) p50 ${searches[250]!.toFixed(2)} ms, p95 ${searches[475]!.toFixed(2)} ms`
  );
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function sqlite(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'liveboard-log-size-'));
  const store = new SqliteStore(join(folder, 'store.db'));
  await store.migrate();
  const empty = folderBytes(folder);
  const { boardId, taskIds } = await fill(store);
  const timings = await historyTimings(store, boardId, taskIds);
  await store.close();
  const bytes = folderBytes(folder) - empty;
  // The log's own pages (the table and its task_id index), read from SQLite's dbstat table.
  const db = new Database(join(folder, 'store.db'), { readonly: true });
  const { log } = db
    .prepare<[], { log: number }>(
      "SELECT SUM(pgsize) AS log FROM dbstat WHERE name IN ('events', 'events_by_task')",
    )
    .get()!;
  db.close();
  console.log(
    `sqlite: ${EVENTS} events, the log ${mb(log)} with its index (${Math.round(log / EVENTS)} B/event), ` +
      `the whole file ${mb(bytes)}; ${timings}`,
  );
  rmSync(folder, { recursive: true, force: true });
}

function folderBytes(folder: string): number {
  return readdirSync(folder).reduce((sum, name) => sum + statSync(join(folder, name)).size, 0);
}

async function postgres(): Promise<void> {
  const schema = `lb_log_size_${process.pid}`;
  const store = new PostgresStore(POSTGRES_URL, schema);
  await store.migrate();
  const { boardId, taskIds } = await fill(store);
  const timings = await historyTimings(store, boardId, taskIds);
  await store.close();
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`VACUUM ANALYZE "${schema}".events`);
  const { rows } = await client.query<{ events: string; all: string }>(
    `SELECT pg_total_relation_size('"${schema}".events') AS events,
       (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r') AS all`,
    [schema],
  );
  await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  await client.end();
  const events = Number(rows[0]!.events);
  console.log(
    `postgres: ${EVENTS} events, the log ${mb(events)} with its indexes (${Math.round(events / EVENTS)} B/event), every table ${mb(Number(rows[0]!.all))}; ${timings}`,
  );
}

await sqlite();
await postgres();
