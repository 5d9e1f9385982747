import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { lazyCompilers } from './lazy-compilers.js';

const route = { method: 'POST', url: '/things' } as const;

describe('lazy schema compilers', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('compile a schema at its first use, not when the route is made', () => {
    // Ajv and fast-json-stringify both throw on this schema when they compile it.
    const broken = { type: 'object', properties: { n: { type: 'no-such-type' } } };
    const validate = lazyCompilers.buildValidator!(
      {},
      { customOptions: {} },
    )({
      ...route,
      httpPart: 'body',
      schema: broken,
    });
    const serialize = lazyCompilers.buildSerializer!({}, {})({ ...route, httpStatus: '200', schema: broken });
    expect(() => validate({ n: 1 })).toThrow(/schema is invalid/);
    expect(() => serialize({ n: 1 })).toThrow();
  });

  // Fastify's defaults, and the options app.ts gives Ajv.
  const ajvOptions = [
    {},
    { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  ];

  it.each(ajvOptions)("answer every request as Fastify's own compilers do (ajv %j)", async (ajv) => {
    const make = async (lazy: boolean): Promise<FastifyInstance> => {
      const made = Fastify({
        ajv,
        ...(lazy ? { schemaController: { compilersFactory: lazyCompilers } } : {}),
      });
      made.post(
        '/things/:id',
        {
          schema: {
            params: { type: 'object', properties: { id: { type: 'string', pattern: '^[a-z]+$' } } },
            querystring: { type: 'object', properties: { limit: { type: 'integer' } } },
            body: {
              type: 'object',
              required: ['title'],
              properties: { title: { type: 'string', minLength: 1 }, done: { type: 'boolean' } },
              additionalProperties: false,
            },
          },
        },
        async (request) => ({ params: request.params, body: request.body, query: request.query }),
      );
      // Ajv can replace a whole body (Fastify's default coerceTypes turns "5" into 5) only when
      // Fastify hands it the parent object, as it does for Ajv's own functions.
      made.post('/count', { schema: { body: { type: 'integer' } } }, async (request) => ({
        body: request.body,
      }));
      await made.ready();
      return made;
    };
    const own = await make(false);
    app = await make(true);
    const requests = [
      { url: '/things/a', payload: { title: '' } },
      { url: '/things/a', payload: { title: 'a', admin: true } },
      { url: '/things/a', payload: { title: 'a', done: 'true' } },
      { url: '/things/a?limit=x', payload: { title: 'a' } },
      { url: '/things/a?limit=5', payload: { title: 'a' } },
      { url: '/things/A1', payload: { title: 'a' } },
      { url: '/things/a', payload: [] },
      { url: '/count', payload: '"5"', headers: { 'content-type': 'application/json' } },
    ];
    try {
      // Twice: the first call compiles, the second uses what it compiled.
      for (const request of [...requests, ...requests]) {
        const theirs = await own.inject({ method: 'POST', ...request });
        const ours = await app.inject({ method: 'POST', ...request });
        expect({ status: ours.statusCode, body: ours.json() }).toEqual({
          status: theirs.statusCode,
          body: theirs.json(),
        });
      }
      const refused = await app.inject({ method: 'POST', url: '/things/a', payload: { title: '' } });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().message).toMatch(/body\/title must NOT have fewer than 1 characters/);
    } finally {
      await own.close();
    }
  });

  it('serialize a response by its schema, so a field the schema does not name never leaves', async () => {
    app = Fastify({ schemaController: { compilersFactory: lazyCompilers } });
    app.get(
      '/user',
      {
        schema: {
          response: {
            200: { type: 'object', properties: { username: { type: 'string' } }, required: ['username'] },
          },
        },
      },
      async () => ({ username: 'alice', passwordHash: '$argon2id$…' }),
    );
    await app.ready();
    for (let round = 0; round < 2; round++) {
      const response = await app.inject({ method: 'GET', url: '/user' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('{"username":"alice"}');
    }
  });
});
