import type { Metrics } from '../metrics.js';
import type { LoggedEvent } from '../store/store.js';
import {
  boardMessageJson,
  formatPositions,
  parseBoardSet,
  parsePositions,
  withPositions,
  type BoardClaim,
} from './board-set.js';
import type { CloseReason, SendResult, Sink, Subscription } from './broadcaster.js';
import type { EventBatch } from './event-batch.js';
import { dataLines, idLine } from './sse-frame.js';
import { readerAccessAt } from './reader-access.js';
import {
  admitReader,
  openCountedStream,
  openingStillWanted,
  startedOrReleased,
  turnedAwayAtCapacity,
  type SseDependencies,
} from './sse-stream.js';
import type { Reader } from './reader.js';
import { startBoardSet, startPositions, type BoardStart } from './start-position.js';
import type { StreamConnection } from './transport/index.js';
import type { BoardSetStreamRequest } from './transport/stream-request.js';

/**
 * Serves `GET /events?boards=…`: one stream for several boards, so that a browser needs one
 * connection however many boards its tabs show. It is a board's stream N times over: one
 * broadcaster subscription per board, each from its own position, all writing to one connection.
 * Every event's `id:` is the position of every board (`<p1>.<p2>.….<pN>`), so a native
 * EventSource resumes them all with its Last-Event-ID. Errors before the stream starts are thrown,
 * as for a board's stream (serveEventStream).
 */
export async function serveMultiBoardStream(
  connection: StreamConnection,
  request: BoardSetStreamRequest,
  deps: SseDependencies,
  reader: Reader,
): Promise<void> {
  const claims = claimsOf(request);
  if (turnedAwayAtCapacity(connection, deps)) return;
  const place = admitReader(connection, deps, reader);
  if (!place) return;
  // The place's shared reader, not this call's (see serveEventStream).
  const starts = await startedOrReleased(place, () =>
    startBoardSet(claims, request.lastEventIdField, deps, place.reader),
  );
  if (!openingStillWanted(connection, place, deps)) return;

  const stream = new MultiBoardStream(connection, starts, deps.streamBufferBytes, deps.metrics);
  // Headers, retry: and every reset and unavailable board leave in one packet.
  openCountedStream(connection, stream.openingFrames(starts), deps, place).ending = stream;
  deps.metrics.openMultiBoardStreams.inc();
  starts.forEach((board, index) => {
    if (!board.available) return;
    const sink = stream.sinkFor(index);
    stream.subscriptions.push(
      deps.broadcaster.subscribe(
        board.boardId,
        board.start.afterSeq,
        board.start.head.seq,
        sink,
        readerAccessAt(board.start.head, place.reader.userId),
      ),
    );
  });
}

/** The boards of the request, each at the position its Last-Event-ID gives, else its `:<seq>`. */
function claimsOf(request: BoardSetStreamRequest): BoardClaim[] {
  const claims = parseBoardSet(request.boards);
  // An empty Last-Event-ID is no position, as on a board's own stream.
  if (!request.lastEventId) return claims;
  return withPositions(claims, parsePositions(request.lastEventId, claims.length, request.lastEventIdField));
}

/**
 * The `data:` lines of an event on a stream of several boards, by event: the same bytes for every
 * such stream, so made once while the event is held in memory (the broadcaster's recent events are
 * shared by all their batches), and only the short `id:` line is made per stream.
 */
const dataLinesByEvent = new WeakMap<LoggedEvent, Buffer>();

function eventDataLines(event: LoggedEvent): Buffer {
  let encoded = dataLinesByEvent.get(event);
  if (!encoded) {
    encoded = Buffer.from(dataLines(boardMessageJson(event.boardId, event.json)));
    dataLinesByEvent.set(event, encoded);
  }
  return encoded;
}

