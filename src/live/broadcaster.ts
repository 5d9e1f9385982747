import type { Metrics } from '../metrics.js';
import type { LoggedEvent, Store } from '../store/store.js';
import { EventBatch } from './event-batch.js';

/** Where a subscriber's events go: an SSE stream or a waiting long poll. */
export interface Sink {
  /** Takes a batch that starts right after the last one, and says whether to go on. */
  send(batch: EventBatch): SendResult;
  /** Ends the sink: the board was deleted, the reader was too slow, or the server is stopping. */
  close(reason: CloseReason): void;
}

export type CloseReason = 'board_deleted' | 'slow' | 'shutdown' | 'done';

/** `sent`: go on; `done`: the sink wanted just this (a poll); `too_slow`: the reader fell behind. */
export type SendResult = 'sent' | 'done' | 'too_slow';

/** Page size when a subscriber catches up from the log. */
const CATCH_UP_PAGE = 500;

/**
 * Fans a board's committed events out to everyone following it. Each subscriber is a position in
 * the board's log (the last seq it was sent), and receives only the batch that starts right after
 * it; anything else (it is still replaying, or a batch arrives with a gap) sends it back to the log
 * to catch up. So the handover from replay to live cannot drop or repeat an event, whichever order
 * the commit, the broadcast and the log read happen in.
 */
export class Broadcaster {
  private readonly channelsByBoard = new Map<string, Channel>();

  constructor(
    private readonly store: Store,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Follows a board from `afterSeq`. The subscription is registered before the log is read, so no
   * event committed meanwhile can slip between the replay and the live feed.
   */
  subscribe(boardId: string, afterSeq: number, headSeq: number, sink: Sink): Subscription {
    let channel = this.channelsByBoard.get(boardId);
    if (!channel) {
      channel = new Channel(boardId, headSeq);
      this.channelsByBoard.set(boardId, channel);
    }
    channel.headSeq = Math.max(channel.headSeq, headSeq);
    const subscription = new Subscription(channel, sink, afterSeq, this.store, () =>
      this.release(subscription),
    );
    channel.subscribers.add(subscription);
    subscription.catchUp();
    return subscription;
  }

  /**
   * Committed events of one board, in seq order: send them to its subscribers. Events published in
   * the same turn of the event loop (a burst of writes) are coalesced and go out as one batch: one
   * encoding, and one socket write per subscriber instead of one per event.
   */
  publish(events: readonly LoggedEvent[]): void {
    if (events.length === 0) return;
    const channel = this.channelsByBoard.get(events[0]!.boardId);
    if (!channel) return;
    channel.headSeq = Math.max(channel.headSeq, events.at(-1)!.seq);
    channel.pending.push(...events);
    if (!channel.flushScheduled) {
      channel.flushScheduled = true;
      setImmediate(() => this.flush(channel));
    }
  }

  private flush(channel: Channel): void {
    channel.flushScheduled = false;
    const events = channel.pending;
    channel.pending = [];
    if (events.length === 0) return;
    const batch = new EventBatch(events);
    for (const subscription of channel.subscribers) subscription.offer(batch);
  }

  /**
   * Another process committed up to `seq` on this board: subscribers behind it read the log.
   * (Stores shared across processes call this from their change notifications.)
   */
  notifyHead(boardId: string, seq: number): void {
    const channel = this.channelsByBoard.get(boardId);
    if (!channel || seq <= channel.headSeq) return;
    channel.headSeq = seq;
    for (const subscription of channel.subscribers) subscription.catchUp();
  }

  /**
   * Commits may have been missed (another process's notifications were interrupted): read the head
   * of every followed board again, and let subscribers that are behind catch up from the log.
   */
  async resync(): Promise<void> {
    await Promise.all(
      [...this.channelsByBoard.keys()].map(async (boardId) => {
        const head = await this.store.boardHead(boardId);
        if (head) this.notifyHead(boardId, head.seq);
      }),
    );
  }

  subscriberCount(boardId?: string): number {
    if (boardId !== undefined) return this.channelsByBoard.get(boardId)?.subscribers.size ?? 0;
    let count = 0;
    for (const channel of this.channelsByBoard.values()) count += channel.subscribers.size;
    return count;
  }

  /** Ends every subscription (server shutdown): streams close and their clients reconnect elsewhere. */
  closeAll(): void {
    for (const channel of this.channelsByBoard.values()) {
      for (const subscription of channel.subscribers) subscription.close('shutdown');
    }
  }

  private release(subscription: Subscription): void {
    const channel = subscription.channel;
    channel.subscribers.delete(subscription);
    if (channel.subscribers.size === 0) this.channelsByBoard.delete(channel.boardId);
    if (subscription.closedBecause === 'slow') this.metrics.slowClientsDropped.inc();
  }
}

class Channel {
  readonly subscribers = new Set<Subscription>();
  /** Published this turn, not yet sent (see Broadcaster.publish). */
  pending: LoggedEvent[] = [];
  flushScheduled = false;
  constructor(
    readonly boardId: string,
    /** The highest seq known to be committed on this board. */
    public headSeq: number,
  ) {}
}

export class Subscription {
  closedBecause: CloseReason | undefined;
  private catchingUp = false;
  private catchUpAgain = false;

