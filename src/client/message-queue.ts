/**
 * The buffer between a push source (EventSource, the poll loop) and a pull consumer (`for await`).
 * It is bounded by the transports, not here: past `highWater` they stop reading (SSE closes its
 * connection, the poll loop stops asking) and wait for `drained()`, then resume from the last seq,
 * so a slow consumer costs the server a reconnect instead of costing this process unbounded memory.
 */
export class MessageQueue<T> {
  private readonly items: T[] = [];
  private readonly takers: Array<{ resolve(result: IteratorResult<T>): void; reject(error: unknown): void }> =
    [];
  private readonly drainWaiters: Array<() => void> = [];
  private failure: { error: unknown } | undefined;
  private ended = false;

  constructor(
    readonly highWater = 1000,
    readonly lowWater = 100,
  ) {}

  get size(): number {
    return this.items.length;
  }

  get full(): boolean {
    return this.items.length >= this.highWater;
  }

  push(item: T): void {
    if (this.ended) return;
    const taker = this.takers.shift();
    if (taker) taker.resolve({ value: item, done: false });
    else this.items.push(item);
  }

  /** No more items: takers get what is buffered, then `done` (or the error, if one is given). */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (error !== undefined) this.failure = { error };
    if (this.items.length === 0) this.flushTakers();
    this.releaseDrainWaiters();
  }

  /** Ends at once, dropping what is buffered (the consumer called `return()`). */
  close(): void {
    this.items.length = 0;
    this.end();
  }

  take(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) {
      const item = this.items.shift() as T;
      if (this.items.length <= this.lowWater) this.releaseDrainWaiters();
      return Promise.resolve({ value: item, done: false });
    }
    if (this.ended) return this.finalResult();
    this.releaseDrainWaiters();
    return new Promise((resolve, reject) => this.takers.push({ resolve, reject }));
  }

  /** Resolves once the consumer has taken the buffer down to `lowWater` (or the queue ended). */
  drained(): Promise<void> {
    if (this.items.length <= this.lowWater || this.ended) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private finalResult(): Promise<IteratorResult<T>> {
    const failure = this.failure;
    this.failure = undefined;
    if (failure) return Promise.reject(failure.error);
    return Promise.resolve({ value: undefined, done: true });
  }

  private flushTakers(): void {
    for (const taker of this.takers.splice(0)) {
      const failure = this.failure;
      this.failure = undefined;
      if (failure) taker.reject(failure.error);
      else taker.resolve({ value: undefined, done: true });
    }
  }

  private releaseDrainWaiters(): void {
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }
}
