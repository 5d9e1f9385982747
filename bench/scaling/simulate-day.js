// A working day of many teams, compressed into about a minute, replayed against a cluster of
// Liveboard processes on PostgreSQL at a fraction of a busy deployment (day.js: 100,000 streams
// over 10 processes, 5,000 writes/s over 100,000 boards; --scale 0.01 is 1/100 of it), measuring
// each component as it goes, then extrapolating with the ceilings the other scaling scripts measured
// (model.js) to 1×, 10× and 100× that deployment.
//
//   node bench/scaling/simulate-day.js [--scale 0.01] [--processes 2] [--day-seconds 72] [--seed 1]
//                                      [--max-opens-per-s 200] [--proxy false]
//
// Run the ceiling scripts first (notify-rate.js, writes.js --boards 1 and --boards 1000,
// cache-memory.js): the extrapolation reads their newest reports in bench/results/.
//
// The servers are dist/cluster.js --processes N (what `npm run cluster -- --processes N` runs after
// its build check) with each process's event-loop delay, CPU and memory reported by probe.js
// (preloaded; the server's code is untouched). They reach PostgreSQL through a counting proxy
// (lib.js startPgProxy): round trips by statement, and NOTIFY deliveries. Boards, lists and cards
// are inserted with SQL before the day starts (seq 0, as if just imported). Through the day, each
// board has the streams its online members hold (each opened as the web app does: GET the snapshot,
// then the stream from its Board-Seq), and receives writes at its rate (60% title edits, 30% moves
// to another list, 10% new cards), each write's title carrying its send time so every delivery's
// latency is known (stamped as the request is sent).
//
// Compressing a day ~1,200 times keeps writes at their real rate but makes streams open ~1,200
// times as often per write: stream opens are capped at --max-opens-per-s (200), still far above a
// real morning's (100,000 streams over ~2 hours is ~14/s at 1×), and the per-write costs used for
// the extrapolation are taken apart from them, by statement (see writeStatementsPerWrite).
import { createSocket } from 'node:dgram';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { generateNKeysBetween } from 'fractional-indexing';
import pg from 'pg';
import { BUSY, listId, makeWorkload, poisson, random, streamsAt, taskId, writeRateAt } from './day.js';
import { extrapolate } from './extrapolate.js';
import { followers } from './model.js';
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
  openStream,
  options,
  round,
  sleep,
  startLiveboard,
  startChild,
  summarize,
  writeReport,
} from './lib.js';

const opts = options({ scale: 0.01, processes: 2, daySeconds: 72, seed: 1, maxOpensPerS: 200, proxy: true });
if (opts.daySeconds > 90) throw new Error('--day-seconds: at most 90, so the run stays under 2 minutes');
deadline(120_000);
const TITLES =
  'Fix login bug|Ship release notes|Review API draft|Customer call prep|Design sync|Deploy staging'.split(
    '|',
  );

