import type { FastifyInstance, FastifyRequest, FastifySchema, RouteOptions } from 'fastify';
import {
  LiveboardError,
  authorize,
  boardNotFound,
  permissionsOf,
  type Action,
  type Board,
  type ErrorCode,
} from '../domain/index.js';
import type { Authenticator } from '../accounts/authenticator.js';
import { authorOf, userIdOf, type Principal } from '../accounts/principal.js';
import type { Store } from '../store/store.js';
import { errorResponses, securityOf } from './openapi.js';

/**
 * Who may call a route. Every route declares one (deny by default: a route registered without a
 * rule stops the server from starting), and the OpenAPI document and the access test matrix are
 * generated from the same declarations.
 *
 * - `public`: anyone (signing in, the web app, the documents).
 * - `signed_in`: a user, through their session or an API token.
 * - `session`: a user through their browser session only (API tokens may not make tokens or change
 *   the password they were made with).
 * - `board`: the route's `:boardId`, against its members and visibility; `action` may depend on the
 *   request (leaving a board is removing oneself).
 * - `reader`: a stream's or poll's boards, each authorized where its start is worked out
 *   (live/start-position.ts): the same step for every door, a board of several included.
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'signed_in' }
  | { kind: 'session' }
  | { kind: 'board'; action: Action | ((request: FastifyRequest) => Action) }
  | { kind: 'reader' };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
    /** The errors particular to the route (its rule's and its request's are added: documentAccess). */
    errors?: readonly ErrorCode[];
  }
  interface FastifyRequest {
    principal: Principal;
    /** The board a `board` rule loaded to check it, for the handler to use rather than read again. */
    board: Board | undefined;
  }
}

/**
 * Routes that plugins register, which take no rule of ours: the OpenAPI document and its UI
 * (`/docs…`) and the web app's static files (`/*`, @fastify/static). Public, declared here.
 */
const PLUGIN_ROUTE_PREFIXES = ['/docs'];
const PLUGIN_ROUTES = ['/*'];

export interface AccessDependencies {
  store: Store;
  authenticator: Authenticator;
}

/**
 * Installs the rules: refuses to register a route without one, authenticates every request, and
 * checks each route's rule before its body is validated (so a board the caller may not see is 404
 * whatever they sent, never a 400 that tells it exists).
 */
export function installAccessRules(app: FastifyInstance, deps: AccessDependencies): void {
  // Set by the onRequest hook below before anything reads it; declared here so every request has the same shape.
  app.decorateRequest('principal', null as never);
  app.decorateRequest('board', undefined);
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.config?.access) {
      const plugin =
        PLUGIN_ROUTES.includes(route.url) ||
        PLUGIN_ROUTE_PREFIXES.some((prefix) => route.url.startsWith(prefix));
      if (!plugin) {
        throw new Error(
          `route ${String(route.method)} ${route.url} declares no access rule (see src/http/access.ts)`,
        );
      }
      route.config = { ...route.config, access: { kind: 'public' } };
    }
    documentAccess(route, route.config.access!);
  });
  app.addHook('onRequest', async (request) => {
    request.principal = await deps.authenticator.authenticate({
      cookie: request.headers.cookie,
      authorization: authorizationHeaders(request),
      address: request.ip,
    });
  });
  app.addHook('preValidation', async (request) => {
    const rule = request.routeOptions.config.access;
    // Unmatched requests (404) have no rule and nothing to protect.
    if (!rule) return;
    await enforce(rule, request, deps.store);
  });
}

async function enforce(rule: AccessRule, request: FastifyRequest, store: Store): Promise<void> {
  const { principal } = request;
  switch (rule.kind) {
    case 'public':
    case 'reader':
      return;
    case 'signed_in':
      requireUser(principal);
      return;
    case 'session':
      requireUser(principal);
      if (principal.kind === 'user' && principal.credential.kind !== 'session') {
        throw new LiveboardError('forbidden', 'this needs your signed-in browser session, not an API token');
      }
      return;
    case 'board': {
      const boardId = (request.params as { boardId?: string }).boardId ?? '';
      const action = typeof rule.action === 'function' ? rule.action(request) : rule.action;
      if (action === 'read') request.board = await readableBoard(store, boardId, principal);
      else await authorizeOnBoard(store, boardId, principal, action);
      return;
    }
  }
}

