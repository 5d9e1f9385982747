import { LiveboardError } from '../domain/index.js';
import type { BoardHead } from '../store/store.js';

export interface StreamStart {
  /** Send every event with seq > afterSeq. */
  afterSeq: number;
  /** The client's position cannot be replayed: tell it to refetch the snapshot first. */
  reset: boolean;
}

/**
 * Where a stream or poll starts, given the position the client claims (Last-Event-ID, lastEventId
 * or after). No position: from now. A position ahead of the board (the database was replaced) or
 * before what the log retains (pruned): reset, then go on from the board's seq.
 */
export function resolveStart(position: string | undefined, head: BoardHead, field: string): StreamStart {
  if (position === undefined || position === '') return { afterSeq: head.seq, reset: false };
  if (!/^\d{1,15}$/.test(position)) {
    throw new LiveboardError('validation_failed', `${field}: must be a non-negative integer (a seq)`, {
      field,
    });
  }
  const seq = Number(position);
  if (seq > head.seq || seq < head.firstRetainedSeq - 1) return { afterSeq: head.seq, reset: true };
  return { afterSeq: seq, reset: false };
}
