import type { Board, StreamMessage } from '../domain/index.js';
import type { BackoffOptions } from './backoff.js';
import type { BoardSetReader } from './shared/board-set-connection.js';
import type { SharingEnvironment } from './shared/sharing-environment.js';
import type { TabHub } from './shared/tab-hub.js';

/** What the SDK needs of an EventSource: the browser's built-in one and the `eventsource` package's both fit. */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: 'open' | 'error', listener: (event: unknown) => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown; lastEventId?: string }) => void): void;
  close(): void;
}

export type EventSourceConstructor = new (url: string) => EventSourceLike;

export interface ClientOptions {
  /** '' (same origin) in the browser; e.g. 'http://127.0.0.1:3000' in Node. */
  baseUrl?: string;
  /** Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Default globalThis.EventSource (browser); in Node pass the `eventsource` package's. */
  EventSource?: EventSourceConstructor;
  /** Delays between the SDK's own reconnect attempts (the server's `retry:` paces EventSource's). */
  backoff?: BackoffOptions;
  /**
   * How the browser's tabs share one connection. Default: in a browser page, its own
   * BroadcastChannel and Web Locks (`navigator.locks`); elsewhere (Node) no sharing. `false`: every
   * subscription keeps a connection of its own. Tests pass their own environment.
   */
  sharing?: SharingEnvironment | false;
}

export interface WriteOptions {
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** Every write resolves with what the server returned and the seq of the event it became. */
export interface Written<T> {
  data: T;
  seq: number;
  replayed: boolean;
}

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export type Transport = 'sse' | 'poll' | 'auto';

export interface SubscribeOptions {
  /** Resume after this seq (e.g. the snapshot's seq); omitted = from now. */
  from?: number;
  /** auto (default): SSE, falling back to the long poll when EventSource is missing or never connects. */
  transport?: Transport;
  signal?: AbortSignal;
  onStatus?: (status: ConnectionStatus) => void;
  /** How long one long-poll request waits on the server (default 25 s; the shared connection's is the client's). */
  pollTimeoutSeconds?: number;
  /**
   * Share the browser's one connection with the other tabs (default `true`; it applies where tabs
   * can share: a browser page with BroadcastChannel). `false`: a connection of this subscription's own.
   */
  share?: boolean;
}

export interface PollResult {
  events: StreamMessage[];
  seq: number;
}

/**
 * What following a board needs of LiveboardClient: its reads, its stream URL and its settings.
 * subscribe() and watchBoard() take this rather than the client, which calls them, so that neither
 * imports the client back.
 */
export interface LiveReader extends BoardSetReader {
  readonly backoff: BackoffOptions;
  readonly EventSource: EventSourceConstructor | undefined;
  getBoard(boardId: string, options?: { signal?: AbortSignal }): Promise<Board>;
  poll(
    boardId: string,
    options?: { after?: number; timeoutSeconds?: number; signal?: AbortSignal },
  ): Promise<PollResult>;
  eventsUrl(boardId: string, lastEventId?: number): string;
  /** This tab's share of the browser's one connection for `transport`; undefined where tabs do not share. */
  tabHub(transport: Transport): TabHub | undefined;
  subscribe(boardId: string, options?: SubscribeOptions): AsyncIterableIterator<StreamMessage>;
}
