import { useEffect, useId, useMemo, useState } from 'react';
import { LIMITS } from '../../domain/index.js';
import { ConflictNotice } from './conflict-notice.js';

type Render = (source: string) => string;
let loadedRender: Render | undefined;

/**
 * markdown-it, loaded the first time a description is shown: it is a third of the app's code, and
 * the board itself never needs it.
 */
function useMarkdownRenderer(): Render | undefined {
  const [render, setRender] = useState<Render | undefined>(() => loadedRender);
  useEffect(() => {
    if (render) return;
    let gone = false;
    void import('./markdown.js').then(({ renderMarkdown }) => {
      loadedRender = renderMarkdown;
      if (!gone) setRender(() => renderMarkdown);
    });
    return () => {
      gone = true;
    };
  }, [render]);
  return render;
}
import type { FieldEditor } from './use-field-draft.js';

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
  const html = useMemo(() => render?.(editor.value), [render, editor.value]);
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
