import { hostname } from 'node:os';
import {
  LiveboardApiError,
  LiveboardClient,
  type Member,
  type Role,
  type TokenScope,
  type User,
  type Visibility,
} from '../client/index.js';
import type { CliContext } from './context.js';
import { saveLogin } from './credentials.js';
import { NotFoundError, UsageError } from './exit-codes.js';
import { ask, readStdin } from './prompt.js';
import { sessionFetch } from './session-fetch.js';

const ROLES: readonly Role[] = ['owner', 'editor', 'viewer'];
const VISIBILITIES: readonly Visibility[] = ['private', 'public', 'public_edit'];

export interface PasswordOptions {
  username?: string;
  passwordStdin?: boolean;
}

export interface LoginOptions extends PasswordOptions {
  withToken?: boolean;
  scope?: string;
}

/**
 * `liveboard login`: with a password, a session lives just long enough to make an API token (sign
 * in, POST /me/tokens, sign out), and only the token is kept, in the credentials file (0600). With
 * `--with-token`, the token read from stdin is checked (GET /me) and kept.
 */
export async function login(ctx: CliContext, options: LoginOptions): Promise<void> {
  if (options.withToken && options.passwordStdin) {
    throw new UsageError('use --with-token or --password-stdin, not both');
  }
  const scope = parseScope(options.scope ?? 'write');
  const previous = ctx.login;
  let user: User;
  if (options.withToken) {
    const token = (await readStdin()).trim();
    if (!token) throw new UsageError('--with-token reads an API token (lbp_…) from stdin; it was empty');
    const client = new LiveboardClient({ baseUrl: ctx.url, token });
    const me = await client.me();
    if (!me) throw new LiveboardApiError(401, 'invalid_token', 'the server refused that token');
    user = me;
    await saveLogin(ctx.url, { token, username: user.username }, ctx.credentialsPath);
  } else {
    const made = await withSession(ctx, options, (client) =>
      client.createToken({ name: `liveboard CLI on ${hostname()}`, scope }),
    );
    user = made.user;
    const { token, secret } = made.result;
    await saveLogin(
      ctx.url,
      { token: secret, tokenId: token.id, username: user.username },
      ctx.credentialsPath,
    );
  }
  // The token this one replaces is of no more use: end it (a token may revoke itself), if it still works.
  if (previous?.tokenId) await revokeQuietly(ctx, previous.token, previous.tokenId);
  if (ctx.json) return ctx.out(JSON.stringify({ user, server: ctx.url, credentials: ctx.credentialsPath }));
  ctx.out(
    `${ctx.colors.green('✓')} signed in to ${ctx.url} as ${user.username}; token saved in ${ctx.credentialsPath}`,
  );
  if (ctx.tokenSource === 'env') {
    ctx.err(
      ctx.errColors.yellow('liveboard: note: LIVEBOARD_TOKEN is set, and it wins over the saved token'),
    );
  }
}

/** `liveboard logout`: revokes the saved token on the server (a token may end itself) and forgets it. */
export async function logout(ctx: CliContext): Promise<void> {
  const saved = ctx.login;
  if (!saved) {
    ctx.out(`not signed in to ${ctx.url} (nothing saved in ${ctx.credentialsPath})`);
    if (ctx.tokenSource === 'env') ctx.out('LIVEBOARD_TOKEN is set: unset it to stop using that token');
    return;
  }
  let revoked = false;
  if (saved.tokenId) revoked = await revokeQuietly(ctx, saved.token, saved.tokenId);
  await saveLogin(ctx.url, undefined, ctx.credentialsPath);
  if (ctx.json) return ctx.out(JSON.stringify({ server: ctx.url, revoked }));
  ctx.out(
    `${ctx.colors.green('✓')} signed out of ${ctx.url} (${saved.username}); ${
      revoked
        ? 'the token is revoked'
        : saved.tokenId
          ? 'the token no longer worked'
          : 'the token you gave with --with-token still works: revoke it in the web app, Settings'
    }`,
  );
}

export async function whoami(ctx: CliContext): Promise<void> {
  const user = await ctx.client.me();
  if (!user) {
    throw new LiveboardApiError(
      401,
      ctx.token ? 'invalid_token' : 'unauthenticated',
      ctx.token ? `the server refused the token (${tokenOrigin(ctx)})` : `not signed in to ${ctx.url}`,
    );
  }
  if (ctx.json) return ctx.out(JSON.stringify(user));
  const display = user.displayName ? ` (${user.displayName})` : '';
  ctx.out(`${user.username}${display} at ${ctx.url} ${ctx.colors.dim(`· token from ${tokenOrigin(ctx)}`)}`);
}

