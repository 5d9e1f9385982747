import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { Comment, StreamMessage } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { client } from '../sdk.js';
import { CommentComposer } from './comment-composer.js';
import { CommentItem } from './comment-item.js';
import { EMPTY_COMMENTS, withMessage, withoutComment, withPage, type CommentList } from './comment-list.js';

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
}

/**
 * A card's comments, newest first, paged, live: another person's comment, edit or deletion lands
 * in the list as its event arrives, and the composer (its own state) is never touched by that.
 * Bodies are Markdown through the description's renderer (raw HTML off, safe links only).
 */
export function CommentsSection(props: CommentsSectionProps) {
  const { boardId, taskId, userId, isOwner, readOnly, onMessage, notify } = props;
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

  const added = (comment: Comment): void => setList((current) => withPage(current, [comment], null));

  return (
    <section className="dialog-section comments" aria-labelledby={headingId} data-testid="comments">
      <div className="section-header">
        <h3 id={headingId}>Comments</h3>
      </div>
      {!readOnly && <CommentComposer boardId={boardId} taskId={taskId} onAdded={added} notify={notify} />}
      {loadFailed && list.comments.length === 0 ? (
        <p className="muted note">Comments could not be loaded. They will show once the server answers.</p>
      ) : list.nextBefore === undefined && list.comments.length === 0 ? (
        <p className="muted note" aria-busy="true">
          Loading comments…
        </p>
      ) : list.comments.length === 0 ? (
        <p className="muted note" data-testid="no-comments">
          No comments yet.
        </p>
      ) : (
        <ol className="comment-list" aria-label="Comments, newest first">
          {list.comments.map((comment) => (
            <CommentItem
              key={comment.id}
              boardId={boardId}
              comment={comment}
              mayEdit={!readOnly && userId !== null && comment.by?.userId === userId}
              mayDelete={!readOnly && ((userId !== null && comment.by?.userId === userId) || isOwner)}
              onEdited={added}
              onDeleted={(id) => setList((current) => withoutComment(current, id))}
              notify={notify}
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
