import { describe, expect, it } from 'vitest';
import type { Board } from '../domain/index.js';
import { BoardCache } from './board-cache.js';

/** A board as the cache sees it: its id, seq and how many cards its lists hold. */
function board(id: string, cards: number, seq = 1): Board {
  return { id, seq, lists: [{ tasks: Array.from({ length: cards }) }] } as unknown as Board;
}

describe('the board cache', () => {
  it('holds boards by the cards they weigh (a board 1, each card 1), the least recently used going first', () => {
    const cache = new BoardCache(30);
    cache.set(board('a', 9)); // 10
    cache.set(board('b', 9)); // 20
    expect(cache.get('a', 1)?.id).toBe('a'); // a is now the most recently used
    cache.set(board('c', 9)); // 30: all three fit
    expect(['a', 'b', 'c'].map((id) => cache.latest(id)?.id)).toEqual(['a', 'b', 'c']);
    cache.set(board('d', 0)); // 31: b, the least recently used, goes
    expect(['a', 'b', 'c', 'd'].map((id) => cache.latest(id)?.id)).toEqual(['a', undefined, 'c', 'd']);
  });

  it('holds a thousand small boards, where 512 boards went round and round', () => {
    const cache = new BoardCache();
    for (let index = 0; index < 1000; index++) cache.set(board(`board-${index}`, 20));
    expect(cache.latest('board-0')?.id).toBe('board-0');
  });

  it('counts a board set again once, at its new weight, and keeps one board heavier than the budget', () => {
    const cache = new BoardCache(16);
    cache.set(board('a', 9));
    cache.set(board('a', 9, 2)); // replaces: still 10, not 20
    cache.set(board('b', 5)); // 16
    expect(cache.get('a', 2)?.id).toBe('a');
    expect(cache.get('b', 1)?.id).toBe('b');
    cache.delete('a');
    cache.set(board('c', 10)); // 6 + 11 = 17: b goes, c stays
    cache.set(board('huge', 100)); // alone over the budget, and held
    expect(cache.latest('b')).toBeUndefined();
    expect(cache.latest('c')).toBeUndefined();
    expect(cache.latest('huge')?.id).toBe('huge');
  });
});
