import { LiveboardApiError, type List } from '../client/index.js';

/**
 * The server's refusals that name things by id, told again by the names people typed, with what
 * to do next. Same status and code (so the same exit code); only the words change.
 */

/** A hard WIP limit's refusal (create, move or restore into a full list), with the limit and the count. */
export function explainWip(error: unknown, list: List, what: string): unknown {
  if (!(error instanceof LiveboardApiError) || error.code !== 'wip_limit_reached') return error;
  const { limit, count } = error.details as { limit?: number; count?: number };
  return new LiveboardApiError(
    error.status,
    error.code,
    `${what}: ${list.title} is at its hard WIP limit, ${count ?? '?'} of at most ${limit ?? '?'} tasks; ` +
      `move or archive one of them, or raise the limit: liveboard wip ${list.boardId} "${list.title}" ${(limit ?? 0) + 1}`,
    error.details,
  );
}

/**
 * An assignee who is not a member: someone left between our read and the write, or `me` on a board
 * anyone may edit. The server names a user id; the command line named a username.
 */
export function explainMember(error: unknown, boardId: string): unknown {
  if (!(error instanceof LiveboardApiError) || error.code !== 'member_not_found') return error;
  return new LiveboardApiError(
    error.status,
    error.code,
    `only members of ${boardId} may be assigned, and one of those named is not (see: liveboard members ${boardId})`,
    error.details,
  );
}
