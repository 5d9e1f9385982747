import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Role } from '../../domain/index.js';
import { newAccountId, usernameTaken } from '../../domain/accounts.js';
import {
  RevocationListeners,
  invitationFromRow,
  invitationNotFound,
  isRevocation,
  sessionFromRow,
  tokenFromRow,
  tokenNotFound,
  userFromPrefixedRow,
  userFromRow,
  userNotFound,
  type AccountStore,
  type AttemptWindow,
  type InvitationRecord,
  type InvitationRow,
  type PrefixedUserRow,
  type Revocation,
  type RevocationListener,
  type SessionRecord,
  type SessionRow,
  type TokenRecord,
  type TokenRow,
  type TokenScope,
  type UserRecord,
  type UserRow,
} from '../accounts.js';
import { UNIQUE_VIOLATION } from './statements.js';

export const REVOCATION_CHANNEL = 'liveboard_revocations';

const USER_COLUMNS = 'id, username, display_name, password_hash, created_at';
const PREFIXED_USER_COLUMNS =
  'u.id AS u_id, u.username AS u_username, u.display_name AS u_display_name, u.password_hash AS u_password_hash, u.created_at AS u_created_at';
const TOKEN_COLUMNS =
  't.id, t.user_id, t.name, t.scope, t.created_at, t.expires_at, t.last_used_at, t.revoked_at';
const INVITATION_SELECT = `
  SELECT i.id, i.board_id, i.role, i.label, i.created_by, u.username AS created_by_username, i.created_at,
         i.expires_at, i.max_uses, i.uses, i.revoked_at
  FROM invitations i JOIN users u ON u.id = i.created_by`;

/**
 * The NOTIFY that announces a revocation, sent by the statement that revokes, only when it changed
 * something: one statement is one transaction, so the notice is delivered if, and only after, the
 * revocation commits. The payload names the schema (`ns`), so stores on other schemas of the same
 * database (tests run side by side) ignore it, and the sending store (`origin`), which has told its
 * own listeners already.
 */
const notifyIfAny = (changed: string) => `
  SELECT pg_notify('${REVOCATION_CHANNEL}',
           json_build_object('ns', current_schema(), 'origin', $1::text, 'revocation', $2::json)::text)
  WHERE EXISTS (SELECT 1 FROM ${changed})`;

const SQL = {
  insertUser: `INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`,
  userById: `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`,
  userByUsername: `SELECT ${USER_COLUMNS} FROM users WHERE username = $1`,
  setDisplayName: `UPDATE users SET display_name = $2 WHERE id = $1 RETURNING ${USER_COLUMNS}`,
  setPasswordHash: 'UPDATE users SET password_hash = $2 WHERE id = $1',
  countUsers: 'SELECT COUNT(*) AS count FROM users',

  insertSession: `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at)
    VALUES ($1, $2, $3, $3, $4)`,
  sessionByHash: `SELECT s.id_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, ${PREFIXED_USER_COLUMNS}
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id_hash = $1 AND s.expires_at > $2`,
  touchSession:
    'UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1 AND expires_at > $2',
  revokeSession: `WITH gone AS (DELETE FROM sessions WHERE id_hash = $3 RETURNING 1) ${notifyIfAny('gone')}`,
  revokeUserSessions: `WITH gone AS (
      DELETE FROM sessions WHERE user_id = $3 AND ($4::text IS NULL OR id_hash <> $4) RETURNING 1
    ) ${notifyIfAny('gone')}`,
  revokeUser: `WITH sessions_gone AS (DELETE FROM sessions WHERE user_id = $3 RETURNING 1),
      tokens_gone AS (
        UPDATE api_tokens SET revoked_at = $4 WHERE user_id = $3 AND revoked_at IS NULL RETURNING 1
      ),
      gone AS (SELECT 1 FROM sessions_gone UNION ALL SELECT 1 FROM tokens_gone)
    ${notifyIfAny('gone')}`,
  pruneSessions: 'DELETE FROM sessions WHERE expires_at <= $1',
  liveSessions: 'SELECT id_hash FROM sessions WHERE id_hash = ANY($1::text[]) AND expires_at > $2',

  insertToken: `INSERT INTO api_tokens (id, hash, user_id, name, scope, created_at, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  tokensOfUser: `SELECT ${TOKEN_COLUMNS} FROM api_tokens t WHERE t.user_id = $1 AND t.revoked_at IS NULL
    ORDER BY t.created_at, t.id COLLATE "C"`,
  tokenByHash: `SELECT ${TOKEN_COLUMNS}, ${PREFIXED_USER_COLUMNS}
    FROM api_tokens t JOIN users u ON u.id = t.user_id
    WHERE t.hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)`,
  touchToken: 'UPDATE api_tokens SET last_used_at = $2 WHERE id = $1',
  revokeToken: `WITH gone AS (
      UPDATE api_tokens SET revoked_at = $5 WHERE id = $3 AND user_id = $4 AND revoked_at IS NULL RETURNING 1
    ) ${notifyIfAny('gone')}`,
  liveTokens: `SELECT id FROM api_tokens WHERE id = ANY($1::text[])
    AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`,

  insertInvitation: `INSERT INTO invitations (id, hash, board_id, role, label, created_by, created_at, expires_at, max_uses)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
  invitationById: `${INVITATION_SELECT} WHERE i.id = $1`,
  invitationByHash: `${INVITATION_SELECT} WHERE i.hash = $1`,
  invitationsOfBoard: `${INVITATION_SELECT} WHERE i.board_id = $1 AND i.revoked_at IS NULL
    ORDER BY i.created_at, i.id COLLATE "C"`,
  // One UPDATE that checks and takes the use: a concurrent one waits for the row, then checks again
  // on the row as the first left it (READ COMMITTED re-evaluates the WHERE), so the last use is
  // taken once.
  consumeInvitation: `UPDATE invitations SET uses = uses + 1
    WHERE id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
      AND (max_uses IS NULL OR uses < max_uses)`,
  revokeInvitation:
    'UPDATE invitations SET revoked_at = $3 WHERE id = $1 AND board_id = $2 AND revoked_at IS NULL',

  insertAttempt: 'INSERT INTO attempts (bucket, at) VALUES ($1, $2)',
  attemptsSince: `SELECT COUNT(*)::int AS count, MIN(at) AS first, MAX(at) AS last
    FROM attempts WHERE bucket = $1 AND at >= $2`,
  clearAttempts: 'DELETE FROM attempts WHERE bucket = $1',
  pruneAttempts: 'DELETE FROM attempts WHERE at < $1',
} as const;

