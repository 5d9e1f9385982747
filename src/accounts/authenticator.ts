import { LiveboardError } from '../domain/index.js';
import { isWellFormedApiToken } from '../domain/accounts.js';
import type { AccountStore, PublicUser, UserRecord } from '../store/accounts.js';
import { readCookie } from './cookies.js';
import type { Principal } from './principal.js';
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

  constructor(
    private readonly accounts: AccountStore,
    private readonly options: AuthenticatorOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async authenticate(presented: PresentedCredentials): Promise<Principal> {
    const { address } = presented;
    if (presented.authorization !== undefined) return this.bearer(presented.authorization, address);
    const secret = readCookie(presented.cookie, this.options.cookieName);
    if (!secret) return { kind: 'anonymous', address };
    const now = this.now();
    const idHash = sha256Hex(secret);
    const found = await this.accounts.sessionByHash(idHash, now);
    if (!found) return { kind: 'anonymous', address };
    if (now.getTime() - Date.parse(found.session.lastSeenAt) > TOUCH_EVERY_MS) {
      await this.accounts.touchSession(idHash, now, this.options.sessionTtlMs);
    }
    return { kind: 'user', user: publicUser(found.user), credential: { kind: 'session', idHash }, address };
  }

  private async bearer(header: string | string[], address: string): Promise<Principal> {
    const values = Array.isArray(header) ? header : [header];
    const match = values.length === 1 ? BEARER.exec(values[0]!) : null;
    if (!match || !isWellFormedApiToken(match[1]!)) throw invalidToken();
    const now = this.now();
    const found = await this.accounts.tokenByHash(sha256Hex(match[1]!), now);
    if (!found) throw invalidToken();
    const { token, user } = found;
    if (!token.lastUsedAt || now.getTime() - Date.parse(token.lastUsedAt) > TOUCH_EVERY_MS) {
      await this.accounts.touchToken(token.id, now);
    }
    return {
      kind: 'user',
      user: publicUser(user),
      credential: { kind: 'token', tokenId: token.id, scope: token.scope },
      address,
    };
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
