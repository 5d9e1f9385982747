/**
 * The route × principal × board matrix of issue #13 ("What it must show"), against a started server.
 *
 * The routes are read from the server's own OpenAPI document (`/docs/json`: every path and method,
 * each with its `x-liveboard-access` rule), HEAD added for every GET. Each route needs a request
 * fixture below, which also says the rule the route must have: a route without a fixture fails, and
 * so does a route whose rule is not the one written here. The expected answer of every cell comes
 * from the small policy table in this file (docs/ACCOUNTS.md and the issue), never from src/.
 *
 * The streams (`GET /boards/{boardId}/events`, `GET /events`) are served before Fastify: each of
 * their cells is asked twice, on a new connection (the bare-socket takeover) and on a keep-alive
 * connection that already carried a request. Every denied cell checks that the board's seq did
 * not move.
 *
 * "Expired session": the session lifetime (config.sessionTtlMs) has no environment variable, so a
 * test cannot start a server whose sessions expire by themselves; the test signs in and then sets
 * that session's expiry in the past, in the server's database.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery } from '../../test/support/postgres.js';
import { startServer, type TestServer } from '../../test/support/server.js';

// ─── The policy, written out here ───────────────────────────────────────────────────────────────

type Who = 'anonymous' | 'outsider' | 'viewer' | 'editor' | 'owner';
type Action = 'read' | 'edit' | 'rename' | 'manage' | 'delete' | 'leave';
type Visibility = 'private' | 'public' | 'public_edit';
type BoardKind = Visibility | 'deleted' | 'never';

const EVERYONE: readonly Who[] = ['anonymous', 'outsider', 'viewer', 'editor', 'owner'];
const MEMBERS: readonly Who[] = ['viewer', 'editor', 'owner'];
const WRITERS: readonly Who[] = ['editor', 'owner'];
const OWNERS: readonly Who[] = ['owner'];

/** Who may do what on a board of each visibility (docs/ACCOUNTS.md, "Boards: visibility and roles"). */
const MAY: Record<Visibility, Record<Action, readonly Who[]>> = {
  private: { read: MEMBERS, edit: WRITERS, rename: WRITERS, manage: OWNERS, delete: OWNERS, leave: MEMBERS },
  public: { read: EVERYONE, edit: WRITERS, rename: WRITERS, manage: OWNERS, delete: OWNERS, leave: MEMBERS },
  public_edit: {
    read: EVERYONE,
    edit: EVERYONE,
    rename: WRITERS,
    manage: OWNERS,
    delete: OWNERS,
    leave: MEMBERS,
  },
};

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const PRINCIPAL_NAMES = [
  'anonymous',
  'stale_cookie',
  'expired_session',
  'cross_site_cookie',
  'outsider',
  'viewer',
  'editor',
  'owner',
  'write_token',
  'read_token',
  'revoked_token',
] as const;
type PrincipalName = (typeof PRINCIPAL_NAMES)[number];

/** What each principal is, as far as the policy goes. */
const PRINCIPAL_FACTS: Record<
  PrincipalName,
  { who: Who; via: 'none' | 'cookie' | 'token'; scope?: 'read' | 'write'; refused?: true; crossSite?: true }
> = {
  anonymous: { who: 'anonymous', via: 'none' },
  // A cookie that names no live session is no credential: anonymous (docs/ACCOUNTS.md, authenticator).
  stale_cookie: { who: 'anonymous', via: 'none' },
  expired_session: { who: 'anonymous', via: 'none' },
  // The owner's valid cookie, sent by another site's page: refused on writes only.
  cross_site_cookie: { who: 'owner', via: 'cookie', crossSite: true },
  outsider: { who: 'outsider', via: 'cookie' },
  viewer: { who: 'viewer', via: 'cookie' },
  editor: { who: 'editor', via: 'cookie' },
  owner: { who: 'owner', via: 'cookie' },
  write_token: { who: 'owner', via: 'token', scope: 'write' },
  read_token: { who: 'owner', via: 'token', scope: 'read' },
  // A token that is sent means to be used: revoked → 401 invalid_token, on every route.
  revoked_token: { who: 'anonymous', via: 'token', refused: true },
};

interface Expected {
  status: number;
  code?: string;
}

const NOT_FOUND: Expected = { status: 404, code: 'board_not_found' };

function expectedOnBoard(
  fixture: Fixture,
  method: string,
  action: Action,
  principal: PrincipalName,
  kind: BoardKind,
): Expected {
  const facts = PRINCIPAL_FACTS[principal];
  if (facts.refused) return { status: 401, code: 'invalid_token' };
  if (facts.crossSite && WRITE_METHODS.has(method)) return { status: 403, code: 'cross_origin_request' };
  if (kind === 'deleted' || kind === 'never') return NOT_FOUND;
  const may = (wanted: Action): boolean => MAY[kind][wanted].includes(facts.who);
  if (!may('read')) return NOT_FOUND;
  if (action === 'read') return { status: fixture.ok };
  if (facts.scope === 'read') return { status: 403, code: 'insufficient_scope' };
  if (may(action)) return fixture.allowedOutcome?.(facts.who, action) ?? { status: fixture.ok };
  if (facts.who === 'anonymous') return { status: 401, code: 'unauthenticated' };
  return { status: 403, code: 'forbidden' };
}

function expectedOffBoard(fixture: Fixture, method: string, principal: PrincipalName): Expected {
  const facts = PRINCIPAL_FACTS[principal];
  if (facts.refused) return { status: 401, code: 'invalid_token' };
  if (facts.crossSite && WRITE_METHODS.has(method)) return { status: 403, code: 'cross_origin_request' };
  switch (fixture.rule) {
    case 'public':
      return { status: fixture.ok };
    case 'signed_in':
      if (facts.who === 'anonymous') return { status: 401, code: 'unauthenticated' };
      if (fixture.writes && facts.scope === 'read') return { status: 403, code: 'insufficient_scope' };
      return { status: fixture.ok };
    case 'session':
      if (facts.who === 'anonymous') return { status: 401, code: 'unauthenticated' };
      // API tokens may not make tokens or change the password (docs/ACCOUNTS.md, api-spec).
      if (facts.via === 'token') return { status: 403, code: 'forbidden' };
      return { status: fixture.ok };
    default:
      throw new Error(`not an off-board rule: ${fixture.rule}`);
  }
}

