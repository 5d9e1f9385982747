import { describe, expect, it } from 'vitest';
import { boardsParam, parsePositions, readBoardMessage } from './board-positions.js';

describe('the wire of the stream for several boards', () => {
  it('writes boards= as id:seq, comma-separated, in the order given', () => {
    expect(
      boardsParam([
        { boardId: 'board-1', seq: 5 },
        { boardId: 'board-k3j9x0q2', seq: 0 },
      ]),
    ).toBe('board-1:5,board-k3j9x0q2:0');
  });

  it('reads positions against the boards they are for, and refuses any other shape', () => {
    expect(parsePositions('6.0.12', ['a', 'b', 'c'])).toEqual(
      new Map([
        ['a', 6],
        ['b', 0],
        ['c', 12],
      ]),
    );
    expect(parsePositions('6.0', ['a', 'b', 'c'])).toBeUndefined();
    expect(parsePositions('6.x', ['a', 'b'])).toBeUndefined();
    expect(parsePositions(undefined, ['a'])).toBeUndefined();
  });

  it("takes the added boardId off an event, so that it is what the board's own stream sends", () => {
    const data = '{"boardId":"board-1","type":"task_deleted","seq":6,"at":"t","taskId":"task-2"}';
    expect(readBoardMessage(data)).toEqual({
      boardId: 'board-1',
      kind: 'message',
      message: { type: 'task_deleted', seq: 6, at: 't', taskId: 'task-2' },
    });
  });

  it('keeps the boardId that board_deleted has of its own', () => {
    const entry = { boardId: 'board-1', type: 'board_deleted', seq: 9, at: 't' };
    expect(readBoardMessage(entry)).toEqual({
      boardId: 'board-1',
      kind: 'message',
      message: { type: 'board_deleted', seq: 9, at: 't', boardId: 'board-1' },
    });
  });

  it('reads reset and unavailable, and ignores what is not a message of a board', () => {
    expect(readBoardMessage('{"boardId":"b","type":"reset","seq":3}')).toEqual({
      boardId: 'b',
      kind: 'message',
      message: { type: 'reset', seq: 3 },
    });
    expect(readBoardMessage('{"boardId":"b","type":"unavailable"}')).toEqual({
      boardId: 'b',
      kind: 'unavailable',
    });
    for (const junk of [
      'not json',
      '{"type":"reset","seq":3}',
      '{"boardId":"b","type":"task_created"}',
      42,
      null,
    ])
      expect(readBoardMessage(junk)).toBeUndefined();
  });
});
