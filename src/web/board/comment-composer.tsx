import { useId, useRef, useState } from 'react';
import { LIMITS, newId, type Comment } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { client } from '../sdk.js';
import { LengthHint, MarkdownText, NEAR_LIMIT } from './comment-text.js';

/**
 * The box a new comment is written in: its own state, which nothing that arrives from others
 * touches. Ctrl+Enter or Comment sends it; Preview shows it rendered as it will be.
 */
export function CommentComposer({
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
