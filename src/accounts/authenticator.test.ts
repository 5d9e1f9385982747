import { describe, expect, it } from 'vitest';
import type { AccountStore, Revocation, RevocationListener, UserRecord } from '../store/accounts.js';
import { Authenticator } from './authenticator.js';
import { sha256Hex } from './secrets.js';

const USER: UserRecord = {
  id: 'usr_ana',
  username: 'ana',
  displayName: 'Ana',
  passwordHash: '$argon2id$…',
  createdAt: '2026-11-30T00:00:00.000Z',
};

/** Just the lookups the Authenticator makes, counted, and a revocation to hear. */
function fakeAccounts() {
  const live = new Set<string>(['secret-1']);
  let listener: RevocationListener = () => undefined;
  const store = {
    reads: 0,
    async sessionByHash(idHash: string) {
      store.reads++;
      const secret = [...live].find((candidate) => sha256Hex(candidate) === idHash);
      if (!secret) return undefined;
      const at = new Date().toISOString();
      return {
        session: { idHash, userId: USER.id, createdAt: at, lastSeenAt: at, expiresAt: at },
        user: USER,
      };
    },
    async touchSession() {},
    mark: 0,
    silentChangeMark() {
      return store.mark;
    },
    async watchRevocations(given: RevocationListener) {
      listener = given;
    },
    revoke(secret: string, revocation: Revocation) {
      live.delete(secret);
      listener(revocation);
    },
  };
  return store;
}

const cookie = (secret: string) => ({
  cookie: `liveboard_session=${secret}`,
  authorization: undefined,
  address: '',
});

describe('Authenticator', () => {
  it('reuses a lookup of the last second, and forgets it the moment it is revoked', async () => {
    const accounts = fakeAccounts();
    const authenticator = new Authenticator(accounts as unknown as AccountStore, {
      cookieName: 'liveboard_session',
      sessionTtlMs: 60_000,
    });
    await authenticator.start();

    for (let i = 0; i < 5; i++) {
      expect(await authenticator.authenticate(cookie('secret-1'))).toMatchObject({
        kind: 'user',
        user: { id: USER.id, username: 'ana' },
      });
    }
    expect(accounts.reads).toBe(1);

    accounts.revoke('secret-1', { kind: 'session', idHash: sha256Hex('secret-1') });
    expect(await authenticator.authenticate(cookie('secret-1'))).toMatchObject({
      kind: 'anonymous',
    });
  });

  it('reads again once the store says something changed that it may not have announced', async () => {
    const accounts = fakeAccounts();
    const authenticator = new Authenticator(accounts as unknown as AccountStore, {
      cookieName: 'liveboard_session',
      sessionTtlMs: 60_000,
    });
    await authenticator.start();
    await authenticator.authenticate(cookie('secret-1'));
    await authenticator.authenticate(cookie('secret-1'));
    expect(accounts.reads).toBe(1);
    // Another process (an operator's command on the database file) signed the session out, unheard.
    accounts.mark++;
    await authenticator.authenticate(cookie('secret-1'));
    expect(accounts.reads).toBe(2);
    await authenticator.authenticate(cookie('secret-1'));
    expect(accounts.reads).toBe(2);
  });

  it('forgets every session of a user signed out everywhere, but the one a password change keeps', async () => {
    const accounts = fakeAccounts();
    const authenticator = new Authenticator(accounts as unknown as AccountStore, {
      cookieName: 'liveboard_session',
      sessionTtlMs: 60_000,
    });
    await authenticator.start();
    await authenticator.authenticate(cookie('secret-1'));
    accounts.revoke('other', { kind: 'user_sessions', userId: USER.id, exceptIdHash: sha256Hex('secret-1') });
    await authenticator.authenticate(cookie('secret-1'));
    expect(accounts.reads).toBe(1);
    accounts.revoke('secret-1', { kind: 'user_sessions', userId: USER.id });
    expect(await authenticator.authenticate(cookie('secret-1'))).toMatchObject({
      kind: 'anonymous',
    });
  });
});
