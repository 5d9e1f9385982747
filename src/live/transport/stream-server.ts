import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2';
import { takeEventStreamsOffNewConnections, type StreamHandler } from './new-connections.js';
import { ResponseConnection } from './response-connection.js';
import { recognizeStreamRequest, type StreamHeaders } from './stream-request.js';

/** A new connection that has not finished its first request head by then is closed. */
const STREAM_HEAD_TIMEOUT_MS = 30_000;
/** An HTTP/2 session with no frame either way for this long is closed (Fastify's own default). */
const IDLE_SESSION_TIMEOUT_MS = 72_000;

/** A certificate chain and its key (PEM): the server speaks https, HTTP/2 and HTTP/1.1. */
export interface TlsCredentials {
  cert: Buffer | string;
  key: Buffer | string;
}

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/**
 * The HTTP server, with SSE streams taken off before `httpHandler` (Fastify) sees them: a stream
 * lives for hours, and carrying the framework's request and reply objects for each of 19,000 of
 * them costs memory for nothing.
 *
 * Plain HTTP/1.1: streams on new connections never reach the HTTP parser at all
 * (new-connections.ts); one asked for on a connection that already carried requests was parsed by
 * it, and is answered through its ServerResponse.
 *
 * With `tls`: https, HTTP/2 for clients that offer it (ALPN) and HTTP/1.1 for the rest, on one
 * port. A browser then keeps one connection per origin and every tab's stream is a stream on it,
 * instead of one connection each against its limit of six. The bare-socket takeover is a plain
 * HTTP/1.1 optimisation; here every stream is answered through its response.
 *
 * The return type is Fastify's default raw server (it is typed for one kind); at run time Fastify
 * serves the HTTP/2 compatibility API's requests as it does with its own `http2: true`.
 */
export function createStreamServer(
  httpHandler: (request: IncomingMessage, response: ServerResponse) => void,
  onStream: StreamHandler,
  tls?: TlsCredentials,
): Server {
  const handle = (request: Request, response: Response): void => {
    const lastEventId = headerValue(request.headers['last-event-id']);
    const target = request.url ?? '';
    const streamRequest = recognizeStreamRequest(request.method ?? '', target, lastEventId);
    if (streamRequest) {
      onStream(new ResponseConnection(response), {
        ...streamRequest,
        target,
        headers: streamHeaders(request, lastEventId),
        get remoteAddress() {
          return request.socket.remoteAddress ?? '';
        },
      });
    } else httpHandler(request as IncomingMessage, response as ServerResponse);
  };
  if (tls) return createHttp2Server(tls, handle) as unknown as Server;

  const server = createServer(handle);
  takeEventStreamsOffNewConnections(server, onStream, STREAM_HEAD_TIMEOUT_MS);
  return server;
}

function createHttp2Server(tls: TlsCredentials, handle: (request: Request, response: Response) => void) {
  // With allowHTTP1, the server also has an HTTP/1.1 server's closeIdleConnections (not in its types).
  const server = createSecureServer(
    { cert: tls.cert, key: tls.key, allowHTTP1: true },
    handle,
  ) as Http2SecureServer & {
    closeIdleConnections(): void;
  };
  const sessions = new Set<Http2Session>();
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    // A session with streams is never idle: each stream's keep-alive comment is a frame.
    session.setTimeout(IDLE_SESSION_TIMEOUT_MS, () => session.close());
  });
  // Fastify calls closeIdleConnections() as it closes (forceCloseConnections: 'idle'). Node 20's
  // only closes idle HTTP/1.1 connections, and its close() waits for every HTTP/2 session to end,
  // which a browser's open tab never does: a stop would wait forever. So sessions are told to go
  // away too (GOAWAY: what they carry finishes, nothing new starts; streams were ended just before).
  const closeIdleHttp1Connections = server.closeIdleConnections.bind(server);
  server.closeIdleConnections = () => {
    closeIdleHttp1Connections();
    for (const session of sessions) session.close();
  };
  return server;
}

function streamHeaders(request: Request, lastEventId: string | undefined): StreamHeaders {
  const authorization: string[] = [];
  const raw = request.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    if (raw[index]!.toLowerCase() === 'authorization') authorization.push(raw[index + 1]!);
  }
  const cookie = request.headers.cookie;
  return {
    // HTTP/2 names the host in :authority; Node's compatibility API keeps it there.
    host: request.headers.host ?? headerValue(request.headers[':authority']),
    cookie: Array.isArray(cookie) ? cookie.join('; ') : cookie,
    authorization,
    lastEventId,
    forwardedFor: headerValue(request.headers['x-forwarded-for']),
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