export async function members(ctx: CliContext, boardId: string): Promise<void> {
  const list = await ctx.client.listMembers(boardId);
  if (ctx.json) return ctx.out(JSON.stringify(list));
  if (list.length === 0) {
    return ctx.out(
      ctx.colors.dim(`${boardId} has no members (an open board: see liveboard visibility ${boardId})`),
    );
  }
  const width = Math.max(...list.map((member) => member.username.length));
  for (const member of list) {
    ctx.out(`${member.username.padEnd(width)}  ${member.role.padEnd(6)}  ${ctx.colors.dim(member.userId)}`);
  }
}

/** Adds a member, or changes the role of one who already is. */
export async function share(
  ctx: CliContext,
  boardId: string,
  username: string,
  options: { role?: string },
): Promise<void> {
  const role = parseRole(options.role ?? 'editor');
  let member: Member;
  try {
    member = await ctx.client.addMember(boardId, { username, role });
  } catch (error) {
    if (!(error instanceof LiveboardApiError) || error.code !== 'already_member') throw error;
    const existing = await findMember(ctx, boardId, username);
    member = await ctx.client.updateMember(boardId, existing.userId, { role });
  }
  if (ctx.json) return ctx.out(JSON.stringify(member));
  ctx.out(`${ctx.colors.green('✓')} ${member.username} is ${member.role} on ${boardId}`);
}

export async function unshare(ctx: CliContext, boardId: string, username: string): Promise<void> {
  const member = await findMember(ctx, boardId, username);
  await ctx.client.removeMember(boardId, member.userId);
  if (ctx.json) return ctx.out(JSON.stringify({ removed: member }));
  ctx.out(`${ctx.colors.green('✓')} ${member.username} is no longer a member of ${boardId}`);
}

export async function invite(
  ctx: CliContext,
  boardId: string,
  options: { role?: string; expires?: string; uses?: string; label?: string },
): Promise<void> {
  const input = {
    role: parseRole(options.role ?? 'viewer'),
    ...(options.expires !== undefined ? { expiresInDays: parseDays('--expires', options.expires) } : {}),
    ...(options.uses !== undefined ? { maxUses: parseCount('--uses', options.uses) } : {}),
    ...(options.label !== undefined ? { label: options.label } : {}),
  };
  const { invitation, token } = await ctx.client.createInvitation(boardId, input);
  const link = `${ctx.url}/invite#${token}`;
  if (ctx.json) return ctx.out(JSON.stringify({ invitation, url: link }));
  ctx.out(link);
  const limits = [
    invitation.expiresAt ? `until ${invitation.expiresAt}` : 'no expiry',
    invitation.maxUses === null ? 'any number of uses' : `${invitation.maxUses} use(s)`,
  ];
  ctx.err(
    ctx.errColors.dim(`liveboard: invites as ${invitation.role}, ${limits.join(', ')} (${invitation.id})`),
  );
}

export async function visibility(
  ctx: CliContext,
  boardId: string,
  value: string | undefined,
  options: { listed?: boolean; unlisted?: boolean },
): Promise<void> {
  if (options.listed && options.unlisted) throw new UsageError('use --listed or --unlisted, not both');
  const patch: { visibility?: Visibility; listed?: boolean } = {};
  if (value !== undefined) {
    if (!(VISIBILITIES as readonly string[]).includes(value)) {
      throw new UsageError(`visibility is one of ${VISIBILITIES.join(', ')}; got '${value}'`);
    }
    patch.visibility = value as Visibility;
  }
  if (options.listed) patch.listed = true;
  if (options.unlisted) patch.listed = false;
  const access =
    Object.keys(patch).length > 0
      ? await ctx.client.setAccess(boardId, patch)
      : await ctx.client.getAccess(boardId);
  if (ctx.json) return ctx.out(JSON.stringify(access));
  const mark = Object.keys(patch).length > 0 ? `${ctx.colors.green('✓')} ` : '';
  ctx.out(
    `${mark}${boardId} is ${access.visibility}, ${access.listed ? 'listed' : 'unlisted'}; your role: ${access.role ?? 'none (guest)'}`,
  );
}

// ─── API tokens: a session's business, so each of these signs in for the moment it takes ─────────

export async function listTokens(ctx: CliContext, options: PasswordOptions): Promise<void> {
  const { result } = await withSession(ctx, options, (client) => client.listTokens());
  if (ctx.json) return ctx.out(JSON.stringify(result));
  if (result.length === 0) return ctx.out(ctx.colors.dim('no API tokens'));
  const width = Math.max(...result.map((token) => token.name.length));
  for (const token of result) {
    const current = token.id === ctx.login?.tokenId ? ctx.colors.green(' (this CLI)') : '';
    const expires = token.expiresAt ? `expires ${token.expiresAt.slice(0, 10)}` : 'no expiry';
    const used = token.lastUsedAt
      ? `last used ${token.lastUsedAt.slice(0, 16).replace('T', ' ')}`
      : 'never used';
    ctx.out(
      `${ctx.colors.cyan(token.id)}  ${token.name.padEnd(width)}  ${token.scope.padEnd(5)}  ${ctx.colors.dim(`${expires}, ${used}`)}${current}`,
    );
  }
}

