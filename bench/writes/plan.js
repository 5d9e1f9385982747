// What `npm run bench:writes` measures, decided from the environment before anything starts: the
// points (writers × boards), the stores, the builds, and how writers and their boards are shared.
// Pure, so the tests can check it.
import { existsSync } from 'node:fs';

export const STORES = {
  sqlite: { label: 'SQLite', floor: 'sqlite', processes: 1 },
  postgres: { label: 'PostgreSQL, 1 process', floor: 'postgres', processes: 1 },
  'postgres-cluster': { label: 'PostgreSQL, 2 processes', floor: 'postgres', processes: 2 },
};
/** What each point runs: this build, the build before it, and the database's own floor. */
export const RUNNERS = ['liveboard', 'liveboard-alt', 'floor'];
export const DEFAULT_ALT_MAIN = '/tmp/liveboard-alt/dist/main.js';

const list = (raw, fallback) =>
  raw === undefined || raw === ''
    ? fallback
    : raw
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
const numbers = (raw, fallback) => list(raw, fallback).map(Number);

export function writeConfig(env = process.env, { altExists = existsSync } = {}) {
  const quick = env.BENCH_QUICK === '1';
  const num = (name, fallback) =>
    env[name] !== undefined && env[name] !== '' ? Number(env[name]) : fallback;
  const writers = numbers(env.BENCH_WRITERS, quick ? [1, 64] : [1, 4, 16, 64, 256]);
  const boards = numbers(env.BENCH_WRITE_BOARDS, quick ? [1, 64] : [1, 64, 1000]);
  const stores = list(env.BENCH_WRITE_STORES, Object.keys(STORES));
  for (const store of stores)
    if (!STORES[store]) throw new Error(`BENCH_WRITE_STORES: unknown store ${store}`);
  for (const n of [...writers, ...boards])
    if (!Number.isInteger(n) || n < 1 || n > 10_000)
      throw new Error(`writers and boards: 1..10000, got ${n}`);
  const clusterProcesses = num('BENCH_WRITE_CLUSTER_PROCESSES', 2);
  if (stores.includes('postgres-cluster'))
    STORES['postgres-cluster'].label = `PostgreSQL, ${clusterProcesses} processes`;
  const altMain = env.BENCH_LIVEBOARD_ALT_MAIN || DEFAULT_ALT_MAIN;
  return {
    quick,
    writers,
    boards,
    // In a quick run, only the points the checks need: one board at 1 and 64 writers, 64 × 64.
    points: points(writers, boards, quick),
    stores,
    runners: list(env.BENCH_WRITE_RUNNERS, RUNNERS),
    warmupSeconds: num('BENCH_WRITE_WARMUP_SECONDS', quick ? 0.4 : 1),
    seconds: num('BENCH_WRITE_SECONDS', quick ? 1 : 2),
    // Each point is measured in `rounds` windows far apart in time; the median round is reported.
    rounds: num('BENCH_WRITE_ROUNDS', quick ? 1 : 3),
    loaders: num('BENCH_WRITE_LOADERS', 2),
    maxWritesPerPoint: num('BENCH_WRITE_MAX', 1_000_000),
    floorMaxConnections: num('BENCH_WRITE_FLOOR_CONNECTIONS', 64),
    clusterProcesses,
    mainBuild: env.BENCH_LIVEBOARD_MAIN || new URL('../../dist/main.js', import.meta.url).pathname,
    altMain: altExists(altMain) ? altMain : null,
    altMainWanted: altMain,
    postgresUrl: env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    fanout: {
      enabled: (env.BENCH_WRITE_FANOUT ?? '1') !== '0',
      subscribers: num('BENCH_WRITE_FANOUT_SUBSCRIBERS', quick ? 300 : 1000),
      rate: num('BENCH_WRITE_FANOUT_RATE', 500),
      otherBoards: num('BENCH_WRITE_FANOUT_BOARDS', 64),
      samples: num('BENCH_WRITE_FANOUT_SAMPLES', quick ? 4 : 30),
      // Quiet and busy samples alternate in this many blocks.
      blocks: num('BENCH_WRITE_FANOUT_BLOCKS', quick ? 1 : 3),
      clients: num('BENCH_WRITE_FANOUT_CLIENTS', 2),
    },
    timeoutSeconds: num('BENCH_TIMEOUT_S', quick ? 300 : 3600),
  };
}

export function points(writers, boards, quick = false) {
  const all = [];
  for (const b of boards) for (const w of writers) all.push({ writers: w, boards: b });
  if (!quick) return all;
  const wanted = all.filter(
    (p) => (p.boards === 1 && (p.writers === 1 || p.writers === 64)) || (p.boards === 64 && p.writers === 64),
  );
  return wanted.length ? wanted : all;
}

/**
 * The boards writer `i` of `writers` writes to, in turn: round-robin, so every board is written
 * when there are more boards than writers, and `writers / boards` writers share each board when
 * there are more writers.
 */
export function boardsOfWriter(i, writers, boards) {
  if (writers >= boards) return [i % boards];
  const mine = [];
  for (let b = i % writers; b < boards; b += writers) mine.push(b);
  return mine;
}

/** Writers dealt to `loaders` processes as evenly as they go: [[writer indexes], …]. */
export function dealWriters(writers, loaders) {
  const n = Math.max(1, Math.min(loaders, writers));
  const shares = Array.from({ length: n }, () => []);
  for (let i = 0; i < writers; i++) shares[i % n].push(i);
  return shares;
}

/** The order the runners take at point `k`: rotated, so none always runs first or last. */
export function rotation(runners, k) {
  const n = runners.length;
  return runners.map((_, i) => runners[(i + k) % n]);
}
