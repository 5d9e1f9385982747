import { useEffect, useId, useRef, useState } from 'react';
import { LIMITS, type Link, type Task } from '../../domain/index.js';
import { newId } from '../sdk.js';
import type { PendingOp } from './pending-op.js';

/**
 * The card's links: each opens in a new tab, with no way back to this page (noopener) and no
 * referrer, and is edited in place (its title, its URL). A URL the server refuses (not http, https
 * or mailto) is said in its words, in the notices.
 */
export function LinksSection({
  task,
  readOnly,
  write,
  notify,
}: {
  task: Task;
  readOnly: boolean;
  write(op: PendingOp): void;
  notify(text: string): void;
}) {
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  // The links being edited, kept here rather than by their rows: a link removed under the user's
  // hands is said, with what was typed.
  const [drafts, setDrafts] = useState<ReadonlyMap<string, LinkDraft>>(() => new Map());
  const setDraft = (linkId: string, draft: LinkDraft | undefined): void =>
    setDrafts((current) => {
      const next = new Map(current);
      if (draft) next.set(linkId, draft);
      else next.delete(linkId);
      return next;
    });
  useEffect(() => {
    const orphans = [...drafts].filter(([linkId]) => !task.links.some((link) => link.id === linkId));
    if (orphans.length === 0) return;
    for (const [, typed] of orphans) {
      notify(`Someone removed the link you were editing. What you had typed: “${typed.title || typed.url}”`);
    }
    setDrafts(
      (current) => new Map([...current].filter(([linkId]) => !orphans.some(([gone]) => gone === linkId))),
    );
  }, [task.links, drafts, notify]);
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
            <LinkRow
              key={link.id}
              taskId={task.id}
              link={link}
              readOnly={readOnly}
              draft={drafts.get(link.id)}
              setDraft={(draft) => setDraft(link.id, draft)}
              write={write}
            />
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

/** What an edit started from, and what is typed: only the fields the user changed are sent. */
interface LinkDraft {
  base: Pick<Link, 'url' | 'title'>;
  url: string;
  title: string;
}

/**
 * One link: its anchor, and "Edit", which turns the row into its title and URL (Enter saves, Escape
 * leaves it as it was; the focus comes back to "Edit" either way). A save sends only what the user
 * changed, so someone else's new URL survives this user's new title.
 */
function LinkRow({
  taskId,
  link,
  readOnly,
  draft,
  setDraft,
  write,
}: {
  taskId: string;
  link: Link;
  readOnly: boolean;
  draft: LinkDraft | undefined;
  setDraft(draft: LinkDraft | undefined): void;
  write(op: PendingOp): void;
}) {
  const editButton = useRef<HTMLButtonElement>(null);
  const titleInput = useRef<HTMLInputElement>(null);
  const returnFocus = useRef(false);
  const urlId = useId();
  const titleId = useId();
  const name = link.title || link.url;

  useEffect(() => {
    if (draft) titleInput.current?.select();
    else if (returnFocus.current) {
      returnFocus.current = false;
      editButton.current?.focus();
    }
  }, [draft !== undefined]);

  const close = (): void => {
    returnFocus.current = true;
    setDraft(undefined);
  };
  const save = (): void => {
    if (!draft) return;
    const url = draft.url.trim();
    const title = draft.title.trim();
    if (!url) return;
    const patch = {
      ...(url !== draft.base.url ? { url } : {}),
      ...(title !== draft.base.title ? { title } : {}),
    };
    if (Object.keys(patch).length > 0) write({ kind: 'updateLink', taskId, linkId: link.id, ...patch });
    close();
  };
  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') {
      event.preventDefault();
      save();
    } else if (event.key === 'Escape') {
      // Leaves the link as it was, and keeps the dialog open.
      event.preventDefault();
      close();
    }
  };

  if (draft) {
    return (
      <li className="link-row is-editing" data-testid="link" data-link-id={link.id}>
        <div className="link-edit" role="group" aria-label={`Edit link “${name}”`}>
          <label htmlFor={titleId}>Title</label>
          <input
            id={titleId}
            ref={titleInput}
            value={draft.title}
            maxLength={LIMITS.titleLength}
            placeholder="(none: the URL is shown)"
            data-testid="link-edit-title"
            onChange={(event) => setDraft({ ...draft, title: event.target.value })}
            onKeyDown={onKeyDown}
          />
          <label htmlFor={urlId}>URL</label>
          <input
            id={urlId}
            inputMode="url"
            autoComplete="off"
            value={draft.url}
            maxLength={LIMITS.urlLength}
            data-testid="link-edit-url"
            onChange={(event) => setDraft({ ...draft, url: event.target.value })}
            onKeyDown={onKeyDown}
          />
          <span />
          <span className="link-edit-actions">
            <button
              type="button"
              className="button small primary"
              data-testid="link-save"
              disabled={!draft.url.trim()}
              onClick={save}
            >
              Save
            </button>
            <button type="button" className="button small" data-testid="link-cancel" onClick={close}>
              Cancel
            </button>
          </span>
        </div>
      </li>
    );
  }
  return (
    <li className="link-row" data-testid="link" data-link-id={link.id}>
      <a href={link.url} target="_blank" rel="noopener noreferrer" data-testid="link-anchor">
        {name}
        <span className="visually-hidden"> (opens in a new tab)</span>
      </a>
      {link.title && <span className="link-url muted">{link.url}</span>}
      {!readOnly && (
        <span className="link-actions">
          <button
            ref={editButton}
            type="button"
            className="link-button"
            aria-label={`Edit link “${name}”`}
            data-testid="link-edit"
            onClick={() => setDraft({ base: link, url: link.url, title: link.title })}
          >
            Edit
          </button>
          <button
            type="button"
            className="icon-button small"
            aria-label={`Remove link “${name}”`}
            data-testid="link-remove"
            onClick={() => write({ kind: 'removeLink', taskId, linkId: link.id })}
          >
            ×
          </button>
        </span>
      )}
    </li>
  );
}
