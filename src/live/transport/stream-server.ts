import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { takeEventStreamsOffNewConnections, type StreamHandler } from './new-connections.js';
import { ResponseConnection } from './response-connection.js';

const EVENTS_PATH = /^\/boards\/([^/?]+)\/events(?:\?(.*))?$/;
/** A new connection that has not finished its first request head by then is closed. */
const STREAM_HEAD_TIMEOUT_MS = 30_000;

/**
 * The HTTP server, with SSE streams taken off before `httpHandler` (Fastify) sees them: a stream
 * lives for hours, and carrying the framework's request and reply objects for each of 19,000 of
 * them costs memory for nothing. Streams on new connections never reach the HTTP parser at all
 * (new-connections.ts); one asked for on a connection that already carried requests was parsed by
 * it, and is answered through its ServerResponse.
 */
export function createStreamServer(
  httpHandler: (request: IncomingMessage, response: ServerResponse) => void,
  onStream: StreamHandler,
): Server {
  const server = createServer((request, response) => {
    const match = request.method === 'GET' ? EVENTS_PATH.exec(request.url ?? '') : null;
    if (!match) return httpHandler(request, response);
    const lastEventId =
      headerValue(request.headers['last-event-id']) ??
      new URLSearchParams(match[2] ?? '').get('lastEventId') ??
      undefined;
    onStream(new ResponseConnection(response), safeDecode(match[1]!), lastEventId);
  });
  takeEventStreamsOffNewConnections(server, onStream, STREAM_HEAD_TIMEOUT_MS);
  return server;
}

function safeDecode(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
