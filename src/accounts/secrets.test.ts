import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isWellFormedApiToken } from '../domain/accounts.js';
import { newApiTokenSecret, newInvitationSecret, newSessionSecret, sha256Hex } from './secrets.js';

describe('secrets', () => {
  it('a session secret is 32 random bytes, base64url', () => {
    const secret = newSessionSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(newSessionSecret()).not.toBe(secret);
  });

  it('an API token is well formed, and each is new', () => {
    const tokens = new Set(Array.from({ length: 500 }, () => newApiTokenSecret()));
    expect(tokens.size).toBe(500);
    for (const token of tokens) {
      expect(token).toMatch(/^lbp_[A-Za-z0-9]{36}$/);
      expect(isWellFormedApiToken(token)).toBe(true);
    }
    // Every base62 character turns up in the random parts: the draw covers the whole alphabet.
    const seen = new Set([...tokens].flatMap((token) => [...token.slice(4, 34)]));
    expect(seen.size).toBe(62);
  });

  it('an invitation secret is lbi_ + 32 random bytes, base64url, safe in a URL fragment', () => {
    const secret = newInvitationSecret();
    expect(secret).toMatch(/^lbi_[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(secret)).toBe(secret);
    expect(newInvitationSecret()).not.toBe(secret);
  });

  it('sha256Hex is the hex SHA-256 of the UTF-8 text', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('é')).toBe(createHash('sha256').update(Buffer.from('é', 'utf8')).digest('hex'));
  });
});