/** One connection and the position of each of its boards; each board's subscription writes here. */
class MultiBoardStream {
  readonly subscriptions: Subscription[] = [];
  /** Each board's position: the seq of its last event sent, or where it started. */
  private readonly positions: number[];
  private readonly boardIds: string[];
  /** Boards still followed: not unavailable at the start, not deleted or cut off since. */
  private following: number;
  private ended = false;
  /** In the open multi-board streams gauge (from its start until it closes). */
  private counted = true;

  constructor(
    private readonly connection: StreamConnection,
    starts: readonly BoardStart[],
    private readonly bufferBytes: number,
    private readonly metrics: Metrics,
  ) {
    this.positions = startPositions(starts);
    this.boardIds = starts.map((board) => board.boardId);
    this.following = starts.filter((board) => board.available).length;
  }

  /** A `reset` for each board that cannot be replayed from its position, `unavailable` for each gone. */
  openingFrames(starts: readonly BoardStart[]): string {
    const id = idLine(formatPositions(this.positions));
    let frames = '';
    for (const board of starts) {
      const message = !board.available
        ? { boardId: board.boardId, type: 'unavailable' }
        : board.start.reset
          ? { boardId: board.boardId, type: 'reset', seq: board.start.head.seq }
          : undefined;
      if (message) frames += id + dataLines(JSON.stringify(message));
    }
    return frames;
  }

  sinkFor(index: number): Sink {
    return {
      send: (batch) => this.send(index, batch),
      close: (reason) => this.boardClosed(index, reason),
    };
  }

  /** The stream ended: every board's subscription with it (the stream is uncounted once). */
  close(): void {
    if (this.counted) this.metrics.openMultiBoardStreams.dec();
    this.counted = false;
    this.ended = true;
    for (const subscription of this.subscriptions) subscription.close('done');
  }

  private send(index: number, batch: EventBatch): SendResult {
    if (this.ended) return 'done';
    // One reader, one buffer: a reader too slow for any of its boards loses the whole connection,
    // and resumes every board from its position (see OpenStream.send).
    if (this.connection.writableLength > this.bufferBytes) return 'too_slow';
    const before = index === 0 ? '' : `${formatPositions(this.positions.slice(0, index))}.`;
    const after =
      index === this.positions.length - 1 ? '' : `.${formatPositions(this.positions.slice(index + 1))}`;
    const ids = batch.events.map((event) => idLine(`${before}${event.seq}${after}`));
    const data = batch.events.map(eventDataLines);
    let size = 0;
    for (let i = 0; i < ids.length; i++) size += ids[i]!.length + data[i]!.length;
    // One write per batch: the id lines (ASCII) and the shared data lines, copied side by side.
    const frames = Buffer.allocUnsafe(size);
    let offset = 0;
    for (let i = 0; i < ids.length; i++) {
      offset += frames.write(ids[i]!, offset, 'latin1');
      offset += data[i]!.copy(frames, offset);
    }
    this.connection.write(frames);
    this.positions[index] = batch.lastSeq;
    this.metrics.deliveries.sse += batch.events.length;
    return 'sent';
  }

  /**
   * A board's subscription ended: deleted, or the reader lost its access to it (the others go on),
   * or the whole stream must end.
   */
  private boardClosed(index: number, reason: CloseReason): void {
    if (this.ended) return;
    if (reason === 'access_lost') {
      // The reader was sent the event that took its access away; from now on the board is to it
      // what it would be on a reconnect: unavailable, its position kept at that event.
      const id = idLine(formatPositions(this.positions));
      const message = JSON.stringify({ boardId: this.boardIds[index], type: 'unavailable' });
      this.connection.write(id + dataLines(message));
    }
    if (reason === 'board_deleted' || reason === 'access_lost') {
      if (--this.following > 0) return;
      this.end('end');
    } else if (reason === 'slow') {
      this.end('destroy');
    } else if (reason === 'shutdown') {
      this.end('end');
    }
  }

  private end(how: 'end' | 'destroy'): void {
    this.ended = true;
    if (how === 'destroy') this.connection.destroy();
    else this.connection.end();
  }
}
