/**
 * Reconnect delays: exponential, capped, with "equal jitter" (half fixed, half random) so that a
 * server restart does not bring every client back in the same instant, yet no client retries at
 * once in a tight loop.
 */
export interface BackoffOptions {
  /** The first delay, before jitter (default 500 ms). */
  initialMs?: number;
  /** The cap, before jitter (default 30 s). */
  maxMs?: number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;

  constructor(
    options: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.initialMs = options.initialMs ?? 500;
    this.maxMs = Math.max(options.maxMs ?? 30_000, this.initialMs);
  }

  /** The delay before the next attempt; each call doubles the base up to the cap. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(base / 2 + (base / 2) * this.random());
  }

  /** Attempts made since the last success. */
  get failures(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** Resolves after `ms`, or at once (without rejecting) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
