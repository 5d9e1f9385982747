import { Validator } from '@seriousme/openapi-schema-validator';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_CONTENT_SECURITY_POLICY, errorResponses, registerOpenApi, securityOf } from './openapi.js';
import { requestGuards } from './request-guards.js';

interface Document {
  openapi: string;
  info: { title: string; version: string };
  servers: Array<{ url: string }>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
  paths: Record<
    string,
    Record<
      string,
      {
        security?: unknown;
        responses: Record<string, { description: string; content: Record<string, { schema: unknown }> }>;
      }
    >
  >;
}

let app: FastifyInstance;
let document: Document;

beforeAll(async () => {
  app = Fastify();
  await app.register(requestGuards({ allowedHosts: ['localhost'], publicUrl: undefined }));
  await registerOpenApi(app, { publicUrl: new URL('https://board.example.com') });
  app.get(
    '/boards/:boardId',
    {
      schema: {
        params: Type.Object({ boardId: Type.String() }),
        security: securityOf('board'),
        response: {
          200: Type.Object({ id: Type.String(), title: Type.String() }),
          ...errorResponses(['board_not_found', 'host_not_allowed', 'credentials_in_url']),
        },
      },
    },
    async (request) => ({ id: (request.params as { boardId: string }).boardId, title: 'A' }),
  );
  app.post(
    '/me/tokens',
    {
      schema: {
        body: Type.Object({
          name: Type.String(),
          scope: Type.Union([Type.Literal('read'), Type.Literal('write')]),
        }),
        security: securityOf({ kind: 'session' }),
        response: {
          201: Type.Object({ secret: Type.String() }),
          ...errorResponses(['unauthenticated', 'forbidden', 'cross_origin_request', 'validation_failed']),
        },
      },
    },
    async (_request, reply) => reply.code(201).send({ secret: 'lbp_x' }),
  );
  await app.ready();
  document = (await app.inject({ url: '/docs/json' })).json();
});
afterAll(async () => {
  await app.close();
});

describe('/docs/json', () => {
  it('validates as OpenAPI 3.1', async () => {
    const result = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // And the validator does refuse what is not OpenAPI.
    const broken = { ...document, paths: { '/x': { get: { responses: { 200: { content: {} } } } } } };
    expect((await new Validator().validate(broken as unknown as Record<string, unknown>)).valid).toBe(false);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({
      title: 'Liveboard',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    expect(document.servers).toEqual([{ url: 'https://board.example.com' }]);
  });

  it('declares the session cookie and bearer token schemes, and the shared Error schema', () => {
    expect(document.components.securitySchemes).toEqual({
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'liveboard_session' }),
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'lbp_ token' }),
    });
    expect(document.components.schemas.Error).toMatchObject({ type: 'object', required: ['error'] });
  });

  it('lists each route with its security and its error answers, grouped by status', () => {
    const board = document.paths['/boards/{boardId}']!.get!;
    expect(board.security).toEqual([{}, { session: [] }, { bearer: [] }]);
    expect(Object.keys(board.responses).sort()).toEqual(['200', '400', '404']);
    expect(board.responses['400']!.description).toBe('host_not_allowed, credentials_in_url');
    expect(board.responses['404']!.content['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/Error',
    });

    const tokens = document.paths['/me/tokens']!.post!;
    expect(tokens.security).toEqual([{ session: [] }]);
    expect(Object.keys(tokens.responses).sort()).toEqual(['201', '400', '401', '403']);
    expect(tokens.responses['403']!.description).toBe('forbidden, cross_origin_request');
  });

  it('is served without a credential, and is not cached', async () => {
    const response = await app.inject({ url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('private, no-store');
  });
});

describe('/docs', () => {
  it('serves Swagger UI under its Content-Security-Policy', async () => {
    const response = await app.inject({ url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('swagger-ui-bundle.js');
    expect(response.headers['content-security-policy']).toBe(DOCS_CONTENT_SECURITY_POLICY);
  });

  it('serves its scripts and styles, as the page names them, from this origin', async () => {
    const page = (await app.inject({ url: '/docs/' })).body;
    const assets = [...page.matchAll(/(?:src|href)="\.\/(static\/[^"]+)"/g)].map(
      (match) => `/docs/${match[1]}`,
    );
    expect(assets).toEqual(
      expect.arrayContaining([
        '/docs/static/swagger-ui-bundle.js',
        '/docs/static/swagger-ui.css',
        '/docs/static/swagger-initializer.js',
      ]),
    );
    for (const asset of assets) expect((await app.inject({ url: asset })).statusCode, asset).toBe(200);
    // No inline script a CSP would block: every script is a file.
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

describe('errorResponses', () => {
  it('groups codes by status, each status once, in order', () => {
    expect(
      errorResponses(['task_not_found', 'validation_failed', 'board_not_found', 'board_not_found']),
    ).toEqual({
      400: { description: 'validation_failed', $ref: 'Error#' },
      404: { description: 'task_not_found, board_not_found', $ref: 'Error#' },
    });
    expect(errorResponses([])).toEqual({});
  });
});

describe('securityOf', () => {
  it('maps each access rule to its security requirements', () => {
    expect(securityOf('public')).toEqual([]);
    expect(securityOf('session')).toEqual([{ session: [] }]);
    expect(securityOf('signed_in')).toEqual([{ session: [] }, { bearer: [] }]);
    expect(securityOf('board')).toEqual([{}, { session: [] }, { bearer: [] }]);
    expect(securityOf({ kind: 'reader' })).toEqual([{}, { session: [] }, { bearer: [] }]);
  });
});
