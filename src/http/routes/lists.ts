import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDependencies } from '../app.js';
import { BoardParams, CreateListBody, ListParams, UpdateListBody } from '../schemas.js';
import { replyWithWrite, writeOptionsOf } from '../write-reply.js';

export function listRoutes(deps: AppDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<TypeBoxTypeProvider>();

    routes.post(
      '/boards/:boardId/lists',
      { schema: { params: BoardParams, body: CreateListBody } },
      async (request, reply) => {
        const outcome = await deps.store.execute(
          request.params.boardId,
          { type: 'create_list', ...request.body },
          writeOptionsOf(request),
        );
        return replyWithWrite(reply, deps, outcome);
      },
    );

    routes.patch(
      '/boards/:boardId/lists/:listId',
      { schema: { params: ListParams, body: UpdateListBody } },
      async (request, reply) => {
        const outcome = await deps.store.execute(
          request.params.boardId,
          { type: 'update_list', listId: request.params.listId, ...request.body },
          writeOptionsOf(request),
        );
        return replyWithWrite(reply, deps, outcome);
      },
    );

    routes.delete(
      '/boards/:boardId/lists/:listId',
      { schema: { params: ListParams } },
      async (request, reply) => {
        const outcome = await deps.store.execute(
          request.params.boardId,
          { type: 'delete_list', listId: request.params.listId },
          writeOptionsOf(request),
        );
        return replyWithWrite(reply, deps, outcome);
      },
    );
  };
}
