// `npm run bench`: fan-out benchmark of Liveboard against nginx + nchan (the reference) and a
// minimal node:http broadcaster (the in-language floor), with the same load client for all.
// See bench/README.md for the method. Environment:
//   BENCH_N=10000        subscribers of board-1          BENCH_QUICK=1   N=1000, fewer samples, no capacity run
//   BENCH_CLIENTS=4      load-client processes           BENCH_TARGETS=liveboard,nchan,node-floor
//   BENCH_BURST=<n>      events in the burst (default: 1,000,000 deliveries' worth, 20..1000)
//   BENCH_CAPACITY=19000 streams held at once (0: skip)  BENCH_NCHAN_WORKERS=1
//   BENCH_WRITE_CONCURRENCY=4, BENCH_WRITE_SECONDS=4     BENCH_TIMEOUT_S=1800 (whole run)
//   BENCH_WARMUP_WRITES=2000 writes to each fresh server, to 100 streams, before anything is measured
//   BENCH_ROUNDS=16, BENCH_WRITE_PHASE_ROUNDS=4, BENCH_PASSES=2 with liveboard-alt in the run (an A/B:
//                        the second pass starts the targets in the other order), else 3, 3, 1; the
//                        rounds raised to a multiple of the number of targets, so each goes first as often
//   BENCH_PHASES=memory,latency,burst,writes,capacity,restart,multiboard (memory always opens the N
//                        streams; `multiboard` alone runs only it, on liveboard and liveboard-alt)
//   BENCH_MULTIBOARD_CLIENTS=3000, _BOARDS=30, _PER_CLIENT=3, _EVENTS=900 (per round), _ROUNDS=3,
//   BENCH_MULTIBOARD_ORDER=multi,single (or single,multi: which mode's fresh server goes first)
//   BENCH_LIVEBOARD_MAIN=<path>/dist/main.js   measure a scratch build of a proposed server change
//   BENCH_LIVEBOARD_ALT_MAIN=<path> with BENCH_TARGETS=liveboard,liveboard-alt,nchan: A/B in one run
//   BENCH_STREAMS_PER_USER=50  on a build with accounts, each user's streams (lib/accounts.js)
//   BENCH_RESTART_TIMEOUT_S=60 how long the restart waits for every stream to be back
//   BENCH_ALT_TITLE_PAD=0      characters added to each title liveboard-alt publishes: the same
//                        bytes per delivery as this build, where newer events carry more fields
//   BENCH_REVOCATION_STORES=sqlite,postgres (also sqlite-cluster, postgres-cluster), _USERS=200,
//   _STREAMS=5 (per user and kind), _GAP_MS=20, _WAIT_S=5; BENCH_POSTGRES_URL (lib/revocation.js)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { ensureNchan } from './lib/ensure-nchan.js';
import { abFigures, renderAb, renderRevocation } from './lib/ab.js';
import { prepareAccounts, usersFor } from './lib/accounts.js';
import { createAgent } from './lib/http.js';
import { LoadClients } from './lib/load-clients.js';
import { multiBoardPhase } from './lib/multiboard.js';
import { checkMultiBoard, checkTargets, renderChecks, renderMultiBoard, renderTable } from './lib/report.js';
import { abandonRevocation, revocationPhase } from './lib/revocation.js';
import * as phase from './lib/scenario.js';
import { waitQuiet } from './lib/procfs.js';
import { median, medianBy, round, summarize } from './lib/stats.js';
import { liveboardTarget, nchanTarget, nginxVersion, nodeFloorTarget } from './lib/targets.js';

const BENCH = new URL('.', import.meta.url).pathname;
const env = process.env;
const quick = env.BENCH_QUICK === '1';
const num = (name, fallback) => (env[name] !== undefined && env[name] !== '' ? Number(env[name]) : fallback);

