import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { FAILURE_HEADERS, type ConnectionCloseListener, type StreamConnection } from './stream-connection.js';

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

  fail(status: number, json: string, headers: Readonly<Record<string, string>> = {}): void {
    const lines = Object.entries({ ...FAILURE_HEADERS, ...headers })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    this.socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\n${lines}` +
        `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
      () => this.socket.destroy(),
    );
  }

  onClose(listener: ConnectionCloseListener): void {
    // 'close' comes once: `on` spares the wrapper `once` would keep for the stream's whole life.
    this.socket.on('close', () => listener.connectionClosed());
  }
}

function headerLines(headers: Readonly<Record<string, string>>): string {
  let lines = '';
  for (const [name, value] of Object.entries(headers)) lines += `${name}: ${value}\r\n`;
  return lines;
}
