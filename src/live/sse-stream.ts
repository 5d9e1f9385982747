import type { Metrics } from '../metrics.js';
import type { Store } from '../store/store.js';
import type { Broadcaster, CloseReason, SendResult, Sink } from './broadcaster.js';
import type { EventBatch } from './event-batch.js';
import type { Heartbeat } from './heartbeat.js';
import { resetFrame, retryFrame } from './sse-frame.js';
import type { Reader } from './reader.js';
import { startPosition } from './start-position.js';
import type { StreamConnection } from './transport/index.js';

export interface SseDependencies {
  store: Store;
  broadcaster: Broadcaster;
  heartbeat: Heartbeat;
  metrics: Metrics;
  retryMs: number;
  maxStreams: number;
  streamBufferBytes: number;
}

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
};

/**
 * Serves `GET /boards/:boardId/events` on a connection: the stream lives for hours, so it carries
 * no framework objects, no per-stream timer, and only the state in SseSink and its subscription.
 * Errors before the stream starts are thrown (and answered as JSON: EventSource does not retry a
 * 404); once it has started it only ever ends, and the client resumes with Last-Event-ID.
 */
export async function serveEventStream(
  connection: StreamConnection,
  boardId: string,
  lastEventId: string | undefined,
  deps: SseDependencies,
  reader: Reader,
): Promise<void> {
  if (turnedAwayAtCapacity(connection, deps)) return;
  const start = await startPosition(boardId, lastEventId, 'lastEventId', deps, reader);
  if (connection.closed) return;

  // Headers, retry: and any reset leave in one packet.
  openCountedStream(connection, start.reset ? resetFrame(start.head.seq) : '', deps, () =>
    subscription.close('done'),
  );
  const sink = new SseSink(connection, deps.streamBufferBytes, deps.metrics);
  const subscription = deps.broadcaster.subscribe(boardId, start.afterSeq, start.head.seq, sink);
}

/**
 * A process past its stream capacity answers 200 with a long `retry:` and closes: never 429/503,
 * on which EventSource gives up for good. Says whether it did.
 */
export function turnedAwayAtCapacity(connection: StreamConnection, deps: SseDependencies): boolean {
  if (deps.heartbeat.streams.size < deps.maxStreams) return false;
  deps.metrics.streamsTurnedAway.inc();
  connection.open(SSE_HEADERS, retryFrame(jittered(deps.retryMs * 10)));
  connection.end();
  return true;
}

/**
 * Answers 200 with the stream's headers, `retry:` and `firstFrames` in one packet, and counts the
 * stream (open streams, keep-alives) until its connection closes, when `onClose` runs.
 */
export function openCountedStream(
  connection: StreamConnection,
  firstFrames: string,
  deps: SseDependencies,
  onClose: () => void,
): void {
  connection.open(SSE_HEADERS, retryFrame(jittered(deps.retryMs)) + firstFrames);
  deps.heartbeat.streams.add(connection);
  deps.metrics.openStreams.inc();
  connection.onClose(() => {
    deps.heartbeat.streams.delete(connection);
    deps.metrics.openStreams.dec();
    onClose();
  });
}

class SseSink implements Sink {
  constructor(
    private readonly connection: StreamConnection,
    private readonly bufferBytes: number,
    private readonly metrics: Metrics,
  ) {}

  send(batch: EventBatch): SendResult {
    // Past the bound the reader is too slow: drop it rather than buffer without limit. It
    // reconnects with its Last-Event-ID and replays from the log, so nothing is lost.
    if (this.connection.writableLength > this.bufferBytes) return 'too_slow';
    this.connection.write(batch.frames);
    this.metrics.deliveries.sse += batch.events.length;
    return 'sent';
  }

  close(reason: CloseReason): void {
    if (reason === 'slow') this.connection.destroy();
    else this.connection.end();
  }
}

/** A little spread per connection, so that a restart does not bring every client back at once. */
function jittered(retryMs: number): number {
  return Math.round(retryMs * (1 + Math.random() * 0.25));
}
