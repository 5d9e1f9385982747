import { useEffect, useState } from 'react';

/**
 * The app's pages; the server serves index.html for each path: `/`, `/b/:boardId`, `/signin`,
 * `/signup`, `/invite` (the invitation's token in the fragment) and `/settings`.
 */
export type Route =
  | { name: 'home' }
  | { name: 'board'; boardId: string; taskId?: string }
  | { name: 'signin' }
  | { name: 'signup' }
  | { name: 'invite' }
  | { name: 'settings' }
  | { name: 'not_found' };

const PAGES: Record<string, Route> = {
  '/signin': { name: 'signin' },
  '/signup': { name: 'signup' },
  '/invite': { name: 'invite' },
  '/settings': { name: 'settings' },
};

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  const match = /^\/b\/([^/]+)\/?$/.exec(pathname);
  if (match) return { name: 'board', boardId: decodeURIComponent(match[1]!) };
  // A card's dialog has its own address, so that it can be linked to and survives a reload.
  const card = /^\/b\/([^/]+)\/c\/([^/]+)\/?$/.exec(pathname);
  if (card) {
    return { name: 'board', boardId: decodeURIComponent(card[1]!), taskId: decodeURIComponent(card[2]!) };
  }
  return PAGES[pathname.replace(/\/$/, '')] ?? { name: 'not_found' };
}

export function boardPath(boardId: string): string {
  return `/b/${encodeURIComponent(boardId)}`;
}

/** The address of a card's dialog on its board. */
export function cardPath(boardId: string, taskId: string): string {
  return `${boardPath(boardId)}/c/${encodeURIComponent(taskId)}`;
}

/** The query parameters that stay on every page once given (tests force a transport with them). */
const STICKY = ['transport', 'share'];

/**
 * Client-side navigation to `path` (which may carry its own query and fragment), keeping the
 * sticky query parameters (e.g. `?transport=poll`) so a forced transport sticks.
 */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = new URL(path, window.location.origin);
  const current = new URLSearchParams(window.location.search);
  for (const name of STICKY) {
    const value = current.get(name);
    if (value !== null && !target.searchParams.has(name)) target.searchParams.set(name, value);
  }
  const href = target.pathname + target.search + target.hash;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const onPop = (): void => setRoute(parseRoute(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  return route;
}

/**
 * Where to go after signing in: `next` when it is a path of this site (`/b/x?y#z`), else home.
 * Anything that could leave the site is refused: `//host`, `/\host`, `https:…`, `javascript:…`,
 * control characters.
 */
export function safeNext(next: string | null | undefined, origin: string = window.location.origin): string {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  try {
    const url = new URL(next, origin);
    if (url.origin !== origin) return '/';
    return url.pathname + url.search + url.hash;
  } catch {
    return '/';
  }
}

/** `next` of this page's query, made safe (see safeNext). */
export function nextFromLocation(): string {
  return safeNext(new URLSearchParams(window.location.search).get('next'));
}

/** The page to come back to: this one (its path and query without sticky parameters). */
export function currentPath(): string {
  const query = new URLSearchParams(window.location.search);
  for (const name of STICKY) query.delete(name);
  const search = query.size > 0 ? `?${query}` : '';
  return window.location.pathname + search;
}

/**
 * The sign-in (or sign-up) page's path, coming back to `next`. A fragment of `next` (an
 * invitation's token) travels as the page's own fragment, never in the query: a fragment is not
 * sent to the server, so it reaches no request line and no log.
 */
export function authPath(page: 'signin' | 'signup', next: string = currentPath()): string {
  const hashAt = next.indexOf('#');
  const path = hashAt >= 0 ? next.slice(0, hashAt) : next;
  const fragment = hashAt >= 0 ? next.slice(hashAt) : '';
  const query = path === '/' ? '' : `?next=${encodeURIComponent(path)}`;
  return `/${page}${query}${fragment}`;
}

/** Where a sign-in or sign-up page sends the user when done: `next`, with the page's fragment carried back. */
export function returnPath(location: Pick<Location, 'search' | 'hash' | 'origin'> = window.location): string {
  const next = safeNext(new URLSearchParams(location.search).get('next'), location.origin);
  return location.hash && !next.includes('#') ? next + location.hash : next;
}

/** `?transport=poll|sse` forces a transport (tests use it); anything else lets the SDK choose. */
export function transportFromLocation(): 'sse' | 'poll' | 'auto' {
  const transport = new URLSearchParams(window.location.search).get('transport');
  return transport === 'poll' || transport === 'sse' ? transport : 'auto';
}

/** `?share=0` gives this tab a connection of its own instead of sharing the browser's (tests use it). */
export function shareFromLocation(): boolean {
  return new URLSearchParams(window.location.search).get('share') !== '0';
}
