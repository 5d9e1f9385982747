import { useMemo } from 'react';
import { LIMITS } from '../../domain/index.js';
import { useMarkdownRenderer } from './description-field.js';

/** The character count shows once a comment is this close to the limit. */
export const NEAR_LIMIT = 1_000;

/** How many characters are left, said once a text is near the limit (and tied to its box). */
export function LengthHint({ id, length }: { id: string; length: number }) {
  if (length < LIMITS.commentLength - NEAR_LIMIT) return null;
  const left = LIMITS.commentLength - length;
  return (
    <span id={id} className={`length-hint${left === 0 ? ' is-full' : ''}`} data-testid="comment-length">
      {left.toLocaleString()} of {LIMITS.commentLength.toLocaleString()} characters left
    </span>
  );
}

/** A comment's Markdown, rendered like the description (markdown.ts: raw HTML off, safe links only). */
export function MarkdownText({ text, testId }: { text: string; testId?: string }) {
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
