import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Board } from '../domain/index.js';

/** The Content-Encodings a snapshot is answered in, besides none. */
export type SnapshotEncoding = 'br' | 'gzip';

/**
 * A board's snapshot as answered: its JSON, encoded once per seq, the ETag that names it, and its
 * compressed bytes per Content-Encoding, each made once, when first asked for.
 */
export interface EncodedSnapshot {
  seq: number;
  json: string;
  etag: string;
  compressed: Partial<Record<SnapshotEncoding, Promise<Buffer>>>;
}

/** Below this, a snapshot goes uncompressed (as @fastify/compress leaves any response under 1 KB). */
export const COMPRESS_THRESHOLD_BYTES = 1024;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * The snapshot's bytes in `encoding`, compressed once per (board, seq) in zlib's thread pool and
 * shared by every request that asks meanwhile: 200 people opening a 5,000-card board (4 MB of JSON)
 * cost one compression, not 200 (each took a reader 15–20 ms before, compressed per response).
 * Brotli at quality 4, as the app compresses everything else.
 */
export function compressedSnapshot(snapshot: EncodedSnapshot, encoding: SnapshotEncoding): Promise<Buffer> {
  const cached = snapshot.compressed[encoding];
  if (cached) return cached;
  const made =
    encoding === 'br'
      ? brotli(snapshot.json, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(snapshot.json),
          },
        })
      : gzip(snapshot.json);
  snapshot.compressed[encoding] = made;
  // A failure is not kept: the next request tries again.
  made.catch(() => {
    if (snapshot.compressed[encoding] === made) delete snapshot.compressed[encoding];
  });
  return made;
}

/**
 * The encoding to answer an `Accept-Encoding` with: br if the client takes it, else gzip, else none
 * (null). A coding with `q=0` is refused; `*` stands for any coding the header does not name.
 */
export function preferredEncoding(acceptEncoding: string | undefined): SnapshotEncoding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.split(';');
    const coding = name!.trim().toLowerCase();
    if (!coding) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key?.trim().toLowerCase() === 'q') q = Number(value?.trim());
    }
    weights.set(coding, Number.isFinite(q) ? q : 0);
  }
  const weight = (coding: string) => weights.get(coding) ?? weights.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return null;
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
    const encoded: EncodedSnapshot = {
      seq: board.seq,
      json: JSON.stringify(board),
      etag: etagOf(board.id, board.seq),
      compressed: {},
    };
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
