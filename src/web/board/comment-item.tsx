import { useId, useState } from 'react';
import { LIMITS, type Comment } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { client } from '../sdk.js';
import { formatInstant } from './card-badges.js';
import { LengthHint, MarkdownText, NEAR_LIMIT } from './comment-text.js';

/** One comment: who and when, its Markdown, and Edit and Delete where this user may. */
export function CommentItem({
  boardId,
  comment,
  mayEdit,
  mayDelete,
  onEdited,
  onDeleted,
  notify,
}: {
  boardId: string;
  comment: Comment;
  mayEdit: boolean;
  mayDelete: boolean;
  onEdited(comment: Comment): void;
  onDeleted(id: string): void;
  notify(text: string): void;
}) {
  const [editing, setEditing] = useState<string | undefined>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const hintId = useId();
  const author = comment.by?.username ?? 'anonymous';

  const save = (): void => {
    if (editing === undefined || !editing.trim() || busy) return;
    if (editing === comment.body) return setEditing(undefined);
    setBusy(true);
    client.editComment(boardId, comment.id, { body: editing }).then(
      ({ data }) => {
        setBusy(false);
        setEditing(undefined);
        onEdited(data);
      },
      (error: unknown) => {
        setBusy(false);
        notify(`Your edit was not saved: ${describeError(error)}`);
      },
    );
  };
  const remove = (): void => {
    if (!confirmDelete) return setConfirmDelete(true);
    setBusy(true);
    client.deleteComment(boardId, comment.id).then(
      () => onDeleted(comment.id),
      (error: unknown) => {
        setBusy(false);
        setConfirmDelete(false);
        notify(`The comment was not deleted: ${describeError(error)}`);
      },
    );
  };

  return (
    <li className="comment" data-testid="comment" data-comment-id={comment.id}>
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
              aria-disabled={!editing.trim() || busy}
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
              disabled={busy}
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
