import type { Comment, StreamMessage } from '../../domain/index.js';

/**
 * A card's comments as the dialog holds them: pages read from the server, newest first, with the
 * stream's comment events folded in. A page and an event may cross (a page asked for before a
 * comment was edited can answer after its event), so merging keeps the latest of each comment by
 * its own clock and never brings back one that was deleted.
 */
export interface CommentList {
  comments: Comment[];
  /** `before` for the next (older) page; null once the oldest is shown; undefined before the first page. */
  nextBefore: number | null | undefined;
  /** Ids deleted while the dialog was open: a page read before the deletion does not bring them back. */
  deleted: ReadonlySet<string>;
}

export const EMPTY_COMMENTS: CommentList = { comments: [], nextBefore: undefined, deleted: new Set() };

function changedAt(comment: Comment): string {
  return comment.editedAt ?? comment.createdAt;
}

function newestFirst(a: Comment, b: Comment): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** `comments` laid into the list: a comment already there is kept unless this one is newer. */
export function mergeComments(list: CommentList, comments: readonly Comment[]): CommentList {
  const byId = new Map(list.comments.map((comment) => [comment.id, comment]));
  for (const comment of comments) {
    if (list.deleted.has(comment.id)) continue;
    const held = byId.get(comment.id);
    if (!held || changedAt(comment) >= changedAt(held)) byId.set(comment.id, comment);
  }
  return { ...list, comments: [...byId.values()].sort(newestFirst) };
}

/** A page from the server, merged; the first page read again (after a reset) keeps the older ones. */
export function withPage(
  list: CommentList,
  comments: readonly Comment[],
  nextBefore: number | null,
): CommentList {
  const merged = mergeComments(list, comments);
  const older = list.nextBefore === undefined ? nextBefore : list.nextBefore;
  return { ...merged, nextBefore: older };
}

/** One message of the board's stream, for the card `taskId`; the same list when it is not about its comments. */
export function withMessage(list: CommentList, message: StreamMessage, taskId: string): CommentList {
  switch (message.type) {
    case 'comment_added':
    case 'comment_edited':
      return message.comment.taskId === taskId ? mergeComments(list, [message.comment]) : list;
    case 'comment_deleted':
      if (message.taskId !== taskId) return list;
      return {
        ...list,
        comments: list.comments.filter((comment) => comment.id !== message.commentId),
        deleted: new Set([...list.deleted, message.commentId]),
      };
    default:
      return list;
  }
}
