// PostgreSQL's floor for a task creation: what the database alone needs to do what one POST does
// to it, with its default durability (synchronous_commit = on) and the load's concurrency: N
// writers on N pool connections (at most `maxConnections`, and no more than the server has free,
// less 12; past it they wait for one, and the result says how many it had), each
// write one transaction: BEGIN; SELECT … FOR UPDATE on the board's row; insert the task, the
// event, the title's search row and the used_ids claim; UPDATE the board's seq; COMMIT, on
// Liveboard's own schema (the server build's migrations). Prepared statements, one round trip each. Writer i writes to its boards round-robin, as the HTTP load does.
//   node bench/writes/floor-postgres.js '{"url":"postgres://postgres@127.0.0.1:5432/postgres","schema":"bench_floor_x","writers":64,"boards":64}'
// prints one JSON line; creates the schema and drops it at the end.
import pg from 'pg';
import { monotonicMs } from '../lib/clock.js';
import { databaseCpu, ownCpuSeconds } from './cpu.js';
import { migrate } from '../../dist/store/postgres/schema.js';
import { searchDoc } from '../../dist/store/search-rows.js';
import { boardId, floorInput, listId, taskCreation, windowRecorder } from './floor-rows.js';
import { boardsOfWriter } from './plan.js';

const input = floorInput();
const url = input.url ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema = input.schema ?? `bench_floor_${process.pid}`;
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
const admin = new pg.Client({ connectionString: url });
await admin.connect();
let pool;
let connections;
try {
  // No more connections than the server has free, less a margin for everyone else using it.
  const { rows: free } = await admin.query(
    `SELECT current_setting('max_connections')::int - (SELECT count(*) FROM pg_stat_activity)::int AS n`,
  );
  connections = Math.max(1, Math.min(input.writers, input.maxConnections, free[0].n - 12));
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.query(`SET search_path = "${schema}"`);
  await migrate(admin, schema);
  const at = new Date().toISOString();
  const ks = Array.from({ length: input.boards }, (_, k) => k);
  await admin.query(
    `INSERT INTO boards (id, title, seq, created_at, updated_at) SELECT id, id, 0, $2, $2 FROM unnest($1::text[]) id`,
    [ks.map(boardId), at],
  );
  await admin.query(
    `INSERT INTO lists (id, board_id, title, position) SELECT l, b, 'To do', 'a0' FROM unnest($1::text[], $2::text[]) AS x (l, b)`,
    [ks.map(listId), ks.map(boardId)],
  );
  await admin.query(
    `INSERT INTO used_ids (id, board_id) SELECT i, b FROM unnest($1::text[], $2::text[]) AS x (i, b)`,
    [
      [...ks.map(boardId), ...ks.map(listId)],
      [...ks.map(boardId), ...ks.map(boardId)],
    ],
  );

  pool = new pg.Pool({ connectionString: url, max: connections, options: `-c search_path=${schema}` });
  pool.on('error', () => undefined);
  // Open every connection before the clock starts, as a server's warm pool would be.
  const warm = await Promise.allSettled(Array.from({ length: connections }, () => pool.connect()));
  for (const client of warm) if (client.status === 'fulfilled') client.value.release();
  const refused = warm.find((client) => client.status === 'rejected');
  if (refused) throw new Error(`${connections} connections: ${refused.reason.message}`);

  const q = (name, text) => (values) => ({ name, text, values });
  const lock = q('floor_lock', 'SELECT seq, deleted_at FROM boards WHERE id = $1 FOR UPDATE');
  const insertTask = q(
    'floor_task',
    `INSERT INTO tasks (id, board_id, list_id, title, description, position, version, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
  );
  const insertEvent = q(
    'floor_event',
    'INSERT INTO events (board_id, seq, type, data, task_id) VALUES ($1, $2, $3, $4, $5)',
  );
  const insertDoc = q(
    'floor_search',
    `INSERT INTO search_docs (doc_key, board_id, task_id, comment_id, field, rank, updated_at, body, terms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, array_to_tsvector(string_to_array($9, ' ')))`,
  );
  const claim = q(
    'floor_claim',
    'INSERT INTO used_ids (id, board_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
  );
  const bump = q('floor_bump', 'UPDATE boards SET seq = $1, updated_at = $2 WHERE id = $3');
  const notify = q('floor_notify', "SELECT pg_notify('bench_floor', $1)");

  let n = 0;
  async function write(k) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(lock([boardId(k)]));
      const seq = Number(rows[0].seq) + 1;
      const row = taskCreation(k, n++, seq);
      await client.query(insertTask(row.taskValues));
      await client.query(insertEvent([boardId(k), seq, 'task_created', row.event, row.task.id]));
      await client.query(insertDoc(searchDoc(boardId(k), row.task, 'title', row.task.title, row.at)));
      const claimed = await client.query(claim([row.task.id, boardId(k)]));
      if (claimed.rowCount === 0) throw new Error('id taken');
      await client.query(bump([seq, row.at, boardId(k)]));
      // By hand only (`"notify": true`): the NOTIFY Liveboard sends in each write's transaction.
      if (input.notify) await client.query(notify([`${boardId(k)}:${seq}`]));
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  const cpu = () => ({ own: ownCpuSeconds(), db: databaseCpu() });
  const window = windowRecorder(input, cpu);
  const ticker = setInterval(() => window.tick(monotonicMs()), 5);
  let issued = 0;
  let failures = 0;
  const writer = async (i) => {
    const mine = boardsOfWriter(i, input.writers, input.boards);
    for (let turn = 0; issued < input.maxWrites; turn++) {
      issued++;
      const started = monotonicMs();
      try {
        await write(mine[turn % mine.length]);
      } catch {
        failures++;
      }
      if (!window.record(started, monotonicMs())) break;
    }
  };
  await Promise.all(Array.from({ length: input.writers }, (_, i) => writer(i)));
  window.tick(Infinity);
  clearInterval(ticker);
  console.log(
    JSON.stringify(
      window.result({
        store: 'postgres',
        notify: Boolean(input.notify),
        connections,
        writers: input.writers,
        boards: input.boards,
        failures,
      }),
    ),
  );
} finally {
  // Bounded: a client still checked out (an error mid-write) would hold pool.end() forever.
  await Promise.race([
    pool?.end().catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, 5000).unref()),
  ]);
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  await admin.end().catch(() => undefined);
}
