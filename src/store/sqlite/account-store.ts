import type Database from 'better-sqlite3';
import type { Role } from '../../domain/index.js';
import { newAccountId, usernameTaken } from '../../domain/accounts.js';
import {
  RevocationListeners,
  invitationFromRow,
  invitationNotFound,
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
import { announceRevocation, listenForRevocations } from './commit-feed.js';

const USER_COLUMNS = 'id, username, display_name, password_hash, created_at';
const PREFIXED_USER_COLUMNS =
  'u.id AS u_id, u.username AS u_username, u.display_name AS u_display_name, u.password_hash AS u_password_hash, u.created_at AS u_created_at';
const TOKEN_COLUMNS =
  't.id, t.user_id, t.name, t.scope, t.created_at, t.expires_at, t.last_used_at, t.revoked_at';
const INVITATION_SELECT = `
  SELECT i.id, i.board_id, i.role, i.label, i.created_by, u.username AS created_by_username, i.created_at,
         i.expires_at, i.max_uses, i.uses, i.revoked_at
  FROM invitations i JOIN users u ON u.id = i.created_by`;

function prepare(db: Database.Database) {
  return {
    insertUser: db.prepare<[string, string, string, string, string]>(
      `INSERT INTO users (${USER_COLUMNS}) VALUES (?, ?, ?, ?, ?)`,
    ),
    userById: db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`),
    userByUsername: db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`),
    setDisplayName: db.prepare<[string, string]>('UPDATE users SET display_name = ? WHERE id = ?'),
    setPasswordHash: db.prepare<[string, string]>('UPDATE users SET password_hash = ? WHERE id = ?'),
    countUsers: db.prepare<[], { count: number }>('SELECT COUNT(*) AS count FROM users'),

    insertSession: db.prepare<[string, string, string, string, string]>(
      'INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ),
    sessionByHash: db.prepare<[string, string], SessionRow & PrefixedUserRow>(
      `SELECT s.id_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, ${PREFIXED_USER_COLUMNS}
       FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id_hash = ? AND s.expires_at > ?`,
    ),
    touchSession: db.prepare<[string, string, string, string]>(
      'UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ? AND expires_at > ?',
    ),
    deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE id_hash = ?'),
    deleteUserSessions: db.prepare<[string]>('DELETE FROM sessions WHERE user_id = ?'),
    deleteUserSessionsExcept: db.prepare<[string, string]>(
      'DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?',
    ),
    pruneSessions: db.prepare<[string]>('DELETE FROM sessions WHERE expires_at <= ?'),
    liveSessions: db.prepare<[string, string], { id_hash: string }>(
      'SELECT id_hash FROM sessions WHERE id_hash IN (SELECT value FROM json_each(?)) AND expires_at > ?',
    ),

    insertToken: db.prepare<[string, string, string, string, TokenScope, string, string | null]>(
      `INSERT INTO api_tokens (id, hash, user_id, name, scope, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    tokensOfUser: db.prepare<[string], TokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM api_tokens t WHERE t.user_id = ? AND t.revoked_at IS NULL
       ORDER BY t.created_at, t.id`,
    ),
    tokenByHash: db.prepare<[string, string], TokenRow & PrefixedUserRow>(
      `SELECT ${TOKEN_COLUMNS}, ${PREFIXED_USER_COLUMNS}
       FROM api_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)`,
    ),
    touchToken: db.prepare<[string, string]>('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
    revokeToken: db.prepare<[string, string, string]>(
      'UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL',
    ),
    revokeUserTokens: db.prepare<[string, string]>(
      'UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL',
    ),
    liveTokens: db.prepare<[string, string], { id: string }>(
      `SELECT id FROM api_tokens WHERE id IN (SELECT value FROM json_each(?))
       AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
    ),

    insertInvitation: db.prepare<
      [string, string, string, Role, string | null, string, string, string | null, number | null]
    >(
      `INSERT INTO invitations (id, hash, board_id, role, label, created_by, created_at, expires_at, max_uses)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    invitationById: db.prepare<[string], InvitationRow>(`${INVITATION_SELECT} WHERE i.id = ?`),
    invitationByHash: db.prepare<[string], InvitationRow>(`${INVITATION_SELECT} WHERE i.hash = ?`),
    invitationsOfBoard: db.prepare<[string], InvitationRow>(
      `${INVITATION_SELECT} WHERE i.board_id = ? AND i.revoked_at IS NULL ORDER BY i.created_at, i.id`,
    ),
    consumeInvitation: db.prepare<[string, string]>(
      `UPDATE invitations SET uses = uses + 1
       WHERE id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
         AND (max_uses IS NULL OR uses < max_uses)`,
    ),
    revokeInvitation: db.prepare<[string, string, string]>(
      'UPDATE invitations SET revoked_at = ? WHERE id = ? AND board_id = ? AND revoked_at IS NULL',
    ),

    insertAttempt: db.prepare<[string, string]>('INSERT INTO attempts (bucket, at) VALUES (?, ?)'),
    attemptsSince: db.prepare<[string, string], AttemptWindow>(
      'SELECT COUNT(*) AS count, MIN(at) AS first, MAX(at) AS last FROM attempts WHERE bucket = ? AND at >= ?',
    ),
    clearAttempts: db.prepare<[string]>('DELETE FROM attempts WHERE bucket = ?'),
    pruneAttempts: db.prepare<[string]>('DELETE FROM attempts WHERE at < ?'),
  };
}

type Statements = ReturnType<typeof prepare>;

const isUniqueViolation = (error: unknown, column: string): boolean =>
  (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
  String((error as { message?: unknown }).message).includes(column);

/**
 * The accounts of the embedded store, on its connection (better-sqlite3 is synchronous: every
 * statement, and every transaction below, runs whole before anything else does). Under
 * `npm run cluster` the processes share the file, so throttles, invitations' uses and revocations
 * hold across them; revocations are also announced through the cluster's IPC (commit-feed.ts).
 */
export class SqliteAccountStore implements AccountStore {
  private readonly statements: Statements;
  private readonly listeners = new RevocationListeners();
  private listening = false;
  private readonly revokeAllOfUser: (userId: string, now: string) => boolean;
  private readonly dataVersion: Database.Statement<[]>;

  /** `sharedAcrossProcesses`: a worker of `npm run cluster` (other processes use the same file). */
  constructor(
    private readonly db: Database.Database,
    private readonly options: { sharedAcrossProcesses: boolean },
  ) {
    this.statements = prepare(db);
    this.dataVersion = db.prepare('PRAGMA data_version');
    this.revokeAllOfUser = db.transaction((userId: string, now: string) => {
      const sessions = this.statements.deleteUserSessions.run(userId).changes;
      const tokens = this.statements.revokeUserTokens.run(now, userId).changes;
      return sessions + tokens > 0;
    }).immediate;
  }

  silentChangeMark(): number {
    return this.dataVersion.pluck().get() as number;
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
      this.statements.insertUser.run(
        user.id,
        user.username,
        user.displayName,
        user.passwordHash,
        user.createdAt,
      );
    } catch (error) {
      if (isUniqueViolation(error, 'users.username')) throw usernameTaken(input.username);
      throw error;
    }
    return user;
  }

  async userById(id: string): Promise<UserRecord | undefined> {
    const row = this.statements.userById.get(id);
    return row && userFromRow(row);
  }

  async userByUsername(username: string): Promise<UserRecord | undefined> {
    const row = this.statements.userByUsername.get(username);
    return row && userFromRow(row);
  }

  async updateDisplayName(userId: string, displayName: string): Promise<UserRecord> {
    if (this.statements.setDisplayName.run(displayName, userId).changes === 0) throw userNotFound(userId);
    return userFromRow(this.statements.userById.get(userId)!);
  }

  async setPasswordHash(userId: string, hash: string): Promise<void> {
    if (this.statements.setPasswordHash.run(hash, userId).changes === 0) throw userNotFound(userId);
  }

  async countUsers(): Promise<number> {
    return this.statements.countUsers.get()!.count;
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
    this.statements.insertSession.run(session.idHash, session.userId, at, at, session.expiresAt);
    return session;
  }

  async sessionByHash(
    idHash: string,
    now: Date,
  ): Promise<{ session: SessionRecord; user: UserRecord } | undefined> {
    const row = this.statements.sessionByHash.get(idHash, now.toISOString());
    return row && { session: sessionFromRow(row), user: userFromPrefixedRow(row) };
  }

  async touchSession(idHash: string, now: Date, ttlMs: number): Promise<void> {
    const at = now.toISOString();
    this.statements.touchSession.run(at, new Date(now.getTime() + ttlMs).toISOString(), idHash, at);
  }

  async revokeSession(idHash: string): Promise<void> {
    if (this.statements.deleteSession.run(idHash).changes > 0) this.announce({ kind: 'session', idHash });
  }

  async revokeUserSessions(userId: string, exceptIdHash?: string): Promise<void> {
    const removed =
      exceptIdHash === undefined
        ? this.statements.deleteUserSessions.run(userId).changes
        : this.statements.deleteUserSessionsExcept.run(userId, exceptIdHash).changes;
    if (removed === 0) return;
    this.announce(
      exceptIdHash === undefined
        ? { kind: 'user_sessions', userId }
        : { kind: 'user_sessions', userId, exceptIdHash },
    );
  }

  async revokeUser(userId: string, now: Date): Promise<void> {
    if (this.revokeAllOfUser(userId, now.toISOString())) this.announce({ kind: 'user', userId });
  }

  async pruneSessions(now: Date): Promise<number> {
    return this.statements.pruneSessions.run(now.toISOString()).changes;
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
    this.statements.insertToken.run(
      token.id,
      input.hash,
      token.userId,
      token.name,
      token.scope,
      token.createdAt,
      token.expiresAt,
    );
    return token;
  }

  async listTokens(userId: string): Promise<TokenRecord[]> {
    return this.statements.tokensOfUser.all(userId).map(tokenFromRow);
  }

  async tokenByHash(hash: string, now: Date): Promise<{ token: TokenRecord; user: UserRecord } | undefined> {
    const row = this.statements.tokenByHash.get(hash, now.toISOString());
    return row && { token: tokenFromRow(row), user: userFromPrefixedRow(row) };
  }

  async touchToken(tokenId: string, now: Date): Promise<void> {
    this.statements.touchToken.run(now.toISOString(), tokenId);
  }

  async revokeToken(userId: string, tokenId: string, now: Date): Promise<void> {
    if (this.statements.revokeToken.run(now.toISOString(), tokenId, userId).changes === 0) {
      throw tokenNotFound(tokenId);
    }
    this.announce({ kind: 'token', tokenId });
  }

  async liveSessions(idHashes: readonly string[], now: Date): Promise<Set<string>> {
    if (idHashes.length === 0) return new Set();
    const rows = this.statements.liveSessions.all(JSON.stringify(idHashes), now.toISOString());
    return new Set(rows.map((row) => row.id_hash));
  }

  async liveTokens(tokenIds: readonly string[], now: Date): Promise<Set<string>> {
    if (tokenIds.length === 0) return new Set();
    const rows = this.statements.liveTokens.all(JSON.stringify(tokenIds), now.toISOString());
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
    this.statements.insertInvitation.run(
      id,
      input.hash,
      input.boardId,
      input.role,
      input.label,
      input.createdBy,
      input.now.toISOString(),
      input.expiresAt?.toISOString() ?? null,
      input.maxUses,
    );
    return invitationFromRow(this.statements.invitationById.get(id)!);
  }

  async listInvitations(boardId: string): Promise<InvitationRecord[]> {
    return this.statements.invitationsOfBoard.all(boardId).map(invitationFromRow);
  }

  async invitationByHash(hash: string): Promise<InvitationRecord | undefined> {
    const row = this.statements.invitationByHash.get(hash);
    return row && invitationFromRow(row);
  }

  async consumeInvitation(id: string, now: Date): Promise<boolean> {
    // One UPDATE that checks and takes the use: SQLite runs it whole under its write lock.
    return this.statements.consumeInvitation.run(id, now.toISOString()).changes === 1;
  }

  async revokeInvitation(boardId: string, id: string, now: Date): Promise<void> {
    if (this.statements.revokeInvitation.run(now.toISOString(), id, boardId).changes === 0) {
      throw invitationNotFound(id);
    }
  }

  async recordAttempt(bucket: string, now: Date): Promise<void> {
    this.statements.insertAttempt.run(bucket, now.toISOString());
  }

  async countAttempts(bucket: string, since: Date): Promise<number> {
    return (await this.attemptsSince(bucket, since)).count;
  }

  async attemptsSince(bucket: string, since: Date): Promise<AttemptWindow> {
    return this.statements.attemptsSince.get(bucket, since.toISOString())!;
  }

  async clearAttempts(bucket: string): Promise<void> {
    this.statements.clearAttempts.run(bucket);
  }

  async pruneAttempts(olderThan: Date): Promise<number> {
    return this.statements.pruneAttempts.run(olderThan.toISOString()).changes;
  }

  async watchRevocations(listener: RevocationListener): Promise<void> {
    this.listeners.add(listener);
    if (this.options.sharedAcrossProcesses && !this.listening) {
      this.listening = true;
      listenForRevocations((revocation) => this.listeners.tell(revocation));
    }
  }

  /** After the commit: to the other processes of the cluster, then to this one's listeners. */
  private announce(revocation: Revocation): void {
    if (this.options.sharedAcrossProcesses) announceRevocation(revocation);
    this.listeners.tell(revocation);
  }
}
