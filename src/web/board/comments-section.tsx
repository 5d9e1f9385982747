import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { StreamMessage } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { client } from '../sdk.js';
import { CommentComposer } from './comment-composer.js';
import { CommentItem } from './comment-item.js';
import { EMPTY_COMMENTS, withMessage, withPage, type CommentList } from './comment-list.js';
import { withPendingComments, type CommentOp } from './comment-ops.js';
import type { RejectedEdit } from './use-live-board.js';

const PAGE_SIZE = 20;

interface CommentsSectionProps {
  boardId: string;
  taskId: string;
  /** Who is looking: their own comments have Edit and Delete. Null when no one is signed in. */
  userId: string | null;
  /** A board owner may delete anyone's comment (the server lets owners moderate). */
  isOwner: boolean;
  /** Only to look at: no composer, no edit, no delete. */
  readOnly: boolean;
  onMessage(listener: (message: StreamMessage) => void): () => void;
  notify(text: string): void;
  /** Adds, edits and deletions go through the outbox with the card's other writes. */
  write(op: CommentOp): void;
  /** This user's writes to the card's comments still on their way, in order. */
  pending: PendingComments;
  /** Rejected edits of the board: a new comment the server refused comes back to the box. */
  rejectedEdits: readonly RejectedEdit[];
  settleRejectedEdit(id: number): void;
}

export interface PendingComments {
  ops: readonly CommentOp[];
  /** The outbox waits for the network: what is pending is not being sent yet. */
  waiting: boolean;
}

/**
 * A card's comments, newest first, paged, live: another person's comment, edit or deletion lands
 * in the list as its event arrives, and the composer (its own state) is never touched by that.
 * Bodies are Markdown through the description's renderer (raw HTML off, safe links only). The
 * user's own writes go through the outbox, so they are kept and sent once the server is back;
 * until their events arrive they show, marked, over the list (withPendingComments).
 */
export function CommentsSection(props: CommentsSectionProps) {
  const { boardId, taskId, userId, isOwner, readOnly, onMessage, notify } = props;
  const { write, pending, rejectedEdits, settleRejectedEdit } = props;
  const [list, setList] = useState<CommentList>(EMPTY_COMMENTS);
  const [loadFailed, setLoadFailed] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const headingId = useId();

  const loadFirstPage = useCallback(() => {
    let gone = false;
    client.listComments(boardId, taskId, { limit: PAGE_SIZE }).then(
      (page) => {
        if (gone) return;
        setLoadFailed(false);
        setList((current) => withPage(current, page.comments, page.nextBefore));
      },
      () => !gone && setLoadFailed(true),
    );
    return () => {
      gone = true;
    };
  }, [boardId, taskId]);

  useEffect(() => loadFirstPage(), [loadFirstPage]);

  // Live: every comment event of this card; after a reset (events the server could not replay),
  // the first page is read again and merged.
  const reload = useRef(loadFirstPage);
  reload.current = loadFirstPage;
  useEffect(
    () =>
      onMessage((message) => {
        if (message.type === 'reset') reload.current();
        else setList((current) => withMessage(current, message, taskId));
      }),
    [onMessage, taskId],
  );

  const loadOlder = (): void => {
    if (typeof list.nextBefore !== 'number') return;
    setLoadingOlder(true);
    client.listComments(boardId, taskId, { limit: PAGE_SIZE, before: list.nextBefore }).then(
      (page) => {
        setLoadingOlder(false);
        setList((current) => ({ ...withPage(current, page.comments, null), nextBefore: page.nextBefore }));
      },
      (error: unknown) => {
        setLoadingOlder(false);
        notify(`Could not load older comments: ${describeError(error)}`);
      },
    );
  };

  const shown = useMemo(
    () => withPendingComments(list.comments, pending.ops, boardId),
    [list.comments, pending.ops, boardId],
  );
  const refused = useMemo(
    () => rejectedEdits.filter((edit) => edit.field === 'comment' && edit.taskId === taskId),
    [rejectedEdits, taskId],
  );

  return (
    <section className="dialog-section comments" aria-labelledby={headingId} data-testid="comments">
      <div className="section-header">
        <h3 id={headingId}>Comments</h3>
      </div>
      {!readOnly && (
        <CommentComposer taskId={taskId} write={write} refused={refused} settleRefused={settleRejectedEdit} />
      )}
      {loadFailed && shown.length === 0 ? (
        <p className="muted note">Comments could not be loaded. They will show once the server answers.</p>
      ) : list.nextBefore === undefined && shown.length === 0 ? (
        <p className="muted note" aria-busy="true">
          Loading comments…
        </p>
      ) : shown.length === 0 ? (
        <p className="muted note" data-testid="no-comments">
          No comments yet.
        </p>
      ) : (
        <ol className="comment-list" aria-label="Comments, newest first">
          {shown.map((comment) => (
            <CommentItem
              key={comment.id}
              comment={comment}
              waiting={pending.waiting}
              mayEdit={!readOnly && userId !== null && comment.by?.userId === userId}
              mayDelete={!readOnly && ((userId !== null && comment.by?.userId === userId) || isOwner)}
              write={write}
            />
          ))}
        </ol>
      )}
      {typeof list.nextBefore === 'number' && (
        <button
          type="button"
          className="button small"
          data-testid="comments-older"
          disabled={loadingOlder}
          onClick={loadOlder}
        >
          {loadingOlder ? 'Loading…' : 'Older comments'}
        </button>
      )}
    </section>
  );
}
