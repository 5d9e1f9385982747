import { useId, useState } from 'react';
import { LIMITS } from '../../domain/index.js';
import { formatInstant } from './card-badges.js';
import type { CommentOp, ShownComment } from './comment-ops.js';
import { LengthHint, MarkdownText, NEAR_LIMIT } from './comment-text.js';

const PENDING_WORDS: Record<NonNullable<ShownComment['pending']>, [sending: string, waiting: string]> = {
  adding: ['sending…', 'not sent yet: waiting for the connection'],
  editing: ['saving your edit…', 'edit not saved yet: waiting for the connection'],
};

/**
 * One comment: who and when, its Markdown, and Edit and Delete where this user may. The user's
 * own add or edit still on its way is marked so (and says when it waits for the network).
 */
export function CommentItem({
  comment,
  waiting,
  mayEdit,
  mayDelete,
  write,
}: {
  comment: ShownComment;
  /** The outbox waits for the network. */
  waiting: boolean;
  mayEdit: boolean;
  mayDelete: boolean;
  write(op: CommentOp): void;
}) {
  const [editing, setEditing] = useState<string | undefined>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const hintId = useId();
  const author = comment.by?.username ?? 'anonymous';
  const { id: commentId, taskId } = comment;

  const save = (): void => {
    if (editing === undefined || !editing.trim()) return;
    if (editing !== comment.body) write({ kind: 'editComment', taskId, commentId, body: editing });
    setEditing(undefined);
  };
  const remove = (): void => {
    if (!confirmDelete) return setConfirmDelete(true);
    write({ kind: 'deleteComment', taskId, commentId });
  };

  return (
    <li
      className={`comment${comment.pending ? ' is-pending' : ''}`}
      data-testid="comment"
      data-comment-id={comment.id}
      data-pending={comment.pending}
    >
      <p className="comment-meta">
        <strong data-testid="comment-author">{author}</strong>{' '}
        <time dateTime={comment.createdAt} className="muted">
          {formatInstant(comment.createdAt)}
        </time>
        {comment.editedAt && (
          <span className="muted" data-testid="comment-edited" title={formatInstant(comment.editedAt)}>
            {' '}
            · edited
          </span>
        )}
        {comment.pending && (
          <span className="muted" data-testid="comment-pending">
            {' '}
            · {PENDING_WORDS[comment.pending][waiting ? 1 : 0]}
          </span>
        )}
      </p>
      {editing !== undefined ? (
        <div className="comment-composer">
          <textarea
            aria-label="Edit your comment"
            aria-describedby={editing.length >= LIMITS.commentLength - NEAR_LIMIT ? hintId : undefined}
            rows={3}
            value={editing}
            maxLength={LIMITS.commentLength}
            data-testid="comment-edit-input"
            autoFocus
            onChange={(event) => setEditing(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                event.preventDefault();
                save();
              }
              if (event.key === 'Escape') {
                // Leaves the edit, not the dialog.
                event.preventDefault();
                event.stopPropagation();
                setEditing(undefined);
              }
            }}
          />
          <div className="comment-composer-actions">
            <LengthHint id={hintId} length={editing.length} />
            <span className="spacer" />
            <button type="button" className="button small" onClick={() => setEditing(undefined)}>
              Cancel
            </button>
            <button
              type="button"
              className="button small primary"
              data-testid="comment-save"
              aria-disabled={!editing.trim()}
              onClick={save}
            >
              Save comment
            </button>
          </div>
        </div>
      ) : (
        <MarkdownText text={comment.body} testId="comment-body" />
      )}
      {editing === undefined && (mayEdit || mayDelete) && (
        <div className="comment-actions">
          {mayEdit && (
            <button
              type="button"
              className="link-button"
              data-testid="comment-edit"
              aria-label={`Edit your comment of ${formatInstant(comment.createdAt)}`}
              onClick={() => setEditing(comment.body)}
            >
              Edit
            </button>
          )}
          {mayDelete && (
            <button
              type="button"
              className={`link-button danger${confirmDelete ? ' is-confirming' : ''}`}
              data-testid="comment-delete"
              aria-label={
                confirmDelete
                  ? 'Really delete this comment?'
                  : `Delete ${mayEdit ? 'your comment' : `the comment by ${author}`} of ${formatInstant(comment.createdAt)}`
              }
              onClick={remove}
              onBlur={() => setConfirmDelete(false)}
            >
              {confirmDelete ? 'Really delete?' : 'Delete'}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
