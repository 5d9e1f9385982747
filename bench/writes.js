// `npm run bench:writes`: REST write throughput and latency (POST /boards/:id/tasks) under 1 to
// 256 concurrent keep-alive writers on 1, 64 and 1,000 boards, on SQLite, PostgreSQL and
// PostgreSQL with two processes; this build beside the build before it (liveboard-alt) and beside
// the database's own floor for the same rows, all in one run. Then one event's delivery to 1,000
// subscribers while paced writes go to other boards. See bench/README.md ("Writes"). Environment:
//   BENCH_QUICK=1                   a smoke run (about a minute): 3 points, short windows
//   BENCH_WRITERS=1,4,16,64,256     BENCH_WRITE_BOARDS=1,64,1000
//   BENCH_WRITE_SECONDS=2, BENCH_WRITE_WARMUP_SECONDS=1, BENCH_WRITE_ROUNDS=3 (per point and
//                                   runner: the median round is reported, all rounds in the JSON)
//   BENCH_WRITE_STORES=sqlite,postgres,postgres-cluster   BENCH_WRITE_CLUSTER_PROCESSES=2
//   BENCH_WRITE_RUNNERS=liveboard,liveboard-alt,floor     BENCH_WRITE_LOADERS=2 (load processes)
//   BENCH_LIVEBOARD_MAIN, BENCH_LIVEBOARD_ALT_MAIN (/tmp/liveboard-alt/dist/main.js)
//   BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres; each server gets its own schema)
//   BENCH_WRITE_FLOOR_CONNECTIONS=64 (the PostgreSQL floor's most connections)
//   BENCH_WRITE_FANOUT=1, _SUBSCRIBERS=1000, _RATE=500, _BOARDS=64, _SAMPLES=30, _BLOCKS=3, _CLIENTS=2
//   BENCH_TIMEOUT_S=3600            the whole run stops there, cleans up and reports what it has
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { monotonicMs } from './lib/clock.js';
import { createAgent, send } from './lib/http.js';
import { round, summarize } from './lib/stats.js';
import { cpuBetween, databaseCpu } from './writes/cpu.js';
import { createTaskRequest } from './writes/http1.js';
import { boardsOfWriter, dealWriters, rotation, STORES, writeConfig } from './writes/plan.js';
import { killAll, Loaders, runScript, SseClients } from './writes/processes.js';
import {
  checkWrites,
  cpuPercent,
  medianRound,
  mergeRuns,
  renderChecks,
  renderFanout,
  renderStoreTable,
  renderSvg,
} from './writes/report.js';
import {
  boardSeq,
  createBoards,
  dropSchema,
  freePort,
  freshStore,
  liveboardServer,
  postgresProblem,
  snapshotBuild,
} from './writes/servers.js';

const BENCH = new URL('.', import.meta.url).pathname;
const config = writeConfig();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message) => console.error(`[writes ${new Date().toISOString().slice(11, 19)}] ${message}`);

const notes = [];
/** This build as run: a copy of dist/ taken at the start (see snapshotBuild). */
const build = { main: config.mainBuild, builtAt: null };
const stores = {};
const live = {
  servers: new Set(),
  stores: new Set(),
  schemas: new Set(),
  dirs: new Set(),
  loaders: null,
  sse: null,
};
const startedAt = new Date();
const loadAverageAtStart = os.loadavg();

