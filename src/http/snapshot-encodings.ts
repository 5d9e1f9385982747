import type { Board } from '../domain/index.js';

/** A board's snapshot as answered: its JSON, encoded once per seq, and the ETag that names it. */
export interface EncodedSnapshot {
  seq: number;
  json: string;
  etag: string;
}

/**
 * The encoded snapshot of recently read boards, one per (board, seq): 200 people opening a 5,000-card
 * board cost one JSON encoding, not 200. A snapshot is a pure function of its board's log up to its
 * seq, and ids are never reused, so (board id, seq) names it for good: it is also the ETag. Weak,
 * since the bytes on the wire differ by Content-Encoding.
 */
export class SnapshotEncodings {
  private readonly byBoard = new Map<string, EncodedSnapshot>();

  constructor(private readonly capacity = 256) {}

  encode(board: Board): EncodedSnapshot {
    const cached = this.byBoard.get(board.id);
    if (cached && cached.seq === board.seq) {
      // Most recently used last (a Map keeps insertion order).
      this.byBoard.delete(board.id);
      this.byBoard.set(board.id, cached);
      return cached;
    }
    const encoded = { seq: board.seq, json: JSON.stringify(board), etag: etagOf(board.id, board.seq) };
    this.byBoard.delete(board.id);
    this.byBoard.set(board.id, encoded);
    if (this.byBoard.size > this.capacity) {
      const oldest = this.byBoard.keys().next().value;
      if (oldest !== undefined) this.byBoard.delete(oldest);
    }
    return encoded;
  }
}

export function etagOf(boardId: string, seq: number): string {
  return `W/"${boardId}.${seq}"`;
}

/** Whether an If-None-Match header names this ETag (or `*`); weak comparison, as RFC 9110 asks for GET. */
export function matchesETag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}