// ─── The request fixtures: one per route ────────────────────────────────────────────────────────

interface Account {
  id: string;
  username: string;
  password: string;
  cookie: string;
}

interface Principal {
  name: PrincipalName;
  headers: Record<string, string>;
  /** The user the credential is (or was) of. */
  account?: Account;
  /** The token the principal sends, if it sends one. */
  tokenId?: string;
}

interface BoardIds {
  id: string;
  listId: string;
  taskId: string;
  labelId: string;
}

interface CellContext {
  principal: Principal;
  /** The board of the cell (board routes only). */
  board: BoardIds;
}

interface Built {
  path: string;
  json?: unknown;
  /** For `manage|leave`: the action this request needs. */
  action?: Action;
}

interface Fixture {
  /** The rule the route must declare (its `x-liveboard-access`). */
  rule: string;
  /** The answer when allowed. */
  ok: number;
  /** Served as an SSE stream: asked on a new connection and on a reused one. */
  stream?: true;
  /** Off-board routes that write: a read-scoped token gets 403 insufficient_scope. */
  writes?: true;
  /** The request ends or changes its principal's credentials: every cell gets fresh principals. */
  fresh?: true;
  /** What an allowed request answers when it is not `ok` (the last owner leaving). */
  allowedOutcome?: (who: Who, action: Action) => Expected | undefined;
  build(cell: CellContext): Promise<Built> | Built;
  /** Several requests for one route (removing another member, leaving). */
  variant?: string;
}

let server: TestServer;
let base: string;
let addressCount = 0;

/** Every request from its own client address (the server believes X-Forwarded-For from loopback),
 * so the per-address sign-up and sign-in throttles never get in the matrix's way. */
