import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { queryTerms, LiveboardError } from '../../domain/index.js';
import type { AppDependencies } from '../dependencies.js';
import { ActivityQuery, BoardParams, SearchQueryString } from '../schemas.js';
import { decodeCursor, encodeCursor } from '../search-cursor.js';
import { requireTask } from './comments.js';

/** Reads over what a board has been and holds: its activity (the log) and search. */
export function historyRoutes(deps: AppDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<TypeBoxTypeProvider>();

    routes.get(
      '/boards/:boardId/activity',
      {
        schema: { params: BoardParams, querystring: ActivityQuery },
        config: { access: { kind: 'board', action: 'read' }, errors: ['task_not_found'] },
      },
      async (request, reply) => {
        const { boardId } = request.params;
        const { taskId, before, limit } = request.query;
        // A deleted task's history is still there to read: the log knows it when the board no longer does.
        if (taskId !== undefined && !(await deps.store.taskInLog(boardId, taskId))) {
          requireTask(request.board!, taskId);
        }
        const page = await deps.store.readActivity(boardId, taskId, {
          before: before === undefined ? undefined : Number(before),
          limit: limit === undefined ? 50 : Number(limit),
        });
        // The events as the log holds them, encoded once when they were written.
        const events = page.events.map((event) => event.json).join(',');
        return reply
          .type('application/json')
          .send(
            `{"events":[${events}],"nextBefore":${JSON.stringify(page.nextBefore)},"historyStartsAt":${JSON.stringify(page.historyStartsAt)}}`,
          );
      },
    );

    routes.get(
      '/boards/:boardId/search',
      {
        schema: { params: BoardParams, querystring: SearchQueryString },
        config: { access: { kind: 'board', action: 'read' } },
      },
      async (request, reply) => {
        const { q, limit, cursor } = request.query;
        const terms = queryTerms(q);
        if (terms.length === 0) {
          throw new LiveboardError(
            'validation_failed',
            'q: must hold at least one word (a letter or a digit)',
            {
              field: 'q',
            },
          );
        }
        const page = await deps.store.search(request.params.boardId, {
          terms,
          limit: limit === undefined ? 20 : Number(limit),
          after: cursor === undefined ? undefined : decodeCursor(cursor),
        });
        const nextCursor = page.next === null ? null : encodeCursor(page.next);
        return reply.type('application/json').send(JSON.stringify({ results: page.results, nextCursor }));
      },
    );
  };
}
