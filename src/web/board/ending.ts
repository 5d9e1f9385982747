import { LiveboardApiError } from '../sdk.js';

/**
 * Why the board stopped following the server for good: the user lost access to it (removed, or it
 * turned private under a guest), or their session ended (signed out here or elsewhere). Either
 * way nothing later is applied: the page shows the board as it was, and says why.
 */
export type Ended = 'access_lost' | 'signed_out';

/**
 * What an error of a board being followed means for the page: the stream cut off because the
 * user was removed (or the board made private), or because the session was revoked (signed out
 * elsewhere); a 404 for a board that was there is the same loss of access. Others are retried.
 */
export function endingOf(error: unknown): Ended | undefined {
  if (!(error instanceof LiveboardApiError)) return undefined;
  if (error.code === 'access_revoked') {
    const reason = error.details.reason;
    return reason === 'member_removed' || reason === 'visibility_changed' ? 'access_lost' : 'signed_out';
  }
  if (error.code === 'unauthenticated' || error.code === 'invalid_token') return 'signed_out';
  if (error.status === 404 && error.code === 'board_not_found') return 'access_lost';
  return undefined;
}
