import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { APP_PAGE_HEADERS } from '../request-guards.js';

/**
 * The web app's built assets (dist/web, from `vite build`): `/` and `/b/:boardId` are the app's
 * index.html, `/assets/*` its hashed, immutable files. index.html is read per request (it is tiny),
 * so a rebuild under a running server never leaves it pointing at assets that are gone. Every page
 * carries APP_PAGE_HEADERS (its Content-Security-Policy among them).
 */
export const APP_PAGES = [
  '/',
  '/b/:boardId',
  '/b/:boardId/c/:taskId',
  '/signin',
  '/signup',
  '/invite',
  '/settings',
];

export function webAppRoutes(webRoot: string): FastifyPluginAsync {
  return async (app) => {
    if (!existsSync(join(webRoot, 'index.html'))) {
      app.log.warn({ webRoot }, 'web app not built: run `npm run build` to serve it');
      return;
    }
    await app.register(fastifyStatic, {
      root: webRoot,
      index: false,
      wildcard: true,
      // Hashed assets never change; index.html must be revalidated so a new build is picked up.
      cacheControl: false,
      setHeaders(response, path) {
        response.setHeader(
          'Cache-Control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        // A page (index.html, whichever route serves it): its Content-Security-Policy and the rest.
        if (path.endsWith('.html')) {
          for (const [name, value] of Object.entries(APP_PAGE_HEADERS)) {
            if (value !== undefined) response.setHeader(name, value);
          }
        }
      },
    });
    // No page of the app is for search engines: a public board is for whoever has its link.
    const sendIndex = (_request: unknown, reply: FastifyReply) =>
      reply.header('X-Robots-Tag', 'noindex').sendFile('index.html');
    // The app's own routes (src/web/router.ts): each is the same page, which then asks the API.
    for (const path of APP_PAGES) app.get(path, { config: { access: { kind: 'public' } } }, sendIndex);
  };
}