/**
 * The accounts of the PostgreSQL store, on its pool. Every method is one statement, so one
 * transaction: a revocation and its NOTIFY commit together; an invitation's use is checked and taken
 * at once. Revocations from other processes arrive on a LISTEN connection of their own, opened by
 * the first watchRevocations (a store nobody asks never opens one).
 */
export class PostgresAccountStore implements AccountStore {
  /** Tells this store's own notices from other processes'. */
  private readonly origin = randomUUID();
  private readonly listeners = new RevocationListeners();
  private feed: RevocationFeed | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly clientConfig: pg.ClientConfig,
  ) {}

  async close(): Promise<void> {
    await this.feed?.stop();
    this.feed = undefined;
  }

  async createUser(input: {
    username: string;
    displayName: string;
    passwordHash: string;
    now: Date;
  }): Promise<UserRecord> {
    const user: UserRecord = {
      id: newAccountId('user'),
      username: input.username,
      displayName: input.displayName,
      passwordHash: input.passwordHash,
      createdAt: input.now.toISOString(),
    };
    try {
      await this.pool.query(SQL.insertUser, [
        user.id,
        user.username,
        user.displayName,
        user.passwordHash,
        user.createdAt,
      ]);
    } catch (error) {
      const { code, constraint } = error as { code?: unknown; constraint?: unknown };
      if (code === UNIQUE_VIOLATION && constraint === 'users_username_key') {
        throw usernameTaken(input.username);
      }
      throw error;
    }
    return user;
  }

  async userById(id: string): Promise<UserRecord | undefined> {
    const { rows } = await this.pool.query<UserRow>(SQL.userById, [id]);
    return rows[0] && userFromRow(rows[0]);
  }

  async userByUsername(username: string): Promise<UserRecord | undefined> {
    const { rows } = await this.pool.query<UserRow>(SQL.userByUsername, [username]);
    return rows[0] && userFromRow(rows[0]);
  }

  async updateDisplayName(userId: string, displayName: string): Promise<UserRecord> {
    const { rows } = await this.pool.query<UserRow>(SQL.setDisplayName, [userId, displayName]);
    if (!rows[0]) throw userNotFound(userId);
    return userFromRow(rows[0]);
  }

  async setPasswordHash(userId: string, hash: string): Promise<void> {
    const result = await this.pool.query(SQL.setPasswordHash, [userId, hash]);
    if (result.rowCount === 0) throw userNotFound(userId);
  }

  async countUsers(): Promise<number> {
    const { rows } = await this.pool.query<{ count: number }>(SQL.countUsers);
    return Number(rows[0]!.count);
  }

  async createSession(input: {
    idHash: string;
    userId: string;
    now: Date;
    ttlMs: number;
  }): Promise<SessionRecord> {
    const at = input.now.toISOString();
    const session: SessionRecord = {
      idHash: input.idHash,
      userId: input.userId,
      createdAt: at,
      lastSeenAt: at,
      expiresAt: new Date(input.now.getTime() + input.ttlMs).toISOString(),
    };
    await this.pool.query(SQL.insertSession, [session.idHash, session.userId, at, session.expiresAt]);
    return session;
  }

  async sessionByHash(
    idHash: string,
    now: Date,
  ): Promise<{ session: SessionRecord; user: UserRecord } | undefined> {
    const { rows } = await this.pool.query<SessionRow & PrefixedUserRow>(SQL.sessionByHash, [
      idHash,
      now.toISOString(),
    ]);
    const row = rows[0];
    return row && { session: sessionFromRow(row), user: userFromPrefixedRow(row) };
  }

  async touchSession(idHash: string, now: Date, ttlMs: number): Promise<void> {
    await this.pool.query(SQL.touchSession, [
      idHash,
      now.toISOString(),
      new Date(now.getTime() + ttlMs).toISOString(),
    ]);
  }

  async revokeSession(idHash: string): Promise<void> {
    await this.revoke(SQL.revokeSession, { kind: 'session', idHash }, [idHash]);
  }

  async revokeUserSessions(userId: string, exceptIdHash?: string): Promise<void> {
    const revocation: Revocation =
      exceptIdHash === undefined
        ? { kind: 'user_sessions', userId }
        : { kind: 'user_sessions', userId, exceptIdHash };
    await this.revoke(SQL.revokeUserSessions, revocation, [userId, exceptIdHash ?? null]);
  }

  async revokeUser(userId: string, now: Date): Promise<void> {
    await this.revoke(SQL.revokeUser, { kind: 'user', userId }, [userId, now.toISOString()]);
  }

  async pruneSessions(now: Date): Promise<number> {
    return (await this.pool.query(SQL.pruneSessions, [now.toISOString()])).rowCount ?? 0;
  }

  async createToken(input: {
    hash: string;
    userId: string;
    name: string;
    scope: TokenScope;
    now: Date;
    expiresAt: Date | null;
  }): Promise<TokenRecord> {
    const token: TokenRecord = {
      id: newAccountId('token'),
      userId: input.userId,
      name: input.name,
      scope: input.scope,
      createdAt: input.now.toISOString(),
      expiresAt: input.expiresAt?.toISOString() ?? null,
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.pool.query(SQL.insertToken, [
      token.id,
      input.hash,
      token.userId,
      token.name,
      token.scope,
      token.createdAt,
      token.expiresAt,
    ]);
    return token;
  }

  async listTokens(userId: string): Promise<TokenRecord[]> {
    const { rows } = await this.pool.query<TokenRow>(SQL.tokensOfUser, [userId]);
    return rows.map(tokenFromRow);
  }

  async tokenByHash(hash: string, now: Date): Promise<{ token: TokenRecord; user: UserRecord } | undefined> {
    const { rows } = await this.pool.query<TokenRow & PrefixedUserRow>(SQL.tokenByHash, [
      hash,
      now.toISOString(),
    ]);
    const row = rows[0];
    return row && { token: tokenFromRow(row), user: userFromPrefixedRow(row) };
  }

  async touchToken(tokenId: string, now: Date): Promise<void> {
    await this.pool.query(SQL.touchToken, [tokenId, now.toISOString()]);
  }

  async revokeToken(userId: string, tokenId: string, now: Date): Promise<void> {
    const revoked = await this.revoke(SQL.revokeToken, { kind: 'token', tokenId }, [
      tokenId,
      userId,
      now.toISOString(),
    ]);
    if (!revoked) throw tokenNotFound(tokenId);
  }

  async liveSessions(idHashes: readonly string[], now: Date): Promise<Set<string>> {
    if (idHashes.length === 0) return new Set();
    const { rows } = await this.pool.query<{ id_hash: string }>(SQL.liveSessions, [
      idHashes,
      now.toISOString(),
    ]);
    return new Set(rows.map((row) => row.id_hash));
  }

  async liveTokens(tokenIds: readonly string[], now: Date): Promise<Set<string>> {
    if (tokenIds.length === 0) return new Set();
    const { rows } = await this.pool.query<{ id: string }>(SQL.liveTokens, [tokenIds, now.toISOString()]);
    return new Set(rows.map((row) => row.id));
  }

  async createInvitation(input: {
    hash: string;
    boardId: string;
    role: Role;
    label: string | null;
    createdBy: string;
    now: Date;
    expiresAt: Date | null;
    maxUses: number | null;
  }): Promise<InvitationRecord> {
    const id = newAccountId('invitation');
    await this.pool.query(SQL.insertInvitation, [
      id,
      input.hash,
      input.boardId,
      input.role,
      input.label,
      input.createdBy,
      input.now.toISOString(),
      input.expiresAt?.toISOString() ?? null,
      input.maxUses,
    ]);
    const { rows } = await this.pool.query<InvitationRow>(SQL.invitationById, [id]);
    return invitationFromRow(rows[0]!);
  }

  async listInvitations(boardId: string): Promise<InvitationRecord[]> {
    const { rows } = await this.pool.query<InvitationRow>(SQL.invitationsOfBoard, [boardId]);
    return rows.map(invitationFromRow);
  }

  async invitationByHash(hash: string): Promise<InvitationRecord | undefined> {
    const { rows } = await this.pool.query<InvitationRow>(SQL.invitationByHash, [hash]);
    return rows[0] && invitationFromRow(rows[0]);
  }

  async consumeInvitation(id: string, now: Date): Promise<boolean> {
    const result = await this.pool.query(SQL.consumeInvitation, [id, now.toISOString()]);
    return result.rowCount === 1;
  }

  async revokeInvitation(boardId: string, id: string, now: Date): Promise<void> {
    const result = await this.pool.query(SQL.revokeInvitation, [id, boardId, now.toISOString()]);
    if (result.rowCount === 0) throw invitationNotFound(id);
  }

  async recordAttempt(bucket: string, now: Date): Promise<void> {
    await this.pool.query(SQL.insertAttempt, [bucket, now.toISOString()]);
  }

  async countAttempts(bucket: string, since: Date): Promise<number> {
    return (await this.attemptsSince(bucket, since)).count;
  }

  async attemptsSince(bucket: string, since: Date): Promise<AttemptWindow> {
    const { rows } = await this.pool.query<AttemptWindow>(SQL.attemptsSince, [bucket, since.toISOString()]);
    return rows[0]!;
  }

  async clearAttempts(bucket: string): Promise<void> {
    await this.pool.query(SQL.clearAttempts, [bucket]);
  }

  async pruneAttempts(olderThan: Date): Promise<number> {
    return (await this.pool.query(SQL.pruneAttempts, [olderThan.toISOString()])).rowCount ?? 0;
  }

  silentChangeMark(): number {
    return 0;
  }

  async watchRevocations(listener: RevocationListener): Promise<void> {
    this.listeners.add(listener);
    if (this.feed) return;
    this.feed = new RevocationFeed(this.clientConfig, this.origin, (revocation) =>
      this.listeners.tell(revocation),
    );
    await this.feed.start();
  }

  /**
   * Runs a revoking statement (its $1 and $2 are the notice's origin and revocation; `values` follow)
   * and, when it changed something, tells this process's listeners after the commit. True when it did.
   */
  private async revoke(sql: string, revocation: Revocation, values: unknown[]): Promise<boolean> {
    const result = await this.pool.query(sql, [this.origin, JSON.stringify(revocation), ...values]);
    const revoked = (result.rowCount ?? 0) > 0;
    if (revoked) this.listeners.tell(revocation);
    return revoked;
  }
}

