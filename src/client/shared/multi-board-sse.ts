import { isTooManyStreams, revokedEventError } from '../access-loss.js';
import { Backoff, sleep } from '../backoff.js';
import { LiveboardApiError, isTemporary } from '../errors.js';
import type { ConnectionStatus, EventSourceLike } from '../types.js';
import { readBoardMessage, type BoardPosition } from './board-positions.js';
import type { BoardSetConnection, BoardSetReader, ConnectionEvents } from './board-set-connection.js';

const CLOSED = 2;
/** Failed native reconnects in a row before the SDK reopens the stream itself, with its own backoff. */
const NATIVE_RETRIES_BEFORE_BACKOFF = 3;

/**
 * `GET /events?boards=…` for a set of boards. EventSource reconnects by itself, and its
 * `Last-Event-ID` (every board's position) resumes them all; when it gives up (a non-200) or keeps
 * failing, this asks the same boards over plain HTTP what is wrong, and reopens from the positions
 * its messages reached, minus the boards the server said it cannot stream.
 */
export class MultiBoardSse implements BoardSetConnection {
  status: ConnectionStatus = 'connecting';
  live = false;
  private readonly positions: Map<string, number>;
  private readonly backoff: Backoff;
  private readonly stopper = new AbortController();
  private source: EventSourceLike | undefined;
  private everOpened = false;

  constructor(
    private readonly reader: BoardSetReader,
    start: readonly BoardPosition[],
    private readonly events: ConnectionEvents,
    private readonly mayFallBack: boolean,
  ) {
    this.positions = new Map(start.map(({ boardId, seq }) => [boardId, seq]));
    this.backoff = new Backoff(reader.backoff);
    this.open();
  }

  close(): void {
    this.stopper.abort();
    this.source?.close();
    this.source = undefined;
    this.live = false;
  }

  private get closed(): boolean {
    return this.stopper.signal.aborted;
  }

  private open(): void {
    if (this.closed || this.positions.size === 0) return;
    const source = this.reader.openEventSource(this.reader.boardsEventsUrl(this.currentPositions()));
    this.source = source;
    let failures = 0;
    /** The server said it has too many of this client's streams: its close is expected, not a failure. */
    let turnedAway = false;
    source.addEventListener('open', () => {
      if (this.source !== source) return;
      failures = 0;
      this.backoff.reset();
      this.live = true;
      this.setStatus('live');
      if (!this.everOpened) {
        this.everOpened = true;
        this.events.onOpen();
      }
    });
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      this.live = false;
      if (source.readyState !== CLOSED && turnedAway) {
        turnedAway = false;
        this.setStatus('reconnecting');
        return;
      }
      if (source.readyState !== CLOSED) {
        // CONNECTING: EventSource retries by itself after the server's `retry:`, with Last-Event-ID.
        failures += 1;
        this.setStatus(failures > 1 ? 'offline' : 'reconnecting');
        if (failures < NATIVE_RETRIES_BEFORE_BACKOFF) return;
      }
      source.close();
      this.source = undefined;
      void this.recover();
    });
    source.addEventListener('message', (event) => {
      if (this.source === source) this.accept(event.data);
    });
    // The session or token was revoked: final for every board of the connection.
    source.addEventListener('revoked', (event) => {
      if (this.source !== source) return;
      this.close();
      this.events.onRefused(revokedEventError(event.data));
    });
    source.addEventListener('notice', (event) => {
      if (this.source === source && isTooManyStreams(event.data)) turnedAway = true;
    });
  }

  private accept(data: unknown): void {
    const read = readBoardMessage(data);
    if (!read || !this.positions.has(read.boardId)) return;
    if (read.kind === 'unavailable') {
      // Nothing more comes for it; the next stream leaves it out, as the server asks.
      this.positions.delete(read.boardId);
      this.events.onUnavailable(read.boardId);
      return;
    }
    this.positions.set(read.boardId, read.message.seq);
    this.events.onMessage(read.boardId, read.message);
  }

  /** The stream closed for good or keeps failing: find out why over plain HTTP, then reopen (or not). */
  private async recover(): Promise<void> {
    let reachable = false;
    try {
      const answer = await this.reader.pollBoards(this.currentPositions(), {
        timeoutSeconds: 0,
        signal: this.stopper.signal,
      });
      reachable = true;
      // The same messages the stream would have sent next: take them rather than ask for them again.
      if (!this.closed) for (const message of answer.events) this.accept(message);
    } catch (error) {
      if (this.closed) return;
      if (error instanceof LiveboardApiError && !isTemporary(error)) {
        this.close();
        this.events.onRefused(error);
        return;
      }
    }
    if (this.closed) return;
    if (reachable && this.mayFallBack && !this.everOpened) {
      this.close();
      this.events.onFallback();
      return;
    }
    this.setStatus(reachable ? 'reconnecting' : 'offline');
    await sleep(this.backoff.next(), this.stopper.signal);
    this.open();
  }

  private currentPositions(): BoardPosition[] {
    return [...this.positions].map(([boardId, seq]) => ({ boardId, seq }));
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.status || this.closed) return;
    this.status = status;
    this.events.onStatus(status);
  }
}
