import type { Metrics } from '../metrics.js';
import type { Store } from '../store/store.js';
import type { Broadcaster, CloseReason, SendResult, Sink } from './broadcaster.js';
import type { EventBatch } from './event-batch.js';
import type { Heartbeat, KeepAliveTarget } from './heartbeat.js';
import { readerAccessAt } from './reader-access.js';
import type { ReaderPlace, RevocationTarget, RevokedReason } from './reader-registry.js';
import { resetFrame, retryFrame } from './sse-frame.js';
import type { Reader } from './reader.js';
import { startPosition } from './start-position.js';
import type { StreamConnection } from './transport/index.js';

export interface SseDependencies {
  store: Store;
  broadcaster: Broadcaster;
  /** The open streams (keep-alives, maximum age) and, in its `readers`, who reads them. */
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
 * no framework objects, no per-stream timer, and only the state in OpenStream and its subscription.
 * Errors before the stream starts are thrown (and answered as JSON: EventSource does not retry a
 * 404); once it has started it only ever ends, and the client resumes with Last-Event-ID. It ends
 * after the event that takes the reader's access away (its reconnect is then 404), when its
 * credential is revoked (`event: revoked` first), and past its maximum age.
 */
export async function serveEventStream(
  connection: StreamConnection,
  boardId: string,
  lastEventId: string | undefined,
  deps: SseDependencies,
  reader: Reader,
): Promise<void> {
  if (turnedAwayAtCapacity(connection, deps)) return;
  const place = admitReader(connection, deps, reader);
  if (!place) return;
  // From here on the reader its place shares with the credential's other streams: the closures
  // below outlive this call, and what they hold is then one object for all of them, not one each.
  const start = await startedOrReleased(place, () =>
    startPosition(boardId, lastEventId, 'lastEventId', deps, place.reader),
  );
  if (!openingStillWanted(connection, place, deps)) return;

  // Headers, retry: and any reset leave in one packet.
  const stream = openCountedStream(connection, start.reset ? resetFrame(start.head.seq) : '', deps, place);
  stream.ending = deps.broadcaster.subscribe(
    boardId,
    start.afterSeq,
    start.head.seq,
    stream,
    readerAccessAt(start.head, place.reader.userId),
  );
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
 * The stream's place among its reader's streams, taken before it starts; or, when the user (or,
 * anonymous, the address) already has as many as it may, the same answer as at capacity — 200, a
 * long `retry:` and a close — with a `notice` saying why. Others' streams are not touched.
 */
export function admitReader(
  connection: StreamConnection,
  deps: SseDependencies,
  reader: Reader,
): ReaderPlace | undefined {
  const place = deps.heartbeat.readers.admitStream(reader);
  if (place) return place;
  const whose = reader.userId !== null ? 'this user has' : 'anonymous readers at this address have';
  const notice = namedEventFrame('notice', {
    code: 'too_many_streams',
    message: `${whose} as many streams open as they may; this one closes, try again later`,
  });
  connection.open(SSE_HEADERS, retryFrame(jittered(deps.retryMs * 10)) + notice);
  connection.end();
  return undefined;
}

/** Where the stream starts; if it cannot start, its place is given back before the error goes on. */
export async function startedOrReleased<T>(place: ReaderPlace, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    place.release();
    throw error;
  }
}

/**
 * Whether the stream should still open once it knows where it starts: not if the client went away
 * meanwhile, nor if its credential was revoked meanwhile (then it is told so, as an open stream
 * would be, and closed).
 */
export function openingStillWanted(
  connection: StreamConnection,
  place: ReaderPlace,
  deps: SseDependencies,
): boolean {
  if (connection.closed) {
    place.release();
    return false;
  }
  if (place.revokedBecause) {
    connection.open(SSE_HEADERS, retryFrame(jittered(deps.retryMs)) + revokedFrame(place.revokedBecause));
    connection.end();
    return false;
  }
  return true;
}

/** What ends with a stream's connection: its board's subscription, or a multi-board stream's. */
export interface StreamEnding {
  close(reason: 'done'): void;
}

/**
 * Answers 200 with the stream's headers, `retry:` and `firstFrames` in one packet, and counts the
 * stream (open streams, keep-alives, its reader's place) until its connection closes. The caller
 * sets the stream's `ending`, which must stop every write to the connection at once: it is also
 * closed when the stream is ended here (a revoked credential, past its maximum age), before the close.
 */
export function openCountedStream(
  connection: StreamConnection,
  firstFrames: string,
  deps: SseDependencies,
  place: ReaderPlace,
): OpenStream {
  connection.open(SSE_HEADERS, retryFrame(jittered(deps.retryMs)) + firstFrames);
  const stream = new OpenStream(connection, deps, place);
  deps.heartbeat.streams.add(stream);
  deps.metrics.openStreams.inc();
  place.target = stream;
  connection.onClose(stream);
  return stream;
}

/**
 * An open stream: the one object a process keeps for it besides its connection, its subscription
 * and its reader's place (it lives for hours, times tens of thousands, so no closures hold it).
 * As its subscription's sink it writes batches; as the heartbeat keeps it, keep-alives, and it ends
 * past its maximum age; as its reader's place names it, it ends with `event: revoked`.
 */
export class OpenStream implements Sink, KeepAliveTarget, RevocationTarget {
  readonly openedAt = performance.now();
  ending: StreamEnding | undefined;

