import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { SocketConnection } from './socket-connection.js';
import type { StreamConnection } from './stream-connection.js';
import { classifyRequestHead } from './stream-request-head.js';
import type { StreamRequest, StreamRequestHead } from './stream-request.js';

/** What serves a recognized stream request, whichever way its connection came. */
export type StreamHandler = (connection: StreamConnection, request: StreamRequest) => void;

/**
 * Takes SSE requests off new connections before Node's HTTP server sees them. A stream lives for
 * hours; through the HTTP server it would keep an HTTP parser, a request and a response per
 * stream (about 10 KB); as a bare socket it keeps about half of that. Every other connection is
 * handed to the HTTP server untouched (its first bytes put back), as if it had just arrived.
 * A stream asked for on a connection that already carried requests still reaches the HTTP server,
 * which serves it through a ResponseConnection (stream-server.ts): both ways speak the same stream.
 */
export function takeEventStreamsOffNewConnections(
  server: Server,
  onStream: StreamHandler,
  headTimeoutMs: number,
): void {
  const httpListeners = server.listeners('connection') as Array<(socket: Socket) => void>;
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    let head: Buffer | undefined;

    const stopSniffing = (): void => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('timeout', onTimeout);
      socket.setTimeout(0);
      socket.pause();
    };
    const onError = (): void => {
      socket.destroy();
    };
    const onTimeout = (): void => {
      socket.destroy();
    };
    const onData = (chunk: Buffer): void => {
      head = head ? Buffer.concat([head, chunk]) : chunk;
      const verdict = classifyRequestHead(head);
      if (verdict.kind === 'incomplete') return;
      stopSniffing();
      if (verdict.kind === 'http') {
        socket.unshift(head);
        for (const listener of httpListeners) listener.call(server, socket);
        socket.resume();
        return;
      }
      head = undefined;
      // A client says nothing more on a stream: read (and drop) so that its close is seen. Functions
      // of the module, not closures: a closure made here would keep this connection's sniffing
      // state (and its request's bytes) for the stream's whole life.
      socket.on('data', ignore);
      socket.on('end', destroyIt);
      socket.on('error', destroyIt);
      socket.setNoDelay(true);
      socket.resume();
      const { kind: _stream, ...stream } = verdict;
      const request = stream as StreamRequestHead;
      onStream(new SocketConnection(socket), {
        ...request,
        get remoteAddress() {
          return socket.remoteAddress ?? '';
        },
      });
    };

    socket.on('data', onData);
    socket.on('error', onError);
    socket.setTimeout(headTimeoutMs, onTimeout);
  });
}

function ignore(): void {}

function destroyIt(this: Socket): void {
  this.destroy();
}
