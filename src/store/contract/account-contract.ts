/**
 * The behaviour every backend's AccountStore (store/accounts.ts) must have, as one suite each
 * backend's test file runs (sqlite/account-store.test.ts, postgres/account-store.test.ts). Each
 * test's name starts with the id of the rule it proves (A1, A2, …), as in store-contract.ts. Not part
 * of the build: test code, kept beside the interface it specifies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveboardError } from '../../domain/index.js';
import { invitationState, type AccountStore, type Revocation, type UserRecord } from '../accounts.js';
import type { Store } from '../store.js';

export interface AccountStoreFixture {
  /** A migrated store on new, empty storage. */
  open(): Promise<Store>;
  /** Another store on the storage of the last open(), as another process would open it; migrated. */
  openAgain(): Promise<Store>;
  /**
   * A store on new storage laid out by the backend's schema before the accounts migration, holding
   * what `rows` insert (plain SQL both backends accept); not migrated yet.
   */
  openBeforeAccounts(rows: readonly string[]): Promise<Store>;
  /** Drops every storage opened since the last cleanup. */
  cleanup(): Promise<void>;
}

export interface AccountContractOptions {
  skip?: boolean;
  /**
   * Whether two stores on one storage hear each other's revocations: PostgreSQL's (LISTEN/NOTIFY).
   * SQLite's do only between the processes of a cluster (cluster IPC), proven by its own test.
   */
  revocationsAcrossStores: boolean;
}

const T0 = new Date('2026-03-01T12:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const hex = (n: number): string => n.toString(16).padStart(64, '0');

async function eventually(check: () => void, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

async function refusal(promise: Promise<unknown>): Promise<LiveboardError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LiveboardError) return error;
    throw error;
  }
  throw new Error('expected a LiveboardError');
}