const n = num('BENCH_N', quick ? 1000 : 10_000);
const targetNames = (env.BENCH_TARGETS ?? 'liveboard,nchan,node-floor').split(',').map((s) => s.trim());
// Each target first in as many rounds as each other one. A burst lasts half a second, and the same
// build's bursts, one after another, swing by 10% on this machine (synchronous commits, two cores
// shared with the load clients): an A/B of two builds compares round with round (lib/ab.js), and
// resolving 5% takes some 30 pairs of rounds, over two passes. Beside the peers alone, whose
// figures are apart by 1.5–25× (and whose bursts take 15 s each), one pass of 3 rounds does. The
// writes last longer and swing less.
const fairRounds = (least) => Math.ceil(least / targetNames.length) * targetNames.length;
const abRun = targetNames.includes('liveboard-alt');
const config = {
  quick,
  n,
  clients: num('BENCH_CLIENTS', 4),
  burstEvents: num('BENCH_BURST', Math.min(1000, Math.max(20, Math.ceil(1_000_000 / n)))),
  rounds: num('BENCH_ROUNDS', quick ? targetNames.length : fairRounds(abRun ? 16 : 3)),
  writeRounds: num('BENCH_WRITE_PHASE_ROUNDS', quick ? targetNames.length : fairRounds(abRun ? 4 : 3)),
  // The whole comparison again with the targets started in the other order (passes).
  passes: num('BENCH_PASSES', quick || !abRun ? 1 : 2),
  latencySamples: num('BENCH_LATENCY_SAMPLES', 10), // per round
  // Writes to a fresh server before anything is measured (lib/scenario.js warmUp: V8's tiering).
  warmupWrites: num('BENCH_WARMUP_WRITES', quick ? 200 : 2000),
  writeStreams: Math.min(1000, n),
  writeConcurrency: num('BENCH_WRITE_CONCURRENCY', 4),
  writeSeconds: num('BENCH_WRITE_SECONDS', quick ? 2 : 4),
  writeMax: 20_000,
  capacity: num('BENCH_CAPACITY', quick ? 0 : 19_000),
  nchanWorkers: num('BENCH_NCHAN_WORKERS', 1),
  targets: targetNames,
  timeoutSeconds: num('BENCH_TIMEOUT_S', 1800),
  phases: (env.BENCH_PHASES ?? 'memory,latency,burst,writes,capacity,restart,multiboard,revocation')
    .split(',')
    .map((s) => s.trim()),
  // One stream for several boards against one stream per board (issue 14): see lib/multiboard.js.
  multiboard: {
    clients: num('BENCH_MULTIBOARD_CLIENTS', quick ? 300 : 3000),
    boards: num('BENCH_MULTIBOARD_BOARDS', 30),
    perClient: num('BENCH_MULTIBOARD_PER_CLIENT', 3),
    events: num('BENCH_MULTIBOARD_EVENTS', quick ? 300 : 900),
    rounds: num('BENCH_MULTIBOARD_ROUNDS', quick ? 2 : 3),
    order: env.BENCH_MULTIBOARD_ORDER ?? 'multi,single',
  },
  // On a build with accounts, the streams are signed-in users' (cookie) on a private board, the
  // writes carry API tokens: lib/accounts.js. A build without them runs as it always did.
  perUser: num('BENCH_STREAMS_PER_USER', 50),
  restartTimeoutS: num('BENCH_RESTART_TIMEOUT_S', 60),
  // An earlier build's events can be smaller than this one's (fields added since): padding its
  // titles compares the two on the same bytes per delivery, which the report prints to check.
  altTitlePad: num('BENCH_ALT_TITLE_PAD', 0),
  // How long after a revocation its streams end (issue 13): lib/revocation.js.
  revocation: {
    stores: (env.BENCH_REVOCATION_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim()),
    users: num('BENCH_REVOCATION_USERS', quick ? 50 : 200),
    perUser: num('BENCH_REVOCATION_STREAMS', 5),
    gapMs: num('BENCH_REVOCATION_GAP_MS', 20),
    waitMs: num('BENCH_REVOCATION_WAIT_S', 5) * 1000,
    postgresUrl: env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  },
};
/** The phases of the fan-out comparison on board-1; without any of them, only `multiboard` runs. */
const CLASSIC_PHASES = ['memory', 'latency', 'burst', 'writes', 'capacity', 'restart'];
const classic = config.phases.some((name) => CLASSIC_PHASES.includes(name));

