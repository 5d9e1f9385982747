import { LiveboardError, type Role } from '../domain/index.js';

/**
 * Where users, their sessions and API tokens, board invitations and sign-in throttles live
 * (docs/ACCOUNTS.md). Each Store backend has one (`store.accounts`), on the same database as the
 * boards, so a revocation, a throttle or an invitation's use holds across every process at once.
 * contract/account-contract.ts states and proves its rules on every backend.
 *
 * Secrets never reach the store: sessions, tokens and invitations are kept and looked up by the
 * SHA-256 of their secret (accounts/secrets.ts), so a copy of the database holds no credential.
 * Times are ISO strings, as everywhere in the schema and on the wire; `now` is always passed in, so
 * tests (and the sweep) decide what time it is.
 */

export interface UserRecord {
  /** `usr_` + 16 base-36 characters; never reused, never shown as a name. */
  id: string;
  /** As domain/accounts.ts `normalizeUsername` made it: unique. */
  username: string;
  /** May be empty: show the username then. */
  displayName: string;
  /** A PHC string (accounts/passwords.ts); never leaves the server. */
  passwordHash: string;
  createdAt: string;
}

/** A user as anyone may see them: never the password hash. */
export type PublicUser = Omit<UserRecord, 'passwordHash'>;

/** A signed-in browser. The cookie's secret is known only to the browser; the store keeps its hash. */
export interface SessionRecord {
  idHash: string;
  userId: string;
  createdAt: string;
  /** When it was last slid (see touchSession). */
  lastSeenAt: string;
  /** Dead from then on, unless slid before. */
  expiresAt: string;
}

/** `read` may read what the user may read; `write` may also do what the user may do. */
export type TokenScope = 'read' | 'write';

