import { describe, expect, test } from 'vitest';
import { authPath, parseRoute, returnPath, safeNext } from './router.js';

const ORIGIN = 'http://127.0.0.1:3000';

describe('safeNext: only paths of this site', () => {
  test.each([
    ['/b/board-1', '/b/board-1'],
    ['/b/board-1?transport=poll#x', '/b/board-1?transport=poll#x'],
    ['/settings', '/settings'],
    ['/invite#lbi_abc', '/invite#lbi_abc'],
  ])('%s is kept', (next, expected) => expect(safeNext(next, ORIGIN)).toBe(expected));

  test.each([
    [null],
    [''],
    ['b/board-1'],
    ['//evil.example/x'],
    ['/\\evil.example'],
    ['https://evil.example/'],
    ['javascript:alert(1)'],
    ['/b/x\nSet-Cookie: a'],
    ['\t/b/x'],
    ['/%5Cevil.example'],
  ])('%j goes home', (next) => {
    const safe = safeNext(next, ORIGIN);
    expect(new URL(safe, ORIGIN).origin).toBe(ORIGIN);
    expect(safe.startsWith('/') && !safe.startsWith('//')).toBe(true);
    if (next !== '/%5Cevil.example') expect(safe).toBe('/');
  });
});

describe('sign-in paths', () => {
  test('come back to the page, its fragment (an invitation token) never in the query', () => {
    expect(authPath('signin', '/b/board-1')).toBe('/signin?next=%2Fb%2Fboard-1');
    expect(authPath('signup', '/invite#lbi_secret')).toBe('/signup?next=%2Finvite#lbi_secret');
    expect(authPath('signin', '/')).toBe('/signin');
  });

  test('returnPath carries the page fragment back to next', () => {
    const at = (search: string, hash: string) => returnPath({ search, hash, origin: ORIGIN });
    expect(at('?next=%2Finvite', '#lbi_secret')).toBe('/invite#lbi_secret');
    expect(at('?next=%2Fb%2Fx', '')).toBe('/b/x');
    expect(at('?next=%2F%2Fevil.example', '')).toBe('/');
    expect(at('', '')).toBe('/');
  });

  test('every accounts page is a route', () => {
    expect(
      ['/signin', '/signup', '/invite', '/settings', '/settings/'].map((path) => parseRoute(path).name),
    ).toEqual(['signin', 'signup', 'invite', 'settings', 'settings']);
    expect(parseRoute('/b/board-1')).toEqual({ name: 'board', boardId: 'board-1' });
    expect(parseRoute('/admin').name).toBe('not_found');
  });
});
