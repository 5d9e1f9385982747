import { LiveboardError, invalid } from './errors.js';

/**
 * The rules of accounts that need no I/O (docs/ACCOUNTS.md, "Names and passwords" and
 * "Principals"): what a username, a password and a display name may be, and what an API token looks
 * like. Randomness for secrets, hashing and storage live outside the domain (src/accounts/, the
 * store); these functions only decide, so the server, the CLI and the web forms answer alike.
 */

// ─── Usernames ───────────────────────────────────────────────────────────────────────────────────

/** 1 to 39 characters, letters and digits with inner hyphens: safe in a URL, a mention and a log. */
export const USERNAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,37}[a-z0-9])?$/;

/**
 * Names that would let someone pass as the service, its staff or a route. Refused as if taken (409
 * `username_taken`), so that asking does not tell a reserved name from a real user.
 */
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set([
  'about',
  'account',
  'accounts',
  'admin',
  'administrator',
  'anonymous',
  'api',
  'auth',
  'billing',
  'board',
  'boards',
  'contact',
  'docs',
  'everyone',
  'guest',
  'help',
  'here',
  'info',
  'invitation',
  'invitations',
  'invite',
  'liveboard',
  'login',
  'logout',
  'me',
  'moderator',
  'mod',
  'nobody',
  'null',
  'official',
  'operator',
  'owner',
  'postmaster',
  'privacy',
  'register',
  'root',
  'security',
  'settings',
  'signin',
  'signout',
  'signup',
  'staff',
  'status',
  'superuser',
  'support',
  'sysadmin',
  'system',
  'team',
  'terms',
  'token',
  'tokens',
  'undefined',
  'user',
  'users',
  'webmaster',
  'www',
]);

/**
 * The one spelling of a username: NFKC (so `Ａｌｉｃｅ` is `alice`), lower-cased, then held to
 * USERNAME_PATTERN. Nothing outside ASCII survives the pattern, so a look-alike from another script
 * (a Cyrillic `а`) is refused rather than folded into someone else's name. Sign-up and sign-in both
 * pass what was typed through this, so `Alice` signs in as `alice`.
 */
export function normalizeUsername(raw: string): string {
  const name = raw.normalize('NFKC').toLowerCase();
  if (name.length === 0) throw invalid('username', 'must not be empty');
  if (!USERNAME_PATTERN.test(name)) {
    throw invalid(
      'username',
      'must be 1 to 39 letters a-z, digits and hyphens, starting and ending with a letter or digit',
    );
  }
  return name;
}

/** Whether a (normalized) username is kept back from sign-up. */
export function isReservedUsername(name: string): boolean {
  return RESERVED_USERNAMES.has(name);
}

/** A name that cannot be had: taken by a user, or reserved. One answer for both. */
export function usernameTaken(name: string): LiveboardError {
  return new LiveboardError('username_taken', `username: '${name}' is taken; choose another`, {
    field: 'username',
  });
}

// ─── Passwords and display names ────────────────────────────────────────────────────────────────

export const PASSWORD_MIN_LENGTH = 8;
/** Long enough for any passphrase, short enough that hashing it costs nothing more. */
export const PASSWORD_MAX_LENGTH = 128;
export const DISPLAY_NAME_MAX_LENGTH = 64;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A password as it is hashed: NFKC, so the same passphrase typed on another keyboard (full-width
 * digits, a composed or decomposed accent) is the same password. Lengths are in code points, so an
 * emoji counts once. Never truncated: a longer one is refused, never silently cut. A lone surrogate
 * has no UTF-8 form (it would hash as U+FFFD, colliding with others), so it is refused. The messages
 * never quote the password.
 */
