import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDependencies } from '../dependencies.js';
import { BoardParams, CreateListBody, ListParams, UpdateListBody } from '../schemas.js';
import { executeAndReply } from '../write-reply.js';

export function listRoutes(deps: AppDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<TypeBoxTypeProvider>();

    routes.post(
      '/boards/:boardId/lists',
      {
        schema: { params: BoardParams, body: CreateListBody },
        config: {
          access: { kind: 'board', action: 'edit' },
          errors: ['id_taken', 'invalid_position', 'list_not_found'],
        },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'create_list',
          ...request.body,
        });
      },
    );

    routes.patch(
      '/boards/:boardId/lists/:listId',
      {
        schema: { params: ListParams, body: UpdateListBody },
        config: { access: { kind: 'board', action: 'edit' }, errors: ['list_not_found', 'invalid_position'] },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'update_list',
          listId: request.params.listId,
          ...request.body,
        });
      },
    );

    routes.delete(
      '/boards/:boardId/lists/:listId',
      {
        schema: { params: ListParams },
        config: { access: { kind: 'board', action: 'edit' }, errors: ['list_not_found'] },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'delete_list',
          listId: request.params.listId,
        });
      },
    );
  };
}