  constructor(
    readonly channel: Channel,
    private readonly sink: Sink,
    /** The seq of the last event sent to this subscriber. */
    public lastSeq: number,
    private readonly store: Store,
    private readonly onClose: () => void,
  ) {}

  offer(batch: EventBatch): void {
    if (this.closedBecause || batch.lastSeq <= this.lastSeq) return;
    if (this.catchingUp) {
      // The log read in flight may have missed this batch: read once more when it returns.
      this.catchUpAgain = true;
      return;
    }
    if (batch.firstSeq > this.lastSeq + 1) return this.catchUp();
    this.deliver(batch.after(this.lastSeq));
  }

  /** Reads the log from lastSeq until it has everything the channel knows was committed. */
  catchUp(): void {
    if (this.closedBecause) return;
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return;
    }
    this.catchingUp = true;
    void this.readLog().then(
      () => {
        this.catchingUp = false;
      },
      () => {
        this.catchingUp = false;
        // The store failed (e.g. the database is restarting): end the stream so the client resumes
        // from its last seq on reconnect, rather than leave it silently stalled.
        this.close('shutdown');
      },
    );
  }

  close(reason: CloseReason): void {
    if (this.closedBecause) return;
    this.closedBecause = reason;
    this.onClose();
    this.sink.close(reason);
  }

  private async readLog(): Promise<void> {
    let emptyReadsBehindHead = 0;
    for (;;) {
      this.catchUpAgain = false;
      const page = await this.store.readEvents(this.channel.boardId, this.lastSeq, CATCH_UP_PAGE);
      if (this.closedBecause) return;
      if (page.length > 0 && !this.deliver(new EventBatch(page))) return;
      if (page.length === CATCH_UP_PAGE) continue;
      if (!this.catchUpAgain && this.lastSeq >= this.channel.headSeq) return;
      if (page.length > 0 || this.catchUpAgain) {
        emptyReadsBehindHead = 0;
        continue;
      }
      // Told of a seq the log does not show yet (a notification racing its commit's visibility):
      // wait a little; if it never shows, end the stream and let the client resume by itself.
      if (++emptyReadsBehindHead > 20) throw new Error(`board ${this.channel.boardId}: log stuck below head`);
      await new Promise((resolve) => setTimeout(resolve, 10 * emptyReadsBehindHead));
    }
  }

  private deliver(batch: EventBatch): boolean {
    if (batch.events.length === 0) return true;
    const result = this.sink.send(batch);
    if (result === 'too_slow') {
      this.close('slow');
      return false;
    }
    this.lastSeq = batch.lastSeq;
    if (result === 'done') {
      this.close('done');
      return false;
    }
    if (batch.endsBoard) {
      this.close('board_deleted');
      return false;
    }
    return true;
  }
}