export function normalizePassword(raw: string, field = 'password'): string {
  if (LONE_SURROGATE.test(raw)) throw invalid(field, 'must be well-formed Unicode');
  const password = raw.normalize('NFKC');
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    throw invalid(field, `must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (length > PASSWORD_MAX_LENGTH) {
    throw invalid(field, `must be at most ${PASSWORD_MAX_LENGTH} characters`);
  }
  return password;
}

/**
 * Characters a display name may not hold: controls (C0, DEL, C1), format characters (bidi
 * overrides like U+202E that would reverse the text around the name, zero-width joiners and
 * spaces that make two names look alike), line and paragraph separators, and lone surrogates.
 * A display name is shown beside other people's text; it must not be able to restyle it.
 */
const FORBIDDEN_IN_DISPLAY_NAME = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** Trimmed; empty (or absent) is allowed: the username is shown instead. */
export function normalizeDisplayName(raw: string | undefined): string {
  if (raw === undefined) return '';
  if (LONE_SURROGATE.test(raw)) throw invalid('displayName', 'must be well-formed Unicode');
  const name = raw.trim();
  if (FORBIDDEN_IN_DISPLAY_NAME.test(name)) {
    throw invalid('displayName', 'must not contain control, formatting or line-breaking characters');
  }
  if ([...name].length > DISPLAY_NAME_MAX_LENGTH) {
    throw invalid('displayName', `must be at most ${DISPLAY_NAME_MAX_LENGTH} characters`);
  }
  return name;
}

// ─── API tokens ──────────────────────────────────────────────────────────────────────────────────

/**
 * `lbp_` + 30 base62 characters of randomness + 6 base62 characters of the CRC32 of those 30
 * (GitHub's scheme). The prefix makes a leaked token easy to find with a secret scanner; the
 * checksum lets the server refuse a mistyped or made-up token without a database read.
 */
export const API_TOKEN_PREFIX = 'lbp_';
export const API_TOKEN_RANDOM_LENGTH = 30;
export const API_TOKEN_CHECKSUM_LENGTH = 6;
export const API_TOKEN_LENGTH = API_TOKEN_PREFIX.length + API_TOKEN_RANDOM_LENGTH + API_TOKEN_CHECKSUM_LENGTH;
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const RANDOM_PART = new RegExp(`^[0-9A-Za-z]{${API_TOKEN_RANDOM_LENGTH}}$`);
const TOKEN_SHAPE = new RegExp(
  `^${API_TOKEN_PREFIX}[0-9A-Za-z]{${API_TOKEN_RANDOM_LENGTH + API_TOKEN_CHECKSUM_LENGTH}}$`,
);

/** The IEEE CRC32 (zlib's, PNG's) table, reflected polynomial 0xEDB88320. */
const CRC32_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC32 of a string's UTF-8 bytes, as an unsigned 32-bit number. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc = CRC32_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A non-negative integer in base62, left-padded with '0' to `width`. */
export function base62(value: number, width: number): string {
  let digits = '';
  let rest = value;
  do {
    digits = BASE62_ALPHABET[rest % 62]! + digits;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return digits.padStart(width, '0');
}

/** The token for 30 random base62 characters (made outside the domain, from a CSPRNG). */
export function formatApiToken(random30: string): string {
  if (!RANDOM_PART.test(random30)) {
    throw new TypeError(`an API token's random part is ${API_TOKEN_RANDOM_LENGTH} base62 characters`);
  }
  return API_TOKEN_PREFIX + random30 + base62(crc32(random30), API_TOKEN_CHECKSUM_LENGTH);
}

/** Prefix, length, alphabet and checksum: true for a token this server could have made. */
export function isWellFormedApiToken(token: string): boolean {
  if (token.length !== API_TOKEN_LENGTH || !TOKEN_SHAPE.test(token)) return false;
  const random = token.slice(API_TOKEN_PREFIX.length, API_TOKEN_PREFIX.length + API_TOKEN_RANDOM_LENGTH);
  const checksum = token.slice(API_TOKEN_PREFIX.length + API_TOKEN_RANDOM_LENGTH);
  return base62(crc32(random), API_TOKEN_CHECKSUM_LENGTH) === checksum;
}

// ─── Ids ─────────────────────────────────────────────────────────────────────────────────────────

export type AccountIdKind = 'user' | 'token' | 'invitation';

const ACCOUNT_ID_PREFIX: Record<AccountIdKind, string> = { user: 'usr_', token: 'tok_', invitation: 'inv_' };
const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A new id such as `usr_k3j9x0q2m7abc1d4`: its kind's prefix, then 16 random base-36 characters
 * (82 bits, unbiased). Not secret (ids appear in URLs and events): secrets are made in accounts/.
 * The underscore keeps these apart from board, list and task ids (`task-…`), which clients propose.
 */
export function newAccountId(kind: AccountIdKind): string {
  let suffix = '';
  const bytes = new Uint8Array(32);
  while (suffix.length < 16) {
    globalThis.crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      // 252 = 7 × 36: bytes above it would favour the first characters.
      if (byte < 252 && suffix.length < 16) suffix += ID_ALPHABET[byte % 36];
    }
  }
  return ACCOUNT_ID_PREFIX[kind] + suffix;
}
