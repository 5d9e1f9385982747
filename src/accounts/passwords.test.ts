import { describe, expect, it } from 'vitest';
import { normalizePassword } from '../domain/accounts.js';
import {
  ARGON2_OPTIONS,
  DUMMY_HASH,
  hashPassword,
  needsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from './passwords.js';

describe('passwords', () => {
  it('hashes with Argon2id, 19 MiB, 2 passes, parallelism 1, as a salted PHC string', async () => {
    const first = await hashPassword('correct horse battery');
    const second = await hashPassword('correct horse battery');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(second).not.toBe(first);
    expect(needsRehash(first)).toBe(false);
  });

  it('verifies the password it was made from and no other', async () => {
    const phc = await hashPassword('correct horse battery');
    expect(await verifyPassword(phc, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(phc, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword(phc, 'correct horse battery ')).toBe(false);
    expect(await verifyPassword(phc, '')).toBe(false);
  });

  it('verifies a password typed in another Unicode form, once both are normalized', async () => {
    const phc = await hashPassword(normalizePassword('ｐａｓｓｗｏｒｄ１２'));
    expect(await verifyPassword(phc, normalizePassword('password12'))).toBe(true);
    const accent = await hashPassword(normalizePassword('caf\u00e9-au-lait'));
    expect(await verifyPassword(accent, normalizePassword('cafe\u0301-au-lait'))).toBe(true);
  });

  it('never truncates: a password that differs only in its 128th character is another password', async () => {
    const long = 'x'.repeat(127);
    const phc = await hashPassword(long + 'a');
    expect(await verifyPassword(phc, long + 'a')).toBe(true);
    expect(await verifyPassword(phc, long + 'b')).toBe(false);
  });

  it('the dummy hash costs what a real one does, and never matches', async () => {
    // Same parameters as a fresh hash: the same memory and passes, so the same time.
    const real = await hashPassword('whatever password');
    const parameters = (phc: string) => phc.split('$').slice(1, 4).join('$');
    expect(parameters(DUMMY_HASH)).toBe(parameters(real));
    expect(needsRehash(DUMMY_HASH)).toBe(false);
    expect(await verifyAgainstDummy('whatever password')).toBe(false);
    expect(await verifyAgainstDummy('')).toBe(false);
  });

  it('tells an old setting from today’s', () => {
    expect(needsRehash('$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g')).toBe(true);
    expect(needsRehash('$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g')).toBe(true);
    expect(ARGON2_OPTIONS).toEqual({ algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('refuses a stored value that is not a PHC hash, loudly', async () => {
    await expect(verifyPassword('not a hash', 'whatever password')).rejects.toThrow();
  });
});
