import { commentFrame } from './sse-frame.js';

const KEEP_ALIVE = Buffer.from(commentFrame('keep-alive'));

/**
 * Ticks per interval. A round over every stream is spread over the interval rather than done at
 * once: one loopback write costs ~10 µs, so a single pass over 10,000 streams would hold the event
 * loop for ~100 ms every interval, and any event committed meanwhile would wait for it.
 */
const TICKS_PER_INTERVAL = 30;
/** A round is done in this many ticks, leaving slack so that no stream waits longer than the interval. */
const TICKS_PER_ROUND = TICKS_PER_INTERVAL - 2;

/** What the heartbeat writes to; a StreamConnection. */
export interface KeepAliveTarget {
  write(chunk: Buffer): void;
}

/**
 * One timer for every open stream, not one per stream: at 19,000 streams, per-connection timers are
 * a measurable share of memory and of the event loop. Every stream is written a comment once per
 * round, a round taking a little less than the interval, a slice of the streams at each tick.
 */
export class Heartbeat {
  readonly streams = new Set<KeepAliveTarget>();
  private timer: NodeJS.Timeout | undefined;
  /** Where the current round is. A Set's iterator is live: streams added meanwhile are visited in
   *  this round, streams removed are skipped. */
  private round: Iterator<KeepAliveTarget> | undefined;
  /** Ticks since the current round began: a round begins at most once per TICKS_PER_ROUND ticks,
   *  or three streams would get a comment every few ticks instead of once an interval. */
  private ticksIntoRound = TICKS_PER_ROUND - 1;

  constructor(private readonly intervalMs: number) {}

  start(): void {
    this.timer ??= setInterval(
      () => this.tick(),
      Math.max(1, Math.floor(this.intervalMs / TICKS_PER_INTERVAL)),
    );
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.round = undefined;
  }

  /** Writes a comment to the next slice of streams. */
  tick(): void {
    this.ticksIntoRound++;
    if (!this.round) {
      if (this.ticksIntoRound < TICKS_PER_ROUND) return;
      this.round = this.streams.values();
      this.ticksIntoRound = 0;
    }
    let quota = Math.ceil(this.streams.size / TICKS_PER_ROUND);
    while (quota-- > 0) {
      const next = this.round.next();
      if (next.done) {
        // The round is over; the next one starts TICKS_PER_ROUND ticks after this one did.
        this.round = undefined;
        return;
      }
      next.value.write(KEEP_ALIVE);
    }
  }
}
