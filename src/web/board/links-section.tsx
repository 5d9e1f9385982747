import { useId, useState } from 'react';
import { LIMITS, type Task } from '../../domain/index.js';
import { newId } from '../sdk.js';
import type { PendingOp } from './pending-op.js';

/**
 * The card's links: each opens in a new tab, with no way back to this page (noopener) and no
 * referrer. A URL the server refuses (not http, https or mailto) is said in its words, in the notices.
 */
export function LinksSection({
  task,
  readOnly,
  write,
}: {
  task: Task;
  readOnly: boolean;
  write(op: PendingOp): void;
}) {
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  const headingId = useId();
  const urlId = useId();
  const titleId = useId();
  const add = (): void => {
    if (!url.trim()) return;
    const named = title.trim() ? { title: title.trim() } : {};
    write({ kind: 'addLink', taskId: task.id, linkId: newId('link'), url: url.trim(), ...named });
    setUrl('');
    setTitle('');
  };
  const onEnter = (event: React.KeyboardEvent<HTMLInputElement>): void => {
    // Enter adds the link rather than saving (and closing) the dialog.
    if (event.key !== 'Enter') return;
    event.preventDefault();
    add();
  };
  if (readOnly && task.links.length === 0) return null;
  return (
    <section className="dialog-section links-section" aria-labelledby={headingId}>
      <h3 id={headingId}>Links</h3>
      {task.links.length > 0 && (
        <ul className="link-list">
          {task.links.map((link) => (
            <li key={link.id} className="link-row" data-testid="link" data-link-id={link.id}>
              <a href={link.url} target="_blank" rel="noopener noreferrer" data-testid="link-anchor">
                {link.title || link.url}
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
              {link.title && <span className="link-url muted">{link.url}</span>}
              {!readOnly && (
                <button
                  type="button"
                  className="icon-button small"
                  aria-label={`Remove link “${link.title || link.url}”`}
                  data-testid="link-remove"
                  onClick={() => write({ kind: 'removeLink', taskId: task.id, linkId: link.id })}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <div className="link-form">
          <label htmlFor={urlId}>URL</label>
          <input
            id={urlId}
            inputMode="url"
            autoComplete="off"
            placeholder="https://…"
            value={url}
            maxLength={LIMITS.urlLength}
            data-testid="link-url-input"
            onChange={(event) => setUrl(event.target.value)}
            onKeyDown={onEnter}
          />
          <label htmlFor={titleId}>Title (optional)</label>
          <input
            id={titleId}
            value={title}
            maxLength={LIMITS.titleLength}
            data-testid="link-title-input"
            onChange={(event) => setTitle(event.target.value)}
            onKeyDown={onEnter}
          />
          <span />
          <button type="button" className="button small" data-testid="link-add" onClick={add}>
            Add link
          </button>
        </div>
      )}
    </section>
  );
}
