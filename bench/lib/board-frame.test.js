// Run with `node --test bench/`: the data line of a stream of several boards, read in place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  KIND_EVENT,
  KIND_MALFORMED,
  KIND_RESET,
  KIND_UNAVAILABLE,
  multiBoardPath,
  readBoardData,
} from './board-frame.js';

/** Reads `line` placed in the middle of a bigger buffer, as the load client sees it. */
function read(line) {
  const bytes = Buffer.from(`id: 1.2.3\n${line}\n\n`, 'latin1');
  const start = bytes.indexOf('data:');
  const end = bytes.indexOf(10, start);
  const out = {};
  readBoardData(bytes, start, end, out);
  return {
    kind: out.kind,
    seq: out.seq,
    board: out.kind === KIND_MALFORMED ? null : bytes.toString('latin1', out.boardStart, out.boardEnd),
  };
}

describe('readBoardData', () => {
  it('reads the board id and the seq of an event, boardId first as the server sends it', () => {
    assert.deepEqual(
      read(
        'data: {"boardId":"board-k3j9x0q2","type":"task_created","seq":6,"at":"2026-11-30T00:00:00.000Z","task":{"id":"task-1","title":"bench@12.5"}}',
      ),
      { kind: KIND_EVENT, seq: 6, board: 'board-k3j9x0q2' },
    );
    assert.deepEqual(read('data: {"boardId":"board-1","type":"list_created","seq":1234567890123}'), {
      kind: KIND_EVENT,
      seq: 1234567890123,
      board: 'board-1',
    });
  });

  it('takes `data:` without the space, and boardId elsewhere than first', () => {
    assert.deepEqual(read('data:{"boardId":"b-1","type":"x","seq":2}'), {
      kind: KIND_EVENT,
      seq: 2,
      board: 'b-1',
    });
    assert.deepEqual(read('data: {"type":"task_moved","boardId":"b-2","seq":9}'), {
      kind: KIND_EVENT,
      seq: 9,
      board: 'b-2',
    });
  });

  it('does not take a "seq": inside a title for the seq (it would be escaped)', () => {
    assert.equal(
      read('data: {"boardId":"b","type":"task_created","seq":5,"task":{"title":"\\"seq\\":99"}}').seq,
      5,
    );
  });

  it('tells the control messages apart: reset with its seq, unavailable with none', () => {
    assert.deepEqual(read('data: {"boardId":"board-1","type":"reset","seq":40}'), {
      kind: KIND_RESET,
      seq: 40,
      board: 'board-1',
    });
    const gone = read('data: {"boardId":"board-x","type":"unavailable"}');
    assert.equal(gone.kind, KIND_UNAVAILABLE);
    assert.equal(gone.board, 'board-x');
    assert.ok(Number.isNaN(gone.seq));
    // An event type that merely starts like one is an event.
    assert.equal(read('data: {"boardId":"b","type":"resetting","seq":3}').kind, KIND_EVENT);
  });

  it('says malformed when there is no board or no seq, and never reads past the line', () => {
    assert.equal(read('data: {"type":"task_created","seq":6}').kind, KIND_MALFORMED);
    assert.equal(read('data: {"boardId":"b","type":"task_created"}').kind, KIND_MALFORMED);
    assert.equal(read('data: {"boardId":"unterminated').kind, KIND_MALFORMED);
    assert.equal(read('data: not json').kind, KIND_MALFORMED);
    // The next line has what this one lacks: it must not be used.
    const bytes = Buffer.from('data: {"boardId":"b","type":"t"}\nid: 1\ndata: {"boardId":"c","seq":4}\n');
    const out = {};
    assert.equal(readBoardData(bytes, 0, bytes.indexOf(10), out), KIND_MALFORMED);
  });
});

describe('multiBoardPath', () => {
  it('names every board with its position, in order', () => {
    assert.equal(
      multiBoardPath(['board-a', 'board-b', 'c'], [5, 0, 12]),
      '/events?boards=board-a:5,board-b:0,c:12',
    );
  });
});
