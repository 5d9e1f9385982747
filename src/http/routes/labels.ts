import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDependencies } from '../dependencies.js';
import { BoardParams, CreateLabelBody, LabelParams, UpdateLabelBody } from '../schemas.js';
import { executeAndReply } from '../write-reply.js';

/** A board's labels: whoever may change its lists and tasks may change its labels. */
export function labelRoutes(deps: AppDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<TypeBoxTypeProvider>();

    routes.post(
      '/boards/:boardId/labels',
      {
        schema: { params: BoardParams, body: CreateLabelBody },
        config: {
          access: { kind: 'board', action: 'edit' },
          errors: ['id_taken', 'invalid_position', 'label_not_found', 'limit_reached'],
        },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'create_label',
          ...request.body,
        });
      },
    );

    routes.patch(
      '/boards/:boardId/labels/:labelId',
      {
        schema: { params: LabelParams, body: UpdateLabelBody },
        config: {
          access: { kind: 'board', action: 'edit' },
          errors: ['label_not_found', 'invalid_position'],
        },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'update_label',
          labelId: request.params.labelId,
          ...request.body,
        });
      },
    );

    routes.delete(
      '/boards/:boardId/labels/:labelId',
      {
        schema: { params: LabelParams },
        config: { access: { kind: 'board', action: 'edit' }, errors: ['label_not_found'] },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'delete_label',
          labelId: request.params.labelId,
        });
      },
    );
  };
}
