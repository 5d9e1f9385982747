import { LiveboardError, boardNotFound, permissionsOf } from '../domain/index.js';
import type { Metrics } from '../metrics.js';
import type { BoardHead, Store } from '../store/store.js';
import type { BoardClaim } from './board-set.js';
import type { Reader } from './reader.js';
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
  reader: Reader,
): Promise<StartPosition> {
  // The one place a reader's access to a board is checked, for every door (the board's stream, its
  // poll, and each board of a stream or poll of several), a resume included: against the board's
  // access now, so a reader removed since its last event is refused, not replayed to. A board it
  // may not read is not found, exactly like a missing one.
  const head = await deps.store.boardHead(boardId);
  if (!head) throw boardNotFound(boardId);
  if (!permissionsOf(head, reader.userId).read) throw boardNotFound(boardId);
  const start = resolveStart(position, head, field);
  // A deleted board still replays to a reader that is behind, up to its board_deleted (which ends
  // a stream); to anyone else it is unknown.
  if (head.deleted && (start.reset || start.afterSeq >= head.seq)) {
    throw new LiveboardError('board_not_found', `no board '${boardId}'`);
  }
  if (start.reset) deps.metrics.resets.inc();
  return { head, ...start };
}

/** A board of a set, where it starts; or, unknown or deleted with nothing to replay, unavailable. */
export type BoardStart =
  | { boardId: string; available: true; start: StartPosition }
  | { boardId: string; available: false; /** The position as given, 0 when none was. */ position: number };

/**
 * Where each board of a stream or poll of several boards starts, through the same step as a
 * board's own stream. A board that cannot be followed is `unavailable` rather than an error, so
 * the others flow; only when none can be followed is the whole request 404.
 */
export async function startBoardSet(
  claims: readonly BoardClaim[],
  field: string,
  deps: StartPositionDependencies,
  reader: Reader,
): Promise<BoardStart[]> {
  const starts = await Promise.all(
    claims.map(async ({ boardId, position }): Promise<BoardStart> => {
      try {
        return {
          boardId,
          available: true,
          start: await startPosition(boardId, position, field, deps, reader),
        };
      } catch (error) {
        if (!(error instanceof LiveboardError && error.code === 'board_not_found')) throw error;
        return { boardId, available: false, position: Number(position ?? 0) };
      }
    }),
  );
  if (!starts.some((board) => board.available)) {
    throw new LiveboardError('board_not_found', 'none of the boards can be followed');
  }
  return starts;
}

/** Each board's position at its start: the seq it is followed after, or, unavailable, as given. */
export function startPositions(starts: readonly BoardStart[]): number[] {
  return starts.map((board) => (board.available ? board.start.afterSeq : board.position));
}
