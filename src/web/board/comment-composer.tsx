import { useEffect, useId, useRef, useState } from 'react';
import { LIMITS, newId } from '../../domain/index.js';
import { useUser } from '../session.js';
import type { CommentOp } from './comment-ops.js';
import { LengthHint, MarkdownText, NEAR_LIMIT } from './comment-text.js';
import type { RejectedEdit } from './use-live-board.js';

/**
 * The box a new comment is written in: its own state, which nothing that arrives from others
 * touches. Ctrl+Enter or Comment sends it; Preview shows it rendered as it will be. Sending hands
 * it to the outbox (with the id the app proposes) and empties the box: it shows in the list at
 * once, marked until it lands, and waits there while the server cannot be reached. One the server
 * refuses comes back here, after whatever was typed since, so that no words are lost.
 */
export function CommentComposer({
  taskId,
  write,
  refused,
  settleRefused,
}: {
  taskId: string;
  write(op: CommentOp): void;
  refused: readonly RejectedEdit[];
  settleRefused(id: number): void;
}) {
  const user = useUser();
  const [body, setBody] = useState('');
  const [previewing, setPreviewing] = useState(false);
  const hintId = useId();
  const restored = useRef(new Set<number>());

  useEffect(() => {
    for (const edit of refused) {
      if (restored.current.has(edit.id)) continue;
      restored.current.add(edit.id);
      const mine = String(edit.mine);
      setBody((current) => (current.trim() ? `${current}\n\n${mine}` : mine));
      settleRefused(edit.id);
    }
  }, [refused, settleRefused]);

  const send = (): void => {
    if (!body.trim()) return;
    write({
      kind: 'addComment',
      taskId,
      commentId: newId('comment'),
      body,
      createdAt: new Date().toISOString(),
      by: user ? { userId: user.id, username: user.username } : null,
    });
    setBody('');
    setPreviewing(false);
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
          onChange={(event) => setBody(event.target.value)}
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
          aria-disabled={!body.trim()}
          onClick={send}
        >
          Comment
        </button>
      </div>
    </div>
  );
}
