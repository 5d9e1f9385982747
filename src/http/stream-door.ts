import type { IncomingMessage } from 'node:http';
import proxyaddr from '@fastify/proxy-addr';
import type { FastifyBaseLogger } from 'fastify';
import type { Authenticator } from '../accounts/authenticator.js';
import { credentialKey, type Principal } from '../accounts/principal.js';
import type { Config } from '../config.js';
import { serveMultiBoardStream } from '../live/multi-board-stream.js';
import type { Reader } from '../live/reader.js';
import { serveEventStream, type SseDependencies } from '../live/sse-stream.js';
import { streamRequestRefusal } from '../live/transport/request-guards.js';
import type { StreamHandler, StreamRequest } from '../live/transport/index.js';
import { authenticateHeaders, toLiveboardError } from './errors.js';

/**
 * The door of the SSE streams, which are served before Fastify (see app.ts): the same guards as
 * every request (Host, no credentials in the URL), the same authentication (the session cookie, or
 * a bearer token), and then the stream, whose boards are authorized where it starts
 * (live/start-position.ts). Anything refused before the stream opens is answered as the
 * contract's JSON error; an EventSource does not retry it.
 */
export function streamDoor(
  config: Pick<Config, 'allowedHosts' | 'trustProxy'>,
  authenticator: Authenticator,
  deps: SseDependencies,
  log: () => FastifyBaseLogger,
): StreamHandler {
  const trusted = config.trustProxy ? proxyaddr.compile(config.trustProxy) : undefined;
  const addressOf = (request: StreamRequest): string => {
    if (!trusted) return request.remoteAddress;
    // proxy-addr reads these two fields only: the peer, and what the proxies say they forwarded.
    const incoming = {
      socket: { remoteAddress: request.remoteAddress },
      connection: { remoteAddress: request.remoteAddress },
      headers: { 'x-forwarded-for': request.headers.forwardedFor },
    } as unknown as IncomingMessage;
    return proxyaddr(incoming, trusted);
  };

  const serve = async (...[connection, request]: Parameters<StreamHandler>): Promise<void> => {
    const refusal = streamRequestRefusal(request.target, request.headers.host, config.allowedHosts);
    if (refusal) throw refusal;
    // A revocation heard from here on ends the stream even if it was heard before the stream
    // took its place among the open ones (live/reader-registry.ts).
    const checkedAt = performance.now();
    const { cookie, authorization } = request.headers;
    // Only an anonymous reader's address is used (its stream caps): one with credentials is not
    // asked for it, unless they turn out to be no one's.
    const credentials = cookie !== undefined || authorization.length > 0;
    const principal = await authenticator.authenticate({
      cookie,
      authorization:
        authorization.length === 0
          ? undefined
          : authorization.length === 1
            ? authorization[0]
            : authorization,
      address: credentials ? '' : addressOf(request),
    });
    const reader = readerOf(
      principal.kind === 'anonymous' && credentials
        ? { kind: 'anonymous', address: addressOf(request) }
        : principal,
      checkedAt,
    );
    if ('boards' in request) await serveMultiBoardStream(connection, request, deps, reader);
    else await serveEventStream(connection, request.boardId, request.lastEventId, deps, reader);
  };

  return (connection, request) => {
    serve(connection, request).catch((error: unknown) => {
      const liveboardError = toLiveboardError(error);
      if (liveboardError.status >= 500) log().error({ err: error }, 'stream failed before it opened');
      connection.fail(
        liveboardError.status,
        JSON.stringify(liveboardError),
        authenticateHeaders(liveboardError),
      );
    });
  };
}

/**
 * What live/ knows of a principal. `checkedAt` (performance.now()): when its credential was found
 * good, or earlier; a revocation heard since then ends what it opens.
 */
export function readerOf(principal: Principal, checkedAt?: number): Reader {
  if (principal.kind === 'anonymous') return { userId: null, credential: null, address: principal.address };
  return {
    userId: principal.user.id,
    credential: credentialKey(principal.credential),
    address: principal.address,
    checkedAt,
  };
}
