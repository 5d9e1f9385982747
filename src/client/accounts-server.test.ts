/**
 * The SDK's accounts and access surface against a real started server: a session (a cookie jar, as
 * a browser keeps), a token client, sharing and invitations, the typed errors, and subscriptions
 * that end when access does — over SSE (the `eventsource` package, the token through its `fetch`
 * option) and the long poll.
 */
import { EventSource } from 'eventsource';
import { describe, expect, it } from 'vitest';
import type { StreamMessage } from '../domain/index.js';
import { useServer } from '../../test/support/server.js';
import { LiveboardApiError, LiveboardClient, type Transport } from './index.js';

const live = useServer({ env: { LIVEBOARD_RETRY_MS: '100' } });
const PASSWORD = 'correct horse battery';

/** A fetch that keeps the cookies the server sets, as a browser does. */
function cookieJar(): typeof fetch {
  const jar = new Map<string, string>();
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const value = pair!.slice(at + 1);
      if (value) jar.set(pair!.slice(0, at), value);
      else jar.delete(pair!.slice(0, at));
    }
    return response;
  };
}

let count = 0;
async function newUser(): Promise<{ session: LiveboardClient; username: string; id: string }> {
  const username = `sdk-${process.pid}-${++count}`;
  const session = new LiveboardClient({ baseUrl: live.server.url, fetch: cookieJar(), EventSource });
  const user = await session.signUp({ username, password: PASSWORD, displayName: `User ${count}` });
  return { session, username, id: user.id };
}

/** What an anonymous caller is told of a board's access. */
async function cyAccess(boardId: string) {
  return new LiveboardClient({ baseUrl: live.server.url }).getAccess(boardId);
}

async function tokenClient(
  session: LiveboardClient,
  scope: 'read' | 'write' = 'write',
): Promise<LiveboardClient> {
  const { secret } = await session.createToken({ name: `sdk ${scope}`, scope });
  return new LiveboardClient({
    baseUrl: live.server.url,
    token: secret,
    EventSource,
    backoff: { initialMs: 50, maxMs: 200 },
  });
}

/** Reads a subscription in the background until it ends. */
function follow(client: LiveboardClient, boardId: string, from: number, transport: Transport) {
  const abort = new AbortController();
  const seen: StreamMessage[] = [];
  let failure: unknown;
  let ended = false;
  const done = (async () => {
    try {
      for await (const message of client.subscribe(boardId, {
        from,
        transport,
        signal: abort.signal,
        pollTimeoutSeconds: 2,
      })) {
        seen.push(message);
      }
    } catch (error) {
      failure = error;
    } finally {
      ended = true;
    }
  })();
  return {
    seen,
    get failure() {
      return failure;
    },
    get ended() {
      return ended;
    },
    done,
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}

async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<number> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - start;
}

describe('accounts through the SDK, against a real server', () => {
  it('signs up, knows who it is, changes its name, signs out (me() is then null)', async () => {
    const { session, username } = await newUser();
    expect(await session.me()).toMatchObject({ username, displayName: `User ${count}` });
    expect(await session.updateMe({ displayName: 'Renamed' })).toMatchObject({ displayName: 'Renamed' });
    await session.signOut();
    expect(await session.me()).toBeNull();
    await expect(session.signIn({ username, password: 'wrong password!' })).rejects.toMatchObject({
      status: 401,
      code: 'invalid_credentials',
    });
    expect(await session.signIn({ username, password: PASSWORD })).toMatchObject({ username });
  });

  it('makes, lists and revokes tokens; a token client sends Bearer, and a revoked one is invalid_token', async () => {
    const { session, username } = await newUser();
    const { token, secret } = await session.createToken({ name: 'script', scope: 'read', expiresInDays: 3 });
    expect(secret).toMatch(/^lbp_/);
    expect(token).toMatchObject({ name: 'script', scope: 'read', lastUsedAt: null });
    expect((await session.listTokens()).map((listed) => listed.id)).toContain(token.id);

    const client = new LiveboardClient({ baseUrl: live.server.url, token: secret });
    expect(await client.me()).toMatchObject({ username });
    // Token routes are a session's: a token there is forbidden.
    await expect(client.listTokens()).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    await session.revokeToken(token.id);
    await expect(client.listBoards()).rejects.toMatchObject({ status: 401, code: 'invalid_token' });
    await expect(session.revokeToken(token.id)).rejects.toMatchObject({
      status: 404,
      code: 'token_not_found',
    });
  });

  it('shares a board: members, access, invitations; a read token may not write', async () => {
    const ana = await newUser();
    const bo = await newUser();
    const board = (await ana.session.createBoard({ title: 'Shared' })).data;
    expect(board).toMatchObject({ visibility: 'private', listed: false });
    expect(await ana.session.getAccess(board.id)).toEqual({
      visibility: 'private',
      listed: false,
      role: 'owner',
    });
    await expect(bo.session.getBoard(board.id)).rejects.toMatchObject({
      status: 404,
      code: 'board_not_found',
    });

    const member = await ana.session.addMember(board.id, { username: bo.username, role: 'viewer' });
    expect(member).toEqual({ userId: bo.id, username: bo.username, role: 'viewer' });
    await expect(
      ana.session.addMember(board.id, { username: bo.username, role: 'viewer' }),
    ).rejects.toMatchObject({
      code: 'already_member',
    });
    await expect(
      ana.session.addMember(board.id, { username: 'nobody-at-all', role: 'viewer' }),
    ).rejects.toMatchObject({ status: 404, code: 'user_not_found' });
    const list = (await ana.session.createList(board.id, { title: 'To do' })).data;
    await expect(bo.session.createTask(board.id, { listId: list.id, title: 'x' })).rejects.toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    expect(await ana.session.updateMember(board.id, bo.id, { role: 'editor' })).toMatchObject({
      role: 'editor',
    });
    const readOnly = await tokenClient(bo.session, 'read');
    await expect(readOnly.createTask(board.id, { listId: list.id, title: 'x' })).rejects.toMatchObject({
      status: 403,
      code: 'insufficient_scope',
    });
    expect((await bo.session.createTask(board.id, { listId: list.id, title: 'ok' })).data.title).toBe('ok');
    expect((await ana.session.listMembers(board.id)).map((m) => [m.username, m.role])).toEqual([
      [ana.username, 'owner'],
      [bo.username, 'editor'],
    ]);
    await expect(ana.session.removeMember(board.id, ana.id)).rejects.toMatchObject({
      status: 409,
      code: 'last_owner',
    });

    expect(await ana.session.setAccess(board.id, { visibility: 'public', listed: true })).toMatchObject({
      visibility: 'public',
      listed: true,
    });
    expect(await cyAccess(board.id)).toMatchObject({ visibility: 'public', role: null });
    const { invitation, token } = await ana.session.createInvitation(board.id, {
      role: 'viewer',
      maxUses: 1,
    });
    expect(invitation).toMatchObject({ boardId: board.id, role: 'viewer', maxUses: 1, uses: 0 });
    expect((await ana.session.listInvitations(board.id)).map((i) => i.id)).toEqual([invitation.id]);
    const cy = await newUser();
    expect(await cy.session.previewInvitation(token)).toMatchObject({
      boardId: board.id,
      boardTitle: 'Shared',
      role: 'viewer',
      invitedBy: { username: ana.username },
    });
    expect(await cy.session.acceptInvitation(token)).toEqual({ boardId: board.id, role: 'viewer' });
    const dee = await newUser();
    await expect(dee.session.acceptInvitation(token)).rejects.toMatchObject({
      status: 410,
      code: 'invitation_unavailable',
    });
    await ana.session.revokeInvitation(board.id, invitation.id);
    await expect(dee.session.previewInvitation('not-a-token')).rejects.toBeInstanceOf(LiveboardApiError);
  });
});

