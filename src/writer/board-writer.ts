import { LiveboardError, type BoardCommand, type CreateBoardCommand } from '../domain/index.js';
import type { Broadcaster } from '../live/broadcaster.js';
import type { Metrics } from '../metrics.js';
import type {
  LoggedEvent,
  QueuedWrite,
  Store,
  WriteOptions,
  WriteOutcome,
  WriteResult,
} from '../store/store.js';

/**
 * Where tests step in between a write's commit and everything after it (the broadcast, the
 * answer): the window that Idempotency-Keys and resume exist for. Production passes none.
 */
export interface WriteSeams {
  /** Called once a write has committed, before anyone hears of it; never for a replay. */
  afterCommit?(outcome: WriteOutcome): void;
  /**
   * Awaited before a batch's transaction starts, its writes already taken off the queue: a test
   * holds the commit open here so that the next writes queue behind it, whatever the machine's speed.
   */
  beforeCommit?(): Promise<void>;
}

export interface GroupCommitLimits {
  /** Writes one transaction takes at most. */
  maxBatch: number;
  /** Writes one board may have waiting; past it a write is refused with 503 `unavailable`. */
  maxQueued: number;
}

/**
 * 64 writes a transaction keeps a batch's lock short while already amortizing the commit (an
 * fsync on SQLite, a round trip with the board's row locked on PostgreSQL) over many writes; 1,024
 * waiting is about a second of a busy board's writes, past which a client is better told to retry.
 * (LIVEBOARD_WRITE_BATCH_LIMIT and LIVEBOARD_WRITE_QUEUE_LIMIT set them.)
 */
export const DEFAULT_GROUP_COMMIT: GroupCommitLimits = { maxBatch: 64, maxQueued: 1024 };

interface Waiting extends QueuedWrite {
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

/**
 * The one write path. Every writer — a REST route, the demo board's seed, an import or an operator
 * command to come — calls this, never the store's write methods directly: it runs the command in the
 * store's transaction and only after the commit publishes the event to the broadcaster and counts
 * it. So nothing that commits goes unheard, and nothing is heard that could still roll back.
 *
 * Writes to one board are group-committed: while a board's transaction is in flight, its next
 * writes wait here, in memory, in arrival order (not each in a database lock wait, holding a
 * connection), and then commit together in one transaction, each answered once that is durable.
 * An idle board's write starts at once: a batch never waits to fill.
 */
export class BoardWriter {
  private readonly queuesByBoard = new Map<string, Waiting[]>();
  /** On a store that commits several boards at once: its commits in flight, and their boards. */
  private lanesInUse = 0;
  private readonly boardsInFlight = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly broadcaster: Broadcaster,
    private readonly metrics: Metrics,
    private readonly seams: WriteSeams = {},
    private readonly limits: GroupCommitLimits = DEFAULT_GROUP_COMMIT,
  ) {}

  /** A new, empty board (seq 0: its log starts with its first change, so there is nothing to broadcast). */
  async createBoard(command: CreateBoardCommand, options: WriteOptions = {}): Promise<WriteOutcome> {
    const outcome = await this.store.createBoard(command, options);
    if (!outcome.replayed) this.seams.afterCommit?.(outcome);
    return outcome;
  }

  /** Decides and commits a command on a board; throws the LiveboardError that refused it. */
  execute(boardId: string, command: BoardCommand, options: WriteOptions = {}): Promise<WriteOutcome> {
    let queue = this.queuesByBoard.get(boardId);
    if (queue && queue.length >= this.limits.maxQueued) {
      return Promise.reject(
        new LiveboardError('unavailable', `board '${boardId}' has too many writes waiting; retry shortly`),
      );
    }
    return new Promise((resolve, reject) => {
      const write = { command, options, resolve, reject };
      if (queue) {
        queue.push(write);
        return;
      }
      queue = [write];
      this.queuesByBoard.set(boardId, queue);
      if (this.store.executeBoardBatches) this.startBoardBatches();
      else void this.drain(boardId, queue);
    });
  }

