import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { emptyBoard } from '../domain/index.js';
import { SnapshotEncodings, compressedSnapshot, preferredEncoding } from './snapshot-encodings.js';

describe('preferredEncoding', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['identity', null],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['GZIP;q=0.5', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', null],
    ['deflate', null],
    ['*', 'br'],
    ['*;q=0.1, br;q=0', 'gzip'],
    ['*, br;q=0, gzip;q=0', null],
  ])('%j → %j', (header, expected) => {
    expect(preferredEncoding(header)).toBe(expected);
  });
});

describe('compressedSnapshot', () => {
  const board = {
    ...emptyBoard({ id: 'board-compress01', title: 'x'.repeat(5000), createdAt: '2026-01-01T00:00:00.000Z' }),
    seq: 3,
  };

  it('compresses once per (board, seq) and encoding, the bytes decoding to the JSON', async () => {
    const encodings = new SnapshotEncodings();
    const snapshot = encodings.encode(board);
    const first = compressedSnapshot(snapshot, 'br');
    expect(compressedSnapshot(snapshot, 'br')).toBe(first);
    expect(encodings.encode(board).compressed.br).toBe(first);
    expect(brotliDecompressSync(await first).toString()).toBe(snapshot.json);
    expect(gunzipSync(await compressedSnapshot(snapshot, 'gzip')).toString()).toBe(snapshot.json);
    // A new seq is a new snapshot, compressed anew.
    expect(encodings.encode({ ...board, seq: 4 }).compressed).toEqual({});
  });
});
