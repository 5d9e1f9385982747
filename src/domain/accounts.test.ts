import { describe, expect, it } from 'vitest';
import {
  API_TOKEN_LENGTH,
  base62,
  crc32,
  formatApiToken,
  isReservedUsername,
  isWellFormedApiToken,
  newAccountId,
  normalizeDisplayName,
  normalizePassword,
  normalizeUsername,
  usernameTaken,
} from './accounts.js';
import { errorOf as refusal } from '../../test/support/domain-boards.js';

describe('normalizeUsername', () => {
  it('folds compatibility forms and case into one spelling', () => {
    expect(normalizeUsername('alice')).toBe('alice');
    expect(normalizeUsername('Alice')).toBe('alice');
    expect(normalizeUsername('Ａｌｉｃｅ')).toBe('alice');
    expect(normalizeUsername('ANA-MARIA-42')).toBe('ana-maria-42');
    // KELVIN SIGN is a K under NFKC.
    expect(normalizeUsername('\u212Aate')).toBe('kate');
  });

  it('accepts 1 to 39 characters with inner hyphens only', () => {
    expect(normalizeUsername('a')).toBe('a');
    expect(normalizeUsername('7')).toBe('7');
    expect(normalizeUsername('a'.repeat(39))).toBe('a'.repeat(39));
    expect(normalizeUsername('a--b')).toBe('a--b');
    for (const bad of ['', 'a'.repeat(40), '-ana', 'ana-', '-', 'a_b', 'a.b', 'a b', ' ana', 'ana ']) {
      expect(refusal(() => normalizeUsername(bad))).toMatchObject({
        code: 'validation_failed',
        details: { field: 'username' },
      });
    }
  });

  it('refuses look-alikes from other scripts instead of folding them', () => {
    const cyrillic = '\u0430lice'; // CYRILLIC SMALL LETTER A
    const error = refusal(() => normalizeUsername(cyrillic));
    expect(error.code).toBe('validation_failed');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^username: /);
    expect(refusal(() => normalizeUsername('ålice')).code).toBe('validation_failed');
    expect(refusal(() => normalizeUsername('al\u200bice')).code).toBe('validation_failed');
    // Turkish dotted capital I lower-cases to i + COMBINING DOT ABOVE: not ASCII, refused.
    expect(refusal(() => normalizeUsername('\u0130van')).code).toBe('validation_failed');
  });

  it('reserves names that could pass for the service or a route', () => {
    for (const name of ['admin', 'administrator', 'root', 'api', 'me', 'liveboard', 'system', 'support']) {
      expect(isReservedUsername(name)).toBe(true);
    }
    for (const name of ['help', 'anonymous', 'guest', 'owner', 'null', 'undefined', 'login', 'signup']) {
      expect(isReservedUsername(name)).toBe(true);
    }
    expect(isReservedUsername(normalizeUsername('ＡＤＭＩＮ'))).toBe(true);
    expect(isReservedUsername('alice')).toBe(false);
    expect(isReservedUsername('admin2')).toBe(false);
  });

  it('answers a taken or reserved name with 409 username_taken on the username field', () => {
    const error = usernameTaken('admin');
    expect(error).toMatchObject({ code: 'username_taken', details: { field: 'username' } });
    expect(error.status).toBe(409);
  });
});

describe('normalizePassword', () => {
  it('is NFKC, counted in code points, never truncated', () => {
    expect(normalizePassword('correct horse')).toBe('correct horse');
    expect(normalizePassword('ｐａｓｓｗｏｒｄ１')).toBe('password1');
    // Composed and decomposed accents are one password.
    expect(normalizePassword('caf\u00e9-au-lait')).toBe(normalizePassword('cafe\u0301-au-lait'));
    // Eight emoji are eight characters (sixteen UTF-16 code units).
    expect(normalizePassword('😀'.repeat(8))).toBe('😀'.repeat(8));
    expect(normalizePassword('x'.repeat(128))).toHaveLength(128);
    expect(normalizePassword('😀'.repeat(128))).toBe('😀'.repeat(128));
  });

  it('refuses too short, too long and ill-formed, naming the field and never the password', () => {
    const short = refusal(() => normalizePassword('seven77'));
    expect(short).toMatchObject({ code: 'validation_failed', details: { field: 'password' } });
    expect(short.message).not.toContain('seven77');
    expect(refusal(() => normalizePassword('😀'.repeat(7))).code).toBe('validation_failed');
    expect(refusal(() => normalizePassword('x'.repeat(129))).message).toMatch(/at most 128/);
    expect(refusal(() => normalizePassword('😀'.repeat(129))).code).toBe('validation_failed');
    expect(refusal(() => normalizePassword('abcdefgh\ud800'))).toMatchObject({
      details: { field: 'password' },
    });
    expect(refusal(() => normalizePassword('\udc00abcdefgh')).code).toBe('validation_failed');
    expect(refusal(() => normalizePassword('short', 'newPassword')).details).toEqual({
      field: 'newPassword',
    });
  });
});