const log = (message) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function machine() {
  const dpkg = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'libnginx-mod-nchan'], {
    encoding: 'utf8',
  });
  const limit = spawnSync('sh', ['-c', 'ulimit -Sn; ulimit -Hn'], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n');
  return {
    cpu: os.cpus()[0]?.model,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    nginx: nginxVersion(),
    nchan: dpkg.status === 0 ? dpkg.stdout : null,
    openFiles: { soft: Number(limit[0]), hard: Number(limit[1]) },
  };
}

const results = {};
const multiboard = {};
let revocation = {};
const notes = [];
const contenders = []; // {target, clients, agent, result, record}: the pass's running targets
// What each target measured over the passes, by name: the figures are worked out from all of them.
const records = new Map();
const running = new Set(); // the multiboard phase's server and load clients while they run

function stepper(contender) {
  return async (name, run) => {
    if (name !== 'memory' && !config.phases.includes(name.replace('Concurrent', ''))) return undefined;
    log(`${contender.target.name}: ${name}`);
    try {
      return await run();
    } catch (error) {
      log(`${contender.target.name}: ${name} failed: ${error.message}`);
      return { error: error.message };
    }
  };
}

function recordOf(name) {
  if (!records.has(name))
    records.set(name, {
      memory: [],
      latency: phase.latencyAccumulator(),
      latencyRounds: [],
      bursts: [],
      writes: { writes: [], writesConcurrent: [] },
    });
  return records.get(name);
}

/** Starts a target with its own load-client processes and its N idle streams (measuring memory). */
async function enter(target, block) {
  const contender = { target, clients: null, agent: createAgent(Math.max(4, config.writeConcurrency)) };
  contender.result = results[target.name] ??= { label: target.label };
  contender.record = recordOf(target.name);
  contenders.push(contender);
  await target.start();
  if (target.name.startsWith('liveboard')) {
    // 200 users for N = 10,000; the capacity run spreads its 19,000 over the same users.
    contender.result.accounts = await prepareAccounts(target, {
      users: usersFor(config.n, config.perUser, config.clients),
      perUser: config.perUser,
      writers: config.writeConcurrency,
      log,
    });
  }
  if (target.name === 'liveboard-alt' && config.altTitlePad > 0) {
    const publish = target.publish.bind(target);
    const pad = ` ${'x'.repeat(config.altTitlePad - 1)}`;
    target.publish = (agent, title) => publish(agent, title + pad);
    contender.result.titlePad = config.altTitlePad;
  }
  contender.clients = new LoadClients(config.clients, block);
  await contender.clients.configure(target);
  await phase.warmUp(target, contender.clients, contender.agent, config.warmupWrites);
  const memory = await stepper(contender)('memory', () =>
    phase.idleMemory(target, contender.clients, config.n, 2000),
  );
  contender.record.memory.push(memory);
}

/** The contenders in the order of a round or a pass: each goes first as often as the others. */
function turn(list, round) {
  return list.map((_, i) => list[(i + round) % list.length]);
}

/** Until every server and load client is idle: nothing left over from the step before (a burst's
 *  garbage, the kernel freeing its buffers) runs into the next, whichever target that is. */
async function quiet() {
  const cpu = () =>
    contenders.reduce((sum, c) => sum + c.target.cpuSeconds() + (c.clients?.cpuSeconds() ?? 0), 0);
  if (!(await waitQuiet(cpu))) log('the machine did not get quiet within 5 s; measuring all the same');
}

