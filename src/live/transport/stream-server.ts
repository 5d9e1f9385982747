import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { takeEventStreamsOffNewConnections, type StreamHandler } from './new-connections.js';
import { ResponseConnection } from './response-connection.js';
import { recognizeStreamRequest } from './stream-request.js';

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
    const lastEventId = headerValue(request.headers['last-event-id']);
    const streamRequest = recognizeStreamRequest(request.method ?? '', request.url ?? '', lastEventId);
    if (streamRequest) onStream(new ResponseConnection(response), streamRequest);
    else httpHandler(request, response);
  });
  takeEventStreamsOffNewConnections(server, onStream, STREAM_HEAD_TIMEOUT_MS);
  return server;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
