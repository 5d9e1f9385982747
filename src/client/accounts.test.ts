/**
 * The SDK's accounts surface against a fake fetch: each method's request (route, body, the token's
 * `Authorization`, `credentials`), its answer, and the typed errors. The same methods against a
 * real server: accounts-server.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { LiveboardApiError, LiveboardClient, permissionsOf } from './index.js';

interface Sent {
  method: string;
  path: string;
  body: unknown;
  headers: Record<string, string>;
  credentials: RequestCredentials | undefined;
}

/** A fetch that records every request and answers each from `answer` (default 204). */
function fakeFetch(answer: (sent: Sent) => Response | undefined = () => undefined) {
  const sent: Sent[] = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    const record: Sent = {
      method: init.method ?? 'GET',
      path: url.pathname + url.search,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      headers: { ...(init.headers as Record<string, string>) },
      credentials: init.credentials,
    };
    sent.push(record);
    return answer(record) ?? new Response(null, { status: 204 });
  };
  return { sent, fetch: fetch as typeof globalThis.fetch };
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const user = { id: 'user-1', username: 'ana', displayName: 'Ana', createdAt: '2026-01-01T00:00:00.000Z' };

describe('the SDK accounts methods', () => {
  it('sends the token as Authorization: Bearer on every request, and credentials same-origin', async () => {
    const { sent, fetch } = fakeFetch(() => json(200, { boards: [] }));
    const client = new LiveboardClient({ baseUrl: 'http://lb.test', fetch, token: 'lbp_secret' });
    await client.listBoards();
    expect(sent[0]!.headers.authorization).toBe('Bearer lbp_secret');
    expect(sent[0]!.credentials).toBe('same-origin');
  });

  it('sends no Authorization without a token (a browser: the cookie does it)', async () => {
    const { sent, fetch } = fakeFetch(() => json(200, { boards: [] }));
    const client = new LiveboardClient({ baseUrl: 'http://lb.test', fetch });
    await client.listBoards();
    expect(sent[0]!.headers.authorization).toBeUndefined();
    expect(sent[0]!.credentials).toBe('same-origin');
  });

  it('maps each method to its route and body', async () => {
    const { sent, fetch } = fakeFetch(({ method, path }) => {
      if (path.startsWith('/auth/sign') && method === 'POST' && !path.includes('out'))
        return json(200, { user });
      if (path === '/me' && method !== 'DELETE') return json(200, { user });
      if (path === '/me/tokens' && method === 'GET') return json(200, { tokens: [] });
      if (path === '/me/tokens' && method === 'POST')
        return json(201, { token: { id: 't1' }, secret: 'lbp_x' });
      if (path.endsWith('/access')) return json(200, { visibility: 'private', listed: false, role: 'owner' });
      if (path.endsWith('/members') && method === 'GET') return json(200, { members: [] });
      if (path.includes('/members') && method !== 'DELETE')
        return json(200, { userId: 'u2', username: 'bo', role: 'editor' });
      if (path.endsWith('/invitations') && method === 'GET') return json(200, { invitations: [] });
      if (path.endsWith('/invitations') && method === 'POST')
        return json(201, { invitation: { id: 'i1' }, token: 'inv' });
      if (path === '/invitations/preview')
        return json(200, { boardId: 'b', boardTitle: 'B', role: 'viewer', invitedBy: { username: 'ana' } });
      if (path === '/invitations/accept') return json(200, { boardId: 'b', role: 'viewer' });
      return undefined;
    });
    const client = new LiveboardClient({ baseUrl: 'http://lb.test', fetch });

    expect(await client.signUp({ username: 'ana', password: 'correct horse', invitation: 'inv' })).toEqual(
      user,
    );
    expect(client.user).toEqual(user);
    await client.signIn({ username: 'ana', password: 'correct horse' });
    expect(await client.me()).toEqual(user);
    await client.updateMe({ displayName: 'Ana B' });
    await client.changePassword({ currentPassword: 'a', newPassword: 'b' });
    expect(await client.listTokens()).toEqual([]);
    expect(await client.createToken({ name: 'ci', scope: 'read', expiresInDays: 30 })).toEqual({
      token: { id: 't1' },
      secret: 'lbp_x',
    });
    await client.revokeToken('t/1');
    expect(await client.getAccess('b 1')).toEqual({ visibility: 'private', listed: false, role: 'owner' });
    await client.setAccess('b', { visibility: 'public', listed: true });
    expect(await client.listMembers('b')).toEqual([]);
    await client.addMember('b', { username: 'bo', role: 'editor' });
    await client.updateMember('b', 'u2', { role: 'viewer' });
    await client.removeMember('b', 'u2');
    expect(await client.listInvitations('b')).toEqual([]);
    expect(await client.createInvitation('b', { role: 'viewer', maxUses: 3 })).toEqual({
      invitation: { id: 'i1' },
      token: 'inv',
    });
    await client.revokeInvitation('b', 'i1');
    expect((await client.previewInvitation('inv')).boardTitle).toBe('B');
    expect(await client.acceptInvitation('inv')).toEqual({ boardId: 'b', role: 'viewer' });
    await client.signOutEverywhere();
    expect(client.user).toBeNull();
    await client.signOut();

    expect(sent.map(({ method, path, body }) => [method, path, body])).toEqual([
      ['POST', '/auth/signup', { username: 'ana', password: 'correct horse', invitation: 'inv' }],
      ['POST', '/auth/signin', { username: 'ana', password: 'correct horse' }],
      ['GET', '/me', undefined],
      ['PATCH', '/me', { displayName: 'Ana B' }],
      ['POST', '/me/password', { currentPassword: 'a', newPassword: 'b' }],
      ['GET', '/me/tokens', undefined],
      ['POST', '/me/tokens', { name: 'ci', scope: 'read', expiresInDays: 30 }],
      ['DELETE', '/me/tokens/t%2F1', undefined],
      ['GET', '/boards/b%201/access', undefined],
      ['PATCH', '/boards/b/access', { visibility: 'public', listed: true }],
      ['GET', '/boards/b/members', undefined],
      ['POST', '/boards/b/members', { username: 'bo', role: 'editor' }],
      ['PATCH', '/boards/b/members/u2', { role: 'viewer' }],
      ['DELETE', '/boards/b/members/u2', undefined],
      ['GET', '/boards/b/invitations', undefined],
      ['POST', '/boards/b/invitations', { role: 'viewer', maxUses: 3 }],
      ['DELETE', '/boards/b/invitations/i1', undefined],
      ['POST', '/invitations/preview', { token: 'inv' }],
      ['POST', '/invitations/accept', { token: 'inv' }],
      ['POST', '/auth/signout-everywhere', undefined],
      ['POST', '/auth/signout', undefined],
    ]);
  });

  it('me() is null on a 401, and other errors are thrown', async () => {
    const anonymous = new LiveboardClient({
      baseUrl: 'http://lb.test',
      fetch: fakeFetch(() => json(401, { error: { code: 'unauthenticated', message: 'sign in' } })).fetch,
    });
    expect(await anonymous.me()).toBeNull();
    expect(anonymous.user).toBeNull();

    const down = new LiveboardClient({
      baseUrl: 'http://lb.test',
      fetch: fakeFetch(() => json(503, { error: { code: 'unavailable', message: 'later' } })).fetch,
    });
    await expect(down.me()).rejects.toMatchObject({ status: 503, code: 'unavailable' });
  });

  it('throws the typed errors of accounts and access', async () => {
    const cases = [
      [401, 'invalid_token'],
      [401, 'invalid_credentials'],
      [403, 'forbidden'],
      [403, 'insufficient_scope'],
      [404, 'user_not_found'],
      [409, 'last_owner'],
      [410, 'invitation_unavailable'],
      [429, 'too_many_attempts'],
    ] as const;
    for (const [status, code] of cases) {
      const client = new LiveboardClient({
        baseUrl: 'http://lb.test',
        fetch: fakeFetch(() => json(status, { error: { code, message: code } })).fetch,
      });
      const error = await client.addMember('b', { username: 'x', role: 'viewer' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LiveboardApiError);
      expect(error).toMatchObject({ status, code });
    }
  });

  it('exports permissionsOf, the one table of who may do what', () => {
    const board = {
      visibility: 'public' as const,
      members: [{ userId: 'u1', username: 'ana', role: 'viewer' as const }],
    };
    expect(permissionsOf(board, 'u1')).toMatchObject({ role: 'viewer', read: true, edit: false });
    expect(permissionsOf(board, null)).toMatchObject({ role: null, read: true, edit: false, manage: false });
  });
});