function nextAddress(): string {
  addressCount++;
  return `10.${(addressCount >> 16) & 255}.${(addressCount >> 8) & 255}.${addressCount & 255}`;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

async function call(
  method: string,
  path: string,
  options: { json?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'x-forwarded-for': nextAddress(), ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

async function must(answer: Promise<Answer>, status: number, what: string): Promise<Answer> {
  const got = await answer;
  if (got.status !== status) throw new Error(`${what}: expected ${status}, got ${got.status}: ${got.text}`);
  return got;
}

let userCount = 0;
async function newAccount(prefix: string): Promise<Account> {
  const username = `${prefix}-${process.pid}-${++userCount}-${randomBytes(3).toString('hex')}`;
  const password = `pw ${randomBytes(6).toString('hex')}`;
  const answer = await must(call('POST', '/auth/signup', { json: { username, password } }), 201, 'sign-up');
  const cookie = (answer.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { id: (answer.body as { user: { id: string } }).user.id, username, password, cookie };
}

async function newToken(account: Account, scope: 'read' | 'write'): Promise<{ id: string; secret: string }> {
  const answer = await must(
    call('POST', '/me/tokens', {
      json: { name: `matrix ${scope}`, scope },
      headers: { cookie: account.cookie },
    }),
    201,
    'token',
  );
  const body = answer.body as { token: { id: string }; secret: string };
  return { id: body.token.id, secret: body.secret };
}

async function signIn(account: Account): Promise<string> {
  const answer = await must(
    call('POST', '/auth/signin', { json: { username: account.username, password: account.password } }),
    200,
    'sign-in',
  );
  return (answer.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** A session whose expiry is set in the past, in the server's database: its cookie. */
async function expiredSession(account: Account): Promise<string> {
  const cookie = await signIn(account);
  const idHash = createHash('sha256').update(cookie.split('=')[1]!, 'utf8').digest('hex');
  const past = new Date(Date.now() - 60_000).toISOString();
  const databaseUrl = server.databaseUrl;
  if (databaseUrl.startsWith('file:')) {
    // In a process of its own: only the store may open the database in this codebase (lint rule).
    const script = `
      const [file, idHash, past] = process.argv.slice(1);
      const db = require('better-sqlite3')(file);
      db.pragma('busy_timeout = 5000');
      process.stdout.write(String(db.prepare('UPDATE sessions SET expires_at = ? WHERE id_hash = ?').run(past, idHash).changes));`;
    const changed = execFileSync(process.execPath, ['-e', script, databaseUrl.slice(5), idHash, past]);
    if (changed.toString() !== '1') throw new Error('no session to expire');
  } else {
    const schema = new URL(databaseUrl).searchParams.get('schema')!;
    const changed = await adminQuery(
      `UPDATE "${schema}".sessions SET expires_at = $1 WHERE id_hash = $2 RETURNING id_hash`,
      [past, idHash],
    );
    if (changed.length !== 1) throw new Error('no session to expire');
  }
  return cookie;
}

/** The cast of the matrix. */
let owner: Account;
let editor: Account;
let viewer: Account;
let outsider: Account;
/** A second viewer of every board: the member that owners remove and re-role. */
let spare: Account;
/** Added by `POST /members` cells (and taken off again before the next). */
let newcomer: Account;
/** Whom `POST /auth/signin` cells sign in as. */
let signInTarget: Account;
/** Owner of a board with invitations for `preview` and `accept`. */
let host: Account;
let hostBoardId: string;
let previewToken: string;
/** The owner's token the test itself uses to set boards up and read their seq (never a principal). */
let adminToken: string;
let principals: Record<PrincipalName, Principal>;

const admin = { authorization: '' };

async function makePrincipals(fresh: boolean): Promise<Record<PrincipalName, Principal>> {
  if (!fresh) return principals;
  // New users for whatever a cell may end (its session, its password, its token).
  const user = async (name: PrincipalName, headers: (a: Account) => Promise<Record<string, string>>) => {
    const account = await newAccount(name.split('_').join(''));
    return { name, account, headers: await headers(account) };
  };
  const made: Partial<Record<PrincipalName, Principal>> = { anonymous: { name: 'anonymous', headers: {} } };
  const stale = async (name: PrincipalName): Promise<Principal> => {
    const account = await newAccount('stale');
    await must(call('POST', '/auth/signout', { headers: { cookie: account.cookie } }), 204, 'sign-out');
    return { name, account, headers: { cookie: account.cookie } };
  };
  made.stale_cookie = await stale('stale_cookie');
  const expiring = await newAccount('expired');
  made.expired_session = {
    name: 'expired_session',
    account: expiring,
    headers: { cookie: await expiredSession(expiring) },
  };
  made.cross_site_cookie = await user('cross_site_cookie', async (a) => ({
    cookie: a.cookie,
    'sec-fetch-site': 'cross-site',
  }));
  for (const name of ['outsider', 'viewer', 'editor', 'owner'] as const) {
    made[name] = await user(name, async (a) => ({ cookie: a.cookie }));
  }
  for (const [name, scope] of [
    ['write_token', 'write'],
    ['read_token', 'read'],
    ['revoked_token', 'write'],
  ] as const) {
    const account = await newAccount(name.split('_').join(''));
    const token = await newToken(account, scope);
    if (name === 'revoked_token') {
      await must(
        call('DELETE', `/me/tokens/${token.id}`, { headers: { cookie: account.cookie } }),
        204,
        'revoke',
      );
    }
    made[name] = { name, account, tokenId: token.id, headers: { authorization: `Bearer ${token.secret}` } };
  }
  return made as Record<PrincipalName, Principal>;
}

/** The id a cell acts on as "itself" when removing a member: its own user's, if it is signed in as one. */
function selfOrSpare(principal: Principal): { userId: string; action: Action } {
  const facts = PRINCIPAL_FACTS[principal.name];
  if (facts.who !== 'anonymous' && principal.account)
    return { userId: principal.account.id, action: 'leave' };
  return { userId: spare.id, action: 'manage' };
}

async function adminCreate(path: string, json: unknown): Promise<{ id: string }> {
  return (await must(call('POST', path, { json, headers: admin }), 201, `POST ${path}`)).body as {
    id: string;
  };
}

/**
 * A comment for a cell to edit or delete: the principal's own when it may write one (it is its
 * author then), else one by the board's owner; a board that is not live has none.
 */
async function commentOf(board: BoardIds, principal: Principal): Promise<string> {
  if (!isLive(board)) return 'comment-never';
  const path = `/boards/${board.id}/comments`;
  const json = { taskId: board.taskId, body: 'To change' };
  const own = await call('POST', path, { json, headers: principal.headers });
  if (own.status === 201) return (own.body as { id: string }).id;
  return (await adminCreate(path, json)).id;
}

/** A checklist (with one item) on the board's task, made by its owner; a board that is not live has none. */
async function checklistOf(board: BoardIds): Promise<{ id: string; itemId: string }> {
  if (!isLive(board)) return { id: 'checklist-never', itemId: 'item-never' };
  const made = (await adminCreate(`/boards/${board.id}/checklists`, {
    taskId: board.taskId,
    title: 'Checklist',
    items: [{ text: 'Item' }],
  })) as { id: string; items?: Array<{ id: string }> };
  return { id: made.id, itemId: made.items![0]!.id };
}

/** A link on the board's task, made by its owner; a board that is not live has none. */
async function linkOf(board: BoardIds): Promise<string> {
  if (!isLive(board)) return 'link-never';
  return (
    await adminCreate(`/boards/${board.id}/links`, { taskId: board.taskId, url: 'https://example.com' })
  ).id;
}

const FIXTURES: Record<string, Fixture | Fixture[]> = {
  'GET /healthz': { rule: 'public', ok: 200, build: () => ({ path: '/healthz' }) },
  'GET /metrics': { rule: 'public', ok: 200, build: () => ({ path: '/metrics' }) },
  'GET /boards': { rule: 'public', ok: 200, build: () => ({ path: '/boards' }) },
  'POST /boards': {
    rule: 'signed_in',
    ok: 201,
    writes: true,
    build: () => ({ path: '/boards', json: { title: 'Made in the matrix' } }),
  },

  'GET /boards/{boardId}': {
    rule: 'board:read',
    ok: 200,
    build: ({ board }) => ({ path: `/boards/${board.id}` }),
  },
  'PATCH /boards/{boardId}': {
    rule: 'board:rename',
    ok: 200,
    build: ({ board }) => ({ path: `/boards/${board.id}`, json: { title: 'Renamed' } }),
  },
  'DELETE /boards/{boardId}': {
    rule: 'board:delete',
    ok: 204,
    build: ({ board }) => ({ path: `/boards/${board.id}` }),
  },
  'POST /boards/{boardId}/lists': {
    rule: 'board:edit',
    ok: 201,
    build: ({ board }) => ({ path: `/boards/${board.id}/lists`, json: { title: 'New list' } }),
  },
  'PATCH /boards/{boardId}/lists/{listId}': {
    rule: 'board:edit',
    ok: 200,
    build: ({ board }) => ({ path: `/boards/${board.id}/lists/${board.listId}`, json: { title: 'L2' } }),
  },
  'DELETE /boards/{boardId}/lists/{listId}': {
    rule: 'board:edit',
    ok: 204,
    build: async ({ board }) => {
      const listId = isLive(board)
        ? (await adminCreate(`/boards/${board.id}/lists`, { title: 'doomed' })).id
        : board.listId;
      return { path: `/boards/${board.id}/lists/${listId}` };
    },
  },
  'POST /boards/{boardId}/tasks': {
    rule: 'board:edit',
    ok: 201,
    build: ({ board }) => ({
      path: `/boards/${board.id}/tasks`,
      json: { listId: board.listId, title: 'New task' },
    }),
  },
  'PATCH /boards/{boardId}/tasks/{taskId}': {
    rule: 'board:edit',
    ok: 200,
    build: ({ board }) => ({ path: `/boards/${board.id}/tasks/${board.taskId}`, json: { title: 'T2' } }),
  },
  'POST /boards/{boardId}/labels': {
    rule: 'board:edit',
    ok: 201,
    build: ({ board }) => ({
      path: `/boards/${board.id}/labels`,
      json: { name: 'New label', color: 'lime' },
    }),
  },
  'PATCH /boards/{boardId}/labels/{labelId}': {
    rule: 'board:edit',
    ok: 200,
    build: ({ board }) => ({ path: `/boards/${board.id}/labels/${board.labelId}`, json: { name: 'L2' } }),
  },
  'DELETE /boards/{boardId}/labels/{labelId}': {
    rule: 'board:edit',
    ok: 204,
    build: async ({ board }) => {
      const labelId = isLive(board)
        ? (await adminCreate(`/boards/${board.id}/labels`, { name: 'doomed', color: null })).id
        : board.labelId;
      return { path: `/boards/${board.id}/labels/${labelId}` };
    },
  },
  'DELETE /boards/{boardId}/tasks/{taskId}': {
    rule: 'board:edit',
    ok: 204,
    build: async ({ board }) => {
      const taskId = isLive(board)
        ? (await adminCreate(`/boards/${board.id}/tasks`, { listId: board.listId, title: 'doomed' })).id
        : board.taskId;
      return { path: `/boards/${board.id}/tasks/${taskId}` };
    },
  },

  'GET /boards/{boardId}/comments': {
    rule: 'board:read',
    ok: 200,
    build: ({ board }) => ({ path: `/boards/${board.id}/comments?taskId=${board.taskId}` }),
  },
  'POST /boards/{boardId}/comments': {
    rule: 'board:edit',
    ok: 201,
    build: ({ board }) => ({
      path: `/boards/${board.id}/comments`,
      json: { taskId: board.taskId, body: 'Hi' },
    }),
  },
  'PATCH /boards/{boardId}/comments/{commentId}': {
    rule: 'board:edit',
    ok: 200,
    // Only a comment's author edits it: an anonymous writer's comment has none to prove (docs/ACCOUNTS.md).
    allowedOutcome: (who) => (who === 'anonymous' ? { status: 401, code: 'unauthenticated' } : undefined),
    build: async ({ board, principal }) => ({
      path: `/boards/${board.id}/comments/${await commentOf(board, principal)}`,
      json: { body: 'Edited' },
    }),
  },
  'DELETE /boards/{boardId}/comments/{commentId}': {
    rule: 'board:edit',
    ok: 204,
    allowedOutcome: (who) => (who === 'anonymous' ? { status: 401, code: 'unauthenticated' } : undefined),
    build: async ({ board, principal }) => ({
      path: `/boards/${board.id}/comments/${await commentOf(board, principal)}`,
    }),
  },
  'POST /boards/{boardId}/checklists': {
    rule: 'board:edit',
    ok: 201,
    build: ({ board }) => ({
      path: `/boards/${board.id}/checklists`,
      json: { taskId: board.taskId, title: 'Checklist', items: [{ text: 'Item' }] },
    }),
  },
  'PATCH /boards/{boardId}/checklists/{checklistId}': {
    rule: 'board:edit',
    ok: 200,
    build: async ({ board }) => ({
      path: `/boards/${board.id}/checklists/${(await checklistOf(board)).id}`,
      json: { title: 'Renamed' },
    }),
  },
  'DELETE /boards/{boardId}/checklists/{checklistId}': {
    rule: 'board:edit',
    ok: 204,
    build: async ({ board }) => ({ path: `/boards/${board.id}/checklists/${(await checklistOf(board)).id}` }),
  },
  'POST /boards/{boardId}/items': {
    rule: 'board:edit',
    ok: 201,
    build: async ({ board }) => ({
      path: `/boards/${board.id}/items`,
      json: { checklistId: (await checklistOf(board)).id, text: 'Another' },
    }),
  },
  'PATCH /boards/{boardId}/items/{itemId}': {
    rule: 'board:edit',
    ok: 200,
    build: async ({ board }) => ({
      path: `/boards/${board.id}/items/${(await checklistOf(board)).itemId}`,
      json: { done: true },
    }),
  },
  'DELETE /boards/{boardId}/items/{itemId}': {
    rule: 'board:edit',
    ok: 204,
    build: async ({ board }) => ({ path: `/boards/${board.id}/items/${(await checklistOf(board)).itemId}` }),
  },
  'POST /boards/{boardId}/links': {
    rule: 'board:edit',
    ok: 201,
    build: ({ board }) => ({
      path: `/boards/${board.id}/links`,
      json: { taskId: board.taskId, url: 'https://example.com/matrix' },
    }),
  },
  'PATCH /boards/{boardId}/links/{linkId}': {
    rule: 'board:edit',
    ok: 200,
    build: async ({ board }) => ({
      path: `/boards/${board.id}/links/${await linkOf(board)}`,
      json: { title: 'Retitled' },
    }),
  },
  'DELETE /boards/{boardId}/links/{linkId}': {
    rule: 'board:edit',
    ok: 204,
    build: async ({ board }) => ({ path: `/boards/${board.id}/links/${await linkOf(board)}` }),
  },
  'GET /boards/{boardId}/activity': {
    rule: 'board:read',
    ok: 200,
    build: ({ board }) => ({ path: `/boards/${board.id}/activity?taskId=${board.taskId}` }),
  },
  'GET /boards/{boardId}/search': {
    rule: 'board:read',
    ok: 200,
    build: ({ board }) => ({ path: `/boards/${board.id}/search?q=t` }),
  },

  'GET /boards/{boardId}/events': {
    rule: 'reader',
    ok: 200,
    stream: true,
    build: ({ board }) => ({ path: `/boards/${board.id}/events` }),
  },
  'GET /events': {
    rule: 'reader',
    ok: 200,
    stream: true,
    // No position: a reader that is behind on a deleted board still replays it up to its
    // board_deleted (docs/API.md), so "deleted" is 404 for a reader that is not behind.
    build: ({ board }) => ({ path: `/events?boards=${board.id}` }),
  },
  'GET /boards/{boardId}/poll': {
    rule: 'reader',
    ok: 200,
    build: ({ board }) => ({ path: `/boards/${board.id}/poll?timeout=0` }),
  },
  'GET /poll': {
    rule: 'reader',
    ok: 200,
    build: ({ board }) => ({ path: `/poll?boards=${board.id}&timeout=0` }),
  },

  'POST /auth/signup': {
    rule: 'public',
    ok: 201,
    build: () => ({
      path: '/auth/signup',
      json: { username: `signup-${process.pid}-${++userCount}`, password: 'a good password' },
    }),
  },
  'POST /auth/signin': {
    rule: 'public',
    ok: 200,
    // Signing in ends the session the request came with.
    fresh: true,
    build: () => ({
      path: '/auth/signin',
      json: { username: signInTarget.username, password: signInTarget.password },
    }),
  },
  'POST /auth/signout': { rule: 'public', ok: 204, fresh: true, build: () => ({ path: '/auth/signout' }) },
  'POST /auth/signout-everywhere': {
    rule: 'session',
    ok: 204,
    fresh: true,
    build: () => ({ path: '/auth/signout-everywhere' }),
  },
  'GET /me': { rule: 'signed_in', ok: 200, build: () => ({ path: '/me' }) },
  'PATCH /me': { rule: 'session', ok: 200, build: () => ({ path: '/me', json: { displayName: 'Matrix' } }) },
  'POST /me/password': {
    rule: 'session',
    ok: 204,
    fresh: true,
    build: ({ principal }) => ({
      path: '/me/password',
      json: {
        currentPassword: principal.account?.password ?? 'not a password',
        newPassword: 'a new password',
      },
    }),
  },
  'GET /me/tokens': { rule: 'session', ok: 200, build: () => ({ path: '/me/tokens' }) },
  'POST /me/tokens': {
    rule: 'session',
    ok: 201,
    build: () => ({ path: '/me/tokens', json: { name: 'from the matrix', scope: 'read' } }),
  },
  'DELETE /me/tokens/{tokenId}': {
    rule: 'signed_in',
    ok: 204,
    fresh: true,
    // A token revokes itself (`liveboard logout`); a session revokes one of its user's tokens.
    build: async ({ principal }) => {
      if (principal.tokenId) return { path: `/me/tokens/${principal.tokenId}` };
      const account = PRINCIPAL_FACTS[principal.name].who === 'anonymous' ? host : principal.account!;
      return { path: `/me/tokens/${(await newToken(account, 'read')).id}` };
    },
  },

  'GET /boards/{boardId}/access': {
    rule: 'board:read',
    ok: 200,
    build: ({ board }) => ({ path: `/boards/${board.id}/access` }),
  },
  'PATCH /boards/{boardId}/access': {
    rule: 'board:manage',
    ok: 200,
    // The board's own visibility again: allowed, it changes nothing (no event), so the board stays as the matrix needs it.
    build: ({ board }) => ({
      path: `/boards/${board.id}/access`,
      json: { visibility: liveKindOf(board) ?? 'private', listed: false },
    }),
  },
  'GET /boards/{boardId}/members': {
    rule: 'board:read',
    ok: 200,
    build: ({ board }) => ({ path: `/boards/${board.id}/members` }),
  },
  'POST /boards/{boardId}/members': {
    rule: 'board:manage',
    ok: 201,
    build: ({ board }) => ({
      path: `/boards/${board.id}/members`,
      json: { username: newcomer.username, role: 'viewer' },
    }),
  },
  'PATCH /boards/{boardId}/members/{userId}': {
    rule: 'board:manage',
    ok: 200,
    build: ({ board }) => ({ path: `/boards/${board.id}/members/${spare.id}`, json: { role: 'viewer' } }),
  },
  'DELETE /boards/{boardId}/members/{userId}': [
    {
      variant: 'another member',
      rule: 'board:manage|leave',
      ok: 204,
      build: ({ board }) => ({ path: `/boards/${board.id}/members/${spare.id}`, action: 'manage' }),
    },
    {
      variant: 'oneself (leave)',
      rule: 'board:manage|leave',
      ok: 204,
      allowedOutcome: (who, action) =>
        who === 'owner' && action === 'leave' ? { status: 409, code: 'last_owner' } : undefined,
      build: ({ board, principal }) => {
        const { userId, action } = selfOrSpare(principal);
        return { path: `/boards/${board.id}/members/${userId}`, action };
      },
    },
  ],
  'GET /boards/{boardId}/invitations': {
    rule: 'board:manage',
    ok: 200,
    build: ({ board }) => ({ path: `/boards/${board.id}/invitations` }),
  },
  'POST /boards/{boardId}/invitations': {
    rule: 'board:manage',
    ok: 201,
    build: ({ board }) => ({ path: `/boards/${board.id}/invitations`, json: { role: 'viewer' } }),
  },
  'DELETE /boards/{boardId}/invitations/{invitationId}': {
    rule: 'board:manage',
    ok: 204,
    build: async ({ board }) => {
      const invitationId = isLive(board)
        ? (
            (
              await must(
                call('POST', `/boards/${board.id}/invitations`, { json: { role: 'viewer' }, headers: admin }),
                201,
                'invitation',
              )
            ).body as { invitation: { id: string } }
          ).invitation.id
        : deadInvitationId;
      return { path: `/boards/${board.id}/invitations/${invitationId}` };
    },
  },
  'POST /invitations/preview': {
    rule: 'public',
    ok: 200,
    build: () => ({ path: '/invitations/preview', json: { token: previewToken } }),
  },
  'POST /invitations/accept': {
    rule: 'signed_in',
    ok: 200,
    writes: true,
    build: async () => {
      const created = await must(
        call('POST', `/boards/${hostBoardId}/invitations`, {
          json: { role: 'viewer' },
          headers: { cookie: host.cookie },
        }),
        201,
        'invitation',
      );
      return { path: '/invitations/accept', json: { token: (created.body as { token: string }).token } };
    },
  },

  'GET /': { rule: 'public', ok: 200, build: () => ({ path: '/' }) },
  'GET /b/{boardId}': { rule: 'public', ok: 200, build: () => ({ path: '/b/board-1' }) },
  'GET /b/{boardId}/c/{taskId}': {
    rule: 'public',
    ok: 200,
    build: () => ({ path: '/b/board-1/c/task-1' }),
  },
  'GET /signin': { rule: 'public', ok: 200, build: () => ({ path: '/signin' }) },
  'GET /signup': { rule: 'public', ok: 200, build: () => ({ path: '/signup' }) },
  'GET /invite': { rule: 'public', ok: 200, build: () => ({ path: '/invite' }) },
  'GET /settings': { rule: 'public', ok: 200, build: () => ({ path: '/settings' }) },
};

// ─── The boards of the matrix ───────────────────────────────────────────────────────────────────

/** Each live board kind's current board (re-created when a cell deletes it). */
const liveBoards = new Map<Visibility, BoardIds>();
let deletedBoard: BoardIds;
let deadInvitationId: string;
const neverBoard: BoardIds = {
  id: `board-never${randomBytes(4).toString('hex')}`,
  listId: 'list-never',
  taskId: 'task-never',
  labelId: 'label-never',
};

function isLive(board: BoardIds): boolean {
  return [...liveBoards.values()].some((live) => live.id === board.id);
}

function liveKindOf(board: BoardIds): Visibility | undefined {
  for (const [kind, live] of liveBoards) if (live.id === board.id) return kind;
  return undefined;
}

const CANONICAL_MEMBERS = (): Array<[Account, 'editor' | 'viewer']> => [
  [editor, 'editor'],
  [viewer, 'viewer'],
  [spare, 'viewer'],
];

async function createBoard(visibility: Visibility): Promise<BoardIds> {
  const board = await adminCreate('/boards', { title: `Matrix ${visibility}`, visibility, listed: false });
  for (const [account, role] of CANONICAL_MEMBERS()) {
    await adminCreate(`/boards/${board.id}/members`, { username: account.username, role });
  }
  const list = await adminCreate(`/boards/${board.id}/lists`, { title: 'L' });
  const task = await adminCreate(`/boards/${board.id}/tasks`, { listId: list.id, title: 'T' });
  const label = await adminCreate(`/boards/${board.id}/labels`, { name: 'Label', color: 'green' });
  return { id: board.id, listId: list.id, taskId: task.id, labelId: label.id };
}

interface Snapshot {
  seq: number;
  visibility: Visibility;
  listed: boolean;
  members: Array<{ userId: string; role: string }>;
  labels: Array<{ id: string }>;
  lists: Array<{ id: string; tasks: Array<{ id: string }> }>;
}

async function snapshotOf(boardId: string): Promise<Snapshot | undefined> {
  const answer = await call('GET', `/boards/${boardId}`, { headers: admin });
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw new Error(`snapshot of ${boardId}: ${answer.status} ${answer.text}`);
  return answer.body as Snapshot;
}

/** The kinds whose board a cell may have changed (an allowed write): restored before the next cell. */
const changedBoards = new Set<Visibility>();

/** The board of a kind as the matrix needs it: there, with its visibility, members, list and task. */
async function restore(kind: Visibility): Promise<BoardIds> {
  let board = liveBoards.get(kind)!;
  if (!changedBoards.has(kind)) return board;
  changedBoards.delete(kind);
  const snapshot = await snapshotOf(board.id);
  if (!snapshot) {
    board = await createBoard(kind);
    liveBoards.set(kind, board);
    return board;
  }
  if (snapshot.visibility !== kind || snapshot.listed) {
    await must(
      call('PATCH', `/boards/${board.id}/access`, {
        json: { visibility: kind, listed: false },
        headers: admin,
      }),
      200,
      'restore visibility',
    );
  }
  for (const [account, role] of CANONICAL_MEMBERS()) {
    const member = snapshot.members.find((candidate) => candidate.userId === account.id);
    if (!member) await adminCreate(`/boards/${board.id}/members`, { username: account.username, role });
    else if (member.role !== role) {
      await must(
        call('PATCH', `/boards/${board.id}/members/${account.id}`, { json: { role }, headers: admin }),
        200,
        'restore role',
      );
    }
  }
  if (snapshot.members.some((member) => member.userId === newcomer.id)) {
    await must(
      call('DELETE', `/boards/${board.id}/members/${newcomer.id}`, { headers: admin }),
      204,
      'restore members',
    );
  }
  const list = snapshot.lists.find((candidate) => candidate.id === board.listId);
  if (!list) {
    board = {
      ...board,
      listId: (await adminCreate(`/boards/${board.id}/lists`, { title: 'L' })).id,
      taskId: '',
    };
  }
  if (!snapshot.labels.some((label) => label.id === board.labelId)) {
    board = {
      ...board,
      labelId: (await adminCreate(`/boards/${board.id}/labels`, { name: 'Label', color: 'green' })).id,
    };
  }
  if (!list?.tasks.some((task) => task.id === board.taskId)) {
    board = {
      ...board,
      taskId: (await adminCreate(`/boards/${board.id}/tasks`, { listId: board.listId, title: 'T' })).id,
    };
  }
  liveBoards.set(kind, board);
  return board;
}

// ─── Asking ─────────────────────────────────────────────────────────────────────────────────────

interface StreamAnswer {
  status: number;
  contentType: string | undefined;
  text: string;
  reused: boolean;
}

/**
 * A stream request with node:http: on a new connection (`reuse` false: the bare-socket takeover),
 * or on a keep-alive connection that first carried `GET /healthz`. Reads the first bytes (up to
 * the `retry:` of an open stream, or the whole error body) and hangs up.
 */
async function streamRequest(
  path: string,
  headers: Record<string, string>,
  reuse: boolean,
): Promise<StreamAnswer> {
  const agent = reuse ? new Agent({ keepAlive: true, maxSockets: 1 }) : undefined;
  /** Resolves at the end of the body, or (`untilRetry`) as soon as an open stream has sent its `retry:`. */
  const get = (target: string, untilRetry: boolean) =>
    new Promise<StreamAnswer>((resolve, reject) => {
      const req = httpRequest(
        `${base}${target}`,
        { agent: agent ?? false, headers: { 'x-forwarded-for': nextAddress(), ...headers } },
        (response) => {
          let text = '';
          let done = false;
          const finish = (): void => {
            if (done) return;
            done = true;
            resolve({
              status: response.statusCode ?? 0,
              contentType: response.headers['content-type'],
              text,
              reused: req.reusedSocket,
            });
            if (untilRetry) req.destroy();
          };
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
            if (untilRetry && response.statusCode === 200 && text.includes('retry:')) finish();
          });
          response.on('end', finish);
          response.on('error', finish);
        },
      );
      req.setTimeout(10_000, () => {
        reject(new Error(`no answer to ${target} within 10 s`));
        req.destroy();
      });
      req.on('error', reject);
      req.end();
    });
  try {
    if (agent) await get('/healthz', false);
    return await get(path, true);
  } finally {
    agent?.destroy();
  }
}

/** Every 404 body (the board's id put aside) per route, principal and door: compared once all are in. */
type NotFoundBodies = Map<string, Array<{ kind: BoardKind; text: string; where: string }>>;

/** A 404 is byte for byte the answer for a board that never existed. */
function notFoundProblems(bodies: NotFoundBodies): CellResult[] {
  const problems: CellResult[] = [];
  for (const answers of bodies.values()) {
    const reference = answers.find((answer) => answer.kind === 'never');
    for (const answer of answers) {
      if (answer.text !== reference?.text) {
        problems.push({
          cell: answer.where,
          problem: `404 differs from a board that never existed: ${answer.text} vs ${reference?.text}`,
        });
      }
    }
  }
  return problems;
}

interface CellResult {
  cell: string;
  problem: string;
}

/** What makes a 404 the same as another: the board's id in its message put aside. */
function withoutId(text: string, boardId: string): string {
  return text.split(boardId).join('<board>');
}

const cellCounts = { cells: 0 };

async function runCell(
  routeKey: string,
  method: string,
  fixture: Fixture,
  principal: Principal,
  kind: BoardKind | undefined,
  board: BoardIds | undefined,
  notFoundBodies: NotFoundBodies,
): Promise<CellResult[]> {
  const problems: CellResult[] = [];
  const built = await fixture.build({ principal, board: board ?? neverBoard });
  const name = `${method} ${built.path} as ${principal.name}${kind ? ` on ${kind}` : ''}${fixture.variant ? ` (${fixture.variant})` : ''}`;
  const action =
    built.action ?? (fixture.rule.startsWith('board:') ? (fixture.rule.slice(6) as Action) : 'read');
  const want =
    kind === undefined
      ? expectedOffBoard(fixture, method, principal.name)
      : expectedOnBoard(fixture, method, action, principal.name, kind);
  const before =
    board && kind && kind !== 'never' && kind !== 'deleted' ? await snapshotOf(board.id) : undefined;

  const answers: Array<{
    path: string;
    status: number;
    text: string;
    headers?: Headers;
    ok: () => string | undefined;
  }> = [];
  if (fixture.stream && method === 'GET') {
    for (const reuse of [false, true]) {
      const answer = await streamRequest(built.path, principal.headers, reuse);
      cellCounts.cells++;
      answers.push({
        path: reuse ? 'reused connection' : 'new connection',
        status: answer.status,
        text: answer.text,
        ok: () => {
          if (reuse && !answer.reused) return 'the keep-alive connection was not reused';
          if (answer.status === 200) {
            if (!answer.contentType?.startsWith('text/event-stream'))
              return `content-type ${answer.contentType}`;
            if (!answer.text.includes('retry:')) return `no retry: in ${JSON.stringify(answer.text)}`;
          }
          return undefined;
        },
      });
    }
  } else {
    const answer = await call(method, built.path, { json: built.json, headers: principal.headers });
    cellCounts.cells++;
    answers.push({
      path: '',
      status: answer.status,
      text: answer.text,
      headers: answer.headers,
      ok: () => {
        if (method === 'HEAD' && answer.text !== '') return 'HEAD answered a body';
        if (answer.status === 401 && method !== 'HEAD' && !answer.headers.get('www-authenticate')) {
          return '401 without WWW-Authenticate';
        }
        return undefined;
      },
    });
  }

  if (kind && WRITE_METHODS.has(method) && answers.some((a) => a.status < 400 || a.status !== want.status)) {
    if (kind !== 'never' && kind !== 'deleted') changedBoards.add(kind);
  }
  for (const answer of answers) {
    const where = `${name}${answer.path ? ` [${answer.path}]` : ''}`;
    let code: string | undefined;
    try {
      code = (JSON.parse(answer.text) as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
    const wantCode = method === 'HEAD' ? undefined : want.code;
    if (answer.status !== want.status || (wantCode !== undefined && code !== wantCode)) {
      problems.push({
        cell: where,
        problem: `expected ${want.status}${wantCode ? ` ${wantCode}` : ''}, got ${answer.status}: ${answer.text.slice(0, 200)}`,
      });
      continue;
    }
    const other = answer.ok();
    if (other) problems.push({ cell: where, problem: other });
    // A 404 is byte for byte the answer for a board that never existed.
    if (want.status === 404 && method !== 'HEAD' && board) {
      const key = `${method} ${routeKey} ${fixture.variant ?? ''} ${principal.name} ${answer.path}`;
      const text = withoutId(answer.text, board.id);
      notFoundBodies.set(key, [...(notFoundBodies.get(key) ?? []), { kind: kind!, text, where }]);
    }
  }

  // A denied cell changed nothing: the seq did not move (and a board that is not there still is not).
  if (want.status >= 400 && board && kind) {
    if (before) {
      const after = await snapshotOf(board.id);
      if (after?.seq !== before.seq) {
        problems.push({
          cell: name,
          problem: `denied, yet the seq moved from ${before.seq} to ${after?.seq}`,
        });
      }
    } else if (await snapshotOf(board.id)) {
      problems.push({ cell: name, problem: 'denied, yet the board now exists' });
    }
  }
  return problems;
}

// ─── The test ───────────────────────────────────────────────────────────────────────────────────

interface RouteEntry {
  method: string;
  path: string;
  rule: string;
}
let routeTable: RouteEntry[] = [];

beforeAll(async () => {
  server = await startServer({
    env: { LIVEBOARD_TRUST_PROXY: 'loopback', LIVEBOARD_WRITE_RATE_LIMIT: '0' },
  });
  base = server.url;
  const document = (await (await fetch(`${base}/docs/json`)).json()) as {
    paths: Record<string, Record<string, { 'x-liveboard-access'?: string }>>;
  };
  routeTable = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) => {
      const entry = { method: method.toUpperCase(), path, rule: operation['x-liveboard-access'] ?? '(none)' };
      return entry.method === 'GET' ? [entry, { ...entry, method: 'HEAD' }] : [entry];
    }),
  );

  const cast = await Promise.all(
    ['owner', 'editor', 'viewer', 'outsider', 'spare', 'newcomer', 'target', 'host'].map((prefix) =>
      newAccount(prefix),
    ),
  );
  [owner, editor, viewer, outsider, spare, newcomer, signInTarget, host] = cast as [
    Account,
    Account,
    Account,
    Account,
    Account,
    Account,
    Account,
    Account,
  ];
  adminToken = (await newToken(owner, 'write')).secret;
  admin.authorization = `Bearer ${adminToken}`;
  hostBoardId = (
    (
      await must(
        call('POST', '/boards', { json: { title: 'Host' }, headers: { cookie: host.cookie } }),
        201,
        'host board',
      )
    ).body as { id: string }
  ).id;
  previewToken = (
    (
      await must(
        call('POST', `/boards/${hostBoardId}/invitations`, {
          json: { role: 'viewer' },
          headers: { cookie: host.cookie },
        }),
        201,
        'invitation',
      )
    ).body as { token: string }
  ).token;

  for (const kind of ['private', 'public', 'public_edit'] as const)
    liveBoards.set(kind, await createBoard(kind));
  deletedBoard = await createBoard('public_edit');
  deadInvitationId = (
    (
      await must(
        call('POST', `/boards/${deletedBoard.id}/invitations`, { json: { role: 'viewer' }, headers: admin }),
        201,
        'invitation',
      )
    ).body as { invitation: { id: string } }
  ).invitation.id;
  await must(call('DELETE', `/boards/${deletedBoard.id}`, { headers: admin }), 204, 'delete');

  const readToken = await newToken(owner, 'read');
  const writeToken = await newToken(owner, 'write');
  const revoked = await newToken(owner, 'write');
  await must(
    call('DELETE', `/me/tokens/${revoked.id}`, { headers: { cookie: owner.cookie } }),
    204,
    'revoke',
  );
  const staleCookie = await signIn(owner);
  await must(call('POST', '/auth/signout', { headers: { cookie: staleCookie } }), 204, 'sign-out');
  principals = {
    anonymous: { name: 'anonymous', headers: {} },
    stale_cookie: { name: 'stale_cookie', account: owner, headers: { cookie: staleCookie } },
    expired_session: {
      name: 'expired_session',
      account: owner,
      headers: { cookie: await expiredSession(owner) },
    },
    cross_site_cookie: {
      name: 'cross_site_cookie',
      account: owner,
      headers: { cookie: owner.cookie, 'sec-fetch-site': 'cross-site' },
    },
    outsider: { name: 'outsider', account: outsider, headers: { cookie: outsider.cookie } },
    viewer: { name: 'viewer', account: viewer, headers: { cookie: viewer.cookie } },
    editor: { name: 'editor', account: editor, headers: { cookie: editor.cookie } },
    owner: { name: 'owner', account: owner, headers: { cookie: owner.cookie } },
    write_token: {
      name: 'write_token',
      account: owner,
      tokenId: writeToken.id,
      headers: { authorization: `Bearer ${writeToken.secret}` },
    },
    read_token: {
      name: 'read_token',
      account: owner,
      tokenId: readToken.id,
      headers: { authorization: `Bearer ${readToken.secret}` },
    },
    revoked_token: {
      name: 'revoked_token',
      account: owner,
      tokenId: revoked.id,
      headers: { authorization: `Bearer ${revoked.secret}` },
    },
  };
}, 120_000);

afterAll(async () => {
  await server?.dispose();
});

function fixturesOf(key: string): Fixture[] {
  const entry = FIXTURES[key];
  return entry === undefined ? [] : [entry].flat();
}

/** Every route and method of the document, HEAD included, each with the fixture that asks it. */
const CASES = Object.keys(FIXTURES).flatMap((key) => {
  const [method] = key.split(' ');
  return method === 'GET' ? [key, `HEAD${key.slice(3)}`] : [key];
});

describe('the route × principal × board matrix', () => {
  it('has a request fixture for every route of the route table, and the rule written here for each', () => {
    const problems: string[] = [];
    for (const route of routeTable) {
      const key = `${route.method === 'HEAD' ? 'GET' : route.method} ${route.path}`;
      const fixtures = fixturesOf(key);
      if (fixtures.length === 0) problems.push(`${route.method} ${route.path}: no request fixture`);
      for (const fixture of fixtures) {
        if (fixture.rule !== route.rule) {
          problems.push(
            `${route.method} ${route.path}: declares ${route.rule}, the policy says ${fixture.rule}`,
          );
        }
      }
    }
    for (const key of Object.keys(FIXTURES)) {
      if (!routeTable.some((route) => `${route.method} ${route.path}` === key)) {
        problems.push(`${key}: a fixture for a route the document does not list`);
      }
    }
    expect(routeTable.length).toBeGreaterThan(30);
    expect(problems).toEqual([]);
  });

  it.each(CASES)('%s', async (caseKey) => {
    const method = caseKey.split(' ')[0]!;
    const routeKey = method === 'HEAD' ? `GET${caseKey.slice(4)}` : caseKey;
    const route = routeTable.find((entry) => `${entry.method} ${entry.path}` === caseKey);
    expect(route, `${caseKey} is in the route table`).toBeDefined();
    const problems: CellResult[] = [];
    for (const fixture of fixturesOf(routeKey)) {
      const onBoard = fixture.rule.startsWith('board:') || fixture.rule === 'reader';
      if (!onBoard) {
        const cast = await makePrincipals(fixture.fresh === true);
        for (const name of PRINCIPAL_NAMES) {
          problems.push(
            ...(await runCell(routeKey, method, fixture, cast[name], undefined, undefined, new Map())),
          );
        }
        continue;
      }
      // The boards are independent of one another, so each is asked side by side with the others.
      const notFound: NotFoundBodies = new Map();
      const lanes: Array<() => Promise<CellResult[]>> = [
        async () => {
          const found: CellResult[] = [];
          for (const name of PRINCIPAL_NAMES) {
            for (const [kind, board] of [
              ['never', neverBoard],
              ['deleted', deletedBoard],
            ] as const) {
              found.push(
                ...(await runCell(routeKey, method, fixture, principals[name], kind, board, notFound)),
              );
            }
          }
          return found;
        },
        ...(['private', 'public', 'public_edit'] as const).map((kind) => async () => {
          const found: CellResult[] = [];
          for (const name of PRINCIPAL_NAMES) {
            const board = await restore(kind);
            found.push(
              ...(await runCell(routeKey, method, fixture, principals[name], kind, board, notFound)),
            );
          }
          return found;
        }),
      ];
      const results = await Promise.all(lanes.map((lane) => lane()));
      problems.push(...notFoundProblems(notFound));
      problems.push(...results.flat());
    }
    expect(problems.map((problem) => `${problem.cell}: ${problem.problem}`)).toEqual([]);
  });

  it('asked every cell', () => {
    // Printed for the record: how many requests the matrix made.
    console.log(`access matrix: ${cellCounts.cells} cells on ${routeTable.length} routes`);
    expect(cellCounts.cells).toBeGreaterThan(1000);
  });
});
