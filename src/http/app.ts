import { constants as zlib } from 'node:zlib';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { LiveboardError } from '../domain/index.js';
import { createStreamServer } from '../live/transport/index.js';
import { AccountService } from '../accounts/account-service.js';
import { Authenticator } from '../accounts/authenticator.js';
import { sessionCookieName } from '../accounts/cookies.js';
import { installAccessRules } from './access.js';
import type { AppDependencies } from './dependencies.js';
import { Invitations } from './invitations.js';
import { lazyCompilers } from './lazy-compilers.js';
import { loggerOptions, pathOf } from './logging.js';
import { registerOpenApi } from './openapi.js';
import { accountRoutes } from './routes/accounts.js';
import { sharingRoutes } from './routes/sharing.js';
import { replyWithError } from './errors.js';
import { requestGuards } from './request-guards.js';
import { streamDoor } from './stream-door.js';
import { boardRoutes } from './routes/boards.js';
import { labelRoutes } from './routes/labels.js';
import { listRoutes } from './routes/lists.js';
import { liveRoutes } from './routes/live.js';
import { operationRoutes } from './routes/operations.js';
import { taskRoutes } from './routes/tasks.js';
import { checklistRoutes } from './routes/checklists.js';
import { commentRoutes } from './routes/comments.js';
import { historyRoutes } from './routes/history.js';
import { webAppRoutes } from './routes/web-app.js';

/**
 * Builds the HTTP app from its dependencies, without listening (main.ts listens; tests may too).
 * SSE streams are taken off before Fastify's routing: a stream lives for hours, and carrying
 * Fastify's request and reply objects for each of 19,000 of them costs memory for nothing.
 */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const cookieName = sessionCookieName(deps.config.secureCookies);
  const authenticator = new Authenticator(deps.store.accounts, {
    cookieName,
    sessionTtlMs: deps.config.sessionTtlMs,
  });
  await authenticator.start();
  const accountService = new AccountService(deps.store.accounts, deps.config.sessionTtlMs);
  const invitations = new Invitations(deps.store, deps.writer, accountService);
  const streamDeps = {
    ...deps,
    retryMs: deps.config.retryMs,
    maxStreams: deps.config.maxStreams,
    streamBufferBytes: deps.config.streamBufferBytes,
  };
  const serveStream = streamDoor(deps.config, authenticator, streamDeps, () => app.log);
  const app = Fastify({
    // Each route's schemas compiled when first used, not all at start (see lazy-compilers.ts).
    schemaController: { compilersFactory: lazyCompilers },
    // Credentials never reach a log line, at any level (see logging.ts).
    logger: loggerOptions(deps.config),
    // One structured line per request, at debug (see onResponse), instead of two at info.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.config.bodyLimitBytes,
    // Our own 503 (below), so that it is the contract's JSON error like every other.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    serverFactory: (handler) => createStreamServer(handler, serveStream, deps.config.tls),
    // X-Forwarded-For/-Proto/-Host are believed from these proxies only (none by default).
    trustProxy: deps.config.trustProxy,
    // A URL Fastify cannot decode (bad percent-encoding) is answered as the contract's JSON error too.
    frameworkErrors: (error, request, reply) => replyWithError(error, request, reply),
  });

  // JSON bodies only, and an empty body is "no body" (so DELETE with a JSON Content-Type works).
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new LiveboardError('invalid_json', 'the request body is not valid JSON'), undefined);
    }
  });

  app.setErrorHandler((error, request, reply) => replyWithError(error, request, reply));
  // The guards first (a request for another Host, or with a credential in its URL, is refused
  // before it is authenticated), then who is asking, then each route's rule.
  await app.register(requestGuards(deps.config));
  installAccessRules(app, { store: deps.store, authenticator });
  // After the rules (whose onRoute hook documents each route), before the routes it documents.
  await registerOpenApi(app, deps.config);
  app.setNotFoundHandler((request, reply) =>
    replyWithError(
      new LiveboardError('route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
      request,
      reply,
    ),
  );
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    request.log.debug(
      // The path only: a query string is the client's to send, and never ours to keep.
      { method: request.method, url: pathOf(request.url), status: reply.statusCode, ms: reply.elapsedTime },
      'request',
    );
    deps.metrics.requestDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (closing) {
      void reply.header('Connection', 'close');
      throw new LiveboardError(
        'unavailable',
        'the server is stopping; retry, and another process will answer',
      );
    }
  });
  if (deps.config.writeRateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      max: deps.config.writeRateLimitPerMinute,
      timeWindow: 60_000,
      // Reads, streams and polls are not limited here: only writes cost a transaction and a fan-out.
      allowList: (request) => request.method === 'GET' || request.method === 'HEAD',
    });
  }

  // Responses over 1 KB (the web app's bundle, board snapshots, polls) are compressed when the client
  // accepts it. Streams never are: they are served before Fastify (see serverFactory above).
  await app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  });

  await app.register(operationRoutes(deps));
  await app.register(boardRoutes(deps));
  await app.register(listRoutes(deps));
  await app.register(taskRoutes(deps));
  await app.register(labelRoutes(deps));
  await app.register(checklistRoutes(deps));
  await app.register(commentRoutes(deps));
  await app.register(historyRoutes(deps));
  await app.register(liveRoutes(deps));
  await app.register(accountRoutes({ ...deps, accountService, invitations, cookieName }));
  await app.register(sharingRoutes({ ...deps, invitations }));
  if (deps.config.webRoot) await app.register(webAppRoutes(deps.config.webRoot));
  return app;
}
