import {
  isReservedUsername,
  normalizeDisplayName,
  normalizePassword,
  normalizeUsername,
  usernameTaken,
} from '../domain/accounts.js';
import { LiveboardError } from '../domain/index.js';
import type { AccountStore, PublicUser, TokenRecord, TokenScope, UserRecord } from '../store/accounts.js';
import { publicUser } from './authenticator.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.js';
import { newApiTokenSecret, newSessionSecret, sha256Hex } from './secrets.js';

/** A throttle: at most `limit` failures in `windowMs`, then refused with a Retry-After. */
interface Throttle {
  limit: number;
  windowMs: number;
}

/**
 * Sign-in failures per username: five in fifteen minutes, then refused (the right password too)
 * for a minute, doubling with each further try, at most the window: no permanent lockout that an
 * attacker could hold against the owner. Per address, looser: many people share one address.
 */
const SIGNIN_PER_USERNAME: Throttle = { limit: 5, windowMs: 15 * 60_000 };
const SIGNIN_PER_ADDRESS: Throttle = { limit: 50, windowMs: 15 * 60_000 };
const SIGNUP_PER_ADDRESS: Throttle = { limit: 20, windowMs: 60 * 60_000 };
export const INVITATION_PREVIEWS_PER_ADDRESS: Throttle = { limit: 30, windowMs: 15 * 60_000 };

export interface SignedIn {
  user: PublicUser;
  /** The cookie's value; only its SHA-256 is kept. */
  sessionSecret: string;
}

/**
 * Accounts as people use them: sign up, sign in and out, passwords and API tokens. The rules of
 * names and passwords are the domain's (domain/accounts.ts); this adds hashing, sessions and the
 * throttles, over the AccountStore. Revocations reach open streams through the store's
 * watchRevocations, not from here.
 */
export class AccountService {
  constructor(
    private readonly accounts: AccountStore,
    private readonly sessionTtlMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async signUp(input: {
    username: string;
    password: string;
    displayName?: string | undefined;
    address: string;
  }): Promise<SignedIn> {
    const username = normalizeUsername(input.username);
    const password = normalizePassword(input.password);
    const displayName = normalizeDisplayName(input.displayName);
    if (isReservedUsername(username)) throw usernameTaken(username);
    await this.throttle(`signup:addr:${input.address}`, SIGNUP_PER_ADDRESS);
    await this.accounts.recordAttempt(`signup:addr:${input.address}`, this.now());
    if (await this.accounts.userByUsername(username)) throw usernameTaken(username);
    const user = await this.accounts.createUser({
      username,
      displayName,
      passwordHash: await hashPassword(password),
      now: this.now(),
    });
    return this.startSession(user);
  }

  /**
   * One answer and one hash for an unknown username and a wrong password, so neither the reply nor
   * its timing tells which names exist.
   */
  async signIn(input: { username: string; password: string; address: string }): Promise<SignedIn> {
    const password = normalizePassword(input.password);
    let username: string;
    try {
      username = normalizeUsername(input.username);
    } catch {
      await verifyAgainstDummy(password);
      throw wrongCredentials();
    }
    const userBucket = `signin:user:${username}`;
    const addressBucket = `signin:addr:${input.address}`;
    await this.throttle(userBucket, SIGNIN_PER_USERNAME, { doubling: true });
    await this.throttle(addressBucket, SIGNIN_PER_ADDRESS);
    const user = await this.accounts.userByUsername(username);
    const valid = user
      ? await verifyPassword(user.passwordHash, password)
      : await verifyAgainstDummy(password);
    if (!user || !valid) {
      const now = this.now();
      await this.accounts.recordAttempt(userBucket, now);
      await this.accounts.recordAttempt(addressBucket, now);
      throw wrongCredentials();
    }
    await this.accounts.clearAttempts(userBucket);
    return this.startSession(user);
  }

  async signOut(sessionIdHash: string): Promise<void> {
    await this.accounts.revokeSession(sessionIdHash);
  }

  async signOutEverywhere(userId: string): Promise<void> {
    await this.accounts.revokeUserSessions(userId);
  }

  /** Ends every other session of the user (and their streams); the one that asked stays signed in. */
  async changePassword(input: {
    userId: string;
    currentPassword: string;
    newPassword: string;
    keepSessionIdHash: string;
  }): Promise<void> {
    const newPassword = normalizePassword(input.newPassword, 'newPassword');
    const user = await this.requireUser(input.userId);
    const bucket = `signin:user:${user.username}`;
    await this.throttle(bucket, SIGNIN_PER_USERNAME, { doubling: true });
    if (!(await verifyPassword(user.passwordHash, input.currentPassword.normalize('NFKC')))) {
      await this.accounts.recordAttempt(bucket, this.now());
      throw new LiveboardError('invalid_credentials', 'currentPassword: is not your password', {
        field: 'currentPassword',
      });
    }
    await this.accounts.setPasswordHash(user.id, await hashPassword(newPassword));
    await this.accounts.revokeUserSessions(user.id, input.keepSessionIdHash);
  }

  async updateDisplayName(userId: string, displayName: string): Promise<PublicUser> {
    return publicUser(await this.accounts.updateDisplayName(userId, normalizeDisplayName(displayName)));
  }

  async createToken(input: {
    userId: string;
    name: string;
    scope: TokenScope;
    expiresInDays?: number | undefined;
  }): Promise<{ token: TokenRecord; secret: string }> {
    const secret = newApiTokenSecret();
    const now = this.now();
    const expiresAt =
      input.expiresInDays === undefined ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000);
    const token = await this.accounts.createToken({
      hash: sha256Hex(secret),
      userId: input.userId,
      name: input.name,
      scope: input.scope,
      now,
      expiresAt,
    });
    return { token, secret };
  }

  /**
   * Refuses with 429 `too_many_attempts` and a Retry-After while the bucket is over its limit.
   * `doubling`: each try while refused counts too, and doubles the wait (a minute, two, four, …),
   * at most the window.
   */
  async throttle(bucket: string, throttle: Throttle, options: { doubling?: boolean } = {}): Promise<void> {
    const now = this.now();
    const window = await this.accounts.attemptsSince(bucket, new Date(now.getTime() - throttle.windowMs));
    if (window.count < throttle.limit) return;
    let retryAfterMs: number;
    if (options.doubling) {
      const waitMs = Math.min(60_000 * 2 ** (window.count - throttle.limit), throttle.windowMs);
      retryAfterMs = Date.parse(window.last!) + waitMs - now.getTime();
      if (retryAfterMs <= 0) return;
      await this.accounts.recordAttempt(bucket, now);
    } else {
      retryAfterMs = Date.parse(window.first!) + throttle.windowMs - now.getTime();
    }
    throw new LiveboardError('too_many_attempts', 'too many attempts; wait and try again', {
      retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
    });
  }

  async recordAttempt(bucket: string): Promise<void> {
    await this.accounts.recordAttempt(bucket, this.now());
  }

  private async startSession(user: UserRecord): Promise<SignedIn> {
    const sessionSecret = newSessionSecret();
    await this.accounts.createSession({
      idHash: sha256Hex(sessionSecret),
      userId: user.id,
      now: this.now(),
      ttlMs: this.sessionTtlMs,
    });
    return { user: publicUser(user), sessionSecret };
  }

  private async requireUser(userId: string): Promise<UserRecord> {
    const user = await this.accounts.userById(userId);
    if (!user) throw new LiveboardError('user_not_found', `no user '${userId}'`);
    return user;
  }
}

function wrongCredentials(): LiveboardError {
  return new LiveboardError('invalid_credentials', 'the username or the password is wrong');
}
