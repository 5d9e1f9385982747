/**
 * Issue #13, "Bad input and attacks": each of items 1–24 over real HTTP against a started server,
 * streams with the `eventsource` package (headers through its `fetch` option). Each is a clear
 * JSON error (or the documented answer), nothing changed, and the server still answering.
 *
 * The server believes X-Forwarded-For from loopback, so each request can come from its own client
 * address: the per-address throttles (sign-ups, sign-ins, invitation previews) then only bite where
 * a test means them to. It logs at debug, and every line it writes is kept (item 9). Every response
 * body of the file is kept too, and item 24 reads them all.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newApiTokenSecret } from '../accounts/secrets.js';
import { adminQuery } from '../../test/support/postgres.js';
import { startServer, type TestServer } from '../../test/support/server.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are read loosely: the assertions check them
type Loose = any;

const ON_POSTGRES = process.env.LIVEBOARD_TEST_STORE === 'postgres';

let server: TestServer;
let base: string;
/** Every line the server wrote since it started (LOG_LEVEL=debug). */
let logs = '';
/** Every response body of the file, streams included (item 24). */
const bodies: string[] = [];
/** Every secret handed out in the file: token secrets (with the body that handed each out) and session cookies. */
const tokenSecrets = new Set<string>();
const sessionSecrets = new Set<string>();

let addressCount = 0;
function nextAddress(): string {
  addressCount++;
  return `10.${(addressCount >> 16) & 255}.${(addressCount >> 8) & 255}.${addressCount & 255}`;
}

interface Answer<T = Loose> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
  ms: number;
}

interface CallOptions {
  json?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** Another server of the file (items 11 and 23). */
  url?: string;
}

async function call<T = Loose>(method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { 'x-forwarded-for': nextAddress(), ...options.headers };
  let body: string | undefined = options.raw;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const started = performance.now();
  const response = await fetch(`${options.url ?? base}${path}`, { method, headers, body });
  const text = await response.text();
  const ms = performance.now() - started;
  bodies.push(text);
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const cookie = response.headers.get('set-cookie')?.split(';')[0]?.split('=')[1];
  if (cookie) sessionSecrets.add(cookie);
  return { status: response.status, headers: response.headers, text, body: parsed as T, ms };
}

function errorOf(answer: Answer): { code?: string; field?: string } {
  return (answer.body as { error?: { code?: string; field?: string } } | undefined)?.error ?? {};
}

async function must<T = Loose>(answer: Promise<Answer<T>>, status: number): Promise<Answer<T>> {
  const got = await answer;
  if (got.status !== status) throw new Error(`expected ${status}, got ${got.status}: ${got.text}`);
  return got;
}

interface Account {
  id: string;
  username: string;
  password: string;
  cookie: string;
  token: string;
  tokenId: string;
  /** Headers that sign in with the session cookie, or with the write token. */
  session: Record<string, string>;
  bearer: Record<string, string>;
}

let userCount = 0;
async function signUp(prefix = 'u', url?: string): Promise<Account> {
  const username = `${prefix}-${process.pid}-${++userCount}`;
  const password = `pw ${randomBytes(6).toString('hex')}`;
  const answer = await must(call('POST', '/auth/signup', { json: { username, password }, url }), 201);
  const cookie = answer.headers.get('set-cookie')!.split(';')[0]!;
  const token = await must(
    call('POST', '/me/tokens', { json: { name: 'attacks', scope: 'write' }, headers: { cookie }, url }),
    201,
  );
  tokenSecrets.add(token.body.secret);
  return {
    id: answer.body.user.id,
    username,
    password,
    cookie,
    token: token.body.secret,
    tokenId: token.body.token.id,
    session: { cookie },
    bearer: { authorization: `Bearer ${token.body.secret}` },
  };
}

async function newToken(account: Account, scope: 'read' | 'write'): Promise<{ id: string; secret: string }> {
  const answer = await must(
    call('POST', '/me/tokens', { json: { name: scope, scope }, headers: account.session }),
    201,
  );
  tokenSecrets.add(answer.body.secret);
  return { id: answer.body.token.id, secret: answer.body.secret };
}

async function createBoard(
  owner: Account,
  visibility: 'private' | 'public' | 'public_edit' = 'private',
): Promise<{ id: string; listId: string; taskId: string }> {
  const board = await must(
    call('POST', '/boards', { json: { title: 'B', visibility }, headers: owner.bearer }),
    201,
  );
  const list = await must(
    call('POST', `/boards/${board.body.id}/lists`, { json: { title: 'L' }, headers: owner.bearer }),
    201,
  );
  const task = await must(
    call('POST', `/boards/${board.body.id}/tasks`, {
      json: { listId: list.body.id, title: 'T' },
      headers: owner.bearer,
    }),
    201,
  );
  return { id: board.body.id, listId: list.body.id, taskId: task.body.id };
}

async function addMember(board: string, owner: Account, member: Account, role: string): Promise<void> {
  await must(
    call('POST', `/boards/${board}/members`, {
      json: { username: member.username, role },
      headers: owner.bearer,
    }),
    201,
  );
}

async function seqOf(boardId: string, owner: Account): Promise<number> {
  return (await must(call('GET', `/boards/${boardId}`, { headers: owner.bearer }), 200)).body.seq;
}

/** Sets a session's, token's or invitation's expiry in the past, in the server's database. */
async function expireInDatabase(
  databaseUrl: string,
  table: 'sessions' | 'api_tokens' | 'invitations',
  where: { column: 'id' | 'id_hash'; value: string },
): Promise<void> {
  const past = new Date(Date.now() - 60_000).toISOString();
  if (databaseUrl.startsWith('file:')) {
    // In a process of its own: only the store may open the database in this codebase (lint rule).
    const script = `
      const [file, table, column, value, past] = process.argv.slice(1);
      const db = require('better-sqlite3')(file);
      db.pragma('busy_timeout = 5000');
      const { changes } = db.prepare('UPDATE ' + table + ' SET expires_at = ? WHERE ' + column + ' = ?').run(past, value);
      process.stdout.write(String(changes));`;
    const changed = execFileSync(process.execPath, [
      '-e',
      script,
      databaseUrl.slice('file:'.length),
      table,
      where.column,
      where.value,
      past,
    ]).toString();
    expect(changed).toBe('1');
    return;
  }
  const schema = new URL(databaseUrl).searchParams.get('schema')!;
  const changed = await adminQuery<{ id: string }>(
    `UPDATE "${schema}".${table} SET expires_at = $1 WHERE ${where.column} = $2 RETURNING ${where.column} AS id`,
    [past, where.value],
  );
  expect(changed).toHaveLength(1);
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

// ─── Streams with the eventsource package ───────────────────────────────────────────────────────

interface Stream {
  source: EventSource;
  messages: Array<{ id: string; data: Loose }>;
  named: Array<{ type: string; data: string }>;
  errors: Array<{ code?: number }>;
  /** Bodies of answers that were not a stream (the JSON errors). */
  refusals: string[];
  opens: number;
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

function openStream(
  path: string,
  headers: Record<string, string> = {},
  options: { firstLastEventId?: string; url?: string } = {},
): Stream {
  let first = true;
  const address = nextAddress();
  const stream: Stream = {
    source: undefined as unknown as EventSource,
    messages: [],
    named: [],
    errors: [],
    refusals: [],
    opens: 0,
    waitFor(predicate, what, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const check = (): void => {
          if (predicate()) return resolve();
          if (Date.now() > deadline) {
            return reject(
              new Error(
                `timed out waiting for ${what}: ${JSON.stringify({
                  messages: stream.messages.map((m) => m.data.type),
                  named: stream.named,
                  errors: stream.errors,
                  refusals: stream.refusals,
                })}`,
              ),
            );
          }
          setTimeout(check, 10);
        };
        check();
      });
    },
    close() {
      stream.source.close();
    },
  };
  stream.source = new EventSource(`${options.url ?? base}${path}`, {
    fetch: async (input, init) => {
      const merged: Record<string, string> = {
        ...(init?.headers as Record<string, string> | undefined),
        ...headers,
        'x-forwarded-for': address,
      };
      if (first && options.firstLastEventId !== undefined) merged['Last-Event-ID'] = options.firstLastEventId;
      first = false;
      const response = await fetch(input, { ...init, headers: merged });
      if (response.status !== 200) {
        const text = await response.clone().text();
        stream.refusals.push(text);
        bodies.push(text);
      }
      return response;
    },
  });
  stream.source.addEventListener('open', () => stream.opens++);
  stream.source.addEventListener('error', (event) =>
    stream.errors.push({ code: (event as { code?: number }).code }),
  );
  stream.source.addEventListener('message', (event) => {
    bodies.push(event.data as string);
    stream.messages.push({ id: event.lastEventId, data: JSON.parse(event.data as string) });
  });
  for (const type of ['revoked', 'notice']) {
    stream.source.addEventListener(type, (event) => {
      bodies.push((event as MessageEvent).data as string);
      stream.named.push({ type, data: (event as MessageEvent).data as string });
    });
  }
  return stream;
}

