import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { LIMITS, newId, type Comment, type StreamMessage } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { client } from '../sdk.js';
import { EMPTY_COMMENTS, withMessage, withoutComment, withPage, type CommentList } from './comment-list.js';
import { useMarkdownRenderer } from './description-field.js';

const PAGE_SIZE = 20;
/** The character count shows once a comment is this close to the limit. */
const NEAR_LIMIT = 1_000;

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An instant in the viewer's own zone. */
export function formatInstant(iso: string): string {
  return timeFormat.format(new Date(iso));
}

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

/** How many characters are left, said once a text is near the limit (and tied to its box). */
function LengthHint({ id, length }: { id: string; length: number }) {
  if (length < LIMITS.commentLength - NEAR_LIMIT) return null;
  const left = LIMITS.commentLength - length;
  return (
    <span id={id} className={`length-hint${left === 0 ? ' is-full' : ''}`} data-testid="comment-length">
      {left.toLocaleString()} of {LIMITS.commentLength.toLocaleString()} characters left
    </span>
  );
}

function CommentComposer({
  boardId,
  taskId,
  onAdded,
  notify,
}: {
  boardId: string;
  taskId: string;
  onAdded(comment: Comment): void;
  notify(text: string): void;
}) {
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const [previewing, setPreviewing] = useState(false);
  const hintId = useId();
  // One id and Idempotency-Key per comment, so that a retry after a lost answer adds it once.
  const attempt = useRef<string | undefined>(undefined);

  const send = (): void => {
    if (sending || !body.trim()) return;
    attempt.current ??= newId('comment');
    const id = attempt.current;
    const sent = body;
    setSending(true);
    client.addComment(boardId, { taskId, body: sent, id }, { idempotencyKey: id }).then(
      ({ data }) => {
        attempt.current = undefined;
        setSending(false);
        // What was typed after Send stays: only the text that was sent leaves the box.
        setBody((current) => (current === sent ? '' : current));
        setPreviewing(false);
        onAdded(data);
      },
      (error: unknown) => {
        setSending(false);
        notify(`Your comment was not added: ${describeError(error)} It is still in the box.`);
      },
    );
  };

  return (
    <div className="comment-composer">
      {previewing ? (
        <div className="comment-preview" data-testid="comment-preview">
          {body.trim() ? <MarkdownText text={body} /> : <p className="muted note">Nothing to preview yet.</p>}
        </div>
      ) : (
        <textarea
          aria-label="Write a comment (Markdown)"
          aria-describedby={body.length >= LIMITS.commentLength - NEAR_LIMIT ? hintId : undefined}
          placeholder="Write a comment… (Markdown; Ctrl+Enter sends)"
          rows={2}
          value={body}
          maxLength={LIMITS.commentLength}
          data-testid="comment-input"
          onChange={(event) => {
            attempt.current = undefined;
            setBody(event.target.value);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              send();
            }
          }}
        />
      )}
      <div className="comment-composer-actions">
        <button
          type="button"
          className="button small"
          aria-pressed={previewing}
          data-testid="comment-preview-toggle"
          onClick={() => setPreviewing((was) => !was)}
        >
          Preview
        </button>
        <LengthHint id={hintId} length={body.length} />
        <span className="spacer" />
        <button
          type="button"
          className="button small primary"
          data-testid="comment-send"
          aria-disabled={!body.trim() || sending}
          onClick={send}
        >
          {sending ? 'Sending…' : 'Comment'}
        </button>
      </div>
    </div>
  );
}

function CommentItem({
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

/** A comment's Markdown, rendered like the description (markdown.ts: raw HTML off, safe links only). */
function MarkdownText({ text, testId }: { text: string; testId?: string }) {
  const render = useMarkdownRenderer();
  const html = useMemo(() => (render ? render(text) : undefined), [render, text]);
  return html !== undefined ? (
    <div
      className="markdown comment-body"
      data-testid={testId}
      // Rendered by markdown-it with raw HTML off and an allowlist of link schemes (markdown.ts).
      dangerouslySetInnerHTML={{ __html: html }}
    />
  ) : (
    // The renderer is loading, or could not be loaded (offline): the text as written, escaped by React.
    <p className="markdown-plain comment-body" data-testid={testId}>
      {text}
    </p>
  );
}