/** The board, if the principal may read it; else 404, exactly as for a board that never existed. */
async function readableBoard(store: Store, boardId: string, principal: Principal): Promise<Board> {
  const board = await store.getBoard(boardId);
  if (!board || !permissionsOf(board, userIdOf(principal)).read) throw boardNotFound(boardId);
  return board;
}

/**
 * Refuses `action` on the board unless the principal may do it, without telling more than they may
 * know: 404 when they may not read it, then 403 `insufficient_scope` for a read token that would
 * write, 401 for anonymous callers, 403 for the rest. Only the board's head (its members and
 * visibility) is read, not its lists and tasks. Writes are checked again inside the board's write
 * transaction (domain/decide.ts): this check answers before the body is validated (a 400 would tell
 * a private board exists) and for the routes that are not board writes (invitations).
 */
async function authorizeOnBoard(
  store: Store,
  boardId: string,
  principal: Principal,
  action: Action,
): Promise<void> {
  const head = await store.boardHead(boardId);
  if (!head || head.deleted) throw boardNotFound(boardId);
  const access = { id: boardId, visibility: head.visibility, members: head.members };
  if (!permissionsOf(access, userIdOf(principal)).read) throw boardNotFound(boardId);
  requireWriteScope(principal);
  authorize(access, authorOf(principal), action);
}

export function requireUser(principal: Principal): asserts principal is Extract<Principal, { kind: 'user' }> {
  if (principal.kind !== 'user') {
    throw new LiveboardError('unauthenticated', 'sign in (or send an API token) to do this');
  }
}

/** A write by a read-only token is refused before anything else is looked at. */
export function requireWriteScope(principal: Principal): void {
  if (
    principal.kind === 'user' &&
    principal.credential.kind === 'token' &&
    principal.credential.scope === 'read'
  ) {
    throw new LiveboardError(
      'insufficient_scope',
      'this API token may only read: make a token with scope write',
    );
  }
}

/**
 * Every Authorization header the client sent. Node keeps only the first of repeated ones in
 * `headers`; two credentials in one request are refused, so they are read from the raw list.
 */
function authorizationHeaders(request: FastifyRequest): string | string[] | undefined {
  const raw = request.raw.rawHeaders;
  const values: string[] = [];
  for (let index = 0; index < raw.length; index += 2) {
    if (raw[index]!.toLowerCase() === 'authorization') values.push(raw[index + 1]!);
  }
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

/**
 * What the OpenAPI document says of a route, from its rule (so the document and the rule cannot
 * disagree): its security requirements, the error answers its rule and its request can give, and
 * the rule itself as `x-liveboard-access`, which the access test matrix reads.
 */
function documentAccess(route: RouteOptions, rule: AccessRule): void {
  const schema = (route.schema ??= {}) as FastifySchema & Record<string, unknown>;
  const action =
    rule.kind === 'board' ? (typeof rule.action === 'function' ? 'manage|leave' : rule.action) : undefined;
  schema['x-liveboard-access'] = action ? `${rule.kind}:${action}` : rule.kind;
  schema.security = securityOf(rule.kind === 'reader' ? 'board' : rule.kind);
  const method = [route.method].flat().join(',');
  const writes = /POST|PUT|PATCH|DELETE/.test(method);
  const codes: ErrorCode[] = [
    'host_not_allowed',
    'credentials_in_url',
    'invalid_token',
    'internal_error',
    'unavailable',
    ...(writes ? (['cross_origin_request', 'rate_limited', 'unsupported_media_type'] as const) : []),
    ...(schema.body ? (['invalid_json', 'payload_too_large'] as const) : []),
    ...(schema.body || schema.params || schema.querystring ? (['validation_failed'] as const) : []),
    ...RULE_ERRORS[rule.kind],
    ...(rule.kind === 'board' && (typeof rule.action === 'function' || rule.action !== 'read')
      ? (['unauthenticated', 'forbidden', 'insufficient_scope'] as const)
      : []),
    ...(route.config?.errors ?? []),
  ];
  schema.response = { ...errorResponses(codes), ...(schema.response as object | undefined) };
}

const RULE_ERRORS: Record<AccessRule['kind'], readonly ErrorCode[]> = {
  public: [],
  signed_in: ['unauthenticated'],
  session: ['unauthenticated', 'forbidden'],
  board: ['board_not_found'],
  reader: ['board_not_found'],
};
