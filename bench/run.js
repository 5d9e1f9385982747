// `npm run bench`: fan-out benchmark of Liveboard against nginx + nchan (the reference) and a
// minimal node:http broadcaster (the in-language floor), with the same load client for all.
// See bench/README.md for the method. Environment:
//   BENCH_N=10000        subscribers of board-1          BENCH_QUICK=1   N=1000, fewer samples, no capacity run
//   BENCH_CLIENTS=4      load-client processes           BENCH_TARGETS=liveboard,nchan,node-floor
//   BENCH_BURST=<n>      events in the burst (default: 1,000,000 deliveries' worth, 20..1000)
//   BENCH_CAPACITY=19000 streams held at once (0: skip)  BENCH_NCHAN_WORKERS=1
//   BENCH_WRITE_CONCURRENCY=4, BENCH_WRITE_SECONDS=4     BENCH_TIMEOUT_S=600 (whole run)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { ensureNchan } from './lib/ensure-nchan.js';
import { createAgent } from './lib/http.js';
import { LoadClients } from './lib/load-clients.js';
import { checkTargets, renderChecks, renderTable } from './lib/report.js';
import * as phase from './lib/scenario.js';
import { liveboardTarget, nchanTarget, nginxVersion, nodeFloorTarget } from './lib/targets.js';
import process from 'node:process';
import { URL } from 'node:url';
import console from 'node:console';
import { setTimeout, clearTimeout } from 'node:timers';

const BENCH = new URL('.', import.meta.url).pathname;
const env = process.env;
const quick = env.BENCH_QUICK === '1';
const num = (name, fallback) => (env[name] !== undefined && env[name] !== '' ? Number(env[name]) : fallback);

const n = num('BENCH_N', quick ? 1000 : 10_000);
const config = {
  quick,
  n,
  clients: num('BENCH_CLIENTS', 4),
  burstEvents: num('BENCH_BURST', Math.min(1000, Math.max(20, Math.ceil(1_000_000 / n)))),
  latencySamples: num('BENCH_LATENCY_SAMPLES', quick ? 10 : 20),
  writeStreams: Math.min(1000, n),
  writeConcurrency: num('BENCH_WRITE_CONCURRENCY', 4),
  writeSeconds: num('BENCH_WRITE_SECONDS', quick ? 2 : 4),
  writeMax: 20_000,
  capacity: num('BENCH_CAPACITY', quick ? 0 : 19_000),
  nchanWorkers: num('BENCH_NCHAN_WORKERS', 1),
  targets: (env.BENCH_TARGETS ?? 'liveboard,nchan,node-floor').split(',').map((s) => s.trim()),
  timeoutSeconds: num('BENCH_TIMEOUT_S', 600),
};

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
const notes = [];
let clients;
let current;

async function measure(target) {
  const agent = createAgent(Math.max(4, config.writeConcurrency));
  const result = { label: target.label };
  results[target.name] = result;
  const step = async (name, run) => {
    log(`${target.name}: ${name}`);
    try {
      result[name] = await run();
    } catch (error) {
      result[name] = { error: error.message };
      log(`${target.name}: ${name} failed: ${error.message}`);
    }
  };
  current = target;
  await target.start();
  await clients.configure(target);
  await phase.warmUp(target, clients, agent);
  await step('memory', () => phase.idleMemory(target, clients, config.n, 2000));
  await step('latency', () => phase.singleEventLatency(target, clients, agent, config.latencySamples));
  await step('burst', () => phase.burst(target, clients, agent, config.burstEvents, config.n));
  const writeLoad = {
    streams: config.writeStreams,
    seconds: config.writeSeconds,
    maxWrites: config.writeMax,
  };
  await step('writes', () => phase.writes(target, clients, agent, { ...writeLoad, concurrency: 1 }));
  await step('writesConcurrent', () =>
    phase.writes(target, clients, agent, { ...writeLoad, concurrency: config.writeConcurrency }),
  );
  if (config.capacity) await step('capacity', () => phase.capacity(target, clients, agent, config.capacity));
  if (target.restartable) await step('restart', () => phase.restart(target, clients, agent, config.n));
  await clients.closeTo(0);
  agent.destroy();
  await target.dispose();
  current = null;
}

function writeReport(finished) {
  const checks = checkTargets(results, config);
  const report = {
    date: new Date().toISOString(),
    finished,
    machine: machine(),
    config,
    notes,
    results,
    checks,
  };
  mkdirSync(join(BENCH, 'results'), { recursive: true });
  const file = join(BENCH, 'results', `bench-${report.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log('');
  console.log(renderTable(results, config));
  console.log('');
  const rendered = renderChecks(checks);
  if (rendered) console.log(`${rendered}\n`);
  for (const note of notes) console.log(`note: ${note}`);
  console.log(`report: ${file}`);
}

async function main() {
  log(
    `N=${config.n}, ${config.clients} load clients, burst ${config.burstEvents} events, capacity ${config.capacity || 'skipped'}`,
  );
  const targets = [];
  for (const name of config.targets) {
    if (name === 'liveboard') {
      if (existsSync(join(BENCH, '../dist/main.js'))) targets.push(liveboardTarget(await freePort()));
      else notes.push('liveboard skipped: dist/main.js missing (npm run build)');
    } else if (name === 'nchan') {
      const problem = ensureNchan(log);
      if (problem) notes.push(`nchan skipped: ${problem}`);
      else targets.push(nchanTarget(await freePort(), { workers: config.nchanWorkers }));
    } else if (name === 'node-floor') {
      targets.push(nodeFloorTarget(await freePort()));
    } else {
      notes.push(`unknown target ${name}`);
    }
  }
  clients = new LoadClients(config.clients);
  for (const target of targets) {
    try {
      await measure(target);
    } catch (error) {
      notes.push(`${target.name}: ${error.message.split('\n')[0]}`);
      log(`${target.name} failed: ${error.stack}`);
      await clients.closeTo(0).catch(() => {});
      await target.dispose().catch(() => {});
    }
  }
  await clients.exit();
  writeReport(true);
}

const watchdog = setTimeout(async () => {
  notes.push(`stopped by the ${config.timeoutSeconds} s time limit; figures are partial`);
  log('time limit reached: stopping');
  clients?.kill();
  await current?.dispose().catch(() => {});
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
    clients?.kill();
    await current?.dispose().catch(() => {});
    process.exit(1);
  },
);
