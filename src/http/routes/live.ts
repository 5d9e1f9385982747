import { Type } from 'typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { parseBoardSet } from '../../live/board-set.js';
import { startBoardSet, startPosition } from '../../live/start-position.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { pollBoards } from '../../live/multi-board-poll.js';
import { pollEvents } from '../../live/long-poll.js';
import type { AppDependencies } from '../dependencies.js';
import { readerOf } from '../stream-door.js';
import { BoardParams, PollQuery } from '../schemas.js';

const DEFAULT_POLL_SECONDS = 25;
const MAX_POLL_SECONDS = 60;

/**
 * `GET /poll`'s query. `boards` and `positions` are judged by the live module (live/board-set.ts),
 * the same rule as the stream's; a repeated one arrives as an array, which it refuses too.
 */
const BoardSetPollQuery = Type.Object(
  {
    boards: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
    positions: Type.Optional(Type.String()),
    timeout: PollQuery.properties.timeout,
  },
  { additionalProperties: false },
);

/**
 * The long polls, and the SSE streams' entries in the route table. A stream's GET is served before
 * Fastify routing (see app.ts and stream-door.ts), so these two routes are what the OpenAPI
 * document and the access matrix read for the streams, and what answers a HEAD: the stream's
 * headers once the reader is authorized exactly as the stream would be, with no body.
 */
export function liveRoutes(deps: AppDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<TypeBoxTypeProvider>();
    /** A stream's HEAD: its headers, once its boards start exactly as the stream's would. */
    const streamHead = (reply: FastifyReply) =>
      reply
        .header('Content-Type', 'text/event-stream; charset=utf-8')
        .header('Cache-Control', 'no-cache')
        .send();

    routes.get(
      '/boards/:boardId/events',
      {
        schema: {
          summary: "The board's events as Server-Sent Events (docs/API.md); Last-Event-ID resumes",
          params: BoardParams,
          produces: ['text/event-stream'],
        },
        config: { access: { kind: 'reader' } },
      },
      async (request, reply) => {
        await startPosition(
          request.params.boardId,
          undefined,
          'lastEventId',
          deps,
          readerOf(request.principal),
        );
        return streamHead(reply);
      },
    );

    routes.get(
      '/events',
      {
        schema: {
          summary: 'Several boards on one stream: ?boards=<id>:<seq>,… (docs/API.md)',
          querystring: Type.Object({
            boards: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
          }),
          produces: ['text/event-stream'],
        },
        config: { access: { kind: 'reader' } },
      },
      async (request, reply) => {
        const { boards } = request.query;
        const claims = parseBoardSet(boards === undefined ? [] : [boards].flat());
        await startBoardSet(claims, 'lastEventId', deps, readerOf(request.principal));
        return streamHead(reply);
      },
    );

    routes.get(
      '/boards/:boardId/poll',
      {
        schema: { params: BoardParams, querystring: PollQuery },
        config: { access: { kind: 'reader' }, errors: ['invalid_position'] },
      },
      async (request, reply) => {
        const body = await pollEvents(
          {
            boardId: request.params.boardId,
            after: request.query.after,
            timeoutMs: timeoutMs(request.query.timeout),
            signal: abortedWhenGone(reply),
            reader: readerOf(request.principal, requestArrival(reply)),
          },
          deps,
        );
        return reply.header('Cache-Control', 'no-store').type('application/json').send(body);
      },
    );

    routes.get(
      '/poll',
      {
        schema: { querystring: BoardSetPollQuery },
        config: { access: { kind: 'reader' }, errors: ['invalid_position'] },
      },
      async (request, reply) => {
        const { boards } = request.query;
        const body = await pollBoards(
          {
            boards: boards === undefined ? [] : typeof boards === 'string' ? [boards] : boards,
            positions: request.query.positions,
            timeoutMs: timeoutMs(request.query.timeout),
            signal: abortedWhenGone(reply),
            reader: readerOf(request.principal, requestArrival(reply)),
          },
          deps,
        );
        return reply.header('Cache-Control', 'no-store').type('application/json').send(body);
      },
    );
  };
}

function timeoutMs(seconds: string | undefined): number {
  return Math.min(Number(seconds ?? DEFAULT_POLL_SECONDS), MAX_POLL_SECONDS) * 1000;
}

/**
 * When the request arrived (performance.now()), before its credential was checked: a revocation
 * heard since then ends the poll if it waits (live/reader-registry.ts).
 */
function requestArrival(reply: FastifyReply): number {
  return performance.now() - reply.elapsedTime;
}

/** Aborted when the connection goes away: the response's 'close' (the request's fires once it is read). */
function abortedWhenGone(reply: FastifyReply): AbortSignal {
  const abort = new AbortController();
  reply.raw.once('close', () => abort.abort());
  return abort.signal;
}