  /**
   * On a store that commits several boards in one transaction, every board's waiting writes commit
   * together: one commit for writes to 64 boards as for 64 writes to one. Each transaction takes at
   * most `maxBatch` writes, shared among the boards waiting (a board that still has writes left goes
   * to the back, so none waits behind a busy one for long). Up to the store's `boardBatchLanes`
   * transactions are in flight at once (SQLite's one writer: 1), never two with the same board, and
   * a write that finds a lane free starts at once, as on one board.
   */
  private startBoardBatches(): void {
    const lanes = this.store.boardBatchLanes ?? 1;
    while (this.lanesInUse < lanes) {
      const batches = this.takeBoardBatches();
      if (batches.length === 0) return;
      this.lanesInUse++;
      for (const batch of batches) this.boardsInFlight.add(batch.boardId);
      void this.commitBoards(batches).finally(() => {
        for (const batch of batches) this.boardsInFlight.delete(batch.boardId);
        // The lane stays taken for a turn of the event loop, so that the requests read off their
        // sockets meanwhile join the next batch: SQLite commits within the call, and with the lane
        // free at once each of them would commit alone the moment it is parsed, one fsync each
        // (1,400 against 4,000 writes/s for 64 writers on one board in bench:writes).
        setImmediate(() => {
          this.lanesInUse--;
          this.startBoardBatches();
        });
      });
    }
  }

  /** The next transaction's share of the waiting writes, from boards not in flight. */
  private takeBoardBatches(): { boardId: string; writes: Waiting[] }[] {
    const { maxBatch } = this.limits;
    const ready = [...this.queuesByBoard].filter(([boardId]) => !this.boardsInFlight.has(boardId));
    const share = Math.max(1, Math.floor(maxBatch / Math.max(1, ready.length)));
    const batches: { boardId: string; writes: Waiting[] }[] = [];
    let taken = 0;
    for (const [boardId, queue] of ready) {
      if (taken >= maxBatch) break;
      const writes = queue.splice(0, Math.min(share, maxBatch - taken));
      taken += writes.length;
      batches.push({ boardId, writes });
      this.queuesByBoard.delete(boardId);
      if (queue.length > 0) this.queuesByBoard.set(boardId, queue);
    }
    return batches;
  }

  private async commitBoards(batches: { boardId: string; writes: Waiting[] }[]): Promise<void> {
    let results;
    try {
      if (this.seams.beforeCommit) await this.seams.beforeCommit();
      results = await this.store.executeBoardBatches!(batches);
    } catch (error) {
      for (const batch of batches) for (const write of batch.writes) write.reject(error);
      return;
    }
    batches.forEach((batch, index) => this.settle(batch.writes, results[index]!));
  }

  /**
   * Commits the board's waiting writes, a batch at a time, until none are left. An idle board's
   * write starts at once. After each batch the event loop takes a turn before the next one, so
   * that the requests read off their sockets meanwhile join it: a synchronous store (SQLite) would
   * otherwise commit each write the moment its request is parsed, one fsync each, and never form a
   * batch at all. (Waiting that turn before the first batch too cost a lone writer 1.6 → 2.8 ms
   * p50 with 1,000 subscribers, behind the fan-out's slices, in `npm run bench`.)
   */
  private async drain(boardId: string, queue: Waiting[]): Promise<void> {
    do {
      await this.commit(boardId, queue.splice(0, this.limits.maxBatch));
      await new Promise((resolve) => setImmediate(resolve));
    } while (queue.length > 0);
    this.queuesByBoard.delete(boardId);
  }

  private async commit(boardId: string, batch: Waiting[]): Promise<void> {
    let results;
    try {
      if (this.seams.beforeCommit) await this.seams.beforeCommit();
      results = await this.store.executeBatch(boardId, batch);
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    }
    this.settle(batch, results);
  }

  /** After a batch's commit: the seam, the broadcast of its events, then each write's answer. */
  private settle(batch: Waiting[], results: readonly WriteResult[]): void {
    const events: LoggedEvent[] = [];
    results.forEach((result) => {
      if (!result.ok) return;
      if (!result.outcome.replayed) this.seams.afterCommit?.(result.outcome);
      if (result.outcome.event) events.push(result.outcome.event);
    });
    if (events.length > 0) {
      this.metrics.eventsWritten.inc(events.length);
      this.broadcaster.publish(events);
    }
    results.forEach((result, index) => {
      if (result.ok) batch[index]!.resolve(result.outcome);
      else batch[index]!.reject(result.error);
    });
  }
}