/** Latency and burst, in rounds whose order turns, so that each target goes first as often as the
 *  others and a noisy moment on this shared machine is spread over all of them rather than landing
 *  on one. */
async function rounds() {
  for (let round = 0; round < config.rounds; round++) {
    for (const contender of turn(contenders, round)) {
      const { target, clients, agent, record } = contender;
      const step = stepper(contender);
      await quiet();
      const from = record.latency.pooled.length;
      await step('latency', () =>
        phase.singleEventLatency(target, clients, agent, config.latencySamples, record.latency),
      );
      if (record.latency.pooled.length > from)
        record.latencyRounds.push(summarize(record.latency.pooled.slice(from)));
      await quiet();
      const burst = await step('burst', () =>
        phase.burst(target, clients, agent, config.burstEvents, config.n),
      );
      if (burst) record.bursts.push(burst);
    }
  }
}

/**
 * The writes (to `writeStreams` of each target's streams), in rounds as well, every target still
 * holding its streams and the order turning each round: run one target at a time, the second wrote
 * while the first had already been stopped, on a quieter machine. The round with the median p50
 * is reported, with every round's p50.
 */
async function writeRounds() {
  const load = { streams: config.writeStreams, seconds: config.writeSeconds, maxWrites: config.writeMax };
  const kinds = [
    ['writes', 1],
    ['writesConcurrent', config.writeConcurrency],
  ];
  for (let round = 0; round < config.writeRounds; round++) {
    for (const contender of turn(contenders, round)) {
      const { target, clients, agent } = contender;
      for (const [kind, concurrency] of kinds) {
        await quiet();
        const run = await stepper(contender)(kind, () =>
          phase.writes(target, clients, agent, { ...load, concurrency }),
        );
        if (run) contender.record.writes[kind].push(run);
      }
    }
  }
}

/**
 * Each target's figures from every pass: its memory reading and write round with the median
 * figure, its latency samples pooled, its burst round with the median rate; every pass's and
 * round's figure beside them in the JSON.
 */
function summarizeRecords() {
  const kbPerStream = (run) => run.kbPerStream ?? Number.POSITIVE_INFINITY;
  const rate = (run) => run.deliveriesPerSecond ?? 0;
  const p50 = (run) => run.latencyMs?.p50 ?? Number.POSITIVE_INFINITY;
  for (const [name, record] of records) {
    const result = results[name];
    const memory = record.memory.filter((run) => run && !run.error);
    if (memory.length)
      result.memory = {
        ...medianBy(memory, kbPerStream),
        kbPerStream: round(median(memory.map(kbPerStream))),
        passes: memory.map(kbPerStream),
      };
    else if (record.memory.length) result.memory = record.memory.at(-1);
    if (config.phases.includes('latency') && record.latency.samples)
      result.latency = {
        ...phase.latencySummary(record.latency),
        rounds: {
          p50: record.latencyRounds.map((r) => r.p50),
          p99: record.latencyRounds.map((r) => r.p99),
        },
      };
    if (record.bursts.length)
      result.burst = { ...medianBy(record.bursts, rate), rounds: record.bursts.map(rate) };
    for (const [kind, list] of Object.entries(record.writes)) {
      const measured = list.filter((run) => !run.error);
      if (!measured.length) {
        if (list.length) result[kind] = list.at(-1);
        continue;
      }
      result[kind] = {
        ...medianBy(measured, p50),
        // The p99 too, round by round: one round's p99 is its 20 slowest writes of some 2,000, which
        // one fsync stretched by the machine's other work moves by 30% either way.
        rounds: {
          p50: measured.map((run) => run.latencyMs?.p50 ?? null),
          p99: measured.map((run) => run.latencyMs?.p99 ?? null),
        },
      };
    }
  }
}

