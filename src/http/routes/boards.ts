import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LiveboardError } from '../../domain/index.js';
import type { AppDependencies } from '../dependencies.js';
import { BoardParams, CreateBoardBody, UpdateBoardBody } from '../schemas.js';
import { executeAndReply, replyWithWrite, writeOptionsOf } from '../write-reply.js';

export function boardRoutes(deps: AppDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<TypeBoxTypeProvider>();

    routes.get('/boards', async (_request, reply) => {
      const boards = await deps.store.listBoards();
      return reply.type('application/json').send(JSON.stringify({ boards }));
    });

    routes.post('/boards', { schema: { body: CreateBoardBody } }, async (request, reply) => {
      const outcome = await deps.writer.createBoard(request.body, writeOptionsOf(request));
      return replyWithWrite(reply, outcome);
    });

    routes.get('/boards/:boardId', { schema: { params: BoardParams } }, async (request, reply) => {
      const board = await deps.store.getBoard(request.params.boardId);
      if (!board) throw new LiveboardError('board_not_found', `no board '${request.params.boardId}'`);
      return reply
        .header('Board-Seq', String(board.seq))
        .type('application/json')
        .send(JSON.stringify(board));
    });

    routes.patch(
      '/boards/:boardId',
      { schema: { params: BoardParams, body: UpdateBoardBody } },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'update_board',
          title: request.body.title,
        });
      },
    );

    routes.delete('/boards/:boardId', { schema: { params: BoardParams } }, async (request, reply) => {
      return executeAndReply(request, reply, deps, request.params.boardId, { type: 'delete_board' });
    });
  };
}
