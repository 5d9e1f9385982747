import type { StreamMessage } from '../domain/index.js';
import { LiveboardApiError } from './errors.js';

/**
 * How a subscription tells "this client lost its access" from "the board is gone", and what it
 * ends with then: a LiveboardApiError, status 403, code `access_revoked`, with `details.reason`:
 *
 * - the server's named `revoked` event (the session or token was revoked: sign-out, sign-out
 *   everywhere, a password change, a token revoked, an operator): `reason` as the server says;
 * - a 404 on resume right after an event that can take this client's read access away
 *   (`member_removed` of its own user, or of anyone when the client does not know its user;
 *   `visibility_changed` to private): `reason` `member_removed` or `visibility_changed`.
 *
 * Either way the subscription ends and does not reconnect.
 */
export function accessRevoked(reason: string, boardId?: string): LiveboardApiError {
  const why =
    reason === 'member_removed'
      ? 'you were removed from this board'
      : reason === 'visibility_changed'
        ? 'this board was made private'
        : `your session or token was revoked (${reason})`;
  return new LiveboardApiError(403, 'access_revoked', `access to the board ended: ${why}`, {
    reason,
    ...(boardId === undefined ? {} : { boardId }),
  });
}

/** The error a `revoked` event's data (`{"reason":"…"}`) means. */
export function revokedEventError(data: unknown): LiveboardApiError {
  let reason = 'revoked';
  if (typeof data === 'string') {
    try {
      const parsed = JSON.parse(data) as { reason?: unknown };
      if (typeof parsed.reason === 'string' && parsed.reason) reason = parsed.reason;
    } catch {
      // A revoked event is final whatever its data says.
    }
  }
  return accessRevoked(reason);
}

/** Whether a `notice` event's data is the server's "too many streams" (it closes; EventSource comes back after `retry:`). */
export function isTooManyStreams(data: unknown): boolean {
  if (typeof data !== 'string') return false;
  try {
    return (JSON.parse(data) as { code?: unknown }).code === 'too_many_streams';
  } catch {
    return false;
  }
}

/**
 * Watches one board's messages for the events after which the server may cut this client off.
 * `suspect` holds from such an event until the connection shows it is still authorized (another
 * event comes, a stream opens, a poll answers).
 */
export class AccessWatch {
  private reason: 'member_removed' | 'visibility_changed' | undefined;

  constructor(
    private readonly boardId: string,
    /** The client's own user id, if it knows it. */
    private readonly self: () => string | undefined,
  ) {}

  get suspect(): boolean {
    return this.reason !== undefined;
  }

  /** Looks at a message as it is delivered; true when it may have ended this client's access. */
  note(message: StreamMessage): boolean {
    if (message.type === 'member_removed') {
      const self = this.self();
      if (self === undefined || self === message.userId) this.reason = 'member_removed';
    } else if (message.type === 'visibility_changed' && message.visibility === 'private') {
      this.reason = 'visibility_changed';
    } else {
      // Anything after it on the same connection: the server still lets this client read.
      this.reason = undefined;
    }
    return this.suspect;
  }

  /** The connection was authorized again: the access is still there. */
  clear(): void {
    this.reason = undefined;
  }

  /** A board 404 right after a suspect event is the access ending, not the board. */
  translate(error: unknown): unknown {
    if (
      this.reason !== undefined &&
      error instanceof LiveboardApiError &&
      error.status === 404 &&
      error.code === 'board_not_found'
    ) {
      return accessRevoked(this.reason, this.boardId);
    }
    return error;
  }
}
