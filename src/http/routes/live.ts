import { Type } from 'typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
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

/** The long polls. (The SSE streams are served before Fastify routing; see app.ts.) */
export function liveRoutes(deps: AppDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<TypeBoxTypeProvider>();

    routes.get(
      '/boards/:boardId/poll',
      { schema: { params: BoardParams, querystring: PollQuery }, config: { access: { kind: 'reader' } } },
      async (request, reply) => {
        const body = await pollEvents(
          {
            boardId: request.params.boardId,
            after: request.query.after,
            timeoutMs: timeoutMs(request.query.timeout),
            signal: abortedWhenGone(reply),
            reader: readerOf(request.principal),
          },
          deps,
        );
        return reply.header('Cache-Control', 'no-store').type('application/json').send(body);
      },
    );

    routes.get(
      '/poll',
      { schema: { querystring: BoardSetPollQuery }, config: { access: { kind: 'reader' } } },
      async (request, reply) => {
        const { boards } = request.query;
        const body = await pollBoards(
          {
            boards: boards === undefined ? [] : typeof boards === 'string' ? [boards] : boards,
            positions: request.query.positions,
            timeoutMs: timeoutMs(request.query.timeout),
            signal: abortedWhenGone(reply),
            reader: readerOf(request.principal),
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

/** Aborted when the connection goes away: the response's 'close' (the request's fires once it is read). */
function abortedWhenGone(reply: FastifyReply): AbortSignal {
  const abort = new AbortController();
  reply.raw.once('close', () => abort.abort());
  return abort.signal;
}
