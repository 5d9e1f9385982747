import { describe, expect, it } from 'vitest';
import type { BoardEvent } from '../domain/index.js';
import { StreamSequencer } from './stream-sequencer.js';

const event = (seq: number, type: BoardEvent['type'] = 'task_deleted'): BoardEvent =>
  type === 'board_deleted'
    ? { type, seq, at: '2026-01-01T00:00:00.000Z', boardId: 'board-x' }
    : ({ type: 'task_deleted', seq, at: '2026-01-01T00:00:00.000Z', taskId: `task-${seq}` } as BoardEvent);

describe('StreamSequencer', () => {
  it('delivers the next seq and drops replays at or below the last one', () => {
    const sequencer = new StreamSequencer(3);
    expect(sequencer.accept(event(4))).toBe('deliver');
    expect(sequencer.accept(event(4))).toBe('duplicate');
    expect(sequencer.accept(event(2))).toBe('duplicate');
    expect(sequencer.accept(event(5))).toBe('deliver');
    expect(sequencer.last).toBe(5);
  });

  it('refuses a gap without moving, so the transport resumes from the last seq', () => {
    const sequencer = new StreamSequencer(3);
    expect(sequencer.accept(event(5))).toBe('gap');
    expect(sequencer.last).toBe(3);
    expect(sequencer.accept(event(4))).toBe('deliver');
  });

  it('takes a reset to its seq, even backwards, and passes a repeat of it only once', () => {
    const sequencer = new StreamSequencer(40);
    expect(sequencer.accept({ type: 'reset', seq: 12 })).toBe('reset');
    expect(sequencer.last).toBe(12);
    expect(sequencer.accept({ type: 'reset', seq: 12 })).toBe('duplicate');
    expect(sequencer.accept(event(13))).toBe('deliver');
    expect(sequencer.accept({ type: 'reset', seq: 13 })).toBe('reset');
  });

  it('ends with board_deleted', () => {
    const sequencer = new StreamSequencer(0);
    expect(sequencer.accept(event(1, 'board_deleted'))).toBe('end');
  });
});
