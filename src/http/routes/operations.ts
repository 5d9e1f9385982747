import type { FastifyPluginAsync } from 'fastify';
import type { AppDependencies } from '../dependencies.js';

export function operationRoutes(deps: AppDependencies): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', { config: { access: { kind: 'public' } } }, async (_request, reply) => {
      return reply.header('Cache-Control', 'no-store').send({ ok: true, store: deps.store.kind });
    });

    app.get('/metrics', { config: { access: { kind: 'public' } } }, async (_request, reply) => {
      const text = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(text);
    });
  };
}
