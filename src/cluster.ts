/**
 * Several Liveboard processes on one port and one database: `npm run cluster -- --processes 2`, on
 * the embedded SQLite file (WAL: readers at once, one writer at a time) or on PostgreSQL. Node's
 * cluster module hands each new connection to the next process, so the cores share the fan-out;
 * every process streams every board (the commit feed), and a client whose process dies reconnects
 * to another and resumes with its Last-Event-ID.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { runFromEnvironment } from './main.js';
import { relayCommits } from './store/sqlite/commit-feed.js';

const RESTART_DELAY_MS = 1000;

if (cluster.isPrimary) {
  const { values } = parseArgs({ options: { processes: { type: 'string', short: 'p' } } });
  const processes = Number(values.processes ?? availableParallelism());
  if (!Number.isInteger(processes) || processes < 1 || processes > 64) {
    console.error('liveboard cluster: --processes must be a whole number from 1 to 64');
    process.exit(2);
  }
  // SQLite's processes learn of each other's commits through the primary; PostgreSQL's through LISTEN.
  relayCommits();
  let stopping = false;
  for (let index = 0; index < processes; index++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(
      `liveboard cluster: process ${worker.process.pid} exited (${signal ?? code}); starting another`,
    );
    setTimeout(() => cluster.fork(), RESTART_DELAY_MS);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      cluster.on('exit', () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      });
    });
  }
} else {
  runFromEnvironment().catch((error: unknown) => {
    console.error(error instanceof Error ? `liveboard: ${error.message}` : error);
    process.exit(1);
  });
}