export function defineAccountStoreContract(
  name: string,
  fixture: AccountStoreFixture,
  options: AccountContractOptions,
): void {
  describe.skipIf(options.skip ?? false)(`AccountStore contract: ${name}`, () => {
    let store: Store;
    let accounts: AccountStore;
    let heard: Revocation[];
    const others: Store[] = [];

    beforeEach(async () => {
      store = await fixture.open();
      accounts = store.accounts;
      heard = [];
      await accounts.watchRevocations((revocation) => heard.push(revocation));
    });
    afterEach(async () => {
      for (const other of others.splice(0)) await other.close();
      await store.close();
      await fixture.cleanup();
    });

    async function openAgain(): Promise<Store> {
      const other = await fixture.openAgain();
      others.push(other);
      return other;
    }

    let userCount = 0;
    async function newUser(username = `user-${++userCount}`): Promise<UserRecord> {
      return accounts.createUser({
        username,
        displayName: '',
        passwordHash: `$argon2id$${username}`,
        now: T0,
      });
    }

    async function newBoard(): Promise<string> {
      return (await store.createBoard({ title: 'Shared' }, {})).boardId;
    }

    it('A1 creates a user with a new id, and finds it by id and by username', async () => {
      expect(await accounts.countUsers()).toBe(0);
      const user = await accounts.createUser({
        username: 'alice',
        displayName: 'Alice 🚀',
        passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
        now: T0,
      });
      expect(user).toEqual({
        id: expect.stringMatching(/^usr_[a-z0-9]{16}$/),
        username: 'alice',
        displayName: 'Alice 🚀',
        passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
        createdAt: T0.toISOString(),
      });
      expect(await accounts.userById(user.id)).toEqual(user);
      expect(await accounts.userByUsername('alice')).toEqual(user);
      expect(await accounts.userById('usr_nobody')).toBeUndefined();
      expect(await accounts.userByUsername('bob')).toBeUndefined();
      // Lookups are exact: the caller normalizes what was typed.
      expect(await accounts.userByUsername('Alice')).toBeUndefined();
      const bob = await newUser('bob');
      expect(bob.id).not.toBe(user.id);
      expect(await accounts.countUsers()).toBe(2);
    });

    it('A2 a username is had once: the second is refused with 409 username_taken, even racing', async () => {
      await newUser('alice');
      const error = await refusal(newUser('alice'));
      expect(error).toMatchObject({ code: 'username_taken', details: { field: 'username' } });
      expect(error.status).toBe(409);
      const race = await Promise.allSettled(Array.from({ length: 6 }, () => newUser('carol')));
      expect(race.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of race) {
        if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'username_taken' });
      }
      expect(await accounts.countUsers()).toBe(2);
    });

    it('A3 changes a display name and a password hash; an unknown user is user_not_found', async () => {
      const user = await newUser('alice');
      const renamed = await accounts.updateDisplayName(user.id, 'Ana');
      expect(renamed).toEqual({ ...user, displayName: 'Ana' });
      await accounts.setPasswordHash(user.id, '$argon2id$new');
      expect(await accounts.userById(user.id)).toEqual({ ...renamed, passwordHash: '$argon2id$new' });
      await expect(accounts.updateDisplayName('usr_nobody', 'x')).rejects.toMatchObject({
        code: 'user_not_found',
      });
      await expect(accounts.setPasswordHash('usr_nobody', 'x')).rejects.toMatchObject({
        code: 'user_not_found',
      });
    });

    it('A4 a session is found with its user until it expires, and never after', async () => {
      const user = await newUser('alice');
      const session = await accounts.createSession({ idHash: hex(1), userId: user.id, now: T0, ttlMs: DAY });
      expect(session).toEqual({
        idHash: hex(1),
        userId: user.id,
        createdAt: T0.toISOString(),
        lastSeenAt: T0.toISOString(),
        expiresAt: at(DAY).toISOString(),
      });
      expect(await accounts.sessionByHash(hex(1), at(DAY - 1))).toEqual({ session, user });
      expect(await accounts.sessionByHash(hex(1), at(DAY))).toBeUndefined();
      expect(await accounts.sessionByHash(hex(2), T0)).toBeUndefined();
    });

    it('A5 touching a live session slides its expiry; an expired one stays dead', async () => {
      const user = await newUser('alice');
      await accounts.createSession({ idHash: hex(1), userId: user.id, now: T0, ttlMs: DAY });
      await accounts.touchSession(hex(1), at(DAY / 2), DAY);
      const slid = await accounts.sessionByHash(hex(1), at(DAY + MINUTE));
      expect(slid?.session).toMatchObject({
        createdAt: T0.toISOString(),
        lastSeenAt: at(DAY / 2).toISOString(),
        expiresAt: at(DAY + DAY / 2).toISOString(),
      });
      await accounts.touchSession(hex(1), at(3 * DAY), DAY);
      expect(await accounts.sessionByHash(hex(1), at(3 * DAY))).toBeUndefined();
      expect(await accounts.liveSessions([hex(1)], at(3 * DAY))).toEqual(new Set());
    });

    it('A6 revoking a session ends it, and this process hears it before the call resolves', async () => {
      const user = await newUser('alice');
      await accounts.createSession({ idHash: hex(1), userId: user.id, now: T0, ttlMs: DAY });
      await accounts.createSession({ idHash: hex(2), userId: user.id, now: T0, ttlMs: DAY });
      await accounts.revokeSession(hex(1));
      expect(heard).toEqual([{ kind: 'session', idHash: hex(1) }]);
      expect(await accounts.sessionByHash(hex(1), T0)).toBeUndefined();
      expect(await accounts.sessionByHash(hex(2), T0)).toBeDefined();
      // Revoking what is gone changes nothing, and tells nobody.
      await accounts.revokeSession(hex(1));
      await accounts.revokeSession(hex(9));
      expect(heard).toHaveLength(1);
    });

    it('A7 revoking a user’s sessions ends all of theirs but the one kept, and nobody else’s', async () => {
      const alice = await newUser('alice');
      const bob = await newUser('bob');
      for (const n of [1, 2, 3]) {
        await accounts.createSession({ idHash: hex(n), userId: alice.id, now: T0, ttlMs: DAY });
      }
      await accounts.createSession({ idHash: hex(4), userId: bob.id, now: T0, ttlMs: DAY });
      await accounts.revokeUserSessions(alice.id, hex(2));
      expect(heard).toEqual([{ kind: 'user_sessions', userId: alice.id, exceptIdHash: hex(2) }]);
      expect(await accounts.liveSessions([hex(1), hex(2), hex(3), hex(4)], T0)).toEqual(
        new Set([hex(2), hex(4)]),
      );
      await accounts.revokeUserSessions(alice.id);
      expect(heard.at(-1)).toEqual({ kind: 'user_sessions', userId: alice.id });
      expect(await accounts.liveSessions([hex(1), hex(2), hex(3), hex(4)], T0)).toEqual(new Set([hex(4)]));
      await accounts.revokeUserSessions(alice.id);
      expect(heard).toHaveLength(2);
    });

    it('A8 a token is listed and found by its hash, and no read ever returns the hash', async () => {
      const user = await newUser('alice');
      const secretHash = hex(0xabc);
      const token = await accounts.createToken({
        hash: secretHash,
        userId: user.id,
        name: 'CI',
        scope: 'write',
        now: T0,
        expiresAt: null,
      });
      expect(token).toEqual({
        id: expect.stringMatching(/^tok_[a-z0-9]{16}$/),
        userId: user.id,
        name: 'CI',
        scope: 'write',
        createdAt: T0.toISOString(),
        expiresAt: null,
        lastUsedAt: null,
        revokedAt: null,
      });
      const second = await accounts.createToken({
        hash: hex(0xdef),
        userId: user.id,
        name: 'laptop',
        scope: 'read',
        now: at(MINUTE),
        expiresAt: at(DAY),
      });
      const listed = await accounts.listTokens(user.id);
      expect(listed).toEqual([token, second]);
      const found = await accounts.tokenByHash(secretHash, at(DAY));
      expect(found).toEqual({ token, user });
      for (const read of [token, listed, found]) {
        expect(JSON.stringify(read)).not.toContain(secretHash);
        expect(JSON.stringify(read)).not.toContain('"hash"');
      }
      expect(await accounts.tokenByHash(hex(0x123), T0)).toBeUndefined();
      expect(await accounts.listTokens((await newUser('bob')).id)).toEqual([]);
    });

    it('A9 an expired token no longer works, and is still listed for its owner', async () => {
      const user = await newUser('alice');
      const token = await accounts.createToken({
        hash: hex(1),
        userId: user.id,
        name: 'short',
        scope: 'read',
        now: T0,
        expiresAt: at(DAY),
      });
      expect(await accounts.tokenByHash(hex(1), at(DAY - 1))).toBeDefined();
      expect(await accounts.tokenByHash(hex(1), at(DAY))).toBeUndefined();
      expect(await accounts.liveTokens([token.id], at(DAY))).toEqual(new Set());
      expect(await accounts.listTokens(user.id)).toEqual([token]);
    });

    it('A10 only its owner revokes a token: another user’s id is token_not_found, and it still works', async () => {
      const alice = await newUser('alice');
      const mallory = await newUser('mallory');
      const token = await accounts.createToken({
        hash: hex(1),
        userId: alice.id,
        name: 'CI',
        scope: 'write',
        now: T0,
        expiresAt: null,
      });
      const error = await refusal(accounts.revokeToken(mallory.id, token.id, at(MINUTE)));
      expect(error.code).toBe('token_not_found');
      expect(error.status).toBe(404);
      expect(heard).toEqual([]);
      expect(await accounts.tokenByHash(hex(1), at(MINUTE))).toMatchObject({ token: { revokedAt: null } });

      await accounts.revokeToken(alice.id, token.id, at(MINUTE));
      expect(heard).toEqual([{ kind: 'token', tokenId: token.id }]);
      expect(await accounts.tokenByHash(hex(1), at(MINUTE))).toBeUndefined();
      expect(await accounts.listTokens(alice.id)).toEqual([]);
      await expect(accounts.revokeToken(alice.id, token.id, at(MINUTE))).rejects.toMatchObject({
        code: 'token_not_found',
      });
      await expect(accounts.revokeToken(alice.id, 'tok_unknown', T0)).rejects.toMatchObject({
        code: 'token_not_found',
      });
      expect(heard).toHaveLength(1);
    });

    it('A11 a token’s last use is recorded', async () => {
      const user = await newUser('alice');
      const token = await accounts.createToken({
        hash: hex(1),
        userId: user.id,
        name: 'CI',
        scope: 'read',
        now: T0,
        expiresAt: null,
      });
      await accounts.touchToken(token.id, at(5 * MINUTE));
      expect((await accounts.tokenByHash(hex(1), at(6 * MINUTE)))?.token.lastUsedAt).toBe(
        at(5 * MINUTE).toISOString(),
      );
      expect((await accounts.listTokens(user.id))[0]!.lastUsedAt).toBe(at(5 * MINUTE).toISOString());
    });

    it('A12 tells which of many credentials are still live, for the sweep', async () => {
      const user = await newUser('alice');
      await accounts.createSession({ idHash: hex(1), userId: user.id, now: T0, ttlMs: DAY });
      await accounts.createSession({ idHash: hex(2), userId: user.id, now: T0, ttlMs: MINUTE });
      const live = await accounts.createToken({
        hash: hex(11),
        userId: user.id,
        name: 'a',
        scope: 'read',
        now: T0,
        expiresAt: null,
      });
      const revoked = await accounts.createToken({
        hash: hex(12),
        userId: user.id,
        name: 'b',
        scope: 'read',
        now: T0,
        expiresAt: null,
      });
      await accounts.revokeToken(user.id, revoked.id, T0);
      const now = at(2 * MINUTE);
      expect(await accounts.liveSessions([hex(1), hex(2), hex(3)], now)).toEqual(new Set([hex(1)]));
      expect(await accounts.liveTokens([live.id, revoked.id, 'tok_unknown'], now)).toEqual(
        new Set([live.id]),
      );
      expect(await accounts.liveSessions([], now)).toEqual(new Set());
      expect(await accounts.liveTokens([], now)).toEqual(new Set());
    });

    it('A13 revoking a user ends every session and token of theirs, and nobody else’s', async () => {
      const alice = await newUser('alice');
      const bob = await newUser('bob');
      await accounts.createSession({ idHash: hex(1), userId: alice.id, now: T0, ttlMs: DAY });
      await accounts.createSession({ idHash: hex(2), userId: bob.id, now: T0, ttlMs: DAY });
      const input = { name: 't', scope: 'write' as const, now: T0, expiresAt: null };
      const aliceToken = await accounts.createToken({ ...input, hash: hex(11), userId: alice.id });
      const bobToken = await accounts.createToken({ ...input, hash: hex(12), userId: bob.id });
      await accounts.revokeUser(alice.id, at(MINUTE));
      expect(heard).toEqual([{ kind: 'user', userId: alice.id }]);
      expect(await accounts.liveSessions([hex(1), hex(2)], at(MINUTE))).toEqual(new Set([hex(2)]));
      expect(await accounts.liveTokens([aliceToken.id, bobToken.id], at(MINUTE))).toEqual(
        new Set([bobToken.id]),
      );
      await accounts.revokeUser(alice.id, at(2 * MINUTE));
      expect(heard).toHaveLength(1);
    });

    it('A14 prunes the sessions that expired, and only those', async () => {
      const user = await newUser('alice');
      await accounts.createSession({ idHash: hex(1), userId: user.id, now: T0, ttlMs: MINUTE });
      await accounts.createSession({ idHash: hex(2), userId: user.id, now: T0, ttlMs: DAY });
      expect(await accounts.pruneSessions(at(MINUTE))).toBe(1);
      expect(await accounts.liveSessions([hex(1), hex(2)], at(MINUTE))).toEqual(new Set([hex(2)]));
      expect(heard).toEqual([]);
    });

    it('A15 an invitation is listed with who made it, and found by its hash whatever its state', async () => {
      const alice = await newUser('alice');
      const boardId = await newBoard();
      const otherBoard = await newBoard();
      const invitation = await accounts.createInvitation({
        hash: hex(1),
        boardId,
        role: 'editor',
        label: 'team',
        createdBy: alice.id,
        now: T0,
        expiresAt: at(7 * DAY),
        maxUses: 5,
      });
      expect(invitation).toEqual({
        id: expect.stringMatching(/^inv_[a-z0-9]{16}$/),
        boardId,
        role: 'editor',
        label: 'team',
        createdBy: alice.id,
        createdByUsername: 'alice',
        createdAt: T0.toISOString(),
        expiresAt: at(7 * DAY).toISOString(),
        maxUses: 5,
        uses: 0,
        revokedAt: null,
      });
      const open = await accounts.createInvitation({
        hash: hex(2),
        boardId,
        role: 'viewer',
        label: null,
        createdBy: alice.id,
        now: at(MINUTE),
        expiresAt: null,
        maxUses: null,
      });
      await accounts.createInvitation({
        hash: hex(3),
        boardId: otherBoard,
        role: 'viewer',
        label: null,
        createdBy: alice.id,
        now: T0,
        expiresAt: null,
        maxUses: null,
      });
      expect(await accounts.listInvitations(boardId)).toEqual([invitation, open]);
      expect(await accounts.invitationByHash(hex(1))).toEqual(invitation);
      expect(await accounts.invitationByHash(hex(9))).toBeUndefined();
      expect(JSON.stringify(await accounts.listInvitations(boardId))).not.toContain(hex(1));

      await accounts.revokeInvitation(boardId, invitation.id, at(2 * MINUTE));
      expect(await accounts.listInvitations(boardId)).toEqual([open]);
      const revoked = await accounts.invitationByHash(hex(1));
      expect(revoked).toEqual({ ...invitation, revokedAt: at(2 * MINUTE).toISOString() });
      expect(invitationState(revoked!, at(2 * MINUTE))).toBe('revoked');
    });

    it('A16 each use is taken once; none when used up, expired or revoked', async () => {
      const alice = await newUser('alice');
      const boardId = await newBoard();
      const base = { boardId, role: 'viewer' as const, label: null, createdBy: alice.id, now: T0 };
      const twice = await accounts.createInvitation({ ...base, hash: hex(1), expiresAt: null, maxUses: 2 });
      expect(await accounts.consumeInvitation(twice.id, T0)).toBe(true);
      expect(await accounts.consumeInvitation(twice.id, T0)).toBe(true);
      expect(await accounts.consumeInvitation(twice.id, T0)).toBe(false);
      const usedUp = (await accounts.invitationByHash(hex(1)))!;
      expect(usedUp.uses).toBe(2);
      expect(invitationState(usedUp, T0)).toBe('used_up');

      const expiring = await accounts.createInvitation({
        ...base,
        hash: hex(2),
        expiresAt: at(DAY),
        maxUses: null,
      });
      expect(invitationState(expiring, at(DAY - 1))).toBe('usable');
      expect(await accounts.consumeInvitation(expiring.id, at(DAY - 1))).toBe(true);
      expect(await accounts.consumeInvitation(expiring.id, at(DAY))).toBe(false);
      expect(invitationState((await accounts.invitationByHash(hex(2)))!, at(DAY))).toBe('expired');

      const unlimited = await accounts.createInvitation({
        ...base,
        hash: hex(3),
        expiresAt: null,
        maxUses: null,
      });
      for (let n = 0; n < 5; n++) expect(await accounts.consumeInvitation(unlimited.id, at(n))).toBe(true);
      expect((await accounts.invitationByHash(hex(3)))!.uses).toBe(5);
      await accounts.revokeInvitation(boardId, unlimited.id, at(MINUTE));
      expect(await accounts.consumeInvitation(unlimited.id, at(MINUTE))).toBe(false);
      expect((await accounts.invitationByHash(hex(3)))!.uses).toBe(5);
      expect(await accounts.consumeInvitation('inv_unknown', T0)).toBe(false);
    });

    it('A17 of concurrent takers of an invitation’s last use, in any stores, exactly one wins', async () => {
      const alice = await newUser('alice');
      const boardId = await newBoard();
      const other = await openAgain();
      for (let round = 0; round < 5; round++) {
        const invitation = await accounts.createInvitation({
          hash: hex(100 + round),
          boardId,
          role: 'editor',
          label: null,
          createdBy: alice.id,
          now: T0,
          expiresAt: null,
          maxUses: 1,
        });
        const takers = Array.from({ length: 8 }, (_, n) =>
          (n % 2 === 0 ? accounts : other.accounts).consumeInvitation(invitation.id, T0),
        );
        const results = await Promise.all(takers);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await accounts.invitationByHash(hex(100 + round)))!.uses).toBe(1);
      }
    });

    it('A18 an invitation is revoked only through its board: another board’s is invitation_not_found', async () => {
      const alice = await newUser('alice');
      const boardId = await newBoard();
      const otherBoard = await newBoard();
      const invitation = await accounts.createInvitation({
        hash: hex(1),
        boardId,
        role: 'owner',
        label: null,
        createdBy: alice.id,
        now: T0,
        expiresAt: null,
        maxUses: null,
      });
      const error = await refusal(accounts.revokeInvitation(otherBoard, invitation.id, T0));
      expect(error.code).toBe('invitation_not_found');
      expect(error.status).toBe(404);
      expect(invitationState((await accounts.invitationByHash(hex(1)))!, T0)).toBe('usable');
      await accounts.revokeInvitation(boardId, invitation.id, T0);
      await expect(accounts.revokeInvitation(boardId, invitation.id, T0)).rejects.toMatchObject({
        code: 'invitation_not_found',
      });
      await expect(accounts.revokeInvitation(boardId, 'inv_unknown', T0)).rejects.toMatchObject({
        code: 'invitation_not_found',
      });
    });

    it('A19 throttles count a bucket’s attempts within a window, clear, and prune, across stores', async () => {
      const bucket = 'signin:user:alice';
      for (const minute of [0, 5, 10, 14]) await accounts.recordAttempt(bucket, at(minute * MINUTE));
      await accounts.recordAttempt('signin:user:bob', at(MINUTE));
      const other = await openAgain();
      expect(await other.accounts.countAttempts(bucket, at(0))).toBe(4);
      expect(await accounts.countAttempts(bucket, at(5 * MINUTE))).toBe(3);
      expect(await accounts.countAttempts(bucket, at(15 * MINUTE))).toBe(0);
      expect(await accounts.attemptsSince(bucket, at(MINUTE))).toEqual({
        count: 3,
        first: at(5 * MINUTE).toISOString(),
        last: at(14 * MINUTE).toISOString(),
      });
      expect(await accounts.attemptsSince('nobody', T0)).toEqual({ count: 0, first: null, last: null });
      await other.accounts.clearAttempts(bucket);
      expect(await accounts.countAttempts(bucket, T0)).toBe(0);
      expect(await accounts.countAttempts('signin:user:bob', T0)).toBe(1);
      await accounts.recordAttempt(bucket, at(20 * MINUTE));
      expect(await accounts.pruneAttempts(at(10 * MINUTE))).toBe(1);
      expect(await accounts.countAttempts(bucket, T0)).toBe(1);
    });

    it('A20 users, sessions, tokens and invitations survive closing and reopening the store', async () => {
      const alice = await newUser('alice');
      const boardId = await newBoard();
      await accounts.createSession({ idHash: hex(1), userId: alice.id, now: T0, ttlMs: DAY });
      const token = await accounts.createToken({
        hash: hex(2),
        userId: alice.id,
        name: 't',
        scope: 'read',
        now: T0,
        expiresAt: null,
      });
      const invitation = await accounts.createInvitation({
        hash: hex(3),
        boardId,
        role: 'viewer',
        label: null,
        createdBy: alice.id,
        now: T0,
        expiresAt: null,
        maxUses: null,
      });
      await store.close();
      store = await fixture.openAgain();
      accounts = store.accounts;
      expect(await store.migrate()).toEqual({ created: false });
      expect(await accounts.userByUsername('alice')).toEqual(alice);
      expect((await accounts.sessionByHash(hex(1), T0))?.user).toEqual(alice);
      expect((await accounts.tokenByHash(hex(2), T0))?.token).toEqual(token);
      expect(await accounts.invitationByHash(hex(3))).toEqual(invitation);
    });

    it.skipIf(!options.revocationsAcrossStores)(
      'A21 another store on the same storage hears each revocation once; this one does not hear its own twice',
      async () => {
        const alice = await newUser('alice');
        await accounts.createSession({ idHash: hex(1), userId: alice.id, now: T0, ttlMs: DAY });
        const token = await accounts.createToken({
          hash: hex(2),
          userId: alice.id,
          name: 't',
          scope: 'read',
          now: T0,
          expiresAt: null,
        });
        const other = await openAgain();
        const heardThere: Revocation[] = [];
        await other.accounts.watchRevocations((revocation) => heardThere.push(revocation));
        // A store on other storage (another schema of the same database) hears none of it.
        const elsewhere = await fixture.open();
        others.push(elsewhere);
        const heardElsewhere: Revocation[] = [];
        await elsewhere.accounts.watchRevocations((revocation) => heardElsewhere.push(revocation));

        await accounts.revokeSession(hex(1));
        await accounts.revokeToken(alice.id, token.id, T0);
        await accounts.revokeUserSessions(alice.id); // nothing left: no notice
        const expected: Revocation[] = [
          { kind: 'session', idHash: hex(1) },
          { kind: 'token', tokenId: token.id },
        ];
        expect(heard).toEqual(expected);
        await eventually(() => expect(heardThere).toEqual(expected));
        // And back: the other store revokes, this one hears it.
        await other.accounts.createSession({ idHash: hex(3), userId: alice.id, now: T0, ttlMs: DAY });
        await other.accounts.revokeUserSessions(alice.id, hex(9));
        await eventually(() =>
          expect(heard.at(-1)).toEqual({ kind: 'user_sessions', userId: alice.id, exceptIdHash: hex(9) }),
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(heard).toHaveLength(3);
        expect(heardThere).toHaveLength(3);
        expect(heardElsewhere).toEqual([]);
      },
    );

    it("A23 another store's revocation is heard here, or moves this store's silentChangeMark by the time it resolves", async () => {
      const alice = await newUser('alice');
      await accounts.createSession({ idHash: hex(1), userId: alice.id, now: T0, ttlMs: DAY });
      const other = await openAgain();
      // This store's own writes (a session touched, a user made) do not move it.
      const before = accounts.silentChangeMark();
      await accounts.touchSession(hex(1), T0, DAY);
      await newUser('bob');
      expect(accounts.silentChangeMark()).toBe(before);
      await other.accounts.revokeSession(hex(1));
      if (options.revocationsAcrossStores) {
        // Announced (PostgreSQL's NOTIFY): heard here moments later.
        await eventually(() => expect(heard).toEqual([{ kind: 'session', idHash: hex(1) }]));
      } else {
        // Unannounced (SQLite without `npm run cluster`): the mark says so at once.
        expect(accounts.silentChangeMark()).not.toBe(before);
        expect(heard).toEqual([]);
      }
    });

    it('A22 a storage from before accounts migrates with its boards, logs and members kept', async () => {
      await store.close();
      const boardId = 'board-beforeacc1';
      const event = JSON.stringify({
        type: 'list_created',
        seq: 1,
        at: '2026-01-01T00:00:01.000Z',
        boardId,
        list: { id: 'list-beforeacc1', boardId, title: 'Todo', position: 'a0' },
      });
      store = await fixture.openBeforeAccounts([
        `INSERT INTO boards (id, title, seq, created_at, updated_at)
         VALUES ('${boardId}', 'Before', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z')`,
        `INSERT INTO lists (id, board_id, title, position) VALUES ('list-beforeacc1', '${boardId}', 'Todo', 'a0')`,
        `INSERT INTO events (board_id, seq, type, data) VALUES ('${boardId}', 1, 'list_created', '${event}')`,
        `INSERT INTO used_ids (id, board_id) VALUES ('${boardId}', '${boardId}'), ('list-beforeacc1', '${boardId}')`,
        `INSERT INTO board_members (board_id, user_id, username, role, added_seq)
         VALUES ('${boardId}', 'usr_beforeaccounts', 'early', 'owner', 0)`,
      ]);
      accounts = store.accounts;
      expect(await store.migrate()).toEqual({ created: false });
      expect(await store.boardHead(boardId)).toMatchObject({ boardId, seq: 1, deleted: false });
      expect(await store.readEvents(boardId, 0, 10)).toEqual([
        { boardId, seq: 1, type: 'list_created', json: event },
      ]);
      expect(await store.getBoard(boardId)).toMatchObject({
        id: boardId,
        title: 'Before',
        members: [{ userId: 'usr_beforeaccounts', username: 'early', role: 'owner' }],
        lists: [{ id: 'list-beforeacc1', title: 'Todo' }],
      });
      // The accounts' tables are there, empty, and work.
      expect(await accounts.countUsers()).toBe(0);
      const user = await newUser('early');
      await accounts.createSession({ idHash: hex(1), userId: user.id, now: T0, ttlMs: DAY });
      expect((await accounts.sessionByHash(hex(1), T0))?.user).toEqual(user);
      await accounts.watchRevocations((revocation) => heard.push(revocation));
      await accounts.revokeSession(hex(1));
      expect(heard).toEqual([{ kind: 'session', idHash: hex(1) }]);
    });
  });
}