/** A stream refused before it opened: the eventsource package reports the status and gives up. */
async function refusedStream(
  path: string,
  headers: Record<string, string>,
  options: { firstLastEventId?: string } = {},
): Promise<{ code: number | undefined; body: Loose; messages: number }> {
  const stream = openStream(path, headers, options);
  try {
    await stream.waitFor(() => stream.errors.length > 0 || stream.opens > 0, 'the stream to answer');
    await stream.waitFor(
      () => stream.source.readyState === EventSource.CLOSED || stream.opens > 0,
      'a close',
    );
    return {
      code: stream.errors[0]?.code,
      body: stream.refusals[0] ? JSON.parse(stream.refusals[0]) : undefined,
      messages: stream.messages.length,
    };
  } finally {
    stream.close();
  }
}

/** Raw node:http, for what fetch will not send (a foreign Host, two Authorization headers). */
function rawRequest(
  path: string,
  headers: OutgoingHttpHeaders,
  options: { agent?: Agent | false; method?: string } = {},
): Promise<{ status: number; text: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      { method: options.method ?? 'GET', agent: options.agent ?? false, headers },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          if (response.statusCode === 200 && path.includes('events')) finish();
        });
        const finish = (): void => {
          bodies.push(text);
          resolve({ status: response.statusCode ?? 0, text, reused: req.reusedSocket });
          if (response.statusCode === 200 && path.includes('events')) req.destroy();
        };
        response.on('end', finish);
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('no answer')));
    req.end();
  });
}

// ─── The server ─────────────────────────────────────────────────────────────────────────────────

beforeAll(async () => {
  server = await startServer({
    env: { LIVEBOARD_TRUST_PROXY: 'loopback', LIVEBOARD_WRITE_RATE_LIMIT: '0', LOG_LEVEL: 'debug' },
  });
  base = server.url;
  const collect = (chunk: Buffer): void => {
    logs += chunk.toString();
  };
  server.process.stdout!.on('data', collect);
  server.process.stderr!.on('data', collect);
}, 60_000);

afterAll(async () => {
  await server?.dispose();
});

