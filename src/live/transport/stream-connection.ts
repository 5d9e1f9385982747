/**
 * How an SSE stream's bytes reach its client, kept apart from what the stream says (sse-stream.ts).
 * Two ways: a bare socket whose request Liveboard read itself (SocketConnection: the common case on
 * plain HTTP/1.1, and the lean one, with no HTTP parser or request/response objects kept per
 * stream), or Node's response (ResponseConnection), for a stream asked for on a connection that
 * already carried other requests, and for every stream over TLS (HTTP/2 or HTTP/1.1).
 */
export interface StreamConnection {
  /** True once the client is gone; nothing should be written then. */
  readonly closed: boolean;
  /** Bytes written but not yet taken by the client: how far behind a reader is. */
  readonly writableLength: number;
  /** Answers 200 with the stream's headers, then `body`. */
  open(headers: Readonly<Record<string, string>>, body: string): void;
  write(chunk: Buffer | string): void;
  /** Ends the stream politely: the client sees the end and reconnects. */
  end(): void;
  /** Drops the connection at once (a reader too slow to keep). */
  destroy(): void;
  /** Answers an error before the stream has opened (FAILURE_HEADERS, and `headers`). */
  fail(status: number, json: string, headers?: Readonly<Record<string, string>>): void;
  /** Tells `listener` once the connection has closed, however it closed. */
  onClose(listener: ConnectionCloseListener): void;
}

/** An object rather than a function: a stream's is the stream itself, with no closure kept for it. */
export interface ConnectionCloseListener {
  connectionClosed(): void;
}

/**
 * What every refusal of a stream carries, as the HTTP app's answers do: it depends on who asked, so
 * no cache may keep it or hand it to someone else.
 */
export const FAILURE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'private, no-store',
  Vary: 'Cookie, Authorization',
  'X-Content-Type-Options': 'nosniff',
};
