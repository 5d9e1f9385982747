import type { StreamMessage } from '../domain/index.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { MessageQueue } from './message-queue.js';
import type { RetryContext } from './retry.js';
import type { ConnectionStatus } from './types.js';

/**
 * What every subscription of the SDK is to its caller, shared or not: an async iterator over a
 * bounded queue that starts its work on the first `next()`, ends when that work ends (with its
 * error, unless the caller stopped it), and stops when the caller's signal aborts; it waits out
 * failures with its own backoff, telling its status as it goes.
 */
export abstract class MessageIterator {
  protected readonly queue = new MessageQueue<StreamMessage>();
  protected readonly stopper = new AbortController();
  protected readonly backoff: Backoff;
  private started = false;

  constructor(backoff: BackoffOptions) {
    this.backoff = new Backoff(backoff);
  }

  /** The work: push messages onto the queue until the end, or until stopped. */
  protected abstract run(): Promise<void>;

  protected abstract setStatus(status: ConnectionStatus): void;

  /** How the work waits after a failed request (see retry.ts). */
  protected get retry(): RetryContext {
    return {
      backoff: this.backoff,
      signal: this.stopper.signal,
      setStatus: (status) => this.setStatus(status),
    };
  }

  next(): Promise<IteratorResult<StreamMessage>> {
    if (!this.started) {
      this.started = true;
      this.run().then(
        () => this.queue.end(),
        (error: unknown) => this.queue.end(this.stopped ? undefined : error),
      );
    }
    return this.queue.take();
  }

  stop(): void {
    this.stopper.abort();
    this.queue.close();
  }

  /** Subclasses call this last in their constructor, once their own fields are set (stop() may use them). */
  protected stopOn(signal: AbortSignal | undefined): void {
    if (signal?.aborted) this.stop();
    else signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  protected get stopped(): boolean {
    return this.stopper.signal.aborted;
  }
}
