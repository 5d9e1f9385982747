import { describe, expect, it } from 'vitest';
import { LiveboardError } from '../domain/index.js';
import {
  MAX_BOARDS_PER_STREAM,
  boardMessageJson,
  formatPositions,
  parseBoardSet,
  parsePositions,
  withPositions,
} from './board-set.js';
import { fairShares } from './multi-board-poll.js';

function refusal(run: () => unknown): { code: string; field: string | undefined } {
  try {
    run();
  } catch (error) {
    if (error instanceof LiveboardError) return { code: error.code, field: error.details?.field };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseBoardSet', () => {
  it('reads each board and the seq it resumes after, in order', () => {
    expect(parseBoardSet(['board-1:5,board-2,board-3:0'])).toEqual([
      { boardId: 'board-1', position: '5' },
      { boardId: 'board-2', position: undefined },
      { boardId: 'board-3', position: '0' },
    ]);
    const all = Array.from({ length: MAX_BOARDS_PER_STREAM }, (_, i) => `b${i}`);
    expect(parseBoardSet([all.join(',')])).toHaveLength(32);
  });

  it('refuses, with field "boards", what is not 1 to 32 distinct boards with well-formed seqs', () => {
    const tooMany = Array.from({ length: MAX_BOARDS_PER_STREAM + 1 }, (_, i) => `b${i}`).join(',');
    for (const values of [
      [],
      [''],
      ['a,'],
      [',a'],
      ['a,,b'],
      ['a:'],
      [':5'],
      ['a:-1'],
      ['a:x'],
      ['a:1.5'],
      ['a:1:2'],
      ['a:1234567890123456'],
      ['a,b,a'],
      ['a:1,a:2'],
      [tooMany],
      ['a', 'b'],
      [`${'x'.repeat(101)}`],
    ]) {
      expect(
        refusal(() => parseBoardSet(values)),
        JSON.stringify(values),
      ).toEqual({
        code: 'validation_failed',
        field: 'boards',
      });
    }
  });
});

describe('parsePositions', () => {
  it('takes exactly one seq per board, joined by "."', () => {
    expect(parsePositions('3.0.12', 3, 'Last-Event-ID')).toEqual(['3', '0', '12']);
    expect(parsePositions('7', 1, 'lastEventId')).toEqual(['7']);
  });

  it('refuses any other shape, naming the field it came in', () => {
    for (const [vector, count] of [
      ['3.4', 3],
      ['3.4.5.6', 3],
      ['', 1],
      ['3..4', 3],
      ['3.x.4', 3],
      ['3.-1.4', 3],
      ['3. 1.4', 3],
      ['1234567890123456.1', 2],
      ['5', 2],
    ] as const) {
      expect(
        refusal(() => parsePositions(vector, count, 'Last-Event-ID')),
        vector,
      ).toEqual({
        code: 'validation_failed',
        field: 'Last-Event-ID',
      });
    }
    expect(refusal(() => parsePositions('1', 2, 'positions')).field).toBe('positions');
  });

  it('puts the positions in place of the claims\u2019 own, and formats a vector back', () => {
    const claims = parseBoardSet(['a:1,b,c:9']);
    expect(withPositions(claims, ['4', '5', '6'])).toEqual([
      { boardId: 'a', position: '4' },
      { boardId: 'b', position: '5' },
      { boardId: 'c', position: '6' },
    ]);
    expect(formatPositions([4, 0, 6])).toBe('4.0.6');
  });
});

describe('boardMessageJson', () => {
  it('adds boardId as the first member, escaped as JSON', () => {
    const json = boardMessageJson('board-"1"', '{"type":"task_deleted","seq":3,"taskId":"t"}');
    expect(json).toBe('{"boardId":"board-\\"1\\"","type":"task_deleted","seq":3,"taskId":"t"}');
    expect(Object.keys(JSON.parse(json) as object)[0]).toBe('boardId');
  });
});

describe('fairShares', () => {
  it('shares the budget out equally, giving what a board does not need to the others', () => {
    expect(fairShares([5000, 10, 0], 1000)).toEqual([990, 10, 0]);
    expect(fairShares([5000, 5000], 1000)).toEqual([500, 500]);
    expect(fairShares([3, 4], 1000)).toEqual([3, 4]);
    expect(fairShares([1, 1, 1], 2)).toEqual([1, 1, 0]);
    expect(fairShares([], 1000)).toEqual([]);
    const shares = fairShares([400, 300, 700, 2], 1000);
    expect(shares.reduce((sum, share) => sum + share, 0)).toBe(1000);
    expect(shares[3]).toBe(2);
  });
});
