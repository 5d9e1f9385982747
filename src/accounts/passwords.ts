import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';

/**
 * Password hashing (docs/ACCOUNTS.md, "Names and passwords"): Argon2id with OWASP's first
 * recommended setting, 19 MiB of memory, 2 passes, parallelism 1, stored as a PHC string
 * (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) that carries its own salt and parameters, so a later
 * change of setting still verifies old hashes (and `needsRehash` tells when to upgrade one). The
 * work runs on libuv's thread pool, off the event loop: a sign-in storm slows sign-ins, not streams.
 *
 * Callers pass the password as domain/accounts.ts `normalizePassword` returned it (NFKC, 8–128
 * code points): these functions hash what they are given.
 */
export const ARGON2_OPTIONS = {
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} satisfies Options;

const PHC_PREFIX = `$argon2id$v=19$m=${ARGON2_OPTIONS.memoryCost},t=${ARGON2_OPTIONS.timeCost},p=${ARGON2_OPTIONS.parallelism}$`;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/**
 * Whether the password is the one the PHC string was made from; the comparison is constant-time.
 * A string that is not a PHC hash is a corrupted record, not a wrong password: it throws.
 */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  return verify(phc, password);
}

/** True for a hash made with other parameters than today's: hash the password again after a sign-in. */
export function needsRehash(phc: string): boolean {
  return !phc.startsWith(PHC_PREFIX);
}

/**
 * A hash of a random password nobody knows (thrown away when this was made), with today's
 * parameters. Signing in as an unknown user verifies against it, so the answer takes as long as for
 * a known user with a wrong password: timing does not tell which usernames exist.
 */
export const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$CMTJ987QwHTgiasITcZZcw$9l8dFY8JXliK4xJY/6xpWmQZqpaaSKsMW95hrT1+cds';

/** Costs one verification, like a wrong password, and is always false. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verify(DUMMY_HASH, password);
  return false;
}
