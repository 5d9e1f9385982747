import type { StreamMessage } from '../domain/index.js';
import { MessageQueue } from './message-queue.js';

/**
 * What every subscription of the SDK is to its caller, shared or not: an async iterator over a
 * bounded queue that starts its work on the first `next()`, ends when that work ends (with its
 * error, unless the caller stopped it), and stops when the caller's signal aborts.
 */
export abstract class MessageIterator {
  protected readonly queue = new MessageQueue<StreamMessage>();
  protected readonly stopper = new AbortController();
  private started = false;

  /** The work: push messages onto the queue until the end, or until stopped. */
  protected abstract run(): Promise<void>;

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
