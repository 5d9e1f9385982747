// The arithmetic of docs/SCALING.md: from unit costs and ceilings measured by the other scaling
// scripts, and the synthetic day's boards (day.js) at the size of a busy deployment, the load on
// each component at k times that deployment, with processes growing with the streams. Pure: every
// input is named, and simulate-day.js prints where each came from.
import { BUSY, makeWorkload, profile, streamsAt, writeRateAt } from './day.js';

/** Expected number of P processes holding at least one of a board's r streams, placed at random. */
export function followers(readers, processes) {
  if (readers <= 0) return 0;
  return processes * (1 - (1 - 1 / processes) ** readers);
}

/** The busy deployment's boards at its busiest hour: streams and writes/s of each. */
export function peakBoards(seed = 1) {
  const workload = makeWorkload({
    boards: BUSY.boards,
    peakStreams: BUSY.streams,
    peakWrites: BUSY.writesPerS,
    seed,
  });
  let peakHour = 0;
  let peak = -1;
  for (let hour = 0; hour < 24; hour += 0.25) {
    let online = 0;
    for (const board of workload.boards) online += board.members * profile(hour + board.zone);
    if (online > peak) [peak, peakHour] = [online, hour];
  }
  return workload.boards.map((board) => ({
    readers: streamsAt(board, peakHour),
    writesPerS: writeRateAt(workload, board, peakHour),
    cards: board.cards,
  }));
}

/**
 * Designs: `feed` is how processes hear of each other's commits — 'notify' (one channel, every
 * process hears every commit: today), 'notify-sharded' (LISTEN on the channels of the shards of
 * boards a process follows), 'broker' (NATS or Redis, a subject per shard, published after
 * commit); `routing` is 'random' (any process serves any board: today) or 'sticky' (a board's
 * streams and writes go to one process); `partitions`: PostgreSQL clusters the boards are split
 * across by board id.
 */
export const TODAY = { feed: 'notify', routing: 'random', partitions: 1 };

/**
 * Utilisation of each component at k× the busy deployment (1 = at its ceiling). `units` holds the
 * measured costs and ceilings; `boards` is peakBoards().
 */
export function loadAt(k, units, boards, design = TODAY) {
  const processes = Math.max(1, Math.round(BUSY.processes * k));
  const partitions = design.partitions;
  let writes = 0;
  let deliveries = 0;
  let logReadsPerCommit = 0; // write-weighted
  let followedCommits = 0; // notices a process hears with sharded channels: commits of boards it follows
  let hottest = 0;
  let cacheCards = 0;
  for (const board of boards) {
    writes += board.writesPerS;
    deliveries += board.writesPerS * board.readers;
    hottest = Math.max(hottest, board.writesPerS);
    cacheCards += board.writesPerS * board.cards;
    const following =
      design.routing === 'sticky' ? Math.min(1, board.readers) : followers(board.readers, processes);
    // The writing process publishes itself; every other follower reads the log once per commit.
    const writerFollows = design.routing === 'sticky' ? following : following / processes;
    logReadsPerCommit += board.writesPerS * Math.max(0, following - writerFollows);
    followedCommits += board.writesPerS * following;
  }
  logReadsPerCommit /= writes;
  // k× the deployment: k× the boards, streams and writes, each board as busy as before.
  const writesPerS = writes * k;
  const commitsPerS = writesPerS * units.commitsPerWrite;
  const streams = BUSY.streams * k;
  const noticesPerProcess =
    design.feed === 'notify' ? commitsPerS : (followedCommits * k * units.commitsPerWrite) / processes;
  const noticeDeliveries = noticesPerProcess * processes; // sent by the feed, per second
  const logReadsPerS = commitsPerS * logReadsPerCommit;
  const dbStatementsPerS = writesPerS * units.otherStatementsPerWrite + logReadsPerS;
  const perPartition = (value) => value / partitions;
  const processCores =
    (noticesPerProcess * units.nodeUsPerNotice +
      (deliveries * k * units.deliveryUs) / processes +
      (logReadsPerS * units.nodeUsPerLogRead) / processes +
      (writesPerS * units.serverUsPerWrite) / processes) /
    1e6;
  const cacheMb =
    (Math.min(512, BUSY.boards / processes) * (cacheCards / writes) * units.heapBytesPerCard) / 2 ** 20;
  const dbListenerCores =
    design.feed === 'broker' ? 0 : perPartition(noticeDeliveries * units.dbListenerUsPerNotice) / 1e6;
  const dbCores = perPartition(dbStatementsPerS * units.dbUsPerStatement) / 1e6 + dbListenerCores;
  const rows = {
    'NOTIFY commit lock (commits/s, one per PostgreSQL cluster)': {
      demand: design.feed === 'broker' ? 0 : perPartition(commitsPerS),
      ceiling: units.notifyCommitsPerS,
    },
    'Broker CPU (cores, one NATS server)': {
      demand: design.feed === 'broker' ? (commitsPerS * units.brokerUsPerPublish) / 1e6 : 0,
      ceiling: units.brokerHostCores,
    },
    'PostgreSQL CPU per cluster (cores)': { demand: dbCores, ceiling: units.dbHostCores },
    '  of which LISTEN backends (cores)': { demand: dbListenerCores, ceiling: units.dbHostCores },
    // Each process keeps a pool (and a LISTEN connection) to every cluster whose boards it serves:
    // all of them with random routing, its own cluster's with sticky routing by partition.
    'PostgreSQL connections per cluster': {
      demand:
        design.routing === 'sticky'
          ? (processes * units.connectionsPerProcess) / partitions
          : processes * units.connectionsPerProcess,
      ceiling: units.maxConnections,
    },
    'Process CPU (cores, one event loop)': { demand: processCores, ceiling: 1 },
    '  of which commit notices (cores)': {
      demand: (noticesPerProcess * units.nodeUsPerNotice) / 1e6,
      ceiling: 1,
    },
    'Streams per process': { demand: streams / processes, ceiling: units.streamsPerProcess },
    'Process memory (MB: streams + snapshot cache + base)': {
      demand: ((streams / processes) * units.streamKb) / 1024 + cacheMb + units.baseRssMb,
      ceiling: units.processMemoryMb,
    },
    'Hottest board (writes/s)': { demand: hottest, ceiling: units.perBoardWritesPerS },
  };
  const facts = {
    processes,
    writesPerS: Math.round(writesPerS),
    commitsPerS: Math.round(commitsPerS),
    deliveriesPerS: Math.round(deliveries * k),
    logReadsPerCommit: Math.round(logReadsPerCommit * 100) / 100,
    noticesPerProcessPerS: Math.round(noticesPerProcess),
    cacheMbPerProcess: Math.round(cacheMb),
  };
  return { rows, facts };
}

/** The smallest k (to 2 significant digits, up to 10,000) at which a row reaches its ceiling. */
export function breakingScale(units, boards, row, design = TODAY) {
  const at = (k) => {
    const { demand, ceiling } = loadAt(k, units, boards, design).rows[row];
    return demand / ceiling;
  };
  if (at(10_000) < 1) return Infinity;
  let low = 0.001;
  let high = 10_000;
  if (at(low) >= 1) return low;
  for (let step = 0; step < 60; step++) {
    const middle = Math.sqrt(low * high);
    if (at(middle) >= 1) high = middle;
    else low = middle;
  }
  return Number(high.toPrecision(2));
}
