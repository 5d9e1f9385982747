import type { Author, Comment } from '../../domain/index.js';
import type { LiveboardClient, Written } from '../sdk.js';

/**
 * The writes to a card's comments, as the outbox keeps them: sent in order with the rest of the
 * user's writes, each with its Idempotency-Key, so that one written offline is sent once when the
 * server is back. An add carries the id the app proposed (a retry whose first try landed is known
 * by it) and what the comment is shown with until its event arrives. Comments are not in the
 * board's snapshot, so these change no card: the comments section lays them over its list.
 */
export type CommentOp =
  | {
      kind: 'addComment';
      taskId: string;
      commentId: string;
      body: string;
      /** When it was written here, and by whom: how it shows while on its way. */
      createdAt: string;
      by: Author | null;
    }
  | { kind: 'editComment'; taskId: string; commentId: string; body: string }
  | { kind: 'deleteComment'; taskId: string; commentId: string };

export const COMMENT_OP_KINDS: ReadonlySet<string> = new Set<CommentOp['kind']>([
  'addComment',
  'editComment',
  'deleteComment',
]);

export function isCommentOp(op: { kind: string }): op is CommentOp {
  return COMMENT_OP_KINDS.has(op.kind);
}

export function sendCommentOp(
  client: LiveboardClient,
  boardId: string,
  op: CommentOp,
  idempotencyKey: string,
): Promise<Written<unknown>> {
  const options = { idempotencyKey };
  switch (op.kind) {
    case 'addComment':
      return client.addComment(boardId, { taskId: op.taskId, body: op.body, id: op.commentId }, options);
    case 'editComment':
      return client.editComment(boardId, op.commentId, { body: op.body }, options);
    case 'deleteComment':
      return client.deleteComment(boardId, op.commentId, options);
  }
}

/** A comment as the section shows it: `pending` while the user's add or edit of it is on its way. */
export interface ShownComment extends Comment {
  pending?: 'adding' | 'editing';
}

/**
 * A card's comments with the user's own writes still on their way laid over them, newest first:
 * an add not yet in the list shows at the top, an edit shows its new text, a deletion hides the
 * comment. An add whose comment is already listed (its event came before its answer) adds nothing,
 * so an op may stay until the board confirms it. Unchanged comments keep their identity.
 */
export function withPendingComments(
  comments: readonly Comment[],
  ops: readonly CommentOp[],
  boardId: string,
): ShownComment[] {
  const listed = new Set(comments.map((comment) => comment.id));
  const added: ShownComment[] = [];
  const edits = new Map<string, string>();
  const deleted = new Set<string>();
  for (const op of ops) {
    if (op.kind === 'addComment' && !listed.has(op.commentId)) {
      const { taskId, commentId: id, body, createdAt, by } = op;
      added.unshift({ id, boardId, taskId, body, by, createdAt, editedAt: null, pending: 'adding' });
    } else if (op.kind === 'editComment') edits.set(op.commentId, op.body);
    else if (op.kind === 'deleteComment') deleted.add(op.commentId);
  }
  const shown: ShownComment[] = [...added, ...comments];
  return shown
    .filter((comment) => !deleted.has(comment.id))
    .map((comment) => {
      const body = edits.get(comment.id);
      if (body === undefined || body === comment.body) return comment;
      return { ...comment, body, pending: comment.pending ?? 'editing' };
    });
}
