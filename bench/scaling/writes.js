// Writes per second through the REST API, on one board (the per-board ceiling: group commit, the
// board's row lock) or spread over many (the per-database ceiling), on SQLite and PostgreSQL, with
// one server process or a cluster of them. The load generator is keep-alive HTTP/1.1 on raw
// sockets (lib.js HttpPool): C connections, one write in flight on each, for S seconds per step.
// A write is PATCH /boards/:id/tasks/:taskId {"title"}: a card edited, the board's size unchanged.
//
//   node bench/scaling/writes.js [--boards 1] [--stores sqlite,pg] [--processes 1,2]
//                                [--concurrency 1,8,64] [--seconds 4]
//
// Reports writes/s, the answer's p50/p99, server CPU per write (all server processes, /proc), and
// for PostgreSQL its backends' CPU and WAL bytes per write (PgSampler). (Not transactions: the
// statistics that count them are flushed too lazily for a 4-second step.) The servers
// are the built dist/ (as `npm start` and `npm run cluster` run it) with LIVEBOARD_WRITE_RATE_LIMIT=0,
// on 127.0.0.1; each store is fresh (a temporary SQLite file, a new PostgreSQL database), removed
// at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { boardMaker } from '../lib/accounts.js';
import {
  HttpPool,
  PG_ADMIN_URL,
  PgSampler,
  cleanup,
  cpuSeconds,
  createDatabase,
  deadline,
  loadAverage,
  machine,
  monotonicMs,
  onCleanup,
  options,
  round,
  sleep,
  startLiveboard,
  summarize,
  writeReport,
} from './lib.js';

const opts = options({ boards: 1, stores: 'sqlite,pg', processes: '1,2', concurrency: '1,8,64', seconds: 4 });
const concurrencies = opts.concurrency.split(',').map(Number);
const processCounts = opts.processes.split(',').map(Number);
const stores = opts.stores.split(',');
const planned = stores.length * processCounts.length * (concurrencies.length * (opts.seconds + 0.5) + 6);
if (planned > 115) throw new Error(`about ${Math.round(planned)} s planned: over 2 minutes; fewer steps`);
deadline(120_000);

/**
 * Boards with one list and `tasks` cards each, made through the API; returns [{ boardId, taskIds }].
 * Made by a bench user and open to everyone (see boardMaker): the writes stay anonymous.
 */
async function seed(url, pool, boards, tasks) {
  const maker = await boardMaker(url);
  const made = [];
  await Promise.all(
    Array.from({ length: boards }, async (_, index) => {
      const created = await pool.request(
        'POST',
        '/boards',
        { title: `scaling ${index}`, ...maker.fields },
        maker.headers,
      );
      if (created.status !== 201) throw new Error(`POST /boards: ${created.status} ${created.body}`);
      const board = JSON.parse(created.body);
      const list = JSON.parse(
        (await pool.request('POST', `/boards/${board.id}/lists`, { title: 'To do' })).body,
      );
      const taskIds = [];
      for (let n = 0; n < tasks; n++) {
        const task = await pool.request('POST', `/boards/${board.id}/tasks`, {
          listId: list.id,
          title: `card ${n}`,
        });
        taskIds.push(JSON.parse(task.body).id);
      }
      made.push({ boardId: board.id, taskIds });
    }),
  );
  return made;
}

