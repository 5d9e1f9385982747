import { invalid } from '../domain/index.js';

/**
 * The wire of a stream or poll that follows several boards (`GET /events`, `GET /poll`): which
 * boards, where each starts, and how its messages name their board. Pure, so every malformed shape
 * is tested without a server; what a position means for a board is resume.ts's to say.
 */

/**
 * Boards one stream may follow. A browser shares one stream across its tabs, and 32 boards open at
 * once is past what a person watches; the bound keeps a request's URL, its `id:` lines and the
 * subscriptions one connection holds small.
 */
export const MAX_BOARDS_PER_STREAM = 32;

/** A board of the set, and the position the client claims for it (unjudged, as in `:<seq>`). */
export interface BoardClaim {
  boardId: string;
  position: string | undefined;
}

/** The longest board id the REST routes take. */
const MAX_BOARD_ID_LENGTH = 100;
const SEQ = /^\d{1,15}$/;

/**
 * `boards=<boardId>[:<seq>],…`: every `boards` value of the query, percent-decoded. Throws the
 * contract's 400 (`field: "boards"`) for anything but 1 to 32 distinct boards with well-formed seqs.
 */
export function parseBoardSet(values: readonly string[]): BoardClaim[] {
  if (values.length === 0)
    throw invalid('boards', 'is required: one or more <boardId>[:<seq>], comma-separated');
  if (values.length > 1) throw invalid('boards', 'give it once, with the boards separated by commas');
  const entries = values[0]!.split(',');
  if (entries.length > MAX_BOARDS_PER_STREAM) {
    throw invalid('boards', `at most ${MAX_BOARDS_PER_STREAM} boards, not ${entries.length}`);
  }
  const claims: BoardClaim[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const boardId = colon < 0 ? entry : entry.slice(0, colon);
    const position = colon < 0 ? undefined : entry.slice(colon + 1);
    if (boardId.length === 0) throw invalid('boards', 'an entry names no board');
    if (boardId.length > MAX_BOARD_ID_LENGTH) {
      throw invalid('boards', `a board id is at most ${MAX_BOARD_ID_LENGTH} characters`);
    }
    if (position !== undefined && !SEQ.test(position)) {
      throw invalid('boards', `'${boardId}': the seq after ':' must be a non-negative integer`);
    }
    if (seen.has(boardId)) throw invalid('boards', `'${boardId}' is named twice`);
    seen.add(boardId);
    claims.push({ boardId, position });
  }
  return claims;
}

/**
 * A position vector, `<p1>.<p2>.….<pN>` (Last-Event-ID, ?lastEventId, ?positions): exactly one seq
 * per board of the set, in its order. Throws the contract's 400 naming `field` for any other shape.
 */
export function parsePositions(vector: string, boardCount: number, field: string): string[] {
  const positions = vector.split('.');
  if (positions.length !== boardCount) {
    throw invalid(
      field,
      `must hold one position per board: ${boardCount}, separated by '.', not ${positions.length}`,
    );
  }
  if (!positions.every((position) => SEQ.test(position))) {
    throw invalid(field, 'each position must be a non-negative integer (a seq) of at most 15 digits');
  }
  return positions;
}

/** The claims with the positions of a vector in place of their own `:<seq>`. */
export function withPositions(claims: readonly BoardClaim[], positions: readonly string[]): BoardClaim[] {
  return claims.map((claim, index) => ({ boardId: claim.boardId, position: positions[index] }));
}

export function formatPositions(positions: readonly number[]): string {
  return positions.join('.');
}

/**
 * A message of one board, as a stream or poll of several boards carries it: its JSON with
 * `"boardId"` added as the first member, so a reader knows the board before it reads the rest.
 */
export function boardMessageJson(boardId: string, messageJson: string): string {
  return `{"boardId":${JSON.stringify(boardId)},${messageJson.slice(1)}`;
}