/**
 * One LISTEN connection for revocations (like commit-feed.ts's for commits): notices from other
 * processes on the same schema go to the listener. When the connection drops it reconnects with
 * backoff; a notice sent meanwhile is lost, which the sweep of open streams bounds (30 s).
 */
class RevocationFeed {
  private client: pg.Client | undefined;
  /** null while the search_path names no schema that exists yet (listening before the migration). */
  private schema: string | null = null;
  private stopped = false;
  private retryDelayMs = 100;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly origin: string,
    private readonly listener: RevocationListener,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      ...this.config,
      application_name: `liveboard-revocations:${process.pid}`,
    });
    client.on('notification', (message) => {
      if (message.channel === REVOCATION_CHANNEL && message.payload) this.heard(message.payload);
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
      this.schema = await currentSchema(client);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryDelayMs = 100;
  }

  private heard(payload: string): void {
    let notice: { ns?: unknown; origin?: unknown; revocation?: unknown };
    try {
      notice = JSON.parse(payload) as typeof notice;
    } catch {
      return;
    }
    if (notice.origin === this.origin || !isRevocation(notice.revocation)) return;
    const revocation = notice.revocation;
    if (this.schema !== null || !this.client) {
      if (notice.ns === this.schema) this.listener(revocation);
      return;
    }
    // Listening began before the schema existed: it does now that revocations are written in it.
    const client = this.client;
    void currentSchema(client).then(
      (schema) => {
        if (this.client !== client) return;
        this.schema = schema;
        if (notice.ns === schema) this.listener(revocation);
      },
      () => undefined,
    );
  }

  private lost(client: pg.Client): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.reconnect();
  }

  private reconnect(): void {
    if (this.stopped) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 5000);
    setTimeout(() => {
      if (this.stopped) return;
      this.connect().catch(() => this.reconnect());
    }, delay).unref();
  }
}

/**
 * The schema the revoking statements name as theirs (`current_schema()`): the first schema of the
 * search_path that exists, or null when none does yet.
 */
async function currentSchema(client: pg.Client): Promise<string | null> {
  const { rows } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  return rows[0]?.schema ?? null;
}