/** An API token as its owner may see it: its hash is not part of it, and no read returns it. */
export interface TokenRecord {
  /** `tok_` + 16 base-36 characters: names the token in the API (DELETE /me/tokens/:id). */
  id: string;
  userId: string;
  name: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** An invitation to a board, as its owners see it (the secret's hash is not part of it). */
export interface InvitationRecord {
  /** `inv_` + 16 base-36 characters. */
  id: string;
  boardId: string;
  /** The role accepting it gives. */
  role: Role;
  label: string | null;
  /** The user who made it, and their username (read with it, for the preview's "invited by"). */
  createdBy: string;
  createdByUsername: string;
  createdAt: string;
  expiresAt: string | null;
  /** null: any number of uses. */
  maxUses: number | null;
  uses: number;
  revokedAt: string | null;
}

/** Why an invitation cannot be used now, or `usable`: what the preview and accept routes tell apart. */
export type InvitationState = 'usable' | 'revoked' | 'expired' | 'used_up';

/**
 * A credential (or all of a user's) that stopped working: what ends the open streams and waiting
 * polls made with it, in every process (docs/ACCOUNTS.md, "Sessions and tokens revoked").
 */
export type Revocation =
  | { kind: 'session'; idHash: string }
  /** Every session of the user but `exceptIdHash` (sign-out everywhere, a password change). */
  | { kind: 'user_sessions'; userId: string; exceptIdHash?: string }
  | { kind: 'token'; tokenId: string }
  /** Every session and every token of the user (`liveboard admin revoke-sessions`). */
  | { kind: 'user'; userId: string };

export type RevocationListener = (revocation: Revocation) => void;

/** A throttle's recent failures (recordAttempt), for its limit and its Retry-After. */
export interface AttemptWindow {
  count: number;
  /** The oldest and newest attempt in the window, or null when there is none. */
  first: string | null;
  last: string | null;
}

export interface AccountStore {
  // ─── Users ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * A new user, with a new id. The username must already be normalized (and checked against the
   * reserved names). A username that exists is refused with LiveboardError `username_taken` (409),
   * decided by the database's unique index, so two sign-ups racing for one name cannot both win.
   */
  createUser(input: {
    username: string;
    displayName: string;
    passwordHash: string;
    now: Date;
  }): Promise<UserRecord>;
  userById(id: string): Promise<UserRecord | undefined>;
  /** By the normalized username (the caller normalizes what was typed). */
  userByUsername(username: string): Promise<UserRecord | undefined>;
  /** The user after the change; `user_not_found` (404) for an unknown id. */
  updateDisplayName(userId: string, displayName: string): Promise<UserRecord>;
  /** `user_not_found` for an unknown id. Ending the other sessions is the caller's (revokeUserSessions). */
  setPasswordHash(userId: string, hash: string): Promise<void>;
  /** For `liveboard admin` and the start-up log. */
  countUsers(): Promise<number>;

  // ─── Sessions ───────────────────────────────────────────────────────────────────────────────────

  /** A session that ends `ttlMs` after `now` unless slid. `idHash` is the SHA-256 of the cookie's secret. */
  createSession(input: { idHash: string; userId: string; now: Date; ttlMs: number }): Promise<SessionRecord>;
  /** The live session and its user, or undefined (unknown, revoked or expired). */
  sessionByHash(idHash: string, now: Date): Promise<{ session: SessionRecord; user: UserRecord } | undefined>;
  /**
   * Slides a live session's expiry to `ttlMs` after `now` and records `now` as its last use; an
   * expired or revoked session stays dead. Each call is a write: callers do it at most once a minute
   * per session (the Authenticator compares `lastSeenAt`).
   */
  touchSession(idHash: string, now: Date, ttlMs: number): Promise<void>;
  /**
   * Each revoke* removes (sessions) or marks (tokens) and, in the same transaction, announces its
   * Revocation to the other processes; then tells this process's listeners (watchRevocations)
   * before it resolves. Revoking what is already gone does nothing and announces nothing.
   */
  revokeSession(idHash: string): Promise<void>;
  /** Sign-out everywhere (no `exceptIdHash`), or after a password change (keep the current one). */
  revokeUserSessions(userId: string, exceptIdHash?: string): Promise<void>;
  /** Every session and every token of the user: an operator's `revoke-sessions`. */
  revokeUser(userId: string, now: Date): Promise<void>;
  /** Deletes the sessions that expired before `now` (they are dead already); returns how many. */
  pruneSessions(now: Date): Promise<number>;

  // ─── API tokens ─────────────────────────────────────────────────────────────────────────────────

  /** A new token, with a new id; `hash` is the SHA-256 of its secret (which is shown once, never stored). */
  createToken(input: {
    hash: string;
    userId: string;
    name: string;
    scope: TokenScope;
    now: Date;
    expiresAt: Date | null;
  }): Promise<TokenRecord>;
  /** The user's tokens not revoked (expired ones too: their owner sees they ended), oldest first. */
  listTokens(userId: string): Promise<TokenRecord[]>;
  /** The live token (not revoked, not expired) with that hash, and its user; else undefined. */
  tokenByHash(hash: string, now: Date): Promise<{ token: TokenRecord; user: UserRecord } | undefined>;
  /** Records a use. Each call is a write: callers do it at most once a minute per token. */
  touchToken(tokenId: string, now: Date): Promise<void>;
  /**
   * Revokes one of the user's own tokens, and announces it (see revokeSession). Another user's
   * token, an unknown id or a token already revoked is LiveboardError `token_not_found` (404), and
   * the token is untouched: an id is no capability.
   */
  revokeToken(userId: string, tokenId: string, now: Date): Promise<void>;

  /** Of these credentials, those still live (for the periodic sweep of open streams, every 30 s). */
  liveSessions(idHashes: readonly string[], now: Date): Promise<Set<string>>;
  liveTokens(tokenIds: readonly string[], now: Date): Promise<Set<string>>;

  // ─── Invitations ────────────────────────────────────────────────────────────────────────────────

  /** `hash` is the SHA-256 of the invitation's secret; `createdBy` must be a user's id. */
  createInvitation(input: {
    hash: string;
    boardId: string;
    role: Role;
    label: string | null;
    createdBy: string;
    now: Date;
    expiresAt: Date | null;
    maxUses: number | null;
  }): Promise<InvitationRecord>;
  /** The board's invitations not revoked (used up and expired ones too), oldest first. */
  listInvitations(boardId: string): Promise<InvitationRecord[]>;
  /**
   * The invitation with that hash, whatever its state (invitationState tells whether it can be
   * used: the routes answer 404 for an unknown one, 410 `invitation_unavailable` for one that ended).
   */
  invitationByHash(hash: string): Promise<InvitationRecord | undefined>;
  /**
   * Takes one use, atomically: of concurrent consumers of an invitation's last use, in any
   * processes, exactly one gets true. False when it is used up, expired, revoked or unknown.
   */
  consumeInvitation(id: string, now: Date): Promise<boolean>;
  /** Ends one of the board's invitations; `invitation_not_found` (404) if it is not one, or already revoked. */
  revokeInvitation(boardId: string, id: string, now: Date): Promise<void>;

  // ─── Throttles ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Throttles count failures in the database, so a limit holds across processes and restarts.
   * A bucket is any string the caller makes (`signin:user:alice`, `signin:addr:10.0.0.1`, …).
   */
  recordAttempt(bucket: string, now: Date): Promise<void>;
  /** Attempts in the bucket at or after `since`. */
  countAttempts(bucket: string, since: Date): Promise<number>;
  /** The same count, with the oldest and newest attempt (for Retry-After), in one read. */
  attemptsSince(bucket: string, since: Date): Promise<AttemptWindow>;
  /** After a success: the bucket starts again from nothing. */
  clearAttempts(bucket: string): Promise<void>;
  /** Forgets attempts older than `olderThan` in every bucket; returns how many. */
  pruneAttempts(olderThan: Date): Promise<number>;

  // ─── Revocations ────────────────────────────────────────────────────────────────────────────────

  /**
   * Hears every revocation: this process's own (called synchronously after its commit, before the
   * revoke resolves), and those of other processes on the same database (PostgreSQL: LISTEN
   * liveboard_revocations, from the NOTIFY sent in the revoking transaction; SQLite under
   * `npm run cluster`: relayed by the primary through cluster IPC, like commits; a single SQLite
   * process has no others). So callers have one place to hear them all. A notice lost to a dropped
   * connection is not replayed: the sweep (liveSessions, liveTokens) bounds how long a stream can
   * outlive its credential.
   */
  watchRevocations(listener: RevocationListener): Promise<void>;

  /**
   * A number that moves whenever another process may have revoked something without this process
   * hearing of it, so that whoever remembers a credential's lookup knows to read it again. SQLite:
   * the connection's `data_version`, which moves with every commit of any other connection (an
   * operator's `liveboard admin` on the file, another worker of `npm run cluster`). PostgreSQL: 0,
   * as every revocation, the operator's included, is a NOTIFY that watchRevocations hears.
   */
  silentChangeMark(): number;
}

/** Whether an invitation can be accepted at `now`, and if not, why. */
export function invitationState(invitation: InvitationRecord, now: Date): InvitationState {
  if (invitation.revokedAt !== null) return 'revoked';
  if (invitation.expiresAt !== null && Date.parse(invitation.expiresAt) <= now.getTime()) return 'expired';
  if (invitation.maxUses !== null && invitation.uses >= invitation.maxUses) return 'used_up';
  return 'usable';
}

// ─── Shared by the backends ───────────────────────────────────────────────────────────────────────
// Both schemas name their columns alike (sqlite/schema.ts, postgres/schema.ts, migration 4), so a
// row reads the same way from either.

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  created_at: string;
}

