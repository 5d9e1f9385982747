import type { ServerResponse } from 'node:http';
import type { StreamConnection } from './stream-connection.js';

/** Node's ServerResponse, for a stream the HTTP server parsed (see stream-server.ts). */
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
