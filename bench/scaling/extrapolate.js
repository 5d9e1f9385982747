// The model (model.js) at 1×, 10× and 100× the busy deployment, for today's design and the ones
// docs/SCALING.md proposes, from the unit costs a simulate-day.js run measured and the ceilings in
// the newest reports of the other scaling scripts. simulate-day.js ends with it; run alone, it
// reads the newest simulate-day report (no server, no database): `node bench/scaling/extrapolate.js`.
import { getHeapStatistics } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { latestReport, round } from './lib.js';
import { TODAY, breakingScale, loadAt, peakBoards } from './model.js';

/** Units from this run and the newest ceiling reports; then the model at 1×, 10×, 100×. */
export function extrapolate(measured) {
  // NOTIFY as it runs in production (the WAL flushed at commit), beside NATS, in one run.
  const notify = latestReport(
    'notify-rate',
    (report) =>
      report.synchronousCommit === 'on' &&
      report.steps.some((step) => step.feed === 'pg') &&
      report.steps.some((step) => step.feed === 'nats'),
  );
  const oneBoard = latestReport('writes-1-boards');
  const manyBoards = latestReport('writes-1000-boards');
  const cache = latestReport('cache-memory');
  const missing = [
    [notify, 'notify-rate.js --feeds pg,pg-plain,nats (synchronous_commit on)'],
    [oneBoard, 'writes.js --boards 1'],
    [manyBoards, 'writes.js --boards 1000'],
    [cache, 'cache-memory.js'],
  ].filter(([report]) => !report);
  if (missing.length) {
    console.log(
      `\nno extrapolation: run ${missing.map(([, script]) => `bench/scaling/${script}`).join(', ')} first`,
    );
    return undefined;
  }
  const pgSteps = notify.steps.filter((step) => step.feed === 'pg');
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const natsSteps = notify.steps.filter((step) => step.feed === 'nats');
  const pgMany = manyBoards.runs.filter((run) => run.store === 'pg');
  const bestMany = pgMany.reduce((best, run) => (run.writesPerS > best.writesPerS ? run : best), pgMany[0]);
  const pgOne = oneBoard.runs.filter((run) => run.store === 'pg');
  const units = {
    commitsPerWrite: measured.commitsPerWrite,
    otherStatementsPerWrite: measured.writeStatementsPerWrite,
    dbUsPerStatement: measured.db.usPerStatement,
    dbListenerUsPerNotice: measured.db.listenerUsPerNotice,
    nodeUsPerNotice: median(pgSteps.map((step) => step.listenerCpuUsPerNotice)),
    serverUsPerWrite: bestMany.serverCpuUsPerWrite,
    deliveryUs: 10.8,
    streamKb: 4.9,
    streamsPerProcess: 19_000,
    heapBytesPerCard: median(cache.sizes.map((size) => size.heapBytesPerCard)),
    baseRssMb: Math.min(...measured.processes.map((p) => p.rssMbFirst)),
    processMemoryMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
    notifyCommitsPerS: Math.max(...pgSteps.map((step) => step.commitsPerS)),
    brokerUsPerPublish: natsSteps.length
      ? median(natsSteps.filter((step) => step.listeners === 1).map((step) => step.engineCpuUsPerCommit))
      : NaN,
    brokerHostCores: 16,
    dbHostCores: 64,
    maxConnections: 100,
    connectionsPerProcess: 11,
    perBoardWritesPerS: Math.max(...pgOne.filter((run) => run.processes > 1).map((run) => run.writesPerS)),
  };
  // A Node process reads the log for a notice about as cheaply as it runs one statement of a write.
  units.nodeUsPerLogRead = round(units.serverUsPerWrite / units.otherStatementsPerWrite);
  const sources = {
    commitsPerWrite: 'this run (NOTIFY deliveries ÷ processes ÷ writes)',
    otherStatementsPerWrite:
      "this run (a write's own statements, and its share of snapshot-row reads on a cache miss, ÷ writes)",
    dbUsPerStatement: 'this run (PostgreSQL backend CPU, LISTEN backends excluded, ÷ statements)',
    dbListenerUsPerNotice: 'this run (LISTEN backends CPU ÷ notices)',
    nodeUsPerNotice: `notify-rate.js ${notify.file} (median over pg steps)`,
    serverUsPerWrite: `writes.js --boards 1000 ${manyBoards.file} (pg, ${bestMany.processes} process(es), ${bestMany.concurrency} writers)`,
    deliveryUs: 'bench/README.md (npm run bench, 2026-11-25)',
    streamKb: 'bench/README.md (2026-11-30)',
    streamsPerProcess: 'bench/README.md capacity run; LIVEBOARD_MAX_STREAMS default',
    heapBytesPerCard: `cache-memory.js ${cache.file} (median of sizes)`,
    baseRssMb: 'this run (probe.js, first second)',
    processMemoryMb: "V8's default heap limit on this machine",
    notifyCommitsPerS: `notify-rate.js ${notify.file} (max over pg steps)`,
    brokerUsPerPublish: `notify-rate.js ${notify.file} (nats-server CPU per publish, 1 subscriber, median)`,
    brokerHostCores: 'ASSUMPTION: one broker host',
    dbHostCores: 'ASSUMPTION: one large PostgreSQL host',
    maxConnections: 'PostgreSQL default (SHOW max_connections here)',
    connectionsPerProcess: 'src/store/postgres/postgres-store.ts: pool of 10 + 1 LISTEN',
    perBoardWritesPerS: `writes.js --boards 1 ${oneBoard.file} (pg, several processes)`,
    nodeUsPerLogRead: 'ESTIMATE: serverUsPerWrite ÷ statements per write',
  };
  const boards = peakBoards(1);
  const designs = {
    today: TODAY,
    'sticky + sharded NOTIFY': { feed: 'notify-sharded', routing: 'sticky', partitions: 1 },
    'sticky + sharded NOTIFY + 16 partitions': { feed: 'notify-sharded', routing: 'sticky', partitions: 16 },
    'sticky + NATS, 1 database': { feed: 'broker', routing: 'sticky', partitions: 1 },
    'sticky + NATS + 16 partitions': { feed: 'broker', routing: 'sticky', partitions: 16 },
  };
  const result = { units, sources, designs: {} };
  for (const [name, design] of Object.entries(designs)) {
    const scales = [1, 10, 100].map((k) => ({ k, ...loadAt(k, units, boards, design) }));
    const rows = Object.keys(scales[0].rows).map((row) => ({
      row,
      breaksAtK: breakingScale(units, boards, row, design),
      at: scales.map(({ k, rows: all }) => ({
        k,
        demand: round(all[row].demand),
        utilisation: Number((all[row].demand / all[row].ceiling).toPrecision(3)),
      })),
      ceiling: scales[0].rows[row].ceiling,
    }));
    result.designs[name] = { design, facts: scales.map(({ k, facts }) => ({ k, ...facts })), rows };
    console.log(
      `\n${name}: utilisation (demand ÷ ceiling) at 1×, 10×, 100× the busy deployment; k where it reaches 1`,
    );
    for (const { row, breaksAtK, at, ceiling } of rows) {
      console.log(
        `  ${row.padEnd(56)} ${at.map((cell) => String(cell.utilisation).padStart(9)).join(' ')}   ceiling ${round(ceiling)}   breaks at ${breaksAtK === Infinity ? '—' : `${breaksAtK}×`}`,
      );
    }
    console.log(`  facts: ${JSON.stringify(scales.map(({ k, facts }) => ({ k, ...facts })))}`);
  }
  console.log(`\nunits: ${JSON.stringify(units)}`);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const day = latestReport('simulate-day', (report) => report.measured?.statements?.writeBatch > 0);
  if (!day) {
    console.error('no simulate-day report with statement counts: run bench/scaling/simulate-day.js first');
    process.exit(1);
  }
  console.log(
    `from ${day.file} (scale ${day.options.scale}, load average at its end ${day.loadAverageAtEnd})`,
  );
  extrapolate(day.measured);
}
