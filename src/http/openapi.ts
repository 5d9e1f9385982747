import { readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { ERROR_STATUS, type ErrorCode } from '../domain/index.js';

/**
 * The OpenAPI 3.1 document of the API, at `/docs/json` (and `/docs/yaml`), with Swagger UI at
 * `/docs`. It is generated from the routes' schemas: each route's `schema.security` (securityOf)
 * and `schema.response` (its success schema, and errorResponses of the codes it can answer), which
 * the route table gives. @fastify/swagger collects routes as they are added, so registerOpenApi
 * must come before the routes are registered.
 */
export async function registerOpenApi(
  app: FastifyInstance,
  config: Pick<Config, 'publicUrl'>,
): Promise<void> {
  // The shared Error schema: routes refer to it as `Error#`, the document as #/components/schemas/Error.
  app.addSchema(ERROR_SCHEMA);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Liveboard',
        version: PACKAGE.version,
        description: `${PACKAGE.description} Errors are \`{"error":{"code","message","field"?}}\`; docs/API.md has the rules.`,
      },
      servers: config.publicUrl ? [{ url: config.publicUrl.origin }] : [],
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'liveboard_session',
            description:
              'The browser session (sign in at POST /auth/signin). Named `__Host-liveboard_session` when the server is served over https.',
          },
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'lbp_ token',
            description:
              'An API token (POST /me/tokens), sent as `Authorization: Bearer lbp_…`. Never in a URL.',
          },
        },
      },
    },
    // Shared schemas keep their $id as their name in components.schemas (`Error`, not `def-0`).
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // Swagger UI's page is its own scripts and stylesheets (no inline ones: its csp.json lists no
    // hashes), so it gets a CSP like the app's (APP_CONTENT_SECURITY_POLICY), save one thing: it
    // adds a <style> element as it starts, which Chromium refuses without 'unsafe-inline' for styles.
    staticCSP: DOCS_CONTENT_SECURITY_POLICY,
    uiConfig: { deepLinking: true },
    validatorUrl: false,
  });
}

export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  description: string;
};

const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** The contract's error body, as a shared schema (`$ref: 'Error#'`). */
export const ERROR_SCHEMA = {
  $id: 'Error',
  type: 'object',
  description:
    'Every error: a stable code, a message for people, and the request field at fault when there is one.',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: true,
      properties: {
        code: { type: 'string', enum: ERROR_CODES },
        message: { type: 'string' },
        field: {
          type: 'string',
          description: 'The request field at fault: `title`, `body.listId`, `Host`, …',
        },
      },
    },
  },
} as const;

/** One route's error answers, by status, for its `schema.response`. */
export type ErrorResponses = Record<number, { description: string; $ref: 'Error#' }>;

/**
 * The `schema.response` entries of the errors a route can answer: one per status, naming its codes
 * (e.g. `404: board_not_found, list_not_found`), each the shared Error schema. Spread it beside the
 * success schema: `response: { 200: Board, ...errorResponses(['board_not_found']) }`.
 */
export function errorResponses(codes: readonly ErrorCode[]): ErrorResponses {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: ErrorResponses = {};
  for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = { description: statusCodes.join(', '), $ref: 'Error#' };
  }
  return responses;
}

/** Who a route answers (the access rule kinds of src/http/access.ts). */
export type AccessRuleKind = 'public' | 'session' | 'signed_in' | 'board' | 'reader';

/** An OpenAPI security requirement list: any one of its entries suffices; `{}` means none needed. */
export type SecurityRequirements = Array<Record<string, string[]>>;

/**
 * A route's `schema.security`, from its access rule:
 * - `public`: none (`[]`); the route does not look at credentials for its answer;
 * - `session`: the browser session only (token and password routes);
 * - `signed_in`: a session or an API token;
 * - `board`, `reader` (a stream's or poll's boards): optional: anonymous (`{}`) when the board
 *   allows it, or a session, or a token.
 */
export function securityOf(rule: AccessRuleKind | { kind: AccessRuleKind }): SecurityRequirements {
  const kind = typeof rule === 'string' ? rule : rule.kind;
  switch (kind) {
    case 'public':
      return [];
    case 'session':
      return [{ session: [] }];
    case 'signed_in':
      return [{ session: [] }, { bearer: [] }];
    case 'board':
    case 'reader':
      return [{}, { session: [] }, { bearer: [] }];
  }
}