async function step(server, pool, boards, concurrency, sampler) {
  const serverPids = server.servers();
  const cpuBefore = serverPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const selfBefore = process.cpuUsage();
  const pgBefore = sampler ? await sampler.totalsSinceStart() : undefined;
  const load = loadAverage();
  const latencies = [];
  const statuses = {};
  let written = 0;
  let counter = 0;
  const started = monotonicMs();
  const until = started + opts.seconds * 1000;
  let sampling = true;
  const samplingLoop = (async () => {
    while (sampling && sampler) {
      await sampler.sample();
      await sleep(250);
    }
  })();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (monotonicMs() < until) {
        const board = boards[Math.floor(Math.random() * boards.length)];
        const taskId = board.taskIds[Math.floor(Math.random() * board.taskIds.length)];
        const response = await pool.request('PATCH', `/boards/${board.boardId}/tasks/${taskId}`, {
          title: `edit ${++counter}`,
        });
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status === 200) {
          written++;
          latencies.push(response.ms);
        }
      }
    }),
  );
  const seconds = (monotonicMs() - started) / 1000;
  sampling = false;
  await samplingLoop;
  const serverCpu = serverPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - cpuBefore;
  const self = process.cpuUsage(selfBefore);
  const pg = sampler ? await sampler.totalsSinceStart() : undefined;
  const perWrite = (value) => round(value / Math.max(1, written));
  return {
    concurrency,
    seconds: round(seconds),
    writesPerS: Math.round(written / seconds),
    statuses,
    ms: summarize(latencies),
    serverCpuUsPerWrite: perWrite(serverCpu * 1e6),
    serverCores: round(serverCpu / seconds),
    loadGeneratorCpuUsPerWrite: perWrite(self.user + self.system),
    db: pg
      ? {
          backendCpuUsPerWrite: perWrite((pg.backendCpuS - pgBefore.backendCpuS) * 1e6),
          backendCores: round((pg.backendCpuS - pgBefore.backendCpuS) / seconds),
          walBytesPerWrite: Math.round((pg.walBytes - pgBefore.walBytes) / Math.max(1, written)),
        }
      : undefined,
    loadAverage: load,
  };
}

async function run() {
  const report = { machine: machine(), options: opts, runs: [] };
  console.log(
    `${opts.boards} board(s); PATCH a card's title; ${opts.seconds} s per step\n` +
      'store   processes  writers  writes/s   p50/p99 ms   server µs CPU/write  DB µs CPU/write  WAL B/write  load',
  );
  for (const store of stores) {
    for (const processes of processCounts) {
      let databaseUrl;
      let sampler;
      if (store === 'pg') {
        const database = await createDatabase('scaling_writes');
        databaseUrl = database.url;
        sampler = new PgSampler(PG_ADMIN_URL, database.name);
      } else {
        const dir = mkdtempSync(`${tmpdir()}/scaling-writes-`);
        onCleanup(async () => rmSync(dir, { recursive: true, force: true }));
        databaseUrl = `file:${dir}/liveboard.db`;
      }
      const server = await startLiveboard({ databaseUrl, processes });
      const pool = new HttpPool(server.port, Math.max(...concurrencies, 16));
      const boards = await seed(server.url, pool, opts.boards, opts.boards === 1 ? 50 : 4);
      await sampler?.start();
      for (const concurrency of concurrencies) {
        const result = {
          store,
          processes,
          boards: opts.boards,
          ...(await step(server, pool, boards, concurrency, sampler)),
        };
        report.runs.push(result);
        console.log(
          [
            store.padEnd(7),
            String(processes).padStart(9),
            String(concurrency).padStart(8),
            String(result.writesPerS).padStart(9),
            `${result.ms.p50}/${result.ms.p99}`.padStart(12),
            String(result.serverCpuUsPerWrite).padStart(20),
            String(result.db?.backendCpuUsPerWrite ?? '-').padStart(16),
            String(result.db?.walBytesPerWrite ?? '-').padStart(12),
            `  ${result.loadAverage[0]}`,
          ].join(' '),
        );
        const refused = Object.keys(result.statuses).filter((status) => status !== '200');
        if (refused.length) console.log(`        answers: ${JSON.stringify(result.statuses)}`);
      }
      pool.close();
      await sampler?.stop();
      await server.stop();
    }
  }
  report.loadAverageAtEnd = loadAverage();
  console.log(`report: ${writeReport(`writes-${opts.boards}-boards`, report)}`);
}

run()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
