import type { BoardCommand, CreateBoardCommand } from '../domain/index.js';
import type { Broadcaster } from '../live/broadcaster.js';
import type { Metrics } from '../metrics.js';
import type { Store, WriteOptions, WriteOutcome } from '../store/store.js';

/**
 * Where tests step in between a write's commit and everything after it (the broadcast, the
 * answer): the window that Idempotency-Keys and resume exist for. Production passes none.
 */
export interface WriteSeams {
  /** Called once a write has committed, before anyone hears of it; never for a replay. */
  afterCommit?(outcome: WriteOutcome): void;
}

/**
 * The one write path. Every writer — a REST route, the demo board's seed, an import or an operator
 * command to come — calls this, never the store's write methods directly: it runs the command in the
 * store's transaction and only after the commit publishes the event to the broadcaster and counts
 * it. So nothing that commits goes unheard, and nothing is heard that could still roll back.
 */
export class BoardWriter {
  constructor(
    private readonly store: Store,
    private readonly broadcaster: Broadcaster,
    private readonly metrics: Metrics,
    private readonly seams: WriteSeams = {},
  ) {}

  /** A new, empty board (seq 0: its log starts with its first change, so there is nothing to broadcast). */
  async createBoard(command: CreateBoardCommand, options: WriteOptions = {}): Promise<WriteOutcome> {
    return this.committed(await this.store.createBoard(command, options));
  }

  /** Decides and commits a command on a board; throws the LiveboardError that refused it. */
  async execute(boardId: string, command: BoardCommand, options: WriteOptions = {}): Promise<WriteOutcome> {
    return this.committed(await this.store.execute(boardId, command, options));
  }

  private committed(outcome: WriteOutcome): WriteOutcome {
    if (!outcome.replayed) this.seams.afterCommit?.(outcome);
    if (outcome.event) {
      this.metrics.eventsWritten.inc();
      this.broadcaster.publish([outcome.event]);
    }
    return outcome;
  }
}
