import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/**
 * The web app's built assets (dist/web, from `vite build`): `/` and `/b/:boardId` are the app's
 * index.html, `/assets/*` its hashed, immutable files.
 */
export function webAppRoutes(webRoot: string): FastifyPluginAsync {
  return async (app) => {
    const indexPath = join(webRoot, 'index.html');
    if (!existsSync(indexPath)) {
      app.log.warn({ webRoot }, 'web app not built: run `npm run build` to serve it');
      return;
    }
    const indexHtml = readFileSync(indexPath);
    await app.register(fastifyStatic, {
      root: webRoot,
      index: false,
      wildcard: true,
      setHeaders(response, path) {
        if (path.includes('/assets/'))
          response.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    });
    const sendIndex = (_request: unknown, reply: FastifyReply) =>
      reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
    app.get('/', sendIndex);
    app.get('/b/:boardId', sendIndex);
  };
}
