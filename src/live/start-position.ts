import { LiveboardError } from '../domain/index.js';
import type { Metrics } from '../metrics.js';
import type { BoardHead, Store } from '../store/store.js';
import { resolveStart, type StreamStart } from './resume.js';

export interface StartPosition extends StreamStart {
  /** The board as it stood when the reader came; what it subscribes against. */
  head: BoardHead;
}

export interface StartPositionDependencies {
  store: Store;
  metrics: Metrics;
}

/**
 * Where a reader of a board's events (an SSE stream, a long poll) starts, from the position it
 * claims; `field` names that position in errors ('lastEventId', 'after'). The stream and the poll
 * must agree on every board, position and deletion, so they share this step and only what they
 * then do with the start differs.
 */
export async function startPosition(
  boardId: string,
  position: string | undefined,
  field: string,
  deps: StartPositionDependencies,
): Promise<StartPosition> {
  const head = await deps.store.boardHead(boardId);
  if (!head) throw new LiveboardError('board_not_found', `no board '${boardId}'`);
  const start = resolveStart(position, head, field);
  // A deleted board still replays to a reader that is behind, up to its board_deleted (which ends
  // a stream); to anyone else it is unknown.
  if (head.deleted && (start.reset || start.afterSeq >= head.seq)) {
    throw new LiveboardError('board_not_found', `no board '${boardId}'`);
  }
  if (start.reset) deps.metrics.resets.inc();
  return { head, ...start };
}
