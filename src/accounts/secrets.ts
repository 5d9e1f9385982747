import { hash, randomBytes, randomInt } from 'node:crypto';
import { API_TOKEN_RANDOM_LENGTH, BASE62_ALPHABET, formatApiToken } from '../domain/accounts.js';

/**
 * The secrets that stand for a principal (docs/ACCOUNTS.md, "Principals"). Each is made from the
 * operating system's CSPRNG, shown to its holder once, and stored only as its SHA-256: a read of
 * the database (a backup, a leaked dump) gives no credential. SHA-256 without a salt is enough here,
 * unlike for passwords, because each secret has 180 bits or more of randomness: there is nothing to
 * guess, and a lookup by hash stays one index read.
 */

/** A session cookie's value: 32 random bytes, base64url (43 characters). */
export function newSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** An API token: `lbp_` + 30 random base62 characters + a 6-character checksum (domain/accounts.ts). */
export function newApiTokenSecret(): string {
  let random = '';
  // randomInt draws each character uniformly (no modulo bias): 30 × log2(62) ≈ 178 bits.
  for (let index = 0; index < API_TOKEN_RANDOM_LENGTH; index++) random += BASE62_ALPHABET[randomInt(62)];
  return formatApiToken(random);
}

/**
 * An invitation's secret, carried in the fragment of `/invite#<secret>` (so it reaches no server
 * log): `lbi_` + 32 random bytes, base64url. The prefix tells a secret scanner what it found.
 */
export function newInvitationSecret(): string {
  return `lbi_${randomBytes(32).toString('base64url')}`;
}

/** What the store keeps of a secret, and looks it up by. */
export function sha256Hex(secret: string): string {
  // The one-shot hash: a quarter of createHash's time (no Hash object), on every request and stream open.
  return hash('sha256', secret, 'hex');
}
