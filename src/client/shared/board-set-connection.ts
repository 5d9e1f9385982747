import type { StreamMessage } from '../../domain/index.js';
import type { BackoffOptions } from '../backoff.js';
import type { LiveboardApiError } from '../errors.js';
import type { ConnectionStatus, EventSourceConstructor, EventSourceLike } from '../types.js';
import type { BoardPosition, MultiBoardPollResult } from './board-positions.js';

/** What a connection for a set of boards needs of the client: the multi-board stream and poll. */
export interface BoardSetReader {
  readonly backoff: BackoffOptions;
  readonly EventSource: EventSourceConstructor | undefined;
  boardsEventsUrl(boards: readonly BoardPosition[]): string;
  /** An EventSource on `url` that carries the client's credentials (its token, if it has one). */
  openEventSource(url: string): EventSourceLike;
  pollBoards(
    boards: readonly BoardPosition[],
    options?: { timeoutSeconds?: number; signal?: AbortSignal },
  ): Promise<MultiBoardPollResult>;
}

/** What a connection tells its holder. */
export interface ConnectionEvents {
  /** The first time the connection delivers: from now on it carries every one of its boards. */
  onOpen(): void;
  onMessage(boardId: string, message: StreamMessage): void;
  /** The server cannot stream this board (unknown, or deleted with nothing left to replay). */
  onUnavailable(boardId: string): void;
  onStatus(status: ConnectionStatus): void;
  /** The server refused the whole set for good (404: none of the boards can be followed). */
  onRefused(error: LiveboardApiError): void;
  /** `auto` only: the stream never opened while plain HTTP works (a buffering proxy): use the long poll. */
  onFallback(): void;
}

/**
 * One server connection (a stream, or a chain of long polls) for a fixed set of boards, each from a
 * position. It reconnects by itself and resumes every board where it stands; a different set is a
 * different connection (the holder opens the new one before it closes the old).
 */
export interface BoardSetConnection {
  readonly status: ConnectionStatus;
  /** Open and delivering now. */
  readonly live: boolean;
  close(): void;
}

export type ConnectionOpener = (
  start: readonly BoardPosition[],
  events: ConnectionEvents,
) => BoardSetConnection;

/** Several connections that act as one: open when all are, live when all are, the worst status of them. */
export class ConnectionInParts implements BoardSetConnection {
  private readonly parts: BoardSetConnection[] = [];

  constructor(
    open: ConnectionOpener,
    start: readonly BoardPosition[],
    events: ConnectionEvents,
    boardsPerPart: number,
  ) {
    let opened = 0;
    for (let i = 0; i < start.length; i += boardsPerPart) {
      this.parts.push(
        open(start.slice(i, i + boardsPerPart), {
          ...events,
          onOpen: () => {
            if (++opened === this.parts.length) events.onOpen();
          },
          onStatus: () => events.onStatus(this.status),
        }),
      );
    }
  }

  get status(): ConnectionStatus {
    const order: ConnectionStatus[] = ['offline', 'reconnecting', 'connecting', 'live'];
    return order.find((status) => this.parts.some((part) => part.status === status)) ?? 'connecting';
  }

  get live(): boolean {
    return this.parts.every((part) => part.live);
  }

  close(): void {
    for (const part of this.parts) part.close();
  }
}
