import { commentFrame } from './sse-frame.js';
import type { StreamConnection } from './stream-connection.js';

const KEEP_ALIVE = Buffer.from(commentFrame('keep-alive'));

/**
 * One timer for every open stream, not one per stream: at 19,000 streams, per-connection timers are
 * a measurable share of memory and of the event loop. Each tick writes a comment to every stream.
 */
export class Heartbeat {
  readonly streams = new Set<StreamConnection>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs: number) {}

  start(): void {
    this.timer ??= setInterval(() => {
      for (const stream of this.streams) stream.write(KEEP_ALIVE);
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
