import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Pages the checkpointer's connection leaves in the WAL before the committing connection steps in
 * itself (SQLite's automatic checkpoint, four times its default): a safety net for a checkpointer
 * that cannot keep up, never reached while it does.
 */
export const MAIN_CONNECTION_AUTOCHECKPOINT_PAGES = 4000;

/** How often the worker looks at how far the WAL is ahead of the database file, while it moves. */
const POLL_MS = 5;
/**
 * How long the worker waits between looks at most, once the WAL is copied and still: each look
 * that finds nothing new waits twice as long as the one before, up to this. Looking every 5 ms
 * whatever happens cost an idle server 1.3% of a core (64 µs a look, measured with perf on this
 * machine, 2026-12-01), taken from the fan-out when the next write's burst came; a write after a
 * pause is seen within this, long before the WAL nears the committing connection's own threshold.
 */
const IDLE_POLL_MS = 250;
/** Frames worth a checkpoint (and its fsync of the database file): SQLite's own default. */
const THRESHOLD_FRAMES = 1000;
/** After this long without a commit, the rest is copied too, so that an idle database is whole. */
const QUIET_MS = 50;

/** What the worker has done so far: for the metrics and the tests. */
export interface CheckpointStats {
  checkpoints: number;
  /** WAL frames (pages) copied into the database file (as the wal-index counted them before each). */
  framesCopied: number;
  /** Checkpoints that found another connection's checkpoint running, or a writer holding the lock. */
  busy: number;
  /** Times the worker read the WAL's header. */
  looks: number;
  /** Whether the worker stopped on an error it could not retry (the main connection takes over). */
  failed: string | null;
}

// The worker's code, run as a CommonJS script (`eval`), so that it needs no file of its own: the
// same code serves the build and the tests, which run the TypeScript sources.
const WORKER_SOURCE = `
const { closeSync, openSync, readSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 0');
// How far the WAL is ahead of the database file, read from the wal-index header (the -shm file,
// in the machine's byte order: mxFrame at 16, nBackfill at 96; see SQLite's walformat.html),
// so that looking costs one read rather than a checkpoint call.
const shm = openSync(workerData.path + '-shm', 'r');
const header = Buffer.alloc(100);
function pendingFrames() {
  if (readSync(shm, header, 0, 100, 0) < 100) return { frames: 0, mxFrame: 0 };
  const mxFrame = header.readUInt32LE(16);
  const backfilled = header.readUInt32LE(96);
  return { frames: mxFrame >= backfilled ? mxFrame - backfilled : mxFrame, mxFrame };
}
const stats = { checkpoints: 0, framesCopied: 0, busy: 0, looks: 0, failed: null };
let timer;
let stopped = false;
let lastMxFrame = -1;
let changedAt = Date.now();
let waitMs = workerData.pollMs;
function checkpoint() {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  if (result.busy) {
    stats.busy++;
    return;
  }
  stats.checkpoints++;
  parentPort.postMessage(stats);
}
function tick() {
  if (stopped) return;
  let still = false;
  try {
    stats.looks++;
    const { frames, mxFrame } = pendingFrames();
    const now = Date.now();
    if (mxFrame !== lastMxFrame) {
      lastMxFrame = mxFrame;
      changedAt = now;
    } else still = frames === 0;
    // Enough to be worth a sync of the database file, or what is left once writes have paused (an
    // idle database is then whole in its file, and the next commit rewinds the WAL).
    if (frames >= workerData.thresholdFrames || (frames > 0 && now - changedAt >= workerData.quietMs)) {
      stats.framesCopied += frames;
      checkpoint();
    }
  } catch (error) {
    if (error && error.code === 'SQLITE_BUSY') stats.busy++;
    else {
      stats.failed = String(error && error.message);
      parentPort.postMessage(stats);
      stop();
      return;
    }
  }
  waitMs = still ? Math.min(workerData.idlePollMs, waitMs * 2) : workerData.pollMs;
  timer = setTimeout(tick, waitMs);
}
function stop() {
  stopped = true;
  clearTimeout(timer);
  closeSync(shm);
  if (db.open) db.close();
  parentPort.close();
}
parentPort.on('message', stop);
tick();
`;

/**
 * Copies a SQLite database's write-ahead log into the database file from a worker thread.
 *
 * SQLite's automatic checkpoint runs inside the commit that crosses its threshold: every thousand
 * pages, one write waits while 4 MB are copied and the database file is fsync'd, and since the
 * driver is synchronous, the event loop and every stream wait with it (the p99 of sequential
 * writes). Here the server's connection only appends to the WAL, one fsync per commit, and a
 * second connection in a worker checkpoints. PASSIVE: it never blocks a writer or a reader, and
 * durability is unchanged (a commit is durable once its WAL frames are synced, checkpointed or not).
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private latest: CheckpointStats = { checkpoints: 0, framesCopied: 0, busy: 0, looks: 0, failed: null };
  private readonly exited: Promise<void>;

  constructor(path: string) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        path,
        driver,
        pollMs: POLL_MS,
        idlePollMs: IDLE_POLL_MS,
        thresholdFrames: THRESHOLD_FRAMES,
        quietMs: QUIET_MS,
      },
    });
    // A server that stops without closing its store must still exit.
    this.worker.unref();
    this.worker.on('message', (stats: CheckpointStats) => {
      this.latest = stats;
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.once('error', (error: Error) => {
        this.latest = { ...this.latest, failed: error.message };
      });
    });
  }

  get stats(): CheckpointStats {
    return this.latest;
  }

  /** Stops the worker and waits for its connection to close. */
  async stop(): Promise<void> {
    // Held until it has closed its connection: unreferenced, the process could end first (a CLI
    // command's last await would then never settle: exit code 13).
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
