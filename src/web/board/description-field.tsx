import { useEffect, useId, useMemo, useState } from 'react';
import { LIMITS } from '../../domain/index.js';
import { ConflictNotice } from './conflict-notice.js';
import type { FieldEditor } from './use-field-draft.js';

type Render = (source: string) => string;
let loadedRender: Render | undefined;
let loading: Promise<Render> | undefined;

/**
 * markdown-it, loaded apart from the board (it is a third of the app's code, and the board itself
 * never needs it). The board page asks for it as it opens, so that a card opened later, even with
 * the server gone, has it; a load that fails is tried again next time.
 */
export function loadMarkdown(): Promise<Render> {
  loading ??= import('./markdown.js').then(
    ({ renderMarkdown }) => (loadedRender = renderMarkdown),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** The renderer, or undefined while it loads, or null when it could not be loaded (offline). */
export function useMarkdownRenderer(): Render | undefined | null {
  const [render, setRender] = useState<Render | undefined | null>(() => loadedRender);
  useEffect(() => {
    if (render) return;
    let gone = false;
    loadMarkdown().then(
      (loaded) => !gone && setRender(() => loaded),
      () => !gone && setRender(null),
    );
    return () => {
      gone = true;
    };
  }, [render]);
  return render;
}

/**
 * The description: Markdown, written in a textarea and previewed as rendered (raw HTML off, safe
 * links only: see markdown.ts). Read-only viewers see the rendered text alone.
 */
export function DescriptionField({
  editor,
  readOnly,
}: {
  editor: FieldEditor<'description'>;
  readOnly: boolean;
}) {
  const [mode, setMode] = useState<'write' | 'preview'>(editor.value ? 'preview' : 'write');
  const headingId = useId();
  const render = useMarkdownRenderer();
  const html = useMemo(() => (render ? render(editor.value) : undefined), [render, editor.value]);
  const showPreview = readOnly || mode === 'preview';
  return (
    <section className="dialog-section" aria-labelledby={headingId}>
      <div className="section-header">
        <h3 id={headingId}>Description</h3>
        {!readOnly && (
          <div className="segmented" role="group" aria-label="Description mode">
            <button
              type="button"
              aria-pressed={mode === 'write'}
              data-testid="description-write"
              onClick={() => setMode('write')}
            >
              Write
            </button>
            <button
              type="button"
              aria-pressed={mode === 'preview'}
              data-testid="description-preview-tab"
              onClick={() => setMode('preview')}
            >
              Preview
            </button>
          </div>
        )}
      </div>
      {editor.conflict && (
        <ConflictNotice conflict={editor.conflict} onTheirs={editor.takeTheirs} onMine={editor.keepMine} />
      )}
      {showPreview ? (
        editor.value && html !== undefined ? (
          <div
            className="markdown"
            data-testid="description-preview"
            // Rendered by markdown-it with raw HTML off and an allowlist of link schemes.
            dangerouslySetInnerHTML={{ __html: html }}
          />
        ) : editor.value && render === null ? (
          // The renderer could not be loaded (offline): the text as written, which React escapes.
          <p className="markdown-plain" data-testid="description-preview">
            {editor.value}
          </p>
        ) : editor.value ? (
          <p className="muted" aria-busy="true">
            Loading…
          </p>
        ) : (
          <p className="muted" data-testid="description-preview">
            No description
          </p>
        )
      ) : (
        <textarea
          aria-labelledby={headingId}
          value={editor.value}
          rows={7}
          maxLength={LIMITS.descriptionLength}
          placeholder="Add more detail… (Markdown)"
          data-testid="task-description-input"
          onChange={(event) => editor.change(event.target.value)}
        />
      )}
      {editor.dirty && showPreview && !readOnly && (
        <p className="muted note">Unsaved changes: Save keeps them.</p>
      )}
    </section>
  );
}
