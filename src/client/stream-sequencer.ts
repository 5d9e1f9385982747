import type { StreamMessage } from '../domain/index.js';

/**
 * What to do with a message that arrived on a stream or a poll:
 * - `deliver`: the next seq; hand it to the consumer.
 * - `duplicate`: at or below the last delivered seq (a replay after a reconnect); drop it.
 * - `gap`: beyond last + 1, so something in between was not seen; drop it and resume from `last`.
 * - `reset`: the server cannot replay; hand it over, and continue from its seq.
 * - `end`: `board_deleted`, delivered, after which nothing more can come.
 */
export type Verdict = 'deliver' | 'duplicate' | 'gap' | 'reset' | 'end';

/**
 * The exactly-once rule of a subscription, kept apart from any transport so it can be proved alone:
 * transports may replay (a reconnect resends from the last id the server saw) and the sequencer
 * turns "at least once, in order" into "exactly once, in order".
 */
export class StreamSequencer {
  /** The seq after which the consumer has everything. */
  last: number;
  private lastWasReset = false;

  constructor(from: number) {
    this.last = from;
  }

  accept(message: StreamMessage): Verdict {
    if (message.type === 'reset') {
      // A reconnect right after a reset may be told the same again; once is enough for the caller.
      if (this.lastWasReset && message.seq === this.last) return 'duplicate';
      this.last = message.seq;
      this.lastWasReset = true;
      return 'reset';
    }
    if (message.seq <= this.last) return 'duplicate';
    if (message.seq > this.last + 1) return 'gap';
    this.last = message.seq;
    this.lastWasReset = false;
    return message.type === 'board_deleted' ? 'end' : 'deliver';
  }
}
