import { ReaderRegistry } from './reader-registry.js';
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

/** What the heartbeat writes to: an open stream. */
export interface KeepAliveTarget {
  write(chunk: Buffer): void;
  /** When the stream opened (performance.now()); without it, the stream has no maximum age. */
  readonly openedAt?: number;
  /** Ends the stream politely, past its maximum age: the client reconnects and is authorized afresh. */
  expire?(): void;
}

export interface HeartbeatOptions {
  /** A stream older than this is ended at its next keep-alive, instead of being written one. */
  maxAgeMs?: number;
  /** The open streams and waiting polls by who reads them (revocations, per-reader caps). */
  readers?: ReaderRegistry;
}

/**
 * One timer for every open stream, not one per stream: at 19,000 streams, per-connection timers are
 * a measurable share of memory and of the event loop. Every stream is written a comment once per
 * round, a round taking a little less than the interval, a slice of the streams at each tick. The
 * same round ends the streams past their maximum age, so that needs no timer of its own either.
 */
export class Heartbeat {
  readonly streams = new Set<KeepAliveTarget>();
  /** Who reads the open streams (and the waiting polls): kept beside them, for revocations and caps. */
  readonly readers: ReaderRegistry;
  private readonly maxAgeMs: number;
  private timer: NodeJS.Timeout | undefined;
  /** Where the current round is. A Set's iterator is live: streams added meanwhile are visited in
   *  this round, streams removed are skipped. */
  private round: Iterator<KeepAliveTarget> | undefined;
  /** Ticks since the current round began: a round begins at most once per TICKS_PER_ROUND ticks,
   *  or three streams would get a comment every few ticks instead of once an interval. */
  private ticksIntoRound = TICKS_PER_ROUND - 1;

  constructor(
    private readonly intervalMs: number,
    options: HeartbeatOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? Number.POSITIVE_INFINITY;
    this.readers = options.readers ?? new ReaderRegistry();
  }

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
    // Opened before this, a stream is past its maximum age (the clock is read once per tick).
    const tooOld = performance.now() - this.maxAgeMs;
    while (quota-- > 0) {
      const next = this.round.next();
      if (next.done) {
        // The round is over; the next one starts TICKS_PER_ROUND ticks after this one did.
        this.round = undefined;
        return;
      }
      const stream = next.value;
      if (stream.openedAt !== undefined && stream.openedAt <= tooOld && stream.expire) stream.expire();
      else stream.write(KEEP_ALIVE);
    }
  }
}
