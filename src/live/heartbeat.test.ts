import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeat, type KeepAliveTarget } from './heartbeat.js';

class Stream implements KeepAliveTarget {
  /** Times (fake clock, ms) at which a keep-alive was written. */
  readonly writes: number[] = [];
  write(chunk: Buffer): void {
    expect(chunk.toString()).toMatch(/^: .*\n\n$/);
    this.writes.push(Date.now());
  }
}

describe('Heartbeat', () => {
  const INTERVAL = 15_000;
  let heartbeat: Heartbeat;

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    heartbeat = new Heartbeat(INTERVAL);
  });
  afterEach(() => {
    heartbeat.stop();
    vi.useRealTimers();
  });

  function open(count: number): Stream[] {
    const streams = Array.from({ length: count }, () => new Stream());
    for (const stream of streams) heartbeat.streams.add(stream);
    return streams;
  }

  it('writes every stream a comment at least once per interval', () => {
    const streams = open(1000);
    heartbeat.start();
    vi.advanceTimersByTime(INTERVAL * 4);
    for (const stream of streams) {
      expect(stream.writes.length).toBeGreaterThanOrEqual(4);
      expect(stream.writes[0]).toBeLessThanOrEqual(INTERVAL);
      for (let i = 1; i < stream.writes.length; i++) {
        expect(stream.writes[i]! - stream.writes[i - 1]!).toBeLessThanOrEqual(INTERVAL);
      }
    }
  });

  it('spreads a round over the interval instead of writing every stream at once', () => {
    const streams = open(3000);
    const perTick = new Map<number, number>();
    for (const stream of streams) {
      stream.write = function (this: Stream) {
        perTick.set(Date.now(), (perTick.get(Date.now()) ?? 0) + 1);
        this.writes.push(Date.now());
      };
    }
    heartbeat.start();
    // A round is a little shorter than the interval, so that no stream ever waits longer than it.
    vi.advanceTimersByTime(INTERVAL * 0.96);
    expect(streams.every((stream) => stream.writes.length === 1)).toBe(true);
    // 3,000 streams in slices of ~108: no moment writes more than a small share of them.
    expect(Math.max(...perTick.values())).toBeLessThanOrEqual(Math.ceil(3000 / 28));
    expect(perTick.size).toBeGreaterThanOrEqual(25);
  });

  it('writes a few streams once per round too, not at every tick', () => {
    const streams = open(3);
    heartbeat.start();
    vi.advanceTimersByTime(INTERVAL * 4);
    for (const stream of streams) {
      expect(stream.writes.length).toBeGreaterThanOrEqual(4);
      expect(stream.writes.length).toBeLessThanOrEqual(5);
    }
  });

  it('reaches streams opened mid-round and skips those closed', () => {
    const [early, closing] = open(2);
    heartbeat.start();
    vi.advanceTimersByTime(INTERVAL / 2);
    heartbeat.streams.delete(closing!);
    const closedWrites = closing!.writes.length;
    const [late] = open(1);
    vi.advanceTimersByTime(INTERVAL);
    expect(late!.writes.length).toBeGreaterThanOrEqual(1);
    expect(late!.writes[0]! - INTERVAL / 2).toBeLessThanOrEqual(INTERVAL);
    expect(early!.writes.length).toBeGreaterThanOrEqual(1);
    expect(closing!.writes.length).toBe(closedWrites);
  });

  it('stops writing when stopped', () => {
    const [stream] = open(1);
    heartbeat.start();
    heartbeat.stop();
    vi.advanceTimersByTime(INTERVAL * 2);
    expect(stream!.writes).toEqual([]);
  });
});
