import { ACCESS_EVENT_TYPES } from '../domain/index.js';
import type { LoggedEvent } from '../store/store.js';
import { eventFrame } from './sse-frame.js';

/**
 * Consecutive events of one board, delivered together. Their SSE bytes are encoded once, on first
 * use, and then written as one chunk to every stream that is at the batch's start.
 */
export class EventBatch {
  private encoded: Buffer | undefined;
  private deletesBoard: boolean | undefined;
  private holdsAccessEvent: boolean | undefined;

  constructor(readonly events: readonly LoggedEvent[]) {}

  get firstSeq(): number {
    return this.events[0]!.seq;
  }

  get lastSeq(): number {
    return this.events.at(-1)!.seq;
  }

  get frames(): Buffer {
    this.encoded ??= Buffer.from(this.events.map((event) => eventFrame(event.seq, event.json)).join(''));
    return this.encoded;
  }

  /** The part of the batch after `seq` (for a stream that already has its beginning). */
  after(seq: number): EventBatch {
    return seq < this.firstSeq ? this : new EventBatch(this.events.filter((event) => event.seq > seq));
  }

  /** The part of the batch up to and including `seq` (for a reader cut off at that event). */
  upTo(seq: number): EventBatch {
    return seq >= this.lastSeq ? this : new EventBatch(this.events.filter((event) => event.seq <= seq));
  }

  /** Whether the batch holds the board's deletion; asked once per subscriber, so worked out once. */
  get endsBoard(): boolean {
    this.deletesBoard ??= this.events.some((event) => event.type === 'board_deleted');
    return this.deletesBoard;
  }

  /**
   * Whether the batch holds a change of access (a member added, changed or removed, the visibility
   * changed): only then does a subscriber look at its reader's access. Asked once per subscriber,
   * so worked out once, like endsBoard; an ordinary batch costs each subscriber this one check.
   */
  get changesAccess(): boolean {
    this.holdsAccessEvent ??= this.events.some((event) => ACCESS_EVENT_TYPES.has(event.type));
    return this.holdsAccessEvent;
  }
}
