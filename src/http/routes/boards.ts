import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { authorOf, userIdOf } from '../../accounts/principal.js';
import { requireUser, requireWriteScope } from '../access.js';
import type { AppDependencies } from '../dependencies.js';
import { BoardParams, CreateBoardBody, UpdateBoardBody } from '../schemas.js';
import {
  COMPRESS_THRESHOLD_BYTES,
  SnapshotEncodings,
  compressedSnapshot,
  matchesETag,
  preferredEncoding,
} from '../snapshot-encodings.js';
import { executeAndReply, replyWithWrite, writeOptionsOf } from '../write-reply.js';

export function boardRoutes(deps: AppDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<TypeBoxTypeProvider>();
    const snapshots = new SnapshotEncodings();

    routes.get('/boards', { config: { access: { kind: 'public' } } }, async (request, reply) => {
      const boards = await deps.store.listBoards(userIdOf(request.principal));
      return reply.type('application/json').send(JSON.stringify({ boards }));
    });

    routes.post(
      '/boards',
      { schema: { body: CreateBoardBody }, config: { access: { kind: 'signed_in' }, errors: ['id_taken'] } },
      async (request, reply) => {
        requireUser(request.principal);
        requireWriteScope(request.principal);
        const owner = authorOf(request.principal)!;
        const outcome = await deps.writer.createBoard({ ...request.body, owner }, writeOptionsOf(request));
        return replyWithWrite(reply, outcome);
      },
    );

    routes.get(
      '/boards/:boardId',
      { schema: { params: BoardParams }, config: { access: { kind: 'board', action: 'read' } } },
      async (request, reply) => {
        const snapshot = snapshots.encode(request.board!);
        void reply
          .header('Board-Seq', String(snapshot.seq))
          .header('ETag', snapshot.etag)
          // Kept by the browser but asked again every time (with If-None-Match): never a stale board.
          .header('Cache-Control', 'private, no-cache')
          // A public board is readable by anyone with its link: not by search engines.
          .header('X-Robots-Tag', 'noindex');
        // Revalidated by its ETag: a client that holds this seq gets no body (the access rule ran
        // first, so a 304 never tells a caller that may not read the board that it exists).
        if (matchesETag(request.headers['if-none-match'], snapshot.etag)) return reply.code(304).send();
        void reply.type('application/json').header('Vary', 'Accept-Encoding');
        const encoding =
          snapshot.json.length >= COMPRESS_THRESHOLD_BYTES
            ? preferredEncoding(request.headers['accept-encoding'])
            : null;
        if (encoding === null) return reply.send(snapshot.json);
        // Compressed once per seq and kept (a Content-Encoding set here: @fastify/compress leaves it).
        const bytes = await compressedSnapshot(snapshot, encoding);
        return reply.header('Content-Encoding', encoding).send(bytes);
      },
    );

    routes.patch(
      '/boards/:boardId',
      {
        schema: { params: BoardParams, body: UpdateBoardBody },
        config: { access: { kind: 'board', action: 'rename' } },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'update_board',
          title: request.body.title,
        });
      },
    );

    routes.delete(
      '/boards/:boardId',
      { schema: { params: BoardParams }, config: { access: { kind: 'board', action: 'delete' } } },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, { type: 'delete_board' });
      },
    );
  };
}
