import { LiveboardNetworkError } from '../client/index.js';

/** The CLI's exit codes, documented in `liveboard --help`; scripts branch on them. */
export const EXIT = {
  ok: 0,
  /** The server said no (4xx/5xx), or a board, list or task named on the command line does not exist. */
  refused: 1,
  /** Bad arguments: nothing was sent. */
  usage: 2,
  /** The server could not be reached. */
  unreachable: 3,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  the server said no (validation, conflict, …) or the board/list/task was not found
  2  bad usage (unknown command, missing or invalid argument)
  3  cannot reach the server (is it running? see --url / LIVEBOARD_URL)`;

/** A mistake on the command line that commander cannot see (e.g. --before and --after together). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Something named on the command line is not on the board (a client-side 404). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof LiveboardNetworkError) return EXIT.unreachable;
  // A LiveboardApiError (the server said no), a NotFoundError, and whatever else went wrong.
  return EXIT.refused;
}