export interface SessionRow {
  id_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  scope: TokenScope;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface InvitationRow {
  id: string;
  board_id: string;
  role: Role;
  label: string | null;
  created_by: string;
  created_by_username: string;
  created_at: string;
  expires_at: string | null;
  max_uses: number | null;
  uses: number;
  revoked_at: string | null;
}

/** The columns of a user read beside another table's, prefixed `u_` (see the backends' joins). */
export interface PrefixedUserRow {
  u_id: string;
  u_username: string;
  u_display_name: string;
  u_password_hash: string;
  u_created_at: string;
}

export function userFromRow(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

export function userFromPrefixedRow(row: PrefixedUserRow): UserRecord {
  return {
    id: row.u_id,
    username: row.u_username,
    displayName: row.u_display_name,
    passwordHash: row.u_password_hash,
    createdAt: row.u_created_at,
  };
}

export function sessionFromRow(row: SessionRow): SessionRecord {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
}

/** Reads only the columns it names: a row's `hash`, if the query selected it, is left behind. */
export function tokenFromRow(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    scope: row.scope,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export function invitationFromRow(row: InvitationRow): InvitationRecord {
  return {
    id: row.id,
    boardId: row.board_id,
    role: row.role,
    label: row.label,
    createdBy: row.created_by,
    createdByUsername: row.created_by_username,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    maxUses: row.max_uses,
    uses: row.uses,
    revokedAt: row.revoked_at,
  };
}

export function userNotFound(userId: string): LiveboardError {
  return new LiveboardError('user_not_found', `user '${userId}' does not exist`);
}

/** Unknown, revoked, or another user's: one answer, so a token id tells nothing about others' tokens. */
export function tokenNotFound(tokenId: string): LiveboardError {
  return new LiveboardError('token_not_found', `token '${tokenId}' is not one of your live tokens`);
}

export function invitationNotFound(id: string): LiveboardError {
  return new LiveboardError('invitation_not_found', `invitation '${id}' is not one of this board's`);
}

const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** A revocation as another process sent it (JSON through NOTIFY or cluster IPC), checked field by field. */
export function isRevocation(value: unknown): value is Revocation {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  switch (candidate.kind) {
    case 'session':
      return isString(candidate.idHash);
    case 'user_sessions':
      return (
        isString(candidate.userId) &&
        (candidate.exceptIdHash === undefined || isString(candidate.exceptIdHash))
      );
    case 'token':
      return isString(candidate.tokenId);
    case 'user':
      return isString(candidate.userId);
    default:
      return false;
  }
}

/**
 * This process's listeners of revocations. A listener that throws does not undo the revocation
 * (it has committed) nor keep the others from hearing it: the error is reported as a warning.
 */
export class RevocationListeners {
  private readonly listeners = new Set<RevocationListener>();

  add(listener: RevocationListener): void {
    this.listeners.add(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  tell(revocation: Revocation): void {
    for (const listener of this.listeners) {
      try {
        listener(revocation);
      } catch (error) {
        process.emitWarning(`a revocation listener threw: ${String(error)}`, 'LiveboardWarning');
      }
    }
  }
}