function git(args, cwd = join(BENCH, '..')) {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

function machine() {
  return {
    cpu: os.cpus()[0]?.model,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    postgres: spawnSync('psql', ['--version'], { encoding: 'utf8' }).stdout?.trim() || null,
  };
}

/** One closed-loop run of `writers` writers on `boards` fresh boards of `server`. */
async function serverRun(server, point, agent) {
  const boards = await createBoards(server.url, agent, point.boards, {
    tag: `${point.writers}x${point.boards}`,
  });
  const request = (b) =>
    createTaskRequest({ host: '127.0.0.1', port: server.port, ...boards[b], title: 'bench write' });
  const shares = dealWriters(point.writers, config.loaders);
  const perBoard = boards.map((_, b) => request(b));
  const opened = await Promise.all(
    shares.map((writers, p) =>
      live.loaders.call(p, {
        cmd: 'open',
        host: '127.0.0.1',
        port: server.port,
        writers: writers.map((i) => boardsOfWriter(i, point.writers, point.boards).map((b) => perBoard[b])),
      }),
    ),
  );
  const connected = opened.reduce((sum, reply) => sum + reply.opened, 0);
  if (connected < point.writers)
    notes.push(`${server.name} ${point.writers}×${point.boards}: ${connected} of ${point.writers} connected`);
  const warmupMs = config.warmupSeconds * 1000;
  const measureMs = config.seconds * 1000;
  const startAt = monotonicMs() + 100;
  const cpu = () => ({
    server: server.cpuSeconds(),
    load: live.loaders.cpuSeconds(),
    db: databaseCpu(),
  });
  let cpuFrom = null;
  let cpuTo = null;
  const t1 = setTimeout(() => (cpuFrom = cpu()), startAt + warmupMs - monotonicMs());
  const t2 = setTimeout(() => (cpuTo = cpu()), startAt + warmupMs + measureMs - monotonicMs());
  const replies = await Promise.all(
    shares.map((_, p) =>
      live.loaders.call(p, {
        cmd: 'run',
        startAt,
        warmupMs,
        measureMs,
        maxWrites: Math.ceil(config.maxWritesPerPoint / shares.length),
      }),
    ),
  );
  clearTimeout(t1);
  clearTimeout(t2);
  // A timer held up past the last answer (a busy machine): read the CPU now, a little late.
  if (cpuFrom && !cpuTo) cpuTo = cpu();
  if (!cpuFrom) notes.push(`${server.name} ${point.writers}×${point.boards}: no CPU reading (timer late)`);
  await Promise.all(shares.map((_, p) => live.loaders.call(p, { cmd: 'close' })));
  const result = mergeRuns(replies, config.seconds);
  if (cpuFrom && cpuTo) {
    const used = (key) => (key === 'db' ? cpuBetween(cpuFrom.db, cpuTo.db) : cpuTo[key] - cpuFrom[key]);
    result.cpuSeconds = {
      server: used('server'),
      load: used('load'),
      db: server.storeKind === 'sqlite' ? null : used('db'),
    };
    // Per write: what each write cost the server and the database, whatever the rate.
    result.cpuMsPerWrite = {
      server: result.writes ? round((used('server') * 1000) / result.writes, 3) : null,
      db:
        server.storeKind === 'sqlite' || !result.writes
          ? null
          : round((used('db') * 1000) / result.writes, 3),
    };
    result.cpuPercent = {
      server: cpuPercent(used('server'), config.seconds),
      load: cpuPercent(used('load'), config.seconds),
      db: server.storeKind === 'sqlite' ? null : cpuPercent(used('db'), config.seconds),
    };
  }
  return result;
}

/** The database's floor for the same point, in its own process. */
async function floorRun(store, point, tag) {
  const input = {
    writers: point.writers,
    boards: point.boards,
    warmupMs: config.warmupSeconds * 1000,
    measureMs: config.seconds * 1000,
    maxWrites: config.maxWritesPerPoint,
    maxConnections: config.floorMaxConnections,
  };
  const timeoutMs = (config.warmupSeconds + config.seconds) * 1000 + 60_000;
  if (STORES[store].floor === 'sqlite') {
    const dir = mkdtempSync(join(os.tmpdir(), 'liveboard-floor-'));
    live.dirs.add(dir);
    try {
      const result = await runScript(
        join(BENCH, 'writes/floor-sqlite.js'),
        { ...input, path: join(dir, 'floor.db') },
        timeoutMs,
      );
      return withPercent(result);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      live.dirs.delete(dir);
    }
  }
  const schema = `bench_writes_${process.pid}_floor_${tag}`;
  live.schemas.add(schema);
  try {
    const result = await runScript(
      join(BENCH, 'writes/floor-postgres.js'),
      { ...input, url: config.postgresUrl, schema },
      timeoutMs,
    );
    return withPercent(result);
  } finally {
    await dropSchema(config.postgresUrl, schema).catch(() => undefined);
    live.schemas.delete(schema);
  }
}

function withPercent(result) {
  result.cpuMsPerWrite = {
    server: result.writes ? round((result.cpuSeconds * 1000) / result.writes, 3) : null,
    db:
      result.dbCpuSeconds === null || !result.writes
        ? null
        : round((result.dbCpuSeconds * 1000) / result.writes, 3),
  };
  result.cpuPercent = {
    server: cpuPercent(result.cpuSeconds, result.seconds),
    load: null,
    db: cpuPercent(result.dbCpuSeconds, result.seconds),
  };
  return result;
}

const sampleAccumulator = () => ({ samples: 0, incomplete: 0, latencies: [], lastSubscriber: [] });

function sampleSummary(acc) {
  return {
    samples: acc.samples,
    incomplete: acc.incomplete,
    deliveries: acc.latencies.length,
    latencyMs: summarize(acc.latencies),
    lastSubscriberMs: summarize(acc.lastSubscriber),
  };
}

/** `count` events on the watched board, one at a time, each waited for at every stream. */
async function oneEventSamples(sse, server, agent, watched, count, acc) {
  for (let i = 0; i < count; i++) {
    await sse.reset(true);
    const res = await send(`${server.url}/boards/${watched.boardId}/tasks`, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ listId: watched.listId, title: `bench@${monotonicMs().toFixed(3)}` }),
    });
    if (res.status !== 201) throw new Error(`publish answered ${res.status}`);
    const seen = await sse.wait(1, 10_000);
    acc.samples++;
    if (seen.timedOut) acc.incomplete++;
    for (const latency of seen.latencies) acc.latencies.push(latency);
    acc.lastSubscriber.push(seen.latencies.reduce((a, b) => Math.max(a, b), 0));
    await sleep(60);
  }
}

