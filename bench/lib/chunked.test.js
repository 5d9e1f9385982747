// Run with `node --test bench/` (the bench is plain JS outside the app's vitest suite).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkedDecoder } from './chunked.js';

function decodeInPieces(raw, cut) {
  const decoder = new ChunkedDecoder();
  const out = [];
  const bytes = Buffer.from(raw, 'latin1');
  for (let at = 0; at < bytes.length; at += cut) {
    decoder.push(bytes.subarray(at, at + cut), (piece, from, to) =>
      out.push(piece.toString('latin1', from, to)),
    );
  }
  return out.join('');
}

describe('ChunkedDecoder', () => {
  const raw = '5\r\nhello\r\n15\r\nid: 1\ndata: {"a":1}\n\n\r\n0\r\n\r\n';
  const body = 'hello' + 'id: 1\ndata: {"a":1}\n\n';

  it('decodes a body split at every possible place', () => {
    for (let cut = 1; cut <= raw.length; cut++) assert.equal(decodeInPieces(raw, cut), body, `cut ${cut}`);
  });

  it('ignores chunk extensions', () => {
    assert.equal(decodeInPieces('3;x=y\r\nabc\r\n0\r\n\r\n', 4), 'abc');
  });
});
