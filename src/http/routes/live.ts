import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { pollEvents } from '../../live/long-poll.js';
import type { AppDependencies } from '../dependencies.js';
import { BoardParams, PollQuery } from '../schemas.js';

const DEFAULT_POLL_SECONDS = 25;
const MAX_POLL_SECONDS = 60;

/** The long poll. (The SSE stream is served before Fastify routing; see app.ts.) */
export function liveRoutes(deps: AppDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<TypeBoxTypeProvider>();

    routes.get(
      '/boards/:boardId/poll',
      { schema: { params: BoardParams, querystring: PollQuery } },
      async (request, reply) => {
        const seconds = Math.min(Number(request.query.timeout ?? DEFAULT_POLL_SECONDS), MAX_POLL_SECONDS);
        const abort = new AbortController();
        // The response's 'close' is the connection going away (the request's fires once it is read).
        reply.raw.once('close', () => abort.abort());
        const body = await pollEvents(
          {
            boardId: request.params.boardId,
            after: request.query.after,
            timeoutMs: seconds * 1000,
            signal: abort.signal,
          },
          deps,
        );
        return reply.header('Cache-Control', 'no-store').type('application/json').send(body);
      },
    );
  };
}