describe('normalizeDisplayName', () => {
  it('is trimmed, may be empty or absent, and keeps any script and emoji', () => {
    expect(normalizeDisplayName(undefined)).toBe('');
    expect(normalizeDisplayName('   ')).toBe('');
    expect(normalizeDisplayName('  Ana María  ')).toBe('Ana María');
    expect(normalizeDisplayName('Анна 🚀')).toBe('Анна 🚀');
    expect(normalizeDisplayName('😀'.repeat(64))).toBe('😀'.repeat(64));
  });

  it('refuses controls, format characters, line breaks and over 64 code points', () => {
    const refused = [
      'a\u0000b',
      'a\tb',
      'a\nb',
      'a\u007fb',
      'a\u0085b', // NEL (C1)
      'a\u009bb', // CSI (C1)
      'evil\u202Egnp.exe', // RIGHT-TO-LEFT OVERRIDE
      'a\u2066b', // LEFT-TO-RIGHT ISOLATE
      'a\u200bb', // ZERO WIDTH SPACE
      'a\u200db', // ZERO WIDTH JOINER
      'a\ufeffb', // BOM
      'a\u2028b', // LINE SEPARATOR
      'a\u2029b', // PARAGRAPH SEPARATOR
      'a\ud800b', // lone surrogate
      'x'.repeat(65),
      '😀'.repeat(65),
    ];
    for (const name of refused) {
      expect(refusal(() => normalizeDisplayName(name))).toMatchObject({
        code: 'validation_failed',
        details: { field: 'displayName' },
      });
    }
  });
});

describe('API tokens', () => {
  it('computes the IEEE CRC32 (zlib, PNG)', () => {
    expect(crc32('')).toBe(0);
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339);
  });

  it('writes base62 left-padded with 0', () => {
    expect(base62(0, 6)).toBe('000000');
    expect(base62(61, 6)).toBe('00000z');
    expect(base62(62, 6)).toBe('000010');
    expect(base62(0xffffffff, 6)).toBe('4gfFC3');
  });

  it('formats lbp_ + 30 random + 6 checksum, and knows its own tokens', () => {
    const random = 'abcdefghijABCDEFGHIJ0123456789';
    const token = formatApiToken(random);
    expect(token).toHaveLength(API_TOKEN_LENGTH);
    expect(token).toHaveLength(40);
    expect(token.startsWith('lbp_' + random)).toBe(true);
    expect(token.slice(34)).toBe(base62(crc32(random), 6));
    expect(isWellFormedApiToken(token)).toBe(true);
  });

  it('refuses a token with a wrong prefix, length, alphabet or checksum', () => {
    const token = formatApiToken('Z'.repeat(30));
    expect(isWellFormedApiToken(token)).toBe(true);
    expect(isWellFormedApiToken('lbx_' + token.slice(4))).toBe(false);
    expect(isWellFormedApiToken('LBP_' + token.slice(4))).toBe(false);
    expect(isWellFormedApiToken(token.slice(0, 39))).toBe(false);
    expect(isWellFormedApiToken(token + 'a')).toBe(false);
    expect(isWellFormedApiToken('')).toBe(false);
    expect(isWellFormedApiToken(token.slice(0, 10) + '-' + token.slice(11))).toBe(false);
    // One character of the random part changed: the checksum no longer fits.
    expect(isWellFormedApiToken(token.slice(0, 4) + 'Y' + token.slice(5))).toBe(false);
    // One character of the checksum changed.
    const last = token.at(-1) === 'a' ? 'b' : 'a';
    expect(isWellFormedApiToken(token.slice(0, 39) + last)).toBe(false);
    // Non-ASCII letters are not base62, even where a regex's \w might say so.
    expect(isWellFormedApiToken(token.slice(0, 4) + 'é' + token.slice(5))).toBe(false);
  });

  it('formats only a random part of 30 base62 characters', () => {
    expect(() => formatApiToken('short')).toThrow(TypeError);
    expect(() => formatApiToken('_'.repeat(30))).toThrow(TypeError);
    expect(() => formatApiToken('a'.repeat(31))).toThrow(TypeError);
  });

  it('finds a one-character typo in many random tokens', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    for (let n = 0; n < 200; n++) {
      let random = '';
      for (let i = 0; i < 30; i++) random += alphabet[Math.floor(Math.random() * 62)];
      const token = formatApiToken(random);
      expect(isWellFormedApiToken(token)).toBe(true);
      const at = 4 + Math.floor(Math.random() * 36);
      const replacement = alphabet[(alphabet.indexOf(token[at]!) + 1 + Math.floor(Math.random() * 61)) % 62];
      // CRC32 catches every single-character change of the random part; a changed checksum is caught by definition.
      expect(isWellFormedApiToken(token.slice(0, at) + replacement + token.slice(at + 1))).toBe(false);
    }
  });
});

describe('newAccountId', () => {
  it('names its kind and has 16 random base-36 characters', () => {
    expect(newAccountId('user')).toMatch(/^usr_[a-z0-9]{16}$/);
    expect(newAccountId('token')).toMatch(/^tok_[a-z0-9]{16}$/);
    expect(newAccountId('invitation')).toMatch(/^inv_[a-z0-9]{16}$/);
    const ids = new Set(Array.from({ length: 1000 }, () => newAccountId('user')));
    expect(ids.size).toBe(1000);
  });
});
