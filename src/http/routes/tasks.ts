import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDependencies } from '../dependencies.js';
import { BoardParams, CreateTaskBody, TaskParams, UpdateTaskBody } from '../schemas.js';
import { executeAndReply } from '../write-reply.js';

export function taskRoutes(deps: AppDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<TypeBoxTypeProvider>();

    routes.post(
      '/boards/:boardId/tasks',
      {
        schema: { params: BoardParams, body: CreateTaskBody },
        config: {
          access: { kind: 'board', action: 'edit' },
          errors: [
            'id_taken',
            'invalid_position',
            'list_not_found',
            'label_not_found',
            'member_not_found',
            'wip_limit_reached',
          ],
        },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'create_task',
          ...request.body,
        });
      },
    );

    routes.patch(
      '/boards/:boardId/tasks/:taskId',
      {
        schema: { params: TaskParams, body: UpdateTaskBody },
        config: {
          access: { kind: 'board', action: 'edit' },
          errors: [
            'task_not_found',
            'list_not_found',
            'invalid_position',
            'version_conflict',
            'label_not_found',
            'member_not_found',
            'limit_reached',
            'wip_limit_reached',
          ],
        },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'update_task',
          taskId: request.params.taskId,
          ...request.body,
        });
      },
    );

    routes.delete(
      '/boards/:boardId/tasks/:taskId',
      {
        schema: { params: TaskParams },
        config: { access: { kind: 'board', action: 'edit' }, errors: ['task_not_found'] },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'delete_task',
          taskId: request.params.taskId,
        });
      },
    );
  };
}