/**
 * One event to `subscribers` streams of one board, one at a time, each waited for at every stream:
 * first with nothing else written, then while a paced writer sends `rate` writes/s (open loop)
 * to `otherBoards` other boards.
 */
async function fanoutRun(server, agent, block) {
  const f = config.fanout;
  const [watched] = await createBoards(server.url, agent, 1, { tag: 'watched' });
  const others = await createBoards(server.url, agent, f.otherBoards, { tag: 'other' });
  const sse = new SseClients(f.clients, block);
  live.sse = sse;
  try {
    await sse.configure({ port: server.port, path: `/boards/${watched.boardId}/events` });
    const open = await sse.open(f.subscribers, await boardSeq(server.url, watched.boardId));
    if (open.failed) throw new Error(`${open.failed} of ${f.subscribers} streams did not open`);
    await sleep(500);
    const requests = others.map((board) =>
      createTaskRequest({ host: '127.0.0.1', port: server.port, ...board, title: 'paced write' }),
    );
    // Quiet and busy in alternating blocks, so a noisy moment of the machine lands on both.
    const blocks = Math.max(1, Math.min(f.blocks, f.samples));
    const perBlock = Math.ceil(f.samples / blocks);
    const quiet = sampleAccumulator();
    const busy = sampleAccumulator();
    const paced = { issued: 0, late: 0, seconds: 0, statuses: {}, latencies: [], errors: [] };
    for (let b = 0; b < blocks; b++) {
      await oneEventSamples(sse, server, agent, watched, perBlock, quiet);
      const pacing = live.loaders.call(0, {
        cmd: 'pace',
        host: '127.0.0.1',
        port: server.port,
        rate: f.rate,
        requests,
        connections: 32,
        maxMs: 20_000 + perBlock * 1000,
      });
      await sleep(700);
      await oneEventSamples(sse, server, agent, watched, perBlock, busy);
      await live.loaders.call(0, { cmd: 'stop' });
      const block = await pacing;
      paced.issued += block.issued;
      paced.late += block.late;
      paced.seconds += block.seconds;
      for (const [status, n] of Object.entries(block.statuses))
        paced.statuses[status] = (paced.statuses[status] ?? 0) + n;
      paced.latencies.push(...block.latencies);
      paced.errors.push(...block.errors);
    }
    const ok = paced.statuses[201] ?? 0;
    const busySummary = sampleSummary(busy);
    busySummary.paced = {
      rate: f.rate,
      issued: paced.issued,
      late: paced.late,
      writesPerSecond: Math.round(ok / paced.seconds),
      failures: Object.entries(paced.statuses).reduce((sum, [s, n]) => sum + (s === '201' ? 0 : n), 0),
      latencyMs: summarize(paced.latencies),
      statuses: paced.statuses,
      errors: paced.errors.slice(0, 10),
    };
    return { subscribers: f.subscribers, quiet: sampleSummary(quiet), busy: busySummary };
  } finally {
    await sse.exit();
    live.sse = null;
  }
}

