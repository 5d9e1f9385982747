/**
 * The two ways a page follows a board, as the browser tests force them: `?transport=poll` puts the
 * app on the long poll (src/web/router.ts), and no query leaves it on Server-Sent Events.
 */
export const TRANSPORTS = [
  { name: 'SSE', query: '' },
  { name: 'the long poll', query: '?transport=poll' },
] as const;

export type TransportCase = (typeof TRANSPORTS)[number];
