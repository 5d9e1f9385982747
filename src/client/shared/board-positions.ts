/**
 * The wire of the stream and the long poll for several boards (docs/API.md, "One stream for several
 * boards"): how the SDK writes `boards=` and reads what comes back. Pure, so it is proved alone.
 */
import type { StreamMessage } from '../../domain/index.js';

/** A board, and the seq after which its reader has everything. */
export interface BoardPosition {
  boardId: string;
  seq: number;
}

/** The server follows at most this many boards on one stream or poll (more is a 400). */
export const MAX_BOARDS_PER_STREAM = 32;

/** What one `data:` of the multi-board stream (or one entry of its poll's `events`) holds, as sent. */
export type MultiBoardMessage =
  (StreamMessage & { boardId: string }) | { boardId: string; type: 'unavailable' };

/** One answer of `GET /poll?boards=…`. */
export interface MultiBoardPollResult {
  events: MultiBoardMessage[];
  /** Every board's position after `events`, in the order of `boards`, joined by `.`. */
  positions: string;
}

/** A message of the multi-board wire, sorted: a board's message as its own stream carries it, or word that it cannot be followed. */
export type BoardMessage =
  { boardId: string; kind: 'message'; message: StreamMessage } | { boardId: string; kind: 'unavailable' };

/**
 * `board-1:5,board-2:0`: each board resumed after its seq. Board ids never hold `,` or `:`, so the
 * list stays readable in a URL (and in the server's logs) instead of going through URLSearchParams.
 */
export function boardsParam(positions: readonly BoardPosition[]): string {
  return positions.map(({ boardId, seq }) => `${encodeURIComponent(boardId)}:${seq}`).join(',');
}

/**
 * A `positions` answer (`6.0.12`) against the boards it is for; undefined when it does not fit
 * (another count, a part that is not a seq), so that the caller keeps what its messages said.
 */
export function parsePositions(value: unknown, boardIds: readonly string[]): Map<string, number> | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = value.split('.');
  if (parts.length !== boardIds.length || !parts.every((part) => /^\d{1,15}$/.test(part))) return undefined;
  return new Map(boardIds.map((boardId, index) => [boardId, Number(parts[index])]));
}

/**
 * Reads one message of the multi-board wire (a parsed poll entry, or an SSE `data:` string). The
 * added `boardId` is taken off again, so that a board's events are exactly what its own stream
 * sends (only `board_deleted` has a `boardId` of its own). Anything else: undefined, ignored.
 */
export function readBoardMessage(data: unknown): BoardMessage | undefined {
  let parsed: unknown = data;
  if (typeof data === 'string') {
    try {
      parsed = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { boardId, ...rest } = parsed as { boardId?: unknown; type?: unknown; seq?: unknown };
  if (typeof boardId !== 'string' || typeof rest.type !== 'string') return undefined;
  if (rest.type === 'unavailable') return { boardId, kind: 'unavailable' };
  if (typeof rest.seq !== 'number') return undefined;
  const message = (rest.type === 'board_deleted' ? { ...rest, boardId } : rest) as StreamMessage;
  return { boardId, kind: 'message', message };
}