describe.each(['sse', 'poll'] as const)('a subscription over %s, when access ends', (transport) => {
  it('a member removed from a private board gets its member_removed, then access_revoked, within 2 s', async () => {
    const ana = await newUser();
    const bo = await newUser();
    const boardId = (await ana.session.createBoard({ title: 'Private' })).data.id;
    const listId = (await ana.session.createList(boardId, { title: 'To do' })).data.id;
    await ana.session.addMember(boardId, { username: bo.username, role: 'viewer' });
    const boClient = await tokenClient(bo.session, 'read');
    await boClient.me(); // so it knows its own user
    const seq = (await boClient.getBoard(boardId)).seq;

    const follower = follow(boClient, boardId, seq, transport);
    await ana.session.createTask(boardId, { listId, title: 'seen' });
    await until(() => follower.seen.length === 1);
    const removedAt = Date.now();
    await ana.session.removeMember(boardId, bo.id);
    await until(() => follower.ended, 5000);
    expect(Date.now() - removedAt).toBeLessThan(2000);
    expect(follower.seen.map((message) => message.type)).toEqual(['task_created', 'member_removed']);
    expect(follower.failure).toMatchObject({
      status: 403,
      code: 'access_revoked',
      details: { reason: 'member_removed' },
    });
    // Nothing after it, and no retrying.
    await ana.session.createTask(boardId, { listId, title: 'not seen' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(follower.seen).toHaveLength(2);
  });

  it('a subscription whose token is revoked ends, and is not retried', async () => {
    const ana = await newUser();
    const boardId = (await ana.session.createBoard({ title: 'Revoked' })).data.id;
    const listId = (await ana.session.createList(boardId, { title: 'To do' })).data.id;
    const { token, secret } = await ana.session.createToken({ name: 'follower', scope: 'read' });
    const client = new LiveboardClient({
      baseUrl: live.server.url,
      token: secret,
      EventSource,
      backoff: { initialMs: 50, maxMs: 200 },
    });
    const follower = follow(client, boardId, 1, transport);
    await ana.session.createTask(boardId, { listId, title: 'seen' });
    await until(() => follower.seen.length === 1);
    await ana.session.revokeToken(token.id);
    await until(() => follower.ended, 5000);
    // Cut off by the server (`revoked`: access_revoked), or refused on the next request (401).
    const failure = follower.failure as LiveboardApiError;
    expect(failure).toBeInstanceOf(LiveboardApiError);
    expect(failure.code === 'access_revoked' || failure.status === 401).toBe(true);
  });

  it('a stream opened with a token that does not work ends at once with 401 invalid_token', async () => {
    const client = new LiveboardClient({
      baseUrl: live.server.url,
      token: 'lbp_000000000000000000000000000000000000',
      EventSource,
      backoff: { initialMs: 50, maxMs: 200 },
    });
    const follower = follow(client, 'board-1', 0, transport);
    await until(() => follower.ended, 5000);
    expect(follower.failure).toMatchObject({ status: 401, code: 'invalid_token' });
  });
});
