import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';

/**
 * How an SSE stream's bytes reach its client, kept apart from what the stream says (sse-stream.ts).
 * Two ways: a bare socket whose request Liveboard read itself (SocketConnection: the common case,
 * and the lean one, with no HTTP parser or request/response objects kept per stream), or Node's
 * ServerResponse, for a stream asked for on a connection that already carried other requests.
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
  /** Answers an error before the stream has opened. */
  fail(status: number, json: string): void;
  onClose(listener: () => void): void;
}

/**
 * A bare socket. The response is close-delimited (no Content-Length, no chunked framing), which
 * HTTP/1.1 allows, so every subscriber of a batch is written the very same bytes.
 */
export class SocketConnection implements StreamConnection {
  constructor(private readonly socket: Socket) {}

  get closed(): boolean {
    return this.socket.destroyed || !this.socket.writable;
  }

  get writableLength(): number {
    return this.socket.writableLength;
  }

  open(headers: Readonly<Record<string, string>>, body: string): void {
    this.socket.write(`HTTP/1.1 200 OK\r\n${headerLines(headers)}Connection: close\r\n\r\n${body}`);
  }

  write(chunk: Buffer | string): void {
    this.socket.write(chunk);
  }

  end(): void {
    // Close once what was written has gone out, rather than wait for the client to close its side.
    this.socket.end(() => this.socket.destroy());
  }

  destroy(): void {
    this.socket.destroy();
  }

  fail(status: number, json: string): void {
    this.socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
      () => this.socket.destroy(),
    );
  }

  onClose(listener: () => void): void {
    this.socket.once('close', listener);
  }
}

export class ResponseConnection implements StreamConnection {
  constructor(private readonly response: ServerResponse) {}

  get closed(): boolean {
    return !this.response.socket || this.response.socket.destroyed;
  }

  get writableLength(): number {
    return this.response.writableLength;
  }

  open(headers: Readonly<Record<string, string>>, body: string): void {
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
    this.response.destroy();
  }

  fail(status: number, json: string): void {
    if (this.response.headersSent) {
      this.response.destroy();
      return;
    }
    this.response.writeHead(status, { 'Content-Type': 'application/json' });
    this.response.end(json);
  }

  onClose(listener: () => void): void {
    this.response.once('close', listener);
  }
}

function headerLines(headers: Readonly<Record<string, string>>): string {
  let lines = '';
  for (const [name, value] of Object.entries(headers)) lines += `${name}: ${value}\r\n`;
  return lines;
}