  constructor(
    private readonly connection: StreamConnection,
    private readonly deps: SseDependencies,
    private readonly place: ReaderPlace,
  ) {}

  send(batch: EventBatch): SendResult {
    // Past the bound the reader is too slow: drop it rather than buffer without limit. It
    // reconnects with its Last-Event-ID and replays from the log, so nothing is lost.
    if (this.connection.writableLength > this.deps.streamBufferBytes) return 'too_slow';
    this.connection.write(batch.frames);
    this.deps.metrics.deliveries.sse += batch.events.length;
    return 'sent';
  }

  /** After a board_deleted, or the event that took the reader's access away, the stream ends. */
  close(reason: CloseReason): void {
    // Most often the client went first (connectionClosed closes the subscription, which closes
    // this): ending a destroyed socket makes an ERR_STREAM_DESTROYED, stack trace and all, per
    // stream, which 9,000 streams closing at once paid on the event loop for about a second.
    if (this.connection.closed) return;
    if (reason === 'slow') this.connection.destroy();
    else this.connection.end();
  }

  write(chunk: Buffer): void {
    this.connection.write(chunk);
  }

  expire(): void {
    this.endWith('');
  }

  revoked(reason: RevokedReason): void {
    this.endWith(revokedFrame(reason));
  }

  /** Writes `lastFrames`, stops every other write (subscriptions, keep-alives), and ends politely. */
  endWith(lastFrames: string): void {
    this.deps.heartbeat.streams.delete(this);
    if (this.connection.closed) return;
    if (lastFrames) this.connection.write(lastFrames);
    this.ending?.close('done');
    this.connection.end();
  }

  /** The client is gone, or the stream was ended: it stops counting and writing. */
  connectionClosed(): void {
    this.deps.heartbeat.streams.delete(this);
    this.deps.metrics.openStreams.dec();
    this.place.release();
    this.ending?.close('done');
  }
}

/** A named event (no `id:`, so it moves no position): `revoked`, `notice`. */
export function namedEventFrame(name: string, data: object): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** What a stream is sent before it closes because its session or token was revoked. */
export function revokedFrame(reason: RevokedReason): string {
  return namedEventFrame('revoked', { reason });
}

/** A little spread per connection, so that a restart does not bring every client back at once. */
function jittered(retryMs: number): number {
  return Math.round(retryMs * (1 + Math.random() * 0.25));
}
