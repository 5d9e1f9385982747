import { describe, expect, it } from 'vitest';
import { MessageQueue } from './message-queue.js';

describe('MessageQueue', () => {
  it('hands items to a waiting taker, or buffers them in order', async () => {
    const queue = new MessageQueue<number>();
    const waiting = queue.take();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(await queue.take()).toEqual({ value: 2, done: false });
    queue.end();
    expect(await queue.take()).toEqual({ value: 3, done: false });
    expect(await queue.take()).toEqual({ value: undefined, done: true });
  });

  it('reports full at the high-water mark and drained at the low-water mark', async () => {
    const queue = new MessageQueue<number>(4, 1);
    for (let i = 0; i < 4; i++) queue.push(i);
    expect(queue.full).toBe(true);
    let drained = false;
    const draining = queue.drained().then(() => (drained = true));
    await queue.take();
    await queue.take();
    await Promise.resolve();
    expect(drained).toBe(false);
    await queue.take();
    await draining;
    expect(queue.size).toBe(1);
  });

  it('rejects a waiting taker with the error it ended with', async () => {
    const queue = new MessageQueue<number>();
    const waiting = queue.take();
    queue.end(new Error('board gone'));
    await expect(waiting).rejects.toThrow('board gone');
  });
});