export async function createToken(
  ctx: CliContext,
  name: string,
  options: PasswordOptions & { scope?: string; expires?: string },
): Promise<void> {
  const input = {
    name,
    scope: parseScope(options.scope ?? 'read'),
    ...(options.expires !== undefined ? { expiresInDays: parseDays('--expires', options.expires) } : {}),
  };
  const { result } = await withSession(ctx, options, (client) => client.createToken(input));
  if (ctx.json) return ctx.out(JSON.stringify(result));
  // The secret alone on stdout, so that `liveboard tokens create ci | …` pipes just it.
  ctx.out(result.secret);
  ctx.err(
    ctx.errColors.dim(
      `liveboard: token ${result.token.id} "${result.token.name}" (${result.token.scope}); the secret is shown this once`,
    ),
  );
}

export async function revokeToken(ctx: CliContext, tokenId: string, options: PasswordOptions): Promise<void> {
  await withSession(ctx, options, (client) => client.revokeToken(tokenId));
  if (ctx.json) return ctx.out(JSON.stringify({ revoked: tokenId }));
  ctx.out(`${ctx.colors.green('✓')} revoked ${tokenId}`);
  if (tokenId === ctx.login?.tokenId) {
    await saveLogin(ctx.url, undefined, ctx.credentialsPath);
    ctx.out(`that was this CLI's token: signed out of ${ctx.url}`);
  }
}

/**
 * Signs in with a password (asked on the terminal, or read from stdin with --password-stdin), runs
 * `work` with the session, and signs out whatever happens: no session outlives the command.
 */
async function withSession<T>(
  ctx: CliContext,
  options: PasswordOptions,
  work: (client: LiveboardClient) => Promise<T>,
): Promise<{ user: User; result: T }> {
  const username =
    options.username ??
    (options.passwordStdin ? ctx.login?.username : undefined) ??
    (await ask(`Username at ${ctx.url}: `, {
      instead: 'pass --username <name> and --password-stdin',
    }));
  if (!username.trim()) throw new UsageError('a username is needed');
  const password = options.passwordStdin
    ? await readStdin()
    : await ask(`Password for ${username}: `, { secret: true, instead: 'pass --password-stdin' });
  if (!password) throw new UsageError('a password is needed');
  const client = new LiveboardClient({ baseUrl: ctx.url, fetch: sessionFetch() });
  const user = await client.signIn({ username: username.trim(), password });
  try {
    return { user, result: await work(client) };
  } finally {
    await client.signOut().catch(() => undefined);
  }
}

/** Revokes a token with itself (DELETE /me/tokens/<its own id>); false when it no longer works. */
async function revokeQuietly(ctx: CliContext, token: string, tokenId: string): Promise<boolean> {
  try {
    await new LiveboardClient({ baseUrl: ctx.url, token }).revokeToken(tokenId);
    return true;
  } catch (error) {
    if (error instanceof LiveboardApiError && [401, 403, 404].includes(error.status)) return false;
    throw error;
  }
}

async function findMember(ctx: CliContext, boardId: string, username: string): Promise<Member> {
  const wanted = username.normalize('NFKC').toLowerCase();
  const member = (await ctx.client.listMembers(boardId)).find((candidate) => candidate.username === wanted);
  if (!member)
    throw new NotFoundError(`${wanted} is not a member of ${boardId} (see liveboard members ${boardId})`);
  return member;
}

function tokenOrigin(ctx: CliContext): string {
  return ctx.tokenSource === 'env' ? 'LIVEBOARD_TOKEN' : ctx.credentialsPath;
}

export function parseRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new UsageError(`a role is one of ${ROLES.join(', ')}; got '${value}'`);
  }
  return value as Role;
}

function parseScope(value: string): TokenScope {
  if (value !== 'read' && value !== 'write') throw new UsageError(`--scope is read or write; got '${value}'`);
  return value;
}

/** `7d`, `7` (days) or `2w` (weeks), in whole days. */
function parseDays(flag: string, value: string): number {
  const match = /^(\d{1,5})([dw]?)$/.exec(value.trim());
  const days = match ? Number(match[1]) * (match[2] === 'w' ? 7 : 1) : Number.NaN;
  if (!Number.isInteger(days) || days < 1)
    throw new UsageError(`${flag} takes days, such as 7d or 2w; got '${value}'`);
  return days;
}

function parseCount(flag: string, value: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) {
    throw new UsageError(`${flag} takes a whole number ≥ 1; got '${value}'`);
  }
  return Number(value);
}