describe('bad input and attacks (issue #13)', () => {
  it('1. an outsider on every route of a private board: 404, byte for byte a board that never existed; seq unchanged', async () => {
    const owner = await signUp('own');
    const outsider = await signUp('out');
    const board = await createBoard(owner);
    await addMember(board.id, owner, await signUp('mem'), 'viewer');
    const member = (await must(call('GET', `/boards/${board.id}/members`, { headers: owner.bearer }), 200))
      .body.members[1].userId;
    const invitation = (
      await must(
        call('POST', `/boards/${board.id}/invitations`, { json: { role: 'viewer' }, headers: owner.bearer }),
        201,
      )
    ).body.invitation.id;
    const before = await seqOf(board.id, owner);
    const never = `board-never${randomBytes(4).toString('hex')}`;
    const routes: Array<[string, (id: string) => string, unknown?]> = [
      ['GET', (id) => `/boards/${id}`],
      ['PATCH', (id) => `/boards/${id}`, { title: 'mine' }],
      ['DELETE', (id) => `/boards/${id}`],
      ['POST', (id) => `/boards/${id}/lists`, { title: 'x' }],
      ['PATCH', (id) => `/boards/${id}/lists/${board.listId}`, { title: 'x' }],
      ['DELETE', (id) => `/boards/${id}/lists/${board.listId}`],
      ['POST', (id) => `/boards/${id}/tasks`, { listId: board.listId, title: 'x' }],
      ['PATCH', (id) => `/boards/${id}/tasks/${board.taskId}`, { title: 'x' }],
      ['DELETE', (id) => `/boards/${id}/tasks/${board.taskId}`],
      ['GET', (id) => `/boards/${id}/members`],
      ['POST', (id) => `/boards/${id}/members`, { username: outsider.username, role: 'owner' }],
      ['PATCH', (id) => `/boards/${id}/members/${member}`, { role: 'owner' }],
      ['DELETE', (id) => `/boards/${id}/members/${member}`],
      ['GET', (id) => `/boards/${id}/access`],
      ['PATCH', (id) => `/boards/${id}/access`, { visibility: 'public_edit' }],
      ['GET', (id) => `/boards/${id}/invitations`],
      ['POST', (id) => `/boards/${id}/invitations`, { role: 'owner' }],
      ['DELETE', (id) => `/boards/${id}/invitations/${invitation}`],
      ['GET', (id) => `/boards/${id}/poll?timeout=0`],
      ['GET', (id) => `/boards/${id}/poll?after=0&timeout=0`],
      ['GET', (id) => `/poll?boards=${id}:0&timeout=0`],
    ];
    for (const headers of [outsider.session, outsider.bearer]) {
      for (const [method, path, json] of routes) {
        const refused = await call(method, path(board.id), { json, headers });
        const unknown = await call(method, path(never), { json, headers });
        expect(refused.status, `${method} ${path(board.id)}`).toBe(404);
        expect(refused.text.split(board.id).join('<id>')).toBe(unknown.text.split(never).join('<id>'));
      }
      for (const path of [
        `/boards/${board.id}/events`,
        `/boards/${board.id}/events?lastEventId=0`,
        `/events?boards=${board.id}:0`,
      ]) {
        const stream = await refusedStream(path, headers);
        expect(stream.code, path).toBe(404);
        expect(stream.body.error.code).toBe('board_not_found');
        expect(stream.messages).toBe(0);
      }
    }
    expect(await seqOf(board.id, owner)).toBe(before);
    expect(
      (await must(call('GET', `/boards/${board.id}/invitations`, { headers: owner.bearer }), 200)).body
        .invitations,
    ).toHaveLength(1);
  });

  it("2. an editor of A addressing B's lists and tasks through A: 404 / 400, both boards unchanged", async () => {
    const ownerA = await signUp('oa');
    const ownerB = await signUp('ob');
    const editor = await signUp('ed');
    const a = await createBoard(ownerA);
    const b = await createBoard(ownerB);
    await addMember(a.id, ownerA, editor, 'editor');
    const [seqA, seqB] = [await seqOf(a.id, ownerA), await seqOf(b.id, ownerB)];
    const attempts: Array<[string, string, unknown?]> = [
      ['PATCH', `/boards/${a.id}/tasks/${b.taskId}`, { title: 'stolen' }],
      ['DELETE', `/boards/${a.id}/tasks/${b.taskId}`],
      ['PATCH', `/boards/${a.id}/lists/${b.listId}`, { title: 'stolen' }],
      ['DELETE', `/boards/${a.id}/lists/${b.listId}`],
      ['POST', `/boards/${a.id}/tasks`, { listId: b.listId, title: 'into B' }],
      ['POST', `/boards/${a.id}/tasks`, { listId: a.listId, title: 'next to B', beforeId: b.taskId }],
      ['POST', `/boards/${a.id}/tasks`, { listId: a.listId, title: 'next to B', afterId: b.taskId }],
      ['PATCH', `/boards/${a.id}/tasks/${a.taskId}`, { listId: b.listId }],
      ['PATCH', `/boards/${a.id}/tasks/${a.taskId}`, { beforeId: b.taskId }],
      ['POST', `/boards/${a.id}/lists`, { title: 'next to B', afterId: b.listId }],
      ['PATCH', `/boards/${a.id}/lists/${a.listId}`, { beforeId: b.listId }],
    ];
    for (const [method, path, json] of attempts) {
      const answer = await call(method, path, { json, headers: editor.bearer });
      expect([400, 404], `${method} ${path} ${JSON.stringify(json)}: ${answer.text}`).toContain(
        answer.status,
      );
      expect(errorOf(answer).code).toBeDefined();
    }
    expect(await seqOf(a.id, ownerA)).toBe(seqA);
    expect(await seqOf(b.id, ownerB)).toBe(seqB);
  });

  it('3. a member or invitation of B deleted through A: 404; B keeps them', async () => {
    const owner = await signUp('o3');
    const ownerB = await signUp('ob3');
    const memberB = await signUp('mb3');
    const a = await createBoard(owner);
    const b = await createBoard(ownerB);
    await addMember(b.id, ownerB, memberB, 'editor');
    const invitationB = (
      await must(
        call('POST', `/boards/${b.id}/invitations`, { json: { role: 'viewer' }, headers: ownerB.bearer }),
        201,
      )
    ).body.invitation.id;
    const seqA = await seqOf(a.id, owner);
    const seqB = await seqOf(b.id, ownerB);
    const removed = await call('DELETE', `/boards/${a.id}/members/${memberB.id}`, { headers: owner.bearer });
    expect([removed.status, errorOf(removed).code]).toEqual([404, 'member_not_found']);
    const demoted = await call('PATCH', `/boards/${a.id}/members/${memberB.id}`, {
      json: { role: 'viewer' },
      headers: owner.bearer,
    });
    expect([demoted.status, errorOf(demoted).code]).toEqual([404, 'member_not_found']);
    const revoked = await call('DELETE', `/boards/${a.id}/invitations/${invitationB}`, {
      headers: owner.bearer,
    });
    expect([revoked.status, errorOf(revoked).code]).toEqual([404, 'invitation_not_found']);
    expect(await seqOf(a.id, owner)).toBe(seqA);
    expect(await seqOf(b.id, ownerB)).toBe(seqB);
    const members = (await must(call('GET', `/boards/${b.id}/members`, { headers: ownerB.bearer }), 200)).body
      .members;
    expect(members).toContainEqual(expect.objectContaining({ userId: memberB.id, role: 'editor' }));
    const invitations = (
      await must(call('GET', `/boards/${b.id}/invitations`, { headers: ownerB.bearer }), 200)
    ).body;
    expect(invitations.invitations.map((i: { id: string }) => i.id)).toEqual([invitationB]);
  });

  it("4. another user's token id revoked: 404, and that token still works", async () => {
    const [me, them] = [await signUp('me4'), await signUp('them4')];
    for (const headers of [me.session, me.bearer]) {
      const answer = await call('DELETE', `/me/tokens/${them.tokenId}`, { headers });
      // With a session: not found (it is not mine). With a token: a token may revoke only itself.
      expect([404, 403]).toContain(answer.status);
      expect(errorOf(answer).code).toBe(answer.status === 404 ? 'token_not_found' : 'forbidden');
    }
    const session = await call('DELETE', `/me/tokens/${them.tokenId}`, { headers: me.session });
    expect([session.status, errorOf(session).code]).toEqual([404, 'token_not_found']);
    expect((await call('GET', '/me', { headers: them.bearer })).status).toBe(200);
  });

  it('5. viewer writes, editor deletes/shares/changes visibility, a signed-in guest renames: 403, seq unchanged', async () => {
    const owner = await signUp('o5');
    const viewer = await signUp('v5');
    const editor = await signUp('e5');
    const guest = await signUp('g5');
    const board = await createBoard(owner, 'public');
    await addMember(board.id, owner, viewer, 'viewer');
    await addMember(board.id, owner, editor, 'editor');
    const before = await seqOf(board.id, owner);
    const refusals: Array<[Account, string, string, unknown?]> = [
      [viewer, 'POST', `/boards/${board.id}/lists`, { title: 'x' }],
      [viewer, 'PATCH', `/boards/${board.id}/lists/${board.listId}`, { title: 'x' }],
      [viewer, 'POST', `/boards/${board.id}/tasks`, { listId: board.listId, title: 'x' }],
      [viewer, 'PATCH', `/boards/${board.id}/tasks/${board.taskId}`, { title: 'x' }],
      [viewer, 'DELETE', `/boards/${board.id}/tasks/${board.taskId}`],
      [viewer, 'PATCH', `/boards/${board.id}`, { title: 'x' }],
      [editor, 'DELETE', `/boards/${board.id}`],
      [editor, 'POST', `/boards/${board.id}/members`, { username: guest.username, role: 'viewer' }],
      [editor, 'PATCH', `/boards/${board.id}/members/${viewer.id}`, { role: 'editor' }],
      [editor, 'DELETE', `/boards/${board.id}/members/${viewer.id}`],
      [editor, 'PATCH', `/boards/${board.id}/access`, { visibility: 'private' }],
      [editor, 'GET', `/boards/${board.id}/invitations`],
      [editor, 'POST', `/boards/${board.id}/invitations`, { role: 'owner' }],
      [guest, 'PATCH', `/boards/${board.id}`, { title: 'x' }],
      [guest, 'POST', `/boards/${board.id}/lists`, { title: 'x' }],
      [guest, 'DELETE', `/boards/${board.id}/members/${guest.id}`],
    ];
    for (const [who, method, path, json] of refusals) {
      for (const headers of [who.session, who.bearer]) {
        const answer = await call(method, path, { json, headers });
        expect([answer.status, errorOf(answer).code], `${who.username} ${method} ${path}`).toEqual([
          403,
          'forbidden',
        ]);
      }
    }
    expect(await seqOf(board.id, owner)).toBe(before);
  });

  it('6. anonymous writes on a public board, and anonymous POST /boards: 401 with WWW-Authenticate', async () => {
    const owner = await signUp('o6');
    const board = await createBoard(owner, 'public');
    const before = await seqOf(board.id, owner);
    for (const [method, path, json] of [
      ['POST', `/boards/${board.id}/lists`, { title: 'x' }],
      ['PATCH', `/boards/${board.id}/tasks/${board.taskId}`, { title: 'x' }],
      ['DELETE', `/boards/${board.id}/tasks/${board.taskId}`, undefined],
      ['PATCH', `/boards/${board.id}`, { title: 'x' }],
      ['DELETE', `/boards/${board.id}`, undefined],
      ['POST', '/boards', { title: 'x' }],
    ] as const) {
      const answer = await call(method, path, { json });
      expect([answer.status, errorOf(answer).code], `${method} ${path}`).toEqual([401, 'unauthenticated']);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
    expect(await seqOf(board.id, owner)).toBe(before);
    expect((await call('GET', `/boards/${board.id}`)).status).toBe(200);
  });

  it('7. a read token writing: 403 insufficient_scope; a token on the token and password routes: 403', async () => {
    const owner = await signUp('o7');
    const board = await createBoard(owner, 'private');
    const read = await newToken(owner, 'read');
    const readHeaders = { authorization: `Bearer ${read.secret}` };
    const before = await seqOf(board.id, owner);
    expect((await call('GET', `/boards/${board.id}`, { headers: readHeaders })).status).toBe(200);
    for (const [method, path, json] of [
      ['POST', `/boards/${board.id}/lists`, { title: 'x' }],
      ['PATCH', `/boards/${board.id}`, { title: 'x' }],
      ['DELETE', `/boards/${board.id}`, undefined],
      ['PATCH', `/boards/${board.id}/access`, { visibility: 'public' }],
      ['POST', `/boards/${board.id}/invitations`, { role: 'viewer' }],
      ['POST', '/boards', { title: 'x' }],
    ] as const) {
      const answer = await call(method, path, { json, headers: readHeaders });
      expect([answer.status, errorOf(answer).code], `${method} ${path}`).toEqual([403, 'insufficient_scope']);
    }
    expect(await seqOf(board.id, owner)).toBe(before);
    const other = await newToken(owner, 'read');
    for (const headers of [owner.bearer, readHeaders]) {
      for (const [method, path, json] of [
        ['GET', '/me/tokens', undefined],
        ['POST', '/me/tokens', { name: 'more', scope: 'write' }],
        ['DELETE', `/me/tokens/${other.id}`, undefined],
        ['POST', '/me/password', { currentPassword: owner.password, newPassword: 'a new password' }],
        ['POST', '/auth/signout-everywhere', undefined],
      ] as const) {
        const answer = await call(method, path, { json, headers });
        expect([answer.status, errorOf(answer).code], `${method} ${path}`).toEqual([403, 'forbidden']);
      }
    }
    // Nothing happened: the other token and the password still work.
    expect((await call('GET', '/me', { headers: { authorization: `Bearer ${other.secret}` } })).status).toBe(
      200,
    );
    expect(
      (await call('POST', '/auth/signin', { json: { username: owner.username, password: owner.password } }))
        .status,
    ).toBe(200);
  });

  it('8. revoked, expired, unknown and malformed tokens: 401 invalid_token, on REST, the poll and the stream', async () => {
    const owner = await signUp('o8');
    const board = await createBoard(owner, 'public_edit');
    const revoked = await newToken(owner, 'write');
    await must(call('DELETE', `/me/tokens/${revoked.id}`, { headers: owner.session }), 204);
    const expired = await newToken(owner, 'write');
    await expireInDatabase(server.databaseUrl, 'api_tokens', { column: 'id', value: expired.id });
    const unknown = newApiTokenSecret();
    const good = owner.token;
    const badChecksum = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    const tokens: Record<string, string> = {
      revoked: revoked.secret,
      expired: expired.secret,
      unknown,
      'bad prefix': `lbx_${good.slice(4)}`,
      'bad checksum': badChecksum,
      '10 KB': `lbp_${'a'.repeat(10 * 1024)}`,
      'non-ASCII': `lbp_${good.slice(4, -2)}é${good.slice(-1)}`,
      'not Bearer': good,
      empty: '',
    };
    const before = await seqOf(board.id, owner);
    for (const [what, token] of Object.entries(tokens)) {
      const authorization = what === 'not Bearer' ? `Token ${token}` : `Bearer ${token}`;
      for (const [method, path, json] of [
        ['GET', `/boards/${board.id}`, undefined],
        ['POST', `/boards/${board.id}/lists`, { title: 'x' }],
        ['GET', `/boards/${board.id}/poll?timeout=0`, undefined],
        ['GET', '/healthz', undefined],
        ['GET', '/me', undefined],
      ] as const) {
        const answer = await call(method, path, { json, headers: { authorization } });
        expect([answer.status, errorOf(answer).code], `${what}: ${method} ${path}`).toEqual([
          401,
          'invalid_token',
        ]);
        expect(answer.headers.get('www-authenticate')).toContain('invalid_token');
      }
      const stream = await refusedStream(`/boards/${board.id}/events`, { authorization });
      expect([stream.code, stream.body?.error.code], `${what}: stream`).toEqual([401, 'invalid_token']);
    }
    // Two Bearer headers (fetch would join them into one): raw HTTP, on REST and on the stream.
    // Node writes a header given as an array once per value.
    const two = {
      authorization: [`Bearer ${good}`, `Bearer ${good}`],
      'x-forwarded-for': nextAddress(),
    } as unknown as OutgoingHttpHeaders;
    for (const path of [`/boards/${board.id}`, `/boards/${board.id}/events`]) {
      const answer = await rawRequest(path, two);
      expect([answer.status, JSON.parse(answer.text).error.code], `two Bearers: ${path}`).toEqual([
        401,
        'invalid_token',
      ]);
    }
    expect(await seqOf(board.id, owner)).toBe(before);
  });

  it('9. a token in the URL: 400 credentials_in_url on REST, stream and poll, and in no log line', async () => {
    const owner = await signUp('o9');
    const board = await createBoard(owner, 'public_edit');
    const secret = (await newToken(owner, 'write')).secret;
    const logStart = logs.length;
    for (const parameter of ['access_token', 'token']) {
      for (const path of [
        `/boards/${board.id}`,
        `/boards/${board.id}/poll?timeout=0`,
        '/boards',
        `/poll?boards=${board.id}&timeout=0`,
      ]) {
        const url = `${path}${path.includes('?') ? '&' : '?'}${parameter}=${secret}`;
        const answer = await call('GET', url);
        expect([answer.status, errorOf(answer).code], url).toEqual([400, 'credentials_in_url']);
      }
      const write = await call('POST', `/boards/${board.id}/lists?${parameter}=${secret}`, {
        json: { title: 'x' },
      });
      expect([write.status, errorOf(write).code]).toEqual([400, 'credentials_in_url']);
      for (const path of [
        `/boards/${board.id}/events?${parameter}=${secret}`,
        `/events?boards=${board.id}&${parameter}=${secret}`,
      ]) {
        const stream = await refusedStream(path, {});
        expect([stream.code, stream.body?.error.code], path).toEqual([400, 'credentials_in_url']);
        // And on a connection that already carried a request.
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        try {
          await rawRequest('/healthz', {}, { agent });
          const reused = await rawRequest(path, {}, { agent });
          expect([reused.status, reused.reused]).toEqual([400, true]);
        } finally {
          agent.destroy();
        }
      }
    }
    // The same token, used as it should be, at debug.
    expect(
      (await call('GET', `/boards/${board.id}`, { headers: { authorization: `Bearer ${secret}` } })).status,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const written = logs.slice(logStart);
    expect(written).toContain('"msg":"request"');
    expect(written).not.toContain(secret);
    expect(written).not.toContain(secret.slice(4, 20));
  });

  it("10. cross-site writes and sign-in with the victim's cookie: 403; a form post: 415; nothing changed", async () => {
    const victim = await signUp('v10');
    const board = await createBoard(victim, 'private');
    const before = await seqOf(board.id, victim);
    const foreign: Array<Record<string, string>> = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://attacker.example' },
      { origin: 'null' },
    ];
    for (const extra of foreign) {
      for (const [method, path, json] of [
        ['POST', `/boards/${board.id}/lists`, { title: 'x' }],
        ['DELETE', `/boards/${board.id}`, undefined],
        ['PATCH', `/boards/${board.id}/access`, { visibility: 'public_edit' }],
        ['POST', '/me/tokens', { name: 'stolen', scope: 'write' }],
        ['POST', '/me/password', { currentPassword: victim.password, newPassword: 'attacker password' }],
        ['POST', '/auth/signout-everywhere', undefined],
        ['POST', '/auth/signin', { username: victim.username, password: victim.password }],
        ['POST', '/auth/signup', { username: `csrf-${process.pid}`, password: 'a good password' }],
      ] as const) {
        const answer = await call(method, path, { json, headers: { ...victim.session, ...extra } });
        expect([answer.status, errorOf(answer).code], `${JSON.stringify(extra)} ${method} ${path}`).toEqual([
          403,
          'cross_origin_request',
        ]);
        expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      }
    }
    const form = await call('POST', `/boards/${board.id}/lists`, {
      raw: 'title=x',
      headers: {
        ...victim.session,
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'same-origin',
      },
    });
    expect([form.status, errorOf(form).code]).toEqual([415, 'unsupported_media_type']);
    const formSignin = await call('POST', '/auth/signin', {
      raw: `username=${victim.username}&password=x`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(formSignin.status).toBe(415);
    expect(await seqOf(board.id, victim)).toBe(before);
    expect((await call('GET', '/me', { headers: victim.session })).status).toBe(200);
    expect(
      (await call('POST', '/auth/signin', { json: { username: victim.username, password: victim.password } }))
        .status,
    ).toBe(200);
  });

  describe('11. the 6th failed sign-in for a username within 15 min: 429, with the right password too', () => {
    async function failFiveThenRight(urls: string[]): Promise<void> {
      const account = await signUp('t11', urls[0]);
      for (let attempt = 0; attempt < 5; attempt++) {
        const answer = await call('POST', '/auth/signin', {
          url: urls[attempt % urls.length],
          json: { username: account.username, password: 'wrong password' },
          headers: { connection: 'close' },
        });
        expect([answer.status, errorOf(answer).code]).toEqual([401, 'invalid_credentials']);
      }
      for (const url of urls) {
        const right = await call('POST', '/auth/signin', {
          url,
          json: { username: account.username, password: account.password },
          headers: { connection: 'close' },
        });
        expect([right.status, errorOf(right).code]).toEqual([429, 'too_many_attempts']);
        expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(right.headers.get('set-cookie')).toBeNull();
      }
      // Another username is not held up.
      const other = await signUp('u11', urls[0]);
      expect(
        (
          await call('POST', '/auth/signin', {
            url: urls[0],
            json: { username: other.username, password: other.password },
          })
        ).status,
      ).toBe(200);
    }

    it('in one process', async () => {
      await failFiveThenRight([base]);
    });

    it(
      ON_POSTGRES
        ? 'across two processes on one PostgreSQL schema'
        : 'across two `npm run cluster` processes on SQLite',
      async () => {
        const env = { LIVEBOARD_TRUST_PROXY: 'loopback', LIVEBOARD_WRITE_RATE_LIMIT: '0' };
        if (ON_POSTGRES) {
          const first = await startServer({ env });
          const second = await startServer({ env, databaseUrl: first.databaseUrl });
          try {
            await failFiveThenRight([first.url, second.url]);
          } finally {
            await second.dispose();
            await first.dispose();
          }
        } else {
          // New connections alternate between the processes (Connection: close on each request).
          const cluster = await startServer({ env, processes: 2 });
          try {
            await failFiveThenRight([cluster.url]);
          } finally {
            await cluster.dispose();
          }
        }
      },
      90_000,
    );
  });

  it('12. timing: an unknown username and a wrong password give the same answer and cost one hash each', async () => {
    const users = [await signUp('t12'), await signUp('t12'), await signUp('t12')];
    const unknownTimes: number[] = [];
    const wrongTimes: number[] = [];
    const answers = new Set<string>();
    const noHash: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const wrong = await call('POST', '/auth/signin', {
        json: { username: users[attempt % users.length]!.username, password: `wrong password ${attempt}` },
      });
      const unknown = await call('POST', '/auth/signin', {
        json: { username: `nobody-${randomBytes(6).toString('hex')}`, password: `wrong password ${attempt}` },
      });
      // Refused before any hash: a password too long to be one.
      const tooLong = await call('POST', '/auth/signin', {
        json: { username: users[0]!.username, password: 'x'.repeat(129) },
      });
      expect([wrong.status, unknown.status, tooLong.status]).toEqual([401, 401, 400]);
      answers.add(wrong.text).add(unknown.text);
      wrongTimes.push(wrong.ms);
      unknownTimes.push(unknown.ms);
      noHash.push(tooLong.ms);
    }
    expect(answers.size).toBe(1);
    const median = (values: number[]): number =>
      [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    const [wrongMedian, unknownMedian, baseline] = [median(wrongTimes), median(unknownTimes), median(noHash)];
    console.log(
      `12. sign-in medians: wrong password ${wrongMedian.toFixed(1)} ms, unknown user ${unknownMedian.toFixed(1)} ms, no hash ${baseline.toFixed(1)} ms`,
    );
    expect(unknownMedian / wrongMedian).toBeGreaterThan(0.5);
    expect(unknownMedian / wrongMedian).toBeLessThan(2);
    // Each costs one Argon2 hash: well above an answer that hashes nothing.
    expect(wrongMedian - baseline).toBeGreaterThan(4);
    expect(unknownMedian - baseline).toBeGreaterThan(4);
  });

  it('13. a 129-code-point password and a 60 KB one: 400 field password, before hashing; over the body limit: 413', async () => {
    const account = await signUp('t13');
    const hashed = await call('POST', '/auth/signin', {
      json: { username: account.username, password: 'wrong but short' },
    });
    expect(hashed.status).toBe(401);
    for (const password of ['€'.repeat(129), '😀'.repeat(129), 'x'.repeat(60 * 1024)]) {
      for (const [path, json] of [
        ['/auth/signup', { username: `long-${process.pid}-${++userCount}`, password }],
        ['/auth/signin', { username: account.username, password }],
      ] as const) {
        const answer = await call('POST', path, { json });
        expect(
          [answer.status, errorOf(answer).code, errorOf(answer).field],
          `${path} ${password.length}`,
        ).toEqual([400, 'validation_failed', 'password']);
      }
      const change = await call('POST', '/me/password', {
        json: { currentPassword: account.password, newPassword: password },
        headers: account.session,
      });
      expect([change.status, errorOf(change).field]).toEqual([400, 'newPassword']);
    }
    // 128 code points is a password, even when they are 256 UTF-16 units: never truncated, never refused.
    const astral = '😀'.repeat(128);
    const made = await call('POST', '/auth/signup', {
      json: { username: `astral-${process.pid}`, password: astral },
    });
    expect(made.status).toBe(201);
    expect(
      (
        await call('POST', '/auth/signin', {
          json: { username: `astral-${process.pid}`, password: '😀'.repeat(127) },
        })
      ).status,
    ).toBe(401);
    expect(
      (await call('POST', '/auth/signin', { json: { username: `astral-${process.pid}`, password: astral } }))
        .status,
    ).toBe(200);
    const huge = await call('POST', '/auth/signin', {
      json: { username: account.username, password: 'x'.repeat(70 * 1024) },
    });
    expect([huge.status, errorOf(huge).code]).toEqual([413, 'payload_too_large']);
    // The sign-in failures above were not counted against the account: it still signs in.
    expect(
      (
        await call('POST', '/auth/signin', {
          json: { username: account.username, password: account.password },
        })
      ).status,
    ).toBe(200);
  });

  it('14. Ａｌｉｃｅ beside alice: 409; a Cyrillic look-alike: 400; U+202E in a display name: 400; reserved names: 409', async () => {
    const alice = await call('POST', '/auth/signup', {
      json: { username: 'alice', password: 'a good password' },
    });
    expect(alice.status).toBe(201);
    for (const username of ['Ａｌｉｃｅ', 'ALICE', 'Alice']) {
      const answer = await call('POST', '/auth/signup', { json: { username, password: 'a good password' } });
      expect([answer.status, errorOf(answer).code], username).toEqual([409, 'username_taken']);
    }
    for (const username of ['аlice', 'alicе', 'al ice', '-alice', 'a'.repeat(40)]) {
      const answer = await call('POST', '/auth/signup', { json: { username, password: 'a good password' } });
      expect([answer.status, errorOf(answer).field], username).toEqual([400, 'username']);
    }
    // Signing in as Ａｌｉｃｅ is signing in as alice.
    expect(
      (await call('POST', '/auth/signin', { json: { username: 'Ａｌｉｃｅ', password: 'a good password' } }))
        .status,
    ).toBe(200);
    for (const displayName of ['evil\u202Etxt.exe', 'line\nbreak', 'bell\u0007', 'x'.repeat(65)]) {
      const answer = await call('POST', '/auth/signup', {
        json: { username: `dn-${process.pid}-${++userCount}`, password: 'a good password', displayName },
      });
      expect([answer.status, errorOf(answer).field], JSON.stringify(displayName)).toEqual([
        400,
        'displayName',
      ]);
      const patched = await call('PATCH', '/me', {
        json: { displayName },
        headers: { cookie: alice.headers.get('set-cookie')!.split(';')[0]! },
      });
      expect([patched.status, errorOf(patched).field]).toEqual([400, 'displayName']);
    }
    for (const username of [
      'admin',
      'root',
      'api',
      'me',
      'liveboard',
      'system',
      'support',
      'help',
      'anonymous',
      'guest',
      'owner',
      'ADMIN',
      'Ａｄｍｉｎ',
    ]) {
      const answer = await call('POST', '/auth/signup', { json: { username, password: 'a good password' } });
      expect([answer.status, errorOf(answer).code], username).toEqual([409, 'username_taken']);
    }
  });

  it('15. a new session on every sign-in; after sign-out or a password change the old cookie is anonymous', async () => {
    const account = await signUp('t15');
    // A cookie planted before sign-in (session fixation) is not the one after it.
    const planted = `liveboard_session=${randomBytes(32).toString('base64url')}`;
    const signedIn = await call('POST', '/auth/signin', {
      json: { username: account.username, password: account.password },
      headers: { cookie: planted },
    });
    const fresh = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    expect(fresh).not.toBe(planted);
    expect((await call('GET', '/me', { headers: { cookie: planted } })).status).toBe(401);
    // Signing in again, with that cookie, gives another one and ends it.
    const again = (
      await call('POST', '/auth/signin', {
        json: { username: account.username, password: account.password },
        headers: { cookie: fresh },
      })
    ).headers
      .get('set-cookie')!
      .split(';')[0]!;
    expect(again).not.toBe(fresh);
    expect((await call('GET', '/me', { headers: { cookie: fresh } })).status).toBe(401);
    // Sign-out.
    const signedOut = await call('POST', '/auth/signout', { headers: { cookie: again } });
    expect(signedOut.status).toBe(204);
    expect(signedOut.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await call('GET', '/me', { headers: { cookie: again } })).status).toBe(401);
    // A password change ends every other session (their streams too) and keeps the one that asked.
    const other = (
      await call('POST', '/auth/signin', { json: { username: account.username, password: account.password } })
    ).headers
      .get('set-cookie')!
      .split(';')[0]!;
    const stream = openStream('/events?boards=board-1', { cookie: other });
    await stream.waitFor(() => stream.opens > 0, 'the stream to open');
    await must(
      call('POST', '/me/password', {
        json: { currentPassword: account.password, newPassword: 'the new password' },
        headers: account.session,
      }),
      204,
    );
    expect((await call('GET', '/me', { headers: { cookie: other } })).status).toBe(401);
    expect((await call('GET', '/me', { headers: account.session })).status).toBe(200);
    await stream.waitFor(
      () => stream.named.some((event) => event.type === 'revoked'),
      'event: revoked',
      3000,
    );
    stream.close();
    expect(
      (
        await call('POST', '/auth/signin', {
          json: { username: account.username, password: account.password },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await call('POST', '/auth/signin', {
          json: { username: account.username, password: 'the new password' },
        })
      ).status,
    ).toBe(200);
    // An expired session is anonymous too.
    const expiring = (
      await call('POST', '/auth/signin', {
        json: { username: account.username, password: 'the new password' },
      })
    ).headers
      .get('set-cookie')!
      .split(';')[0]!;
    await expireInDatabase(server.databaseUrl, 'sessions', {
      column: 'id_hash',
      value: sha256(expiring.split('=')[1]!),
    });
    expect((await call('GET', '/me', { headers: { cookie: expiring } })).status).toBe(401);
  });

  it('16. used-up, expired, revoked invitations, or their creator no longer an owner: 410; a guessed one: 404, throttled', async () => {
    const owner = await signUp('o16');
    const coOwner = await signUp('c16');
    const board = await createBoard(owner);
    await addMember(board.id, owner, coOwner, 'owner');
    const invite = async (by: Account, extra: object = {}) =>
      (
        await must(
          call('POST', `/boards/${board.id}/invitations`, {
            json: { role: 'editor', ...extra },
            headers: by.bearer,
          }),
          201,
        )
      ).body as {
        invitation: { id: string };
        token: string;
      };
    const usedUp = await invite(owner, { maxUses: 1 });
    await must(
      call('POST', '/invitations/accept', {
        json: { token: usedUp.token },
        headers: (await signUp('a16')).bearer,
      }),
      200,
    );
    const expired = await invite(owner);
    await expireInDatabase(server.databaseUrl, 'invitations', { column: 'id', value: expired.invitation.id });
    const revoked = await invite(owner);
    await must(
      call('DELETE', `/boards/${board.id}/invitations/${revoked.invitation.id}`, { headers: owner.bearer }),
      204,
    );
    const orphaned = await invite(coOwner);
    await must(
      call('PATCH', `/boards/${board.id}/members/${coOwner.id}`, {
        json: { role: 'editor' },
        headers: owner.bearer,
      }),
      200,
    );
    const before = await seqOf(board.id, owner);
    const taker = await signUp('b16');
    for (const [what, token] of Object.entries({ usedUp, expired, revoked, orphaned }).map(
      ([k, v]) => [k, v.token] as const,
    )) {
      const preview = await call('POST', '/invitations/preview', { json: { token } });
      expect([preview.status, errorOf(preview).code], `${what} preview`).toEqual([
        410,
        'invitation_unavailable',
      ]);
      const accept = await call('POST', '/invitations/accept', { json: { token }, headers: taker.bearer });
      expect([accept.status, errorOf(accept).code], `${what} accept`).toEqual([
        410,
        'invitation_unavailable',
      ]);
      const signup = await call('POST', '/auth/signup', {
        json: {
          username: `inv-${process.pid}-${++userCount}`,
          password: 'a good password',
          invitation: token,
        },
      });
      expect(signup.status, `${what} sign-up`).toBe(410);
    }
    expect(await seqOf(board.id, owner)).toBe(before);
    expect((await call('GET', `/boards/${board.id}`, { headers: taker.bearer })).status).toBe(404);
    // Guessing: 404, and counted per address; past the limit even a good token is refused there.
    const address = nextAddress();
    const good = await invite(owner);
    let guesses = 0;
    for (;;) {
      const guess = await call('POST', '/invitations/preview', {
        json: { token: `lbi_${randomBytes(32).toString('base64url')}` },
        headers: { 'x-forwarded-for': address },
      });
      if (guess.status === 429) {
        expect(errorOf(guess).code).toBe('too_many_attempts');
        expect(Number(guess.headers.get('retry-after'))).toBeGreaterThan(0);
        break;
      }
      expect([guess.status, errorOf(guess).code]).toEqual([404, 'invitation_not_found']);
      guesses++;
      expect(guesses).toBeLessThanOrEqual(100);
    }
    expect(guesses).toBe(30);
    const blocked = await call('POST', '/invitations/preview', {
      json: { token: good.token },
      headers: { 'x-forwarded-for': address },
    });
    expect(blocked.status).toBe(429);
    expect((await call('POST', '/invitations/preview', { json: { token: good.token } })).status).toBe(200);
  });

  it('17. the last owner leaving or demoting themself: 409 last_owner', async () => {
    const owner = await signUp('o17');
    const board = await createBoard(owner);
    const before = await seqOf(board.id, owner);
    const leave = await call('DELETE', `/boards/${board.id}/members/${owner.id}`, { headers: owner.bearer });
    expect([leave.status, errorOf(leave).code]).toEqual([409, 'last_owner']);
    for (const role of ['editor', 'viewer']) {
      const demote = await call('PATCH', `/boards/${board.id}/members/${owner.id}`, {
        json: { role },
        headers: owner.session,
      });
      expect([demote.status, errorOf(demote).code]).toEqual([409, 'last_owner']);
    }
    expect(await seqOf(board.id, owner)).toBe(before);
    // With a second owner, either may go.
    const second = await signUp('s17');
    await addMember(board.id, owner, second, 'owner');
    await must(call('DELETE', `/boards/${board.id}/members/${owner.id}`, { headers: owner.bearer }), 204);
    const last = await call('PATCH', `/boards/${board.id}/members/${second.id}`, {
      json: { role: 'editor' },
      headers: second.bearer,
    });
    expect([last.status, errorOf(last).code]).toEqual([409, 'last_owner']);
  });

  it("18. another user reusing an Idempotency-Key with the same body: their own write, not a replay of someone else's", async () => {
    const owner = await signUp('o18');
    const other = await signUp('x18');
    const board = await createBoard(owner, 'public_edit');
    const key = `key-${randomBytes(8).toString('hex')}`;
    const body = { listId: board.listId, title: 'same body' };
    const first = await must(
      call('POST', `/boards/${board.id}/tasks`, {
        json: body,
        headers: { ...owner.bearer, 'idempotency-key': key },
      }),
      201,
    );
    const replay = await must(
      call('POST', `/boards/${board.id}/tasks`, {
        json: body,
        headers: { ...owner.bearer, 'idempotency-key': key },
      }),
      201,
    );
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    for (const headers of [other.bearer, {}]) {
      const theirs = await call('POST', `/boards/${board.id}/tasks`, {
        json: body,
        headers: { ...headers, 'idempotency-key': key },
      });
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(theirs.body.id).not.toBe(first.body.id);
    }
    const snapshot = (await must(call('GET', `/boards/${board.id}`, { headers: owner.bearer }), 200)).body;
    expect(
      snapshot.lists[0].tasks.filter((task: { title: string }) => task.title === 'same body'),
    ).toHaveLength(3);
  });

  it('19. the 65th stream of one user: 200 with a long retry:, a notice and a close; others unaffected', async () => {
    const user = await signUp('u19');
    const other = await signUp('x19');
    const board = await createBoard(user, 'public_edit');
    const streams: Stream[] = [];
    try {
      for (let index = 0; index < 64; index++)
        streams.push(openStream(`/boards/${board.id}/events`, user.bearer));
      await Promise.all(
        streams.map((stream) => stream.waitFor(() => stream.opens > 0, 'the stream to open', 10_000)),
      );
      // The 65th, raw: its bytes as sent.
      const over = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(
          `${base}/boards/${board.id}/events`,
          { headers: { ...user.bearer, 'x-forwarded-for': nextAddress() } },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.setTimeout(5000, () => req.destroy(new Error('the 65th stream did not close')));
        req.end();
      });
      bodies.push(over.text);
      expect(over.status).toBe(200);
      const retry = Number(/retry: (\d+)/.exec(over.text)?.[1]);
      expect(retry).toBeGreaterThanOrEqual(30_000);
      expect(over.text).toContain('event: notice');
      expect(over.text).toContain('"code":"too_many_streams"');
      // Through the eventsource package too: it hears the notice.
      const sixtySixth = openStream(`/boards/${board.id}/events`, user.bearer);
      await sixtySixth.waitFor(() => sixtySixth.named.some((event) => event.type === 'notice'), 'a notice');
      sixtySixth.close();
      // Others are unaffected: another user streams, and every open stream gets the next event.
      const others = openStream(`/boards/${board.id}/events`, other.bearer);
      const anonymous = openStream(`/boards/${board.id}/events`);
      streams.push(others, anonymous);
      await others.waitFor(() => others.opens > 0, 'another user’s stream');
      await anonymous.waitFor(() => anonymous.opens > 0, 'an anonymous stream');
      await must(
        call('POST', `/boards/${board.id}/lists`, { json: { title: 'news' }, headers: other.bearer }),
        201,
      );
      await Promise.all(
        streams.map((stream) =>
          stream.waitFor(
            () => stream.messages.some((message) => message.data.type === 'list_created'),
            'the event',
            10_000,
          ),
        ),
      );
      // Closing one gives its place back.
      streams.shift()!.close();
      const again = openStream(`/boards/${board.id}/events`, user.bearer);
      streams.push(again);
      await again.waitFor(() => again.opens > 0 || again.named.length > 0, 'the stream', 5000);
      if (again.opens === 0) {
        // The server may not have seen the close yet: the client is told to come back later, and does.
        await new Promise((resolve) => setTimeout(resolve, 500));
        const later = openStream(`/boards/${board.id}/events`, user.bearer);
        streams.push(later);
        await later.waitFor(() => later.opens > 0, 'a stream once a place is free');
      }
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it('20. resume after removal by Last-Event-ID, ?lastEventId= or after=: 404, no event replayed', async () => {
    const owner = await signUp('o20');
    const member = await signUp('m20');
    const board = await createBoard(owner);
    await addMember(board.id, owner, member, 'viewer');
    const seq = await seqOf(board.id, owner);
    const live = openStream(`/boards/${board.id}/events?lastEventId=${seq}`, member.bearer);
    await live.waitFor(() => live.opens > 0, 'the stream to open');
    await must(
      call('POST', `/boards/${board.id}/tasks`, {
        json: { listId: board.listId, title: 'seen' },
        headers: owner.bearer,
      }),
      201,
    );
    // A poll waiting for what comes after that task.
    const poll = call('GET', `/boards/${board.id}/poll?after=${seq + 1}&timeout=10`, {
      headers: member.session,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const removed = await must(
      call('DELETE', `/boards/${board.id}/members/${member.id}`, { headers: owner.bearer }),
      204,
    );
    const removedAt = Number(removed.headers.get('board-seq'));
    await must(
      call('POST', `/boards/${board.id}/tasks`, {
        json: { listId: board.listId, title: 'secret' },
        headers: owner.bearer,
      }),
      201,
    );
    // The stream gets its own member_removed, then nothing: its reconnect is 404 and it gives up.
    await live.waitFor(() => live.source.readyState === EventSource.CLOSED, 'the stream to end', 5000);
    expect(live.messages.map((message) => message.data.type)).toEqual(['task_created', 'member_removed']);
    expect(live.errors.at(-1)?.code).toBe(404);
    live.close();
    // The waiting poll answers its removal and stops there.
    const polled = await poll;
    expect(polled.status).toBe(200);
    expect(polled.body.events.map((event: { type: string }) => event.type)).toEqual(['member_removed']);
    expect(polled.text).not.toContain('secret');
    for (const headers of [member.bearer, member.session]) {
      const byHeader = await refusedStream(`/boards/${board.id}/events`, headers, {
        firstLastEventId: String(seq),
      });
      const byQuery = await refusedStream(`/boards/${board.id}/events?lastEventId=${seq}`, headers);
      const bySet = await refusedStream(`/events?boards=${board.id}:${seq}`, headers);
      for (const [how, answer] of Object.entries({ byHeader, byQuery, bySet })) {
        expect([answer.code, answer.body?.error.code, answer.messages], how).toEqual([
          404,
          'board_not_found',
          0,
        ]);
      }
      for (const path of [
        `/boards/${board.id}/poll?after=${seq}&timeout=0`,
        `/poll?boards=${board.id}:${seq}&timeout=0`,
        `/boards/${board.id}/poll?after=${removedAt}&timeout=0`,
      ]) {
        const answer = await call('GET', path, { headers });
        expect([answer.status, errorOf(answer).code], path).toEqual([404, 'board_not_found']);
        expect(answer.text).not.toContain('secret');
      }
    }
  });

  it('21. Host: attacker.example on REST and on the stream (both paths): 400 host_not_allowed', async () => {
    const owner = await signUp('o21');
    const board = await createBoard(owner, 'public_edit');
    const before = await seqOf(board.id, owner);
    const headers = { host: 'attacker.example', 'x-forwarded-for': nextAddress() };
    for (const path of [
      '/boards',
      `/boards/${board.id}`,
      `/boards/${board.id}/poll?timeout=0`,
      '/',
      '/docs/json',
    ]) {
      const answer = await rawRequest(path, headers);
      expect([answer.status, JSON.parse(answer.text).error.code], path).toEqual([400, 'host_not_allowed']);
    }
    const write = await rawRequest(
      `/boards/${board.id}/lists`,
      { ...headers, 'content-type': 'application/json' },
      { method: 'POST' },
    );
    expect(write.status).toBe(400);
    for (const path of [`/boards/${board.id}/events`, `/events?boards=${board.id}`]) {
      const fresh = await rawRequest(path, headers);
      expect([fresh.status, JSON.parse(fresh.text).error.code], path).toEqual([400, 'host_not_allowed']);
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        await rawRequest('/healthz', {}, { agent });
        const reused = await rawRequest(path, headers, { agent });
        expect([reused.status, reused.reused, JSON.parse(reused.text).error.code], path).toEqual([
          400,
          true,
          'host_not_allowed',
        ]);
      } finally {
        agent.destroy();
      }
    }
    expect(await seqOf(board.id, owner)).toBe(before);
    expect((await call('GET', '/healthz')).status).toBe(200);
  });

  it('22. the demo board: anonymous delete, visibility or member changes: 401; its lists and tasks stay editable by anyone', async () => {
    const demo = (await must(call('GET', '/boards/board-1'), 200)).body;
    expect([demo.visibility, demo.listed, demo.members]).toEqual(['public_edit', true, []]);
    const user = await signUp('u22');
    for (const [method, path, json] of [
      ['DELETE', '/boards/board-1', undefined],
      ['PATCH', '/boards/board-1/access', { visibility: 'private' }],
      ['POST', '/boards/board-1/members', { username: user.username, role: 'owner' }],
      ['DELETE', `/boards/board-1/members/${user.id}`, undefined],
      ['POST', '/boards/board-1/invitations', { role: 'owner' }],
      ['PATCH', '/boards/board-1', { title: 'Mine now' }],
    ] as const) {
      const before = (await call('GET', '/boards/board-1')).body.seq;
      const anonymous = await call(method, path, { json });
      expect([anonymous.status, errorOf(anonymous).code], `anonymous ${method} ${path}`).toEqual([
        401,
        'unauthenticated',
      ]);
      const signedIn = await call(method, path, { json, headers: user.bearer });
      expect([signedIn.status, errorOf(signedIn).code], `signed in ${method} ${path}`).toEqual([
        403,
        'forbidden',
      ]);
      expect((await call('GET', '/boards/board-1')).body.seq).toBe(before);
    }
    const list = await must(call('POST', '/boards/board-1/lists', { json: { title: 'anyone' } }), 201);
    await must(
      call('PATCH', `/boards/board-1/lists/${list.body.id}`, { json: { title: 'anyone, renamed' } }),
      200,
    );
    const task = await must(
      call('POST', '/boards/board-1/tasks', { json: { listId: list.body.id, title: 'anyone' } }),
      201,
    );
    await must(
      call('PATCH', `/boards/board-1/tasks/${task.body.id}`, {
        json: { title: 'by a user' },
        headers: user.session,
      }),
      200,
    );
    await must(call('DELETE', `/boards/board-1/tasks/${task.body.id}`), 204);
    await must(call('DELETE', `/boards/board-1/lists/${list.body.id}`), 204);
    const after = (await must(call('GET', '/boards/board-1'), 200)).body;
    expect([after.visibility, after.members]).toEqual(['public_edit', []]);
  });

  it('23. LIVEBOARD_SIGNUP=closed: sign-up 403 signup_closed; invite: only with a valid invitation', async () => {
    const closed = await startServer({
      env: { LIVEBOARD_SIGNUP: 'closed', LIVEBOARD_TRUST_PROXY: 'loopback' },
    });
    try {
      for (const json of [
        { username: 'newcomer', password: 'a good password' },
        {
          username: 'newcomer',
          password: 'a good password',
          invitation: `lbi_${randomBytes(32).toString('base64url')}`,
        },
      ]) {
        const answer = await call('POST', '/auth/signup', { url: closed.url, json });
        expect([answer.status, errorOf(answer).code]).toEqual([403, 'signup_closed']);
      }
      expect(
        (
          await call('POST', '/auth/signin', {
            url: closed.url,
            json: { username: 'newcomer', password: 'a good password' },
          })
        ).status,
      ).toBe(401);
    } finally {
      await closed.dispose();
    }

    // An owner and an invitation made while sign-up was open, then the same data with `invite`.
    const open = await startServer({ env: { LIVEBOARD_TRUST_PROXY: 'loopback' } });
    let invite: TestServer | undefined;
    try {
      const owner = await signUp('o23', open.url);
      const board = await must(
        call('POST', '/boards', { url: open.url, json: { title: 'Invite only' }, headers: owner.bearer }),
        201,
      );
      const invitation = (
        await must(
          call('POST', `/boards/${board.body.id}/invitations`, {
            url: open.url,
            json: { role: 'editor' },
            headers: owner.bearer,
          }),
          201,
        )
      ).body.token as string;
      await open.stop();
      invite = await startServer({
        databaseUrl: open.databaseUrl,
        env: { LIVEBOARD_SIGNUP: 'invite', LIVEBOARD_TRUST_PROXY: 'loopback' },
      });
      const url = invite.url;
      const without = await call('POST', '/auth/signup', {
        url,
        json: { username: 'invitee', password: 'a good password' },
      });
      expect([without.status, errorOf(without).code]).toEqual([403, 'signup_closed']);
      const guessed = await call('POST', '/auth/signup', {
        url,
        json: {
          username: 'invitee',
          password: 'a good password',
          invitation: `lbi_${randomBytes(32).toString('base64url')}`,
        },
      });
      expect([guessed.status, errorOf(guessed).code]).toEqual([404, 'invitation_not_found']);
      // No account was left behind by the refused sign-ups.
      expect(
        (
          await call('POST', '/auth/signin', {
            url,
            json: { username: 'invitee', password: 'a good password' },
          })
        ).status,
      ).toBe(401);
      const joined = await call('POST', '/auth/signup', {
        url,
        json: { username: 'invitee', password: 'a good password', invitation },
      });
      expect(joined.status).toBe(201);
      const cookie = joined.headers.get('set-cookie')!.split(';')[0]!;
      const access = await must(
        call('GET', `/boards/${board.body.id}/access`, { url, headers: { cookie } }),
        200,
      );
      expect(access.body.role).toBe('editor');
    } finally {
      await invite?.dispose();
      await open.dispose();
    }
  }, 90_000);

  it('24. no response of this file carried a password hash, another user’s token or a session id', () => {
    expect(bodies.length).toBeGreaterThan(500);
    const everything = bodies.join('\n');
    for (const needle of ['passwordHash', 'password_hash', '$argon2', 'argon2id', 'idHash', 'id_hash']) {
      expect(everything, needle).not.toContain(needle);
    }
    // A token's secret is in the one answer that made it, and nowhere else.
    for (const secret of tokenSecrets) {
      expect(bodies.filter((body) => body.includes(secret)).length, secret.slice(0, 8)).toBeLessThanOrEqual(
        1,
      );
      expect(everything).not.toContain(sha256(secret));
    }
    // A session's secret is only ever in Set-Cookie, never a body; nor is its hash (the session id).
    expect(sessionSecrets.size).toBeGreaterThan(20);
    for (const secret of sessionSecrets) {
      if (secret === '') continue;
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(sha256(secret));
    }
  });
});
