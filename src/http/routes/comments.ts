import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LiveboardError, type Board } from '../../domain/index.js';
import type { AppDependencies } from '../dependencies.js';
import {
  BoardParams,
  CommentParams,
  CommentsQuery,
  CreateCommentBody,
  UpdateCommentBody,
} from '../schemas.js';
import { executeAndReply } from '../write-reply.js';

/**
 * Comments on tasks: rows of their own, paged per task, never in the snapshot. Adding one is a task
 * write (`edit`); editing or deleting one is further checked against its author in the write's
 * transaction (domain/decide.ts).
 */
export function commentRoutes(deps: AppDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<TypeBoxTypeProvider>();

    routes.get(
      '/boards/:boardId/comments',
      {
        schema: { params: BoardParams, querystring: CommentsQuery },
        config: { access: { kind: 'board', action: 'read' }, errors: ['task_not_found'] },
      },
      async (request, reply) => {
        const { taskId, before, limit } = request.query;
        requireTask(request.board!, taskId);
        const page = await deps.store.listComments(request.params.boardId, taskId, {
          before: before === undefined ? undefined : Number(before),
          limit: limit === undefined ? 50 : Number(limit),
        });
        return reply.type('application/json').send(JSON.stringify(page));
      },
    );

    routes.post(
      '/boards/:boardId/comments',
      {
        schema: { params: BoardParams, body: CreateCommentBody },
        config: { access: { kind: 'board', action: 'edit' }, errors: ['task_not_found', 'id_taken'] },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'add_comment',
          ...request.body,
        });
      },
    );

    routes.patch(
      '/boards/:boardId/comments/:commentId',
      {
        schema: { params: CommentParams, body: UpdateCommentBody },
        config: { access: { kind: 'board', action: 'edit' }, errors: ['comment_not_found'] },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'edit_comment',
          commentId: request.params.commentId,
          body: request.body.body,
        });
      },
    );

    routes.delete(
      '/boards/:boardId/comments/:commentId',
      {
        schema: { params: CommentParams },
        config: { access: { kind: 'board', action: 'edit' }, errors: ['comment_not_found'] },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'delete_comment',
          commentId: request.params.commentId,
        });
      },
    );
  };
}

/** A task of this board, as it stands: another board's (or no) task is 404 like any unknown id. */
export function requireTask(board: Board, taskId: string): void {
  if (board.lists.some((list) => list.tasks.some((task) => task.id === taskId))) return;
  throw new LiveboardError('task_not_found', `no task '${taskId}' on board '${board.id}'`, {
    field: 'taskId',
  });
}
