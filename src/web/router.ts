import { useEffect, useState } from 'react';

/** The two pages the server serves index.html for: `/` and `/b/:boardId`. */
export type Route = { name: 'home' } | { name: 'board'; boardId: string } | { name: 'not_found' };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  const match = /^\/b\/([^/]+)\/?$/.exec(pathname);
  if (match) return { name: 'board', boardId: decodeURIComponent(match[1]!) };
  return { name: 'not_found' };
}

export function boardPath(boardId: string): string {
  return `/b/${encodeURIComponent(boardId)}`;
}

/** Client-side navigation that keeps the query (e.g. `?transport=poll`) so a forced transport sticks. */
export function navigate(path: string): void {
  window.history.pushState(null, '', path + window.location.search);
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

/** `?transport=poll|sse` forces a transport (tests use it); anything else lets the SDK choose. */
export function transportFromLocation(): 'sse' | 'poll' | 'auto' {
  const transport = new URLSearchParams(window.location.search).get('transport');
  return transport === 'poll' || transport === 'sse' ? transport : 'auto';
}

/** `?share=0` gives this tab a connection of its own instead of sharing the browser's (tests use it). */
export function shareFromLocation(): boolean {
  return new URLSearchParams(window.location.search).get('share') !== '0';
}