/** The phases that change the number of streams, one target at a time; then it is stopped. */
async function finish(contender) {
  const { target, clients, agent, result } = contender;
  const step = stepper(contender);
  if (config.capacity)
    result.capacity = await step('capacity', () => phase.capacity(target, clients, agent, config.capacity));
  if (target.restartable)
    result.restart = await step('restart', () =>
      phase.restart(target, clients, agent, config.n, { timeoutMs: config.restartTimeoutS * 1000 }),
    );
  await leave(contender);
}

async function leave(contender) {
  const serverLog = contender.target.logTail?.();
  if (serverLog?.length) contender.result.serverLog = serverLog;
  contender.agent.destroy();
  await contender.clients?.exit();
  contender.clients = null;
  await contender.target.dispose().catch(() => {});
}

/**
 * The multiboard phase on a Liveboard build: each mode on a fresh server with its own load
 * clients (source addresses apart from the other phases'), nothing else running.
 */
async function multiBoard(name, main, block) {
  const lifecycle = {
    log,
    async open() {
      const target = liveboardTarget(await freePort(), main, name);
      const entry = { target, clients: null, agent: createAgent(4) };
      running.add(entry);
      entry.close = async () => {
        running.delete(entry);
        entry.agent.destroy();
        await entry.clients?.exit();
        await target.dispose().catch(() => {});
      };
      try {
        await target.start();
        entry.clients = new LoadClients(config.clients, block);
        await entry.clients.configure(target);
      } catch (error) {
        await entry.close();
        throw error;
      }
      return entry;
    },
  };
  log(`${name}: multiboard`);
  try {
    const result = await multiBoardPhase(lifecycle, config.multiboard);
    multiboard[name] = result;
    if (result.skipped) notes.push(`${name}: multiboard skipped: ${result.skipped}`);
  } catch (error) {
    log(`${name}: multiboard failed: ${error.stack}`);
    notes.push(`${name}: multiboard failed: ${error.message.split('\n')[0]}`);
    multiboard[name] = { error: error.message };
  }
}