/** The day's boards as rows, inserted in chunks with unnest (not through the proxy). */
async function seed(databaseUrl, workload, next) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const at = new Date().toISOString();
  const boards = [];
  const lists = [];
  const tasks = [];
  const used = [];
  const flush = async (force) => {
    if (!force && tasks.length < 20_000) return;
    if (boards.length) {
      await client.query(
        `INSERT INTO boards (id, title, seq, created_at, updated_at)
         SELECT id, title, 0, $3, $3 FROM unnest($1::text[], $2::text[]) AS b (id, title)`,
        [boards.map((b) => b[0]), boards.map((b) => b[1]), at],
      );
    }
    if (lists.length) {
      await client.query(
        `INSERT INTO lists (id, board_id, title, position)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
        [0, 1, 2, 3].map((index) => lists.map((row) => row[index])),
      );
    }
    if (tasks.length) {
      await client.query(
        `INSERT INTO tasks (id, board_id, list_id, title, description, position, version, created_at, updated_at)
         SELECT id, board_id, list_id, title, description, position, 1, $7, $7
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           AS t (id, board_id, list_id, title, description, position)`,
        [...[0, 1, 2, 3, 4, 5].map((index) => tasks.map((row) => row[index])), at],
      );
    }
    await client.query('INSERT INTO used_ids (id, board_id) SELECT * FROM unnest($1::text[], $2::text[])', [
      used.map((row) => row[0]),
      used.map((row) => row[1]),
    ]);
    boards.length = lists.length = tasks.length = used.length = 0;
  };
  const states = [];
  for (const board of workload.boards) {
    const state = { board, lists: [], tasks: [], nextTask: board.cards, streams: [], opening: 0, queued: 0 };
    boards.push([board.id, `Team ${board.team} board ${board.index}`]);
    used.push([board.id, board.id]);
    const listPositions = generateNKeysBetween(null, null, board.lists);
    for (let list = 0; list < board.lists; list++) {
      const id = listId(board.index, list);
      state.lists.push(id);
      lists.push([
        id,
        board.id,
        ['Backlog', 'To do', 'Doing', 'Review', 'Done', 'Later', 'Ideas'][list],
        listPositions[list],
      ]);
      used.push([id, board.id]);
    }
    const perList = Math.ceil(board.cards / board.lists);
    let card = 0;
    for (let list = 0; list < board.lists && card < board.cards; list++) {
      const positions = generateNKeysBetween(null, null, Math.min(perList, board.cards - card));
      for (const position of positions) {
        const id = taskId(board.index, card++);
        const description =
          next() < 0.5 ? '' : 'Steps to reproduce, notes and links. '.repeat(1 + Math.floor(next() * 10));
        tasks.push([id, board.id, state.lists[list], TITLES[card % TITLES.length], description, position]);
        used.push([id, board.id]);
        state.tasks.push({ id, list });
      }
    }
    states.push(state);
    await flush(false);
  }
  await flush(true);
  await client.end();
  return states;
}

/** pg-proxy.js in its own process; counts() asks it for its counts. */
async function startProxy() {
  const child = startChild(process.execPath, ['bench/scaling/pg-proxy.js'], {
    ipc: true,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`pg-proxy.js exited (${code})`)));
  });
  return {
    port,
    pid: child.pid,
    counts: () =>
      new Promise((resolve) => {
        child.once('message', (message) => resolve(message.counts));
        child.send('counts');
      }),
  };
}

/** Latest per-process samples from probe.js, over UDP. */
async function startProbeServer() {
  const socket = createSocket('udp4');
  const byPid = new Map();
  socket.on('message', (message) => {
    const sample = JSON.parse(String(message));
    if (sample.role !== 'worker') return;
    const entry = byPid.get(sample.pid) ?? { samples: [] };
    entry.samples.push(sample);
    byPid.set(sample.pid, entry);
  });
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  onCleanup(async () => socket.close());
  return { port: socket.address().port, byPid };
}

async function main() {
  const scale = opts.scale;
  const workload = makeWorkload({
    boards: Math.round(BUSY.boards * scale),
    peakStreams: Math.round(BUSY.streams * scale),
    peakWrites: BUSY.writesPerS * scale,
    seed: opts.seed,
  });
  const next = random(opts.seed + 1);
  const database = await createDatabase('scaling_day');
  // Without the proxy (--proxy false): the same day, without its extra hop, and without counts.
  const proxy = opts.proxy
    ? await startProxy()
    : {
        port: 5432,
        pid: -1,
        counts: async () => ({ roundTrips: 0, notifications: 0, connections: 0, statements: {} }),
      };
  const probes = await startProbeServer();
  const proxied = new URL(database.url);
  proxied.port = String(proxy.port);
  const server = await startLiveboard({
    databaseUrl: proxied.toString(),
    processes: opts.processes,
    probePort: probes.port,
  });
  const seedStarted = monotonicMs();
  const states = await seed(database.url, workload, next);
  const cards = workload.boards.reduce((sum, board) => sum + board.cards, 0);
  console.log(
    `scale ${scale}: ${workload.boards.length} boards of ${workload.teams} teams, ${cards} cards ` +
      `(seeded in ${round((monotonicMs() - seedStarted) / 1000, 1)} s); peak ${workload.peakStreams} streams, ` +
      `${workload.peakWrites} writes/s; ${opts.processes} processes; a day in ${opts.daySeconds} s`,
  );
  const sampler = new PgSampler(PG_ADMIN_URL, database.name);
  await sampler.start();
  const lockProbe = new pg.Client({ connectionString: PG_ADMIN_URL, application_name: 'scaling-sampler' });
  await lockProbe.connect();
  onCleanup(() => lockProbe.end());

  const writesPool = new HttpPool(server.port, 64);
  const snapshotPool = new HttpPool(server.port, 16);
  const counters = {
    writes: 0,
    writeErrors: {},
    deliveries: 0,
    opens: 0,
    snapshotBytes: 0,
    closedByServer: 0,
    gaps: 0,
    repeats: 0,
    skipped: 0,
  };
  const second = { writeMs: [], deliveryMs: [], writes: 0, deliveries: 0, opens: 0 };
  const allWriteMs = [];
  const allDeliveryMs = [];
  const byOp = { edit: 0, move: 0, create: 0 };
  const onEvent = (_seq, line) => {
    counters.deliveries++;
    second.deliveries++;
    const at = line.indexOf('sim@');
    if (at < 0) return;
    const latency = monotonicMs() - Number(line.slice(at + 4, line.indexOf(' ', at)));
    second.deliveryMs.push(latency);
    if (allDeliveryMs.length < 500_000) allDeliveryMs.push(latency);
  };

  const openQueue = [];
  async function openOne(state) {
    state.opening++;
    try {
      const snapshot = await snapshotPool.request('GET', `/boards/${state.board.id}`);
      counters.snapshotBytes += snapshot.body.length;
      const seq = Number(/\r\nboard-seq: *(\d+)/i.exec(snapshot.head)?.[1] ?? 0);
      const stream = openStream(server.port, `/boards/${state.board.id}/events`, seq, onEvent);
      state.streams.push(stream);
      counters.opens++;
      second.opens++;
    } catch {
      counters.writeErrors.open = (counters.writeErrors.open ?? 0) + 1;
    } finally {
      state.opening--;
    }
  }

  function write(state) {
    if (writesPool.queue.length > 2000) {
      counters.skipped++;
      return;
    }
    const draw = next();
    // Stamped when the request leaves (not when it is queued here): deliveries measure the server.
    const label = TITLES[Math.floor(draw * TITLES.length)];
    const title = () => `sim@${monotonicMs().toFixed(1)} ${label}`;
    const boardPath = `/boards/${state.board.id}`;
    let request;
    let op;
    let task;
    let toList;
    if (draw < 0.1 || state.tasks.length === 0) {
      op = 'create';
      toList = Math.floor(next() * state.lists.length);
      task = { id: taskId(state.board.index, state.nextTask++), list: toList };
      request = writesPool.request('POST', `${boardPath}/tasks`, () => ({
        id: task.id,
        listId: state.lists[toList],
        title: title(),
      }));
    } else {
      task = state.tasks[Math.floor(next() * state.tasks.length)];
      if (draw < 0.4) {
        op = 'move';
        toList = (task.list + 1 + Math.floor(next() * (state.lists.length - 1))) % state.lists.length;
        request = writesPool.request('PATCH', `${boardPath}/tasks/${task.id}`, () => ({
          listId: state.lists[toList],
          title: title(),
        }));
      } else {
        op = 'edit';
        request = writesPool.request('PATCH', `${boardPath}/tasks/${task.id}`, () => ({ title: title() }));
      }
    }
    request.then(
      (response) => {
        if (response.status === 200 || response.status === 201) {
          counters.writes++;
          second.writes++;
          byOp[op]++;
          second.writeMs.push(response.ms);
          if (allWriteMs.length < 500_000) allWriteMs.push(response.ms);
          if (op === 'create') state.tasks.push(task);
          if (op === 'move') task.list = toList;
        } else counters.writeErrors[response.status] = (counters.writeErrors[response.status] ?? 0) + 1;
      },
      () => (counters.writeErrors.connection = (counters.writeErrors.connection ?? 0) + 1),
    );
  }

  // ─── The day ────────────────────────────────────────────────────────────────────────────────
  const timeline = [];
  const countsAtStart = await proxy.counts();
  await sampler.sample();
  // This process's own event loop: its lateness shows in the latencies it measures.
  const selfDelay = monitorEventLoopDelay({ resolution: 5 });
  selfDelay.enable();
  let selfCpu = process.cpuUsage();
  let proxyCpuLast = cpuSeconds(proxy.pid);
  const dayStarted = monotonicMs();
  const dayMs = opts.daySeconds * 1000;
  let lastSecond = dayStarted;
  let lastPrintedHour = -1;
  let proxyLast = await proxy.counts();
  const cumulative = new Float64Array(states.length);
  console.log(
    'hour  streams  writes/s  deliv/s  write p99  deliv p99   proc cores     ELD p99 ms   DB cores (LISTEN)  notify waits  RT/s  sim cores/ELD  load',
  );
  for (;;) {
    const now = monotonicMs();
    const elapsed = now - dayStarted;
    if (elapsed >= dayMs) break;
    const hour = (24 * elapsed) / dayMs;
    // Streams: as many as each board's online members.
    let writeRate = 0;
    for (let index = 0; index < states.length; index++) {
      const state = states[index];
      for (let s = state.streams.length - 1; s >= 0; s--) {
        const stream = state.streams[s];
        if (stream.closed) {
          counters.closedByServer++;
          counters.gaps += stream.gaps;
          counters.repeats += stream.repeats;
          state.streams.splice(s, 1);
        }
      }
      const target = streamsAt(state.board, hour);
      let have = state.streams.length + state.opening + state.queued;
      while (have < target) {
        openQueue.push(state);
        state.queued++;
        have++;
      }
      while (have > target && state.streams.length > 0) {
        const stream = state.streams.pop();
        counters.gaps += stream.gaps;
        counters.repeats += stream.repeats;
        stream.close();
        have--;
      }
      writeRate += writeRateAt(workload, state.board, hour);
      cumulative[index] = writeRate;
    }
    for (let n = 0; n < opts.maxOpensPerS / 10 && openQueue.length > 0; n++) {
      const state = openQueue.shift();
      state.queued--;
      void openOne(state);
    }
    // Writes: Poisson at the day's rate, each to a board drawn by its weight.
    const writes = poisson(next, writeRate * 0.1);
    for (let n = 0; n < writes; n++) {
      const target = next() * writeRate;
      let low = 0;
      let high = states.length - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (cumulative[middle] < target) low = middle + 1;
        else high = middle;
      }
      write(states[low]);
    }
    if (now - lastSecond >= 1000) {
      const seconds = (now - lastSecond) / 1000;
      lastSecond = now;
      const db = await sampler.sample();
      const { rows } = await lockProbe.query(
        `SELECT count(*)::int AS waiting FROM pg_locks
         WHERE locktype = 'object' AND classid = 1262 AND objid = 0 AND NOT granted`,
      );
      const counts = await proxy.counts();
      const processes = [...probes.byPid.entries()].map(([pid, entry]) => {
        const last = entry.samples.at(-1);
        return {
          pid,
          cores: last ? round(last.cpuUs / 1e6 / last.seconds) : null,
          eldP99: last?.eldMs.p99,
          eldMax: last?.eldMs.max,
          rssMb: last ? round(last.rssKb / 1024, 1) : null,
          heapMb: last ? round(last.heapUsedKb / 1024, 1) : null,
        };
      });
      const streamsOpen = states.reduce((sum, state) => sum + state.streams.length, 0);
      const row = {
        t: round(elapsed / 1000, 1),
        hour: round(hour, 2),
        streamsOpen,
        opensPerS: round(second.opens / seconds),
        writesPerS: round(second.writes / seconds),
        deliveriesPerS: round(second.deliveries / seconds),
        writeMs: summarize(second.writeMs),
        deliveryMs: summarize(second.deliveryMs),
        writeQueue: writesPool.queue.length,
        openQueue: openQueue.length,
        processes,
        db: {
          cores: round(db.backendCpu),
          listenerCores: round(db.listenerCpu),
          walKbPerS: round(db.walBytesPerS / 1024),
          notifyQueueUsage: db.queueUsage,
          notifyLockWaiters: rows[0].waiting,
          backends: db.backends,
        },
        roundTripsPerS: round((counts.roundTrips - proxyLast.roundTrips) / seconds),
        notificationsPerS: round((counts.notifications - proxyLast.notifications) / seconds),
        load1: loadAverage()[0],
        proxyCores: round((cpuSeconds(proxy.pid) - proxyCpuLast) / seconds),
        simulator: {
          cores: round((process.cpuUsage(selfCpu).user + process.cpuUsage(selfCpu).system) / 1e6 / seconds),
          eldP99: round(Math.max(0, selfDelay.percentile(99) / 1e6 - 5)),
        },
      };
      selfCpu = process.cpuUsage();
      selfDelay.reset();
      proxyCpuLast = cpuSeconds(proxy.pid);
      proxyLast = counts;
      timeline.push(row);
      second.writeMs = [];
      second.deliveryMs = [];
      second.writes = second.deliveries = second.opens = 0;
      if (Math.floor(hour) !== lastPrintedHour && Math.floor(hour) % 2 === 0) {
        lastPrintedHour = Math.floor(hour);
        console.log(
          [
            String(Math.floor(hour)).padStart(4),
            String(streamsOpen).padStart(8),
            String(Math.round(row.writesPerS)).padStart(9),
            String(Math.round(row.deliveriesPerS)).padStart(8),
            String(row.writeMs.p99 ?? '-').padStart(10),
            String(row.deliveryMs.p99 ?? '-').padStart(10),
            processes
              .map((p) => p.cores)
              .join('/')
              .padStart(12),
            processes
              .map((p) => p.eldP99)
              .join('/')
              .padStart(14),
            `${row.db.cores} (${row.db.listenerCores})`.padStart(19),
            String(row.db.notifyLockWaiters).padStart(13),
            String(Math.round(row.roundTripsPerS)).padStart(5),
            `${row.simulator.cores}/${row.simulator.eldP99}`.padStart(14),
            `  ${row.load1}`,
          ].join(' '),
        );
      }
    }
    await sleep(Math.max(0, 100 - (monotonicMs() - now)));
  }
  const daySeconds = (monotonicMs() - dayStarted) / 1000;
  await sleep(500); // the last writes' answers and deliveries
  for (const state of states) {
    for (const stream of state.streams) {
      counters.gaps += stream.gaps;
      counters.repeats += stream.repeats;
      stream.close();
    }
  }
  writesPool.close();
  snapshotPool.close();
  const dbTotals = await sampler.totalsSinceStart();
  await sampler.stop();
  const counts = await proxy.counts();
  const statements = {};
  for (const [kind, count] of Object.entries(counts.statements)) {
    const delta = count - (countsAtStart.statements[kind] ?? 0);
    if (delta) statements[kind] = delta;
  }
  const totalStatements = Object.values(statements).reduce((a, b) => a + b, 0);
  const notifications = counts.notifications - countsAtStart.notifications;
  const processSummaries = [...probes.byPid.entries()].map(([pid, entry]) => {
    const during = entry.samples.slice(-Math.floor(daySeconds));
    const cpuS = during.reduce((sum, sample) => sum + sample.cpuUs / 1e6, 0);
    return {
      pid,
      cpuSeconds: round(cpuS),
      peakCores: round(Math.max(...during.map((sample) => sample.cpuUs / 1e6 / sample.seconds))),
      eldP99OfSecondsP99: summarize(during.map((sample) => sample.eldMs.p99)).p99,
      eldMax: round(Math.max(...during.map((sample) => sample.eldMs.max))),
      rssMbFirst: round(during[0]?.rssKb / 1024, 1),
      rssMbMax: round(Math.max(...during.map((sample) => sample.rssKb)) / 1024, 1),
      heapMbMax: round(Math.max(...during.map((sample) => sample.heapUsedKb)) / 1024, 1),
    };
  });
  const serverCpuS = processSummaries.reduce((sum, p) => sum + p.cpuSeconds, 0);
  const commits = notifications / opts.processes;
  const peakStreams = Math.max(...timeline.map((row) => row.streamsOpen));
  // What the model predicts for log reads per commit at this scale and process count, at the peak.
  let weighted = 0;
  let weight = 0;
  const peakRow = timeline.reduce(
    (best, row) => (row.streamsOpen > best.streamsOpen ? row : best),
    timeline[0],
  );
  for (const state of states) {
    const rate = writeRateAt(workload, state.board, peakRow.hour);
    const readers = streamsAt(state.board, peakRow.hour);
    const following = followers(readers, opts.processes);
    weighted += rate * (following - following / opts.processes);
    weight += rate;
  }
  // A write's own statements, apart from those of stream opens (the day is compressed ~1,200 times,
  // so its streams open ~1,200 times as often per write as in a real day): BEGIN, the row lock,
  // the batch, its look-ups, COMMIT; and the snapshot-row reads of a cache miss, shared with the
  // snapshots that stream opens read, in proportion.
  const at = (kind) => statements[kind] ?? 0;
  const writePath =
    2 * at('begin') +
    at('lockBoard') +
    at('writeBatch') +
    at('usedIds') +
    at('idempotencyRecords') +
    at('lockIdempotencyKeys');
  const missReads = at('boardRow') + at('listsOfBoard') + at('tasksOfBoard');
  const writeShareOfMisses = at('begin') / Math.max(1, at('begin') + at('snapshotBegin'));
  const writeStatementsPerWrite = (writePath + missReads * writeShareOfMisses) / Math.max(1, counters.writes);
  const measured = {
    daySeconds: round(daySeconds),
    boards: workload.boards.length,
    cards,
    peakStreams,
    writes: counters.writes,
    writesByOp: byOp,
    writeErrors: counters.writeErrors,
    writesSkipped: counters.skipped,
    peakWritesPerS: Math.max(...timeline.map((row) => row.writesPerS)),
    deliveries: counters.deliveries,
    streamOpens: counters.opens,
    streamsClosedByServer: counters.closedByServer,
    gaps: counters.gaps,
    repeats: counters.repeats,
    writeMs: summarize(allWriteMs),
    deliveryMs: summarize(allDeliveryMs),
    commits: Math.round(commits),
    commitsPerWrite: round(commits / Math.max(1, counters.writes), 3),
    deliveriesPerWrite: round(counters.deliveries / Math.max(1, counters.writes)),
    statements,
    roundTripsPerWrite: round((counts.roundTrips - countsAtStart.roundTrips) / Math.max(1, counters.writes)),
    writeStatementsPerWrite: round(writeStatementsPerWrite),
    cacheMissShare: round(missReads / 3 / Math.max(1, at('begin') + at('snapshotBegin')), 3),
    logReadsPerCommit: round((statements.eventsAfter ?? 0) / Math.max(1, commits), 3),
    modelLogReadsPerCommitAtPeak: round(weighted / weight, 3),
    db: {
      backendCpuS: round(dbTotals.backendCpuS),
      listenerCpuS: round(dbTotals.listenerCpuS),
      usPerStatement: round(
        ((dbTotals.backendCpuS - dbTotals.listenerCpuS) * 1e6) / Math.max(1, totalStatements),
      ),
      listenerUsPerNotice: round((dbTotals.listenerCpuS * 1e6) / Math.max(1, notifications)),
      // Cluster-wide: includes whatever the server's other databases write meanwhile.
      walBytesPerWriteClusterWide: Math.round(dbTotals.walBytes / Math.max(1, counters.writes)),
      notifyLockWaitersMax: Math.max(...timeline.map((row) => row.db.notifyLockWaiters)),
      notifyQueueUsageMax: Math.max(...timeline.map((row) => row.db.notifyQueueUsage)),
    },
    processes: processSummaries,
    serverCpuUsPerWriteAllIncluded: round((serverCpuS * 1e6) / Math.max(1, counters.writes)),
  };
  await server.stop();

  console.log(
    `\nday: ${measured.writes} writes (${JSON.stringify(byOp)}; refused ${JSON.stringify(counters.writeErrors)}, ` +
      `skipped ${counters.skipped}), ${measured.deliveries} deliveries (${measured.deliveriesPerWrite} a write), ` +
      `${counters.opens} streams opened, peak ${peakStreams} open; gaps ${counters.gaps}, repeats ${counters.repeats}`,
  );
  console.log(
    `write p50/p99 ${measured.writeMs.p50}/${measured.writeMs.p99} ms; commit to delivery p50/p99 ` +
      `${measured.deliveryMs.p50}/${measured.deliveryMs.p99} ms`,
  );
  if (opts.proxy) {
    console.log(
      `PostgreSQL: ${measured.commits} notifying commits (${measured.commitsPerWrite} a write), ` +
        `${measured.roundTripsPerWrite} round trips a write (${measured.writeStatementsPerWrite} its own), log reads ${measured.logReadsPerCommit} a commit ` +
        `(model at the peak: ${measured.modelLogReadsPerCommitAtPeak}); ${measured.db.usPerStatement} µs CPU a statement, ` +
        `LISTEN backends ${measured.db.listenerUsPerNotice} µs a notice; ` +
        `NOTIFY lock waiters max ${measured.db.notifyLockWaitersMax}, queue use max ${measured.db.notifyQueueUsageMax}`,
    );
    console.log(`statements: ${JSON.stringify(statements)}`);
  } else {
    console.log(
      `PostgreSQL: NOTIFY lock waiters max ${measured.db.notifyLockWaitersMax} (no counts without the proxy)`,
    );
  }
  console.log(
    `load generator: simulator peak ${Math.max(...timeline.map((row) => row.simulator.cores))} cores, ` +
      `event-loop delay p99 max ${Math.max(...timeline.map((row) => row.simulator.eldP99))} ms; proxy peak ` +
      `${Math.max(...timeline.map((row) => row.proxyCores))} cores; write queue max ${Math.max(...timeline.map((row) => row.writeQueue))}`,
  );
  for (const p of processSummaries) {
    console.log(
      `process ${p.pid}: ${p.cpuSeconds} CPU s (peak ${p.peakCores} cores), event-loop delay p99 of seconds ` +
        `${p.eldP99OfSecondsP99} ms, max ${p.eldMax} ms; RSS ${p.rssMbFirst} → max ${p.rssMbMax} MB, heap max ${p.heapMbMax} MB`,
    );
  }

  // ─── Extrapolation ─────────────────────────────────────────────────────────────────────────
  const extrapolation = opts.proxy ? extrapolate(measured) : undefined;
  const path = writeReport(`simulate-day`, {
    machine: machine(),
    options: opts,
    workload: {
      teams: workload.teams,
      boards: workload.boards.length,
      cards,
      peakStreams: workload.peakStreams,
      peakWrites: workload.peakWrites,
    },
    measured,
    extrapolation,
    timeline,
    loadAverageAtEnd: loadAverage(),
  });
  console.log(`report: ${path}`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
