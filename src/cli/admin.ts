import {
  isReservedUsername,
  normalizeDisplayName,
  normalizePassword,
  normalizeUsername,
  usernameTaken,
} from '../domain/accounts.js';
import { LiveboardError, type Role } from '../domain/index.js';
import type { CliContext } from './context.js';
import { UsageError } from './exit-codes.js';
import { ask, readStdin } from './prompt.js';
import { databaseUrl } from './serve.js';

/**
 * `liveboard admin …`: what an operator does on the database itself, not over HTTP, so it works
 * with the server stopped, before any account exists, and for a user who cannot sign in. Like
 * `serve`, it reads DATABASE_URL (or `--db`), default `file:./data/liveboard.db`. The store, the
 * write path and the password hashing are imported lazily, so the other commands do not load them.
 *
 * A change of a board's members goes through the one write path (BoardWriter), so it is an event
 * in the board's log like any other, signed `by: null` (an operator). Revocations are announced as
 * the server's own are; a server on another SQLite process hears of them by its sweep (30 s).
 */
export interface AdminOptions {
  db?: string;
}

type Opened = Awaited<ReturnType<typeof openDatabase>>;

async function openDatabase(options: AdminOptions) {
  const url = databaseUrl(options.db ?? process.env.DATABASE_URL ?? 'file:./data/liveboard.db');
  const { openStore } = await import('../store/open-store.js');
  const store = await openStore(url);
  await store.migrate();
  return { store, url };
}

async function withDatabase<T>(options: AdminOptions, work: (opened: Opened) => Promise<T>): Promise<T> {
  const opened = await openDatabase(options);
  try {
    return await work(opened);
  } finally {
    await opened.store.close();
  }
}

export async function createUser(
  ctx: CliContext,
  rawUsername: string,
  options: AdminOptions & { passwordStdin?: boolean; displayName?: string },
): Promise<void> {
  const username = normalizeUsername(rawUsername);
  if (isReservedUsername(username)) throw usernameTaken(username);
  const displayName = normalizeDisplayName(options.displayName);
  const password = normalizePassword(await newPassword(username, options));
  const { hashPassword } = await import('../accounts/passwords.js');
  const passwordHash = await hashPassword(password);
  const user = await withDatabase(options, async ({ store }) => {
    if (await store.accounts.userByUsername(username)) throw usernameTaken(username);
    return store.accounts.createUser({ username, displayName, passwordHash, now: new Date() });
  });
  if (ctx.json) return ctx.out(JSON.stringify({ id: user.id, username: user.username }));
  ctx.out(`${ctx.colors.green('✓')} created user ${user.username} ${ctx.colors.dim(`(${user.id})`)}`);
}

/** Sets a new password and ends every session of the user (their API tokens stay: revoke-sessions ends those). */
export async function resetPassword(
  ctx: CliContext,
  rawUsername: string,
  options: AdminOptions & { passwordStdin?: boolean },
): Promise<void> {
  const username = normalizeUsername(rawUsername);
  const password = normalizePassword(await newPassword(username, options));
  const { hashPassword } = await import('../accounts/passwords.js');
  const hash = await hashPassword(password);
  await withDatabase(options, async ({ store }) => {
    const user = await requireUser(store, username);
    await store.accounts.setPasswordHash(user.id, hash);
    await store.accounts.revokeUserSessions(user.id);
  });
  if (ctx.json) return ctx.out(JSON.stringify({ username, sessionsEnded: true }));
  ctx.out(`${ctx.colors.green('✓')} new password for ${username}; every session of theirs ended`);
}

/** Makes a user a member of a board with a role (or changes their role): the way to claim an ownerless board. */
export async function grant(
  ctx: CliContext,
  boardId: string,
  rawUsername: string,
  rawRole: string,
  options: AdminOptions,
): Promise<void> {
  const role = parseRole(rawRole);
  const username = normalizeUsername(rawUsername);
  const [{ BoardWriter }, { Broadcaster }, { createMetrics }] = await Promise.all([
    import('../writer/board-writer.js'),
    import('../live/broadcaster.js'),
    import('../metrics.js'),
  ]);
  const { seq, change } = await withDatabase(options, async ({ store }) => {
    const user = await requireUser(store, username);
    const board = await store.getBoard(boardId);
    if (!board) throw new LiveboardError('board_not_found', `no board '${boardId}'`);
    const metrics = createMetrics();
    const writer = new BoardWriter(store, new Broadcaster(store, metrics), metrics);
    const member = board.members.find((candidate) => candidate.userId === user.id);
    if (member?.role === role) return { seq: board.seq, change: 'unchanged' as const };
    const outcome = await writer.execute(
      boardId,
      member
        ? { type: 'update_member', userId: user.id, role }
        : { type: 'add_member', userId: user.id, username: user.username, role },
      { by: null, operator: true },
    );
    return { seq: outcome.seq, change: member ? ('updated' as const) : ('added' as const) };
  });
  if (ctx.json) return ctx.out(JSON.stringify({ boardId, username, role, change, seq }));
  const what = change === 'unchanged' ? 'already' : 'now';
  ctx.out(
    `${ctx.colors.green('✓')} ${username} is ${what} ${role} on ${boardId} ${ctx.colors.dim(`(seq ${seq})`)}`,
  );
}

/** Ends every session and revokes every API token of a user: their open streams end too. */
export async function revokeSessions(
  ctx: CliContext,
  rawUsername: string,
  options: AdminOptions,
): Promise<void> {
  const username = normalizeUsername(rawUsername);
  await withDatabase(options, async ({ store }) => {
    const user = await requireUser(store, username);
    await store.accounts.revokeUser(user.id, new Date());
  });
  if (ctx.json) return ctx.out(JSON.stringify({ username, revoked: true }));
  ctx.out(`${ctx.colors.green('✓')} every session and API token of ${username} is revoked`);
}

async function requireUser(store: Opened['store'], username: string) {
  const user = await store.accounts.userByUsername(username);
  if (!user) throw new LiveboardError('user_not_found', `no user '${username}'`);
  return user;
}

/** From stdin with --password-stdin; else asked twice on the terminal, without echo. */
async function newPassword(username: string, options: { passwordStdin?: boolean }): Promise<string> {
  if (options.passwordStdin) return readStdin();
  const instead = 'pass --password-stdin';
  const first = await ask(`New password for ${username}: `, { secret: true, instead });
  const again = await ask('Again: ', { secret: true, instead });
  if (first !== again) throw new UsageError('the two passwords differ; nothing was changed');
  return first;
}

function parseRole(value: string): Role {
  if (value !== 'owner' && value !== 'editor' && value !== 'viewer') {
    throw new UsageError(`a role is one of owner, editor, viewer; got '${value}'`);
  }
  return value;
}
