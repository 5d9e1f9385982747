import { LiveboardError } from '../domain/index.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/store.js';
import type { Broadcaster, SendResult, Sink } from './broadcaster.js';
import { EventBatch } from './event-batch.js';
import type { Heartbeat } from './heartbeat.js';
import { readableEvents, readerAccessAt } from './reader-access.js';
import type { ReaderPlace, RevokedReason } from './reader-registry.js';
import type { Reader } from './reader.js';
import { startPosition } from './start-position.js';

/** Events in one answer, of one board or of several: ask again for the rest. */
export const MAX_EVENTS_PER_ANSWER = 1000;

export interface PollDependencies {
  store: Store;
  broadcaster: Broadcaster;
  /** Its `readers` hold the waiting polls, so a revoked credential ends them. */
  heartbeat: Pick<Heartbeat, 'readers'>;
  metrics: Metrics;
}

export interface PollRequest {
  boardId: string;
  /** The last seq the client has; undefined: wait for the next event. */
  after: string | undefined;
  timeoutMs: number;
  /** Who polls: authorized against the board as it stands now, a resume (`after`) included. */
  reader: Reader;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/**
 * `GET /boards/:boardId/poll`: the same events as the SSE stream, for clients that cannot use
 * EventSource. A poll is a subscription that ends at its first batch, so it is woken by the same
 * broadcaster as the streams and reads the same log. Returns the response body's JSON:
 * `{"events":[…],"seq":M}`, where M is what to pass as `after` next. Its events end at the one
 * that takes the reader's access away, if any (the next poll is then 404); a poll still waiting
 * when its credential is revoked is refused, 401 `unauthenticated`.
 */
export async function pollEvents(request: PollRequest, deps: PollDependencies): Promise<string> {
  const start = await startPosition(request.boardId, request.after, 'after', deps, request.reader);
  if (start.reset) {
    return JSON.stringify({ events: [{ type: 'reset', seq: start.head.seq }], seq: start.head.seq });
  }
  const access = readerAccessAt(start.head, request.reader.userId);

  // What is already in the log is answered at once, whatever the timeout (even 0).
  const waiting = await deps.store.readEvents(request.boardId, start.afterSeq, MAX_EVENTS_PER_ANSWER);
  if (waiting.length > 0) return answer(new EventBatch(readableEvents(access, waiting).events), deps);
  if (request.timeoutMs <= 0 || request.signal.aborted)
    return JSON.stringify({ events: [], seq: start.afterSeq });

  // Nothing yet: wait for the next batch. The subscription reads the log again first, so an event
  // committed between the read above and now is not missed.
  const place = deps.heartbeat.readers.admitPoll(request.reader);
  const batch = await new Promise<EventBatch | undefined>((resolve, reject) => {
    const sink = new PollSink(resolve);
    const subscription = deps.broadcaster.subscribe(
      request.boardId,
      start.afterSeq,
      start.head.seq,
      sink,
      access,
    );
    const stop = (): void => subscription.close('done');
    const timer = setTimeout(stop, request.timeoutMs);
    request.signal.addEventListener('abort', stop, { once: true });
    sink.onSettled = () => {
      clearTimeout(timer);
      request.signal.removeEventListener('abort', stop);
      place.release();
      deps.metrics.waitingPolls.dec();
    };
    deps.metrics.waitingPolls.inc();
    whenRevoked(place, (reason) => {
      reject(revokedPollError(reason));
      stop();
    });
  });
  if (!batch) return JSON.stringify({ events: [], seq: start.afterSeq });
  return answer(batch, deps);
}

/**
 * Runs `refuse` when the poll's credential is revoked, now (revoked between its check and here)
 * or while it waits.
 */
export function whenRevoked(place: ReaderPlace, refuse: (reason: RevokedReason) => void): void {
  if (place.revokedBecause) refuse(place.revokedBecause);
  else place.target = { revoked: refuse };
}

/** A waiting poll whose session or token was revoked: 401, as its next request would be. */
export function revokedPollError(reason: RevokedReason): LiveboardError {
  return new LiveboardError(
    'unauthenticated',
    `your session or token was revoked (${reason}) while this poll waited; sign in again`,
  );
}

function answer(batch: EventBatch, deps: PollDependencies): string {
  deps.metrics.deliveries.poll += batch.events.length;
  return `{"events":[${batch.events.map((event) => event.json).join(',')}],"seq":${batch.lastSeq}}`;
}

/** Takes the first batch and is done: the subscription then closes itself. */
class PollSink implements Sink {
  onSettled: (() => void) | undefined;
  private settled = false;

  constructor(private readonly resolve: (batch: EventBatch | undefined) => void) {}

  send(batch: EventBatch): SendResult {
    const answer =
      batch.events.length > MAX_EVENTS_PER_ANSWER
        ? new EventBatch(batch.events.slice(0, MAX_EVENTS_PER_ANSWER))
        : batch;
    this.settle(answer);
    return 'done';
  }

  close(): void {
    this.settle(undefined);
  }

  private settle(batch: EventBatch | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.onSettled?.();
    this.resolve(batch);
  }
}
