import type { LockManagerLike } from './sharing-environment.js';

/**
 * How one tab among a browser's tabs is chosen to hold the connection. Exactly one at a time is the
 * aim; two for a moment (a takeover racing a holder that was only slow) costs a second stream for
 * that moment, never an event, because every tab sequences what it receives by seq.
 */
export interface Election {
  /**
   * Enters the running, and stays in it until `stop()`: `onElected` runs each time this tab becomes
   * the holder, with a signal that aborts when it stops being one (stolen, lost, or stopped).
   */
  start(onElected: (tenure: AbortSignal) => void): void;
  /** Takes the role now from a holder that stopped answering (a frozen or hung tab). */
  takeOver(): void;
  /** Leaves the running, handing the role on if this tab has it. */
  stop(): void;
}

/**
 * The election by Web Locks: the holder is the tab whose callback holds the lock; the others wait
 * in the lock's queue, so when the holder's tab closes or crashes the browser releases the lock and
 * the next tab in line is the holder at once, with no timeout to wait out. The browser cannot tell
 * a frozen tab from a busy one, though: that is what `takeOver()` (`steal: true`) is for, when the
 * holder has not been heard for a while.
 */
export class WebLocksElection implements Election {
  private onElected: ((tenure: AbortSignal) => void) | undefined;
  /** The request in flight (queued or held); requests that are no longer it only clean up. */
  private request: { waiting: AbortController; tenure?: AbortController; release?: () => void } | undefined;

  constructor(
    private readonly locks: LockManagerLike,
    private readonly name: string,
  ) {}

  start(onElected: (tenure: AbortSignal) => void): void {
    this.onElected = onElected;
    if (!this.request) this.enqueue(false);
  }

  takeOver(): void {
    if (!this.onElected || this.request?.tenure) return;
    this.request?.waiting.abort();
    this.enqueue(true);
  }

  stop(): void {
    this.onElected = undefined;
    const request = this.request;
    this.request = undefined;
    request?.waiting.abort();
    request?.tenure?.abort();
    request?.release?.();
  }

  private enqueue(steal: boolean): void {
    const request: NonNullable<WebLocksElection['request']> = { waiting: new AbortController() };
    this.request = request;
    // `signal` lets a queued request be withdrawn; the API refuses it together with `steal`.
    const options = steal ? { steal: true } : { signal: request.waiting.signal };
    this.locks
      .request(this.name, options, () => {
        if (this.request !== request || !this.onElected) return Promise.resolve();
        request.tenure = new AbortController();
        const held = new Promise<void>((resolve) => (request.release = resolve));
        this.onElected(request.tenure.signal);
        return held;
      })
      // AbortError: withdrawn from the queue, or the lock was stolen from under this tab.
      .catch(() => undefined)
      .finally(() => {
        request.tenure?.abort();
        request.release?.();
        if (this.request !== request) return;
        this.request = undefined;
        // Still running but no longer holding (stolen): wait in line again.
        if (this.onElected) this.enqueue(false);
      });
  }
}