async function storeSection(store, sectionIndex) {
  const section = (stores[store] = {
    label: STORES[store].label,
    processes: STORES[store].processes,
    points: [],
    fanout: {},
  });
  if (store !== 'sqlite') {
    const problem = await postgresProblem(config.postgresUrl);
    if (problem) {
      notes.push(`${store} skipped: PostgreSQL at ${config.postgresUrl} not reachable (${problem})`);
      section.skipped = problem;
      return;
    }
  }
  const processes = store === 'postgres-cluster' ? config.clusterProcesses : 1;
  const builds = [];
  if (config.runners.includes('liveboard')) builds.push(['liveboard', build.main]);
  if (config.runners.includes('liveboard-alt')) {
    if (config.altMain) builds.push(['liveboard-alt', config.altMain]);
    else if (sectionIndex === 0)
      notes.push(`liveboard-alt skipped: ${config.altMainWanted} missing (see bench/README.md, "Writes")`);
  }
  const servers = {};
  const agent = createAgent(16);
  try {
    for (const [name, main] of builds) {
      const storeHandle = freshStore(STORES[store].floor, {
        postgresUrl: config.postgresUrl,
        tag: `${store}_${name}`.replace(/-/g, '_'),
      });
      live.stores.add(storeHandle);
      const server = liveboardServer({ name, main, processes, store: storeHandle, port: await freePort() });
      server.storeKind = storeHandle.kind;
      live.servers.add(server);
      log(`${section.label}: starting ${name}`);
      await server.start();
      servers[name] = server;
    }
    const runners = config.runners.filter((runner) => runner === 'floor' || servers[runner]);
    // Rounds over all the points, each point's runners in a rotating order: a noisy moment of
    // this shared machine lands on one round of a few points, not on every round of one.
    const rows = config.points.map((point) => ({ writers: point.writers, boards: point.boards, rounds: {} }));
    section.points.push(...rows);
    for (let round = 0; round < config.rounds; round++) {
      for (const [k, point] of config.points.entries()) {
        const row = rows[k];
        for (const runner of rotation(runners, k + round + sectionIndex)) {
          let r;
          try {
            r =
              runner === 'floor'
                ? await floorRun(store, point, `${store}_${k}_${round}`.replace(/-/g, '_'))
                : await serverRun(servers[runner], point, agent);
            log(
              `${section.label}: round ${round + 1}, ${point.writers} writers × ${point.boards} boards: ${runner} ${r.writesPerSecond} w/s, p50 ${r.latencyMs.p50} p99 ${r.latencyMs.p99} ms${r.failures ? `, ${r.failures} failed` : ''}`,
            );
          } catch (error) {
            log(`${section.label}: ${point.writers}×${point.boards} ${runner} failed: ${error.message}`);
            r = { error: error.message.split('\n')[0] };
            notes.push(
              `${store} ${point.writers}×${point.boards} ${runner}: ${error.message.split('\n')[0]}`,
            );
          }
          (row.rounds[runner] ??= []).push(r);
          row[runner] = medianRound(row.rounds[runner]);
        }
      }
    }
    if (config.fanout.enabled) {
      for (const [index, name] of Object.keys(servers).entries()) {
        log(
          `${section.label}: ${name}: one event to ${config.fanout.subscribers} subscribers, quiet and with ${config.fanout.rate} writes/s elsewhere`,
        );
        try {
          section.fanout[name] = await fanoutRun(servers[name], agent, 40 + sectionIndex * 4 + index);
        } catch (error) {
          log(`${section.label}: ${name}: fan-out failed: ${error.message}`);
          section.fanout[name] = { error: error.message.split('\n')[0] };
        }
      }
    }
  } finally {
    agent.destroy();
    for (const server of Object.values(servers)) {
      await server.stop();
      live.servers.delete(server);
    }
    for (const handle of [...live.stores]) {
      await handle.dispose().catch((error) => notes.push(`cleanup: ${error.message}`));
      live.stores.delete(handle);
    }
  }
}

