import { LiveboardApiError, LiveboardNetworkError } from '../client/index.js';

/** The CLI's exit codes, documented in `liveboard --help`; scripts branch on them. */
export const EXIT = {
  ok: 0,
  /** The server said no (4xx/5xx), or a board, list or task named on the command line does not exist. */
  refused: 1,
  /** Bad arguments: nothing was sent. */
  usage: 2,
  /** The server could not be reached. */
  unreachable: 3,
  /** Not signed in, or not allowed (401, 403): `liveboard login`. */
  auth: 4,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  the server said no (validation, conflict, …) or the board/list/task was not found
  2  bad usage (unknown command, missing or invalid argument)
  3  cannot reach the server (is it running? see --url / LIVEBOARD_URL)
  4  not signed in or not allowed (401/403): liveboard login`;

/** A mistake on the command line that commander cannot see (e.g. --before and --after together). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Something named on the command line is not on the board (a client-side 404). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

export function isAuthError(error: unknown): error is LiveboardApiError {
  return error instanceof LiveboardApiError && (error.status === 401 || error.status === 403);
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof LiveboardNetworkError) return EXIT.unreachable;
  if (isAuthError(error)) return EXIT.auth;
  // A LiveboardApiError (the server said no), a NotFoundError, and whatever else went wrong.
  return EXIT.refused;
}

/** What to do about a 401 or 403, naming `liveboard login`; `fromEnv`: the token in use is LIVEBOARD_TOKEN's. */
export function authHint(error: LiveboardApiError, fromEnv: boolean): string {
  const token = fromEnv ? 'LIVEBOARD_TOKEN' : 'your token';
  switch (error.code) {
    case 'invalid_token':
      return `${token} was refused (revoked, expired or mistyped): sign in again with \`liveboard login\`${fromEnv ? ', or unset LIVEBOARD_TOKEN' : ''}.`;
    case 'insufficient_scope':
      return `${token} may only read: sign in with \`liveboard login\` for one that writes (or \`liveboard tokens create <name> --scope write\`).`;
    case 'access_revoked':
      return `your access ended: sign in again with \`liveboard login\` if you still have it.`;
    case 'forbidden':
      return `you are signed in, but your role does not allow this (see \`liveboard members <board>\`); to act as someone else: \`liveboard login\`.`;
    default:
      return error.status === 401
        ? 'sign in first: `liveboard login` (or set LIVEBOARD_TOKEN to an API token).'
        : 'not allowed: check who you are with `liveboard whoami`, or sign in as someone else with `liveboard login`.';
  }
}
