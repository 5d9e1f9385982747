import { LiveboardError } from '../domain/index.js';
import { isWellFormedApiToken } from '../domain/accounts.js';
import type { AccountStore, PublicUser, Revocation, UserRecord } from '../store/accounts.js';
import { readCookie } from './cookies.js';
import type { Credential, Principal } from './principal.js';
import { sha256Hex } from './secrets.js';

/** What a request or a stream presents: the headers that can carry a credential, and where it came from. */
export interface PresentedCredentials {
  cookie: string | undefined;
  /** Every Authorization header as received (more than one is refused). */
  authorization: string | string[] | undefined;
  address: string;
}

export interface AuthenticatorOptions {
  cookieName: string;
  sessionTtlMs: number;
  now?: () => Date;
}

/** A session's expiry, or a token's last use, is written at most this often. */
const TOUCH_EVERY_MS = 60_000;
/**
 * A credential's lookup is reused this long: the storm of reconnects after a restart (10,000 streams
 * of 200 sessions) then costs 200 reads, not 10,000, and a script writing with its token reads the
 * token once a second, not once a write. A revocation drops it at once: in this process before the
 * revoking request is answered, in the others through the store's notice (PostgreSQL's NOTIFY, the
 * cluster's relay). A change the store may not have announced (SQLite: any other connection's
 * commit, such as an operator's `liveboard admin`) drops them all: see silentChangeMark.
 */
const REUSE_LOOKUP_MS = 1000;
/** Past this many remembered lookups, the stale ones are dropped. */
const REMEMBER_AT_MOST = 10_000;

/** A lookup to reuse. `at`: when it was made (performance.now()); `mark`: the store's silentChangeMark before it. */
interface KnownCredential {
  user: PublicUser;
  credential: Credential;
  at: number;
  mark: number;
}
const BEARER = /^Bearer ([\x21-\x7e]+)$/;

/**
 * Turns what a request presents into the principal making it, for REST and streams alike. A bearer
 * token that is malformed (checked without the database: prefix, length, checksum), unknown,
 * revoked or expired is refused with 401 `invalid_token`: a client that sends a credential means to
 * use it, and must hear that it no longer works. A session cookie that no longer names a live
 * session is just anonymous: the browser keeps stale cookies, and public boards stay readable.
 */
export class Authenticator {
  private readonly now: () => Date;
  private readonly known = new Map<string, KnownCredential>();

  constructor(
    private readonly accounts: AccountStore,
    private readonly options: AuthenticatorOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Hears revocations, so that no lookup it remembers outlives its credential. */
  async start(): Promise<void> {
    await this.accounts.watchRevocations((revocation) => this.forget(revocation));
  }

  async authenticate(presented: PresentedCredentials): Promise<Principal> {
    const { address } = presented;
    if (presented.authorization !== undefined) return this.bearer(presented.authorization, address);
    const secret = readCookie(presented.cookie, this.options.cookieName);
    if (!secret) return { kind: 'anonymous', address };
    const idHash = sha256Hex(secret);
    const key = `session:${idHash}`;
    // Taken before the store is read: a change made after it moves the mark, and is not missed.
    const mark = this.accounts.silentChangeMark();
    const known = this.recall(key, mark);
    if (known) return { kind: 'user', user: known.user, credential: known.credential, address };
    const now = this.now();
    const found = await this.accounts.sessionByHash(idHash, now);
    if (!found) return { kind: 'anonymous', address };
    if (now.getTime() - Date.parse(found.session.lastSeenAt) > TOUCH_EVERY_MS) {
      await this.accounts.touchSession(idHash, now, this.options.sessionTtlMs);
    }
    return this.remember(key, mark, publicUser(found.user), { kind: 'session', idHash }, address);
  }

  private async bearer(header: string | string[], address: string): Promise<Principal> {
    const values = Array.isArray(header) ? header : [header];
    const match = values.length === 1 ? BEARER.exec(values[0]!) : null;
    if (!match || !isWellFormedApiToken(match[1]!)) throw invalidToken();
    const key = `token:${sha256Hex(match[1]!)}`;
    const mark = this.accounts.silentChangeMark();
    const known = this.recall(key, mark);
    if (known) return { kind: 'user', user: known.user, credential: known.credential, address };
    const now = this.now();
    const found = await this.accounts.tokenByHash(key.slice('token:'.length), now);
    if (!found) throw invalidToken();
    const { token, user } = found;
    if (!token.lastUsedAt || now.getTime() - Date.parse(token.lastUsedAt) > TOUCH_EVERY_MS) {
      await this.accounts.touchToken(token.id, now);
    }
    const credential = { kind: 'token' as const, tokenId: token.id, scope: token.scope };
    return this.remember(key, mark, publicUser(user), credential, address);
  }

  private recall(key: string, mark: number): KnownCredential | undefined {
    const known = this.known.get(key);
    if (!known) return undefined;
    if (performance.now() - known.at <= REUSE_LOOKUP_MS && known.mark === mark) return known;
    this.known.delete(key);
    return undefined;
  }

  private remember(
    key: string,
    mark: number,
    user: PublicUser,
    credential: Credential,
    address: string,
  ): Principal {
    const at = performance.now();
    if (this.known.size >= REMEMBER_AT_MOST) {
      for (const [other, known] of this.known) if (at - known.at > REUSE_LOOKUP_MS) this.known.delete(other);
    }
    if (this.known.size < REMEMBER_AT_MOST) this.known.set(key, { user, credential, at, mark });
    return { kind: 'user', user, credential, address };
  }

  private forget(revocation: Revocation): void {
    if (revocation.kind === 'session') {
      this.known.delete(`session:${revocation.idHash}`);
      return;
    }
    for (const [key, known] of this.known) {
      const { credential, user } = known;
      const named =
        revocation.kind === 'token'
          ? credential.kind === 'token' && credential.tokenId === revocation.tokenId
          : user.id === revocation.userId &&
            (revocation.kind === 'user' ||
              (credential.kind === 'session' && credential.idHash !== revocation.exceptIdHash));
      if (named) this.known.delete(key);
    }
  }
}

export function invalidToken(): LiveboardError {
  return new LiveboardError(
    'invalid_token',
    'the API token is malformed, unknown, revoked or expired: run `liveboard login`, or make a new token in Settings',
  );
}

/** A user as anyone may see them: never the password hash. */
export function publicUser(user: UserRecord): PublicUser {
  return { id: user.id, username: user.username, displayName: user.displayName, createdAt: user.createdAt };
}