function caption() {
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  return `${startedAt.toISOString().slice(0, 10)}, commit ${commit}, ${cores} cores, Node ${process.version}; median of ${config.rounds} round${config.rounds === 1 ? '' : 's'} of ${config.seconds} s per point after ${config.warmupSeconds} s warm-up${config.quick ? ' (BENCH_QUICK)' : ''}`;
}

function writeReport(finished) {
  const checks = checkWrites(Object.fromEntries(Object.entries(stores).filter(([, s]) => !s.skipped)));
  const report = {
    date: startedAt.toISOString(),
    finished,
    commit: git(['rev-parse', 'HEAD']),
    build: { main: config.mainBuild, builtAt: build.builtAt },
    altCommit: config.altMain ? git(['rev-parse', 'HEAD'], join(config.altMain, '../..')) : null,
    loadAverage: { atStart: loadAverageAtStart, atEnd: os.loadavg() },
    machine: machine(),
    config,
    notes,
    stores,
    checks,
  };
  report.caption = caption();
  mkdirSync(join(BENCH, 'results'), { recursive: true });
  const file = join(BENCH, 'results', `writes-${report.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  const drawn = Object.fromEntries(Object.entries(stores).filter(([, s]) => s.points.length));
  // The committed chart is a full run's; a quick or partial run's goes to the temp folder.
  const svgFile =
    config.quick || !finished
      ? join(os.tmpdir(), `liveboard-writes-${config.quick ? 'quick' : 'partial'}.svg`)
      : join(BENCH, 'results', 'writes.svg');
  if (Object.keys(drawn).length) writeFileSync(svgFile, renderSvg({ ...report, stores: drawn }));
  console.log('');
  for (const section of Object.values(drawn)) console.log(`${renderStoreTable(section)}\n`);
  const fanout = renderFanout(drawn);
  if (fanout) console.log(`${fanout}\n`);
  console.log(`${renderChecks(checks)}\n`);
  for (const note of notes) console.log(`note: ${note}`);
  console.log(`report: ${file}`);
  if (Object.keys(drawn).length) console.log(`chart: ${svgFile}`);
}

async function cleanUp() {
  live.sse?.procs.forEach((proc) => proc.exitCode === null && proc.kill('SIGKILL'));
  for (const server of live.servers) server.kill();
  killAll();
  for (const handle of live.stores) await handle.dispose().catch(() => undefined);
  for (const schema of live.schemas) await dropSchema(config.postgresUrl, schema).catch(() => undefined);
  for (const dir of live.dirs) rmSync(dir, { recursive: true, force: true });
}

async function main() {
  if (!existsSync(config.mainBuild)) throw new Error(`${config.mainBuild} missing: npm run build`);
  log(
    `${config.points.length} points × ${config.stores.join(', ')}; ${config.runners.join(', ')}; ${config.loaders} load processes; ${config.seconds} s + ${config.warmupSeconds} s warm-up`,
  );
  // The build under test, copied once: a rebuild of dist/ meanwhile changes nothing here.
  const snapshot = snapshotBuild(config.mainBuild);
  live.dirs.add(snapshot.dir);
  build.main = snapshot.main;
  build.builtAt = snapshot.builtAt;
  live.loaders = new Loaders(config.loaders);
  try {
    for (const [index, store] of config.stores.entries()) await storeSection(store, index);
  } finally {
    await live.loaders.exit();
    rmSync(snapshot.dir, { recursive: true, force: true });
    live.dirs.delete(snapshot.dir);
  }
  writeReport(true);
}

let stopping = false;
async function abandon(reason, code) {
  if (stopping) return;
  stopping = true;
  notes.push(reason);
  log(reason);
  await cleanUp();
  try {
    writeReport(false);
  } catch (error) {
    console.error(error);
  }
  process.exit(code);
}

const watchdog = setTimeout(
  () => abandon(`stopped by the ${config.timeoutSeconds} s time limit; figures are partial`, 2),
  config.timeoutSeconds * 1000,
);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => abandon(`stopped by ${signal}`, 130));

main().then(
  () => {
    clearTimeout(watchdog);
    process.exit(0);
  },
  async (error) => {
    console.error(error);
    await abandon(`failed: ${error.message.split('\n')[0]}`, 1);
  },
);