function writeReport(finished) {
  const checks = [...(classic ? checkTargets(results, config) : []), ...checkMultiBoard(multiboard)];
  const report = {
    date: new Date().toISOString(),
    loadAverage: os.loadavg(),
    finished,
    machine: machine(),
    config,
    notes,
    results,
    multiboard,
    // This build against the build before it (liveboard-alt), figure by figure.
    ab: abFigures(results),
    revocation,
    checks,
  };
  mkdirSync(join(BENCH, 'results'), { recursive: true });
  const file = join(BENCH, 'results', `bench-${report.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log('');
  if (classic && Object.keys(results).length) console.log(`${renderTable(results, config)}\n`);
  const multiTable = renderMultiBoard(multiboard);
  if (multiTable) console.log(`${multiTable}\n`);
  const abTable = renderAb(report.ab);
  if (abTable) console.log(`${abTable}\n`);
  const revocationTable = renderRevocation(revocation);
  if (revocationTable) console.log(`${revocationTable}\n`);
  const rendered = renderChecks(checks);
  if (rendered) console.log(`${rendered}\n`);
  for (const note of notes) console.log(`note: ${note}`);
  console.log(`report: ${file}`);
}

async function main() {
  if (classic)
    log(
      `N=${config.n}, ${config.clients} load clients, burst ${config.burstEvents} events, capacity ${config.capacity || 'skipped'}`,
    );
  const liveboards = []; // [name, main] for the multiboard phase
  const targets = await makeTargets(liveboards);
  const failed = async (contender, error) => {
    notes.push(`${contender.target.name}: ${error.message.split('\n')[0]}`);
    log(`${contender.target.name} failed: ${error.stack}`);
    contenders.splice(contenders.indexOf(contender), 1);
    await leave(contender);
  };
  if (classic) {
    // Measured on this machine: of two servers of the same build, the one started first ran its
    // burst slower in 12 runs of 13 (5% in the median run, up to 14%), in whichever place of the
    // rounds; so a second pass starts them in the other order, and each figure is taken over both.
    for (let pass = 0; pass < config.passes; pass++) {
      const order = turn(pass === 0 ? targets : await makeTargets(), pass);
      if (config.passes > 1)
        log(`pass ${pass + 1} of ${config.passes}: ${order.map((target) => target.name).join(', ')}`);
      for (const [block, target] of order.entries()) {
        try {
          await enter(target, block);
        } catch (error) {
          await failed(contenders.at(-1), error);
        }
      }
      await rounds();
      await writeRounds();
      const last = pass === config.passes - 1;
      for (const contender of [...contenders]) {
        try {
          if (last) await finish(contender);
          else await leave(contender);
        } catch (error) {
          await failed(contender, error);
        }
      }
      contenders.length = 0;
    }
    summarizeRecords();
  } else {
    // The targets were never started; only their data directories exist.
    for (const target of targets) await target.dispose().catch(() => {});
  }
  if (config.phases.includes('multiboard')) {
    if (classic) log(`multiboard: ${config.multiboard.clients} clients, nothing else running`);
    for (const [index, [name, main]] of liveboards.entries()) await multiBoard(name, main, 10 + index);
  }
  if (config.phases.includes('revocation')) {
    // This build only: the build before accounts has nothing to revoke.
    const main = liveboards.find(([name]) => name === 'liveboard')?.[1];
    if (main) revocation = await revocationPhase({ main, ...config.revocation, log });
    else notes.push('revocation skipped: no liveboard target');
    for (const [store, result] of Object.entries(revocation))
      if (result.skipped || result.error)
        notes.push(`revocation (${store}): ${result.skipped ?? result.error}`);
  }
  writeReport(true);
}

/** The targets asked for, not started; the first call (with `liveboards`) notes what is missing. */
async function makeTargets(liveboards) {
  const targets = [];
  const note = (message) => {
    if (liveboards) notes.push(message);
  };
  for (const name of config.targets) {
    if (!classic && name !== 'liveboard' && name !== 'liveboard-alt') continue;
    if (name === 'liveboard') {
      const main = env.BENCH_LIVEBOARD_MAIN ?? join(BENCH, '../dist/main.js');
      if (existsSync(main)) {
        targets.push(liveboardTarget(await freePort(), main));
        liveboards?.push([name, main]);
      } else note(`liveboard skipped: ${main} missing (npm run build)`);
    } else if (name === 'liveboard-alt') {
      // A second Liveboard build in the same run, for an A/B of a proposed change (see README).
      const main = env.BENCH_LIVEBOARD_ALT_MAIN;
      if (main && existsSync(main)) {
        targets.push(liveboardTarget(await freePort(), main, 'liveboard-alt'));
        liveboards?.push([name, main]);
      } else note('liveboard-alt skipped: set BENCH_LIVEBOARD_ALT_MAIN to a built dist/main.js');
    } else if (name === 'nchan') {
      const problem = ensureNchan(log);
      if (problem) note(`nchan skipped: ${problem}`);
      else targets.push(nchanTarget(await freePort(), { workers: config.nchanWorkers }));
    } else if (name === 'node-floor') {
      targets.push(nodeFloorTarget(await freePort()));
    } else {
      note(`unknown target ${name}`);
    }
  }
  return targets;
}

async function abandon() {
  for (const contender of contenders) {
    contender.clients?.kill();
    await contender.target.dispose().catch(() => {});
  }
  for (const entry of running) {
    entry.clients?.kill();
    await entry.target.dispose().catch(() => {});
  }
  await abandonRevocation();
}

const watchdog = setTimeout(async () => {
  notes.push(`stopped by the ${config.timeoutSeconds} s time limit; figures are partial`);
  log('time limit reached: stopping');
  await abandon();
  summarizeRecords();
  writeReport(false);
  process.exit(2);
}, config.timeoutSeconds * 1000);

main().then(
  () => {
    clearTimeout(watchdog);
    process.exit(0);
  },
  async (error) => {
    console.error(error);
    await abandon();
    process.exit(1);
  },
);
