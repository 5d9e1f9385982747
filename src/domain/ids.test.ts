import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId, proposedIdPattern } from './ids.js';

describe('newId', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is its kind, the time in base 36 and 8 random characters: a shape a client may propose', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-30T23:00:00.000Z'), toFake: ['Date'] });
    const id = newId('task');
    expect(id).toMatch(/^task-0mx3vf4w0[a-z0-9]{8}$/);
    expect(id).toMatch(new RegExp(proposedIdPattern('task')));
    expect(id.slice('task-'.length, 'task-'.length + 9)).toBe(Date.now().toString(36).padStart(9, '0'));
  });

  it('sorts as it was made, one millisecond to the next, and keeps its width past 2059', () => {
    const times = [Date.parse('2026-11-30T23:00:00.000Z'), Date.parse('2026-11-30T23:00:00.001Z')];
    times.push(Date.parse('2059-05-25T17:38:27.456Z'), Date.parse('2100-01-01T00:00:00.000Z'));
    const ids = times.map((now) => {
      vi.useFakeTimers({ now, toFake: ['Date'] });
      return newId('list');
    });
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids.map((id) => id.length))).toEqual(new Set([5 + 17]));
  });

  it('does not repeat within one millisecond', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-30T23:00:00.000Z'), toFake: ['Date'] });
    const ids = Array.from({ length: 10_000 }, () => newId('item'));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
