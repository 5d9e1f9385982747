import { FAILURE_HEADERS, type ConnectionCloseListener, type StreamConnection } from './stream-connection.js';

/**
 * What a stream needs of a response, which Node's ServerResponse and Http2ServerResponse both have
 * (their full types overload `write` and `end` too differently to be called as a union).
 */
export interface StreamResponse {
  readonly socket: { readonly destroyed: boolean } | null | undefined;
  readonly writableLength: number;
  readonly headersSent: boolean;
  writeHead(status: number, headers: Readonly<Record<string, string>>): unknown;
  write(chunk: Buffer | string): boolean;
  end(): unknown;
  end(chunk: string): unknown;
  destroy(): unknown;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * A response the HTTP server parsed (see stream-server.ts): Node's ServerResponse (HTTP/1.1, plain
 * or over TLS) or Http2ServerResponse (HTTP/2's compatibility API: one stream of a session that
 * carries others). Both are spoken to the same way; only when a stream counts as closed differs.
 */
export class ResponseConnection implements StreamConnection {
  private gone = false;
  private closeListener: ConnectionCloseListener | undefined;

  constructor(private readonly response: StreamResponse) {
    // On HTTP/2 the socket is the session's, alive while this one stream is long gone: the
    // response's own 'close' is what says this stream ended (on HTTP/1.1 it says the same).
    response.once('close', () => {
      this.gone = true;
      this.closeListener?.connectionClosed();
    });
  }

  get closed(): boolean {
    return this.gone || !this.response.socket || this.response.socket.destroyed;
  }

  get writableLength(): number {
    // On HTTP/2, the stream's own unsent bytes: what its flow-control window holds back.
    return this.response.writableLength;
  }

  open(headers: Readonly<Record<string, string>>, body: string): void {
    // No Connection header of ours: HTTP/2 forbids it, and HTTP/1.1 keeps the connection's own.
    this.response.writeHead(200, headers);
    this.response.write(body);
  }

  write(chunk: Buffer | string): void {
    this.response.write(chunk);
  }

  end(): void {
    this.response.end();
  }

  destroy(): void {
    // On HTTP/2 this resets the one stream, not the session the client's other requests share.
    this.response.destroy();
  }

  fail(status: number, json: string, headers: Readonly<Record<string, string>> = {}): void {
    if (this.response.headersSent) {
      this.response.destroy();
      return;
    }
    this.response.writeHead(status, { 'Content-Type': 'application/json', ...FAILURE_HEADERS, ...headers });
    this.response.end(json);
  }

  onClose(listener: ConnectionCloseListener): void {
    this.closeListener = listener;
  }
}
