import { useId, useState } from 'react';
import { LABEL_COLORS, LIMITS, type Label, type LabelColor } from '../../domain/index.js';
import { newId } from '../sdk.js';
import { LabelChip } from './card-badges.js';
import type { PendingOp } from './pending-op.js';

interface LabelPickerProps {
  taskId: string;
  labels: readonly Label[];
  /** The card's labels. */
  labelIds: readonly string[];
  readOnly: boolean;
  write(op: PendingOp): void;
}

/**
 * The card's labels: type to filter the board's labels, tick to put one on the card or take it off
 * (a set change, so it never conflicts with anyone), create one from what was typed, or edit a
 * label's name and colour for the whole board.
 */
export function LabelPicker({ taskId, labels, labelIds, readOnly, write }: LabelPickerProps) {
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const headingId = useId();
  const typed = query.trim();
  const shown = labels.filter((label) => label.name.toLowerCase().includes(typed.toLowerCase()));
  const exact = labels.some((label) => label.name.toLowerCase() === typed.toLowerCase());
  const onCard = new Set(labelIds);

  const toggle = (labelId: string, on: boolean): void =>
    write({ kind: 'updateTask', taskId, labels: on ? { add: [labelId] } : { remove: [labelId] } });
  const create = (): void => {
    if (!typed || exact) return;
    const labelId = newId('label');
    // The first unused colour, so that new labels tell apart at a glance (their name says it anyway).
    const used = new Set(labels.map((label) => label.color));
    const color = LABEL_COLORS.find((candidate) => !used.has(candidate)) ?? 'green';
    write({ kind: 'createLabel', labelId, name: typed.slice(0, LIMITS.labelNameLength), color });
    write({ kind: 'updateTask', taskId, labels: { add: [labelId] } });
    setQuery('');
  };

  if (readOnly) {
    return (
      <section className="dialog-section" aria-labelledby={headingId}>
        <h3 id={headingId}>Labels</h3>
        <div className="label-chips">
          {labels
            .filter((label) => onCard.has(label.id))
            .map((label) => (
              <LabelChip key={label.id} label={label} />
            ))}
          {labelIds.length === 0 && <span className="muted">None</span>}
        </div>
      </section>
    );
  }
  return (
    <section className="dialog-section" aria-labelledby={headingId}>
      <h3 id={headingId}>Labels</h3>
      <input
        type="search"
        className="label-search"
        aria-label="Find or create a label"
        placeholder="Find or create a label…"
        value={query}
        maxLength={LIMITS.labelNameLength}
        data-testid="label-search"
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => {
          // Enter creates what was typed rather than submitting (and closing) the dialog.
          if (event.key === 'Enter') {
            event.preventDefault();
            if (!exact) create();
            else if (shown[0]) toggle(shown[0].id, !onCard.has(shown[0].id));
          }
        }}
      />
      <ul className="label-options" aria-label="Labels of this board">
        {shown.map((label) =>
          editing === label.id ? (
            <li key={label.id}>
              <LabelEditor label={label} onDone={() => setEditing(null)} write={write} />
            </li>
          ) : (
            <li key={label.id} className="label-option">
              <label>
                <input
                  type="checkbox"
                  checked={onCard.has(label.id)}
                  data-testid="label-toggle"
                  data-label-name={label.name}
                  onChange={(event) => toggle(label.id, event.target.checked)}
                />
                <LabelChip label={label} />
              </label>
              <button
                type="button"
                className="icon-button small"
                aria-label={`Edit label “${label.name || label.color}”`}
                data-testid="label-edit"
                onClick={() => setEditing(label.id)}
              >
                ✎
              </button>
            </li>
          ),
        )}
      </ul>
      {typed && !exact && (
        <button type="button" className="button small" data-testid="label-create" onClick={create}>
          Create label “{typed}”
        </button>
      )}
    </section>
  );
}

/** A label's name and colour, for the whole board; or the label deleted off every card. */
function LabelEditor({ label, onDone, write }: { label: Label; onDone(): void; write(op: PendingOp): void }) {
  const [name, setName] = useState(label.name);
  const [color, setColor] = useState<LabelColor | null>(label.color);
  const nameId = useId();
  const colorId = useId();
  return (
    <div className="label-editor" data-testid="label-editor">
      <label htmlFor={nameId}>Name</label>
      <input
        id={nameId}
        value={name}
        maxLength={LIMITS.labelNameLength}
        data-testid="label-name-input"
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') event.preventDefault();
        }}
      />
      <label htmlFor={colorId}>Colour</label>
      <select
        id={colorId}
        value={color ?? ''}
        data-testid="label-color-select"
        onChange={(event) => setColor((event.target.value || null) as LabelColor | null)}
      >
        <option value="">No colour</option>
        {LABEL_COLORS.map((candidate) => (
          <option key={candidate} value={candidate}>
            {candidate.replace('_', ' ')}
          </option>
        ))}
      </select>
      <LabelChip label={{ name: name.trim(), color }} />
      <div className="label-editor-actions">
        <button
          type="button"
          className="button small danger"
          onClick={() => {
            write({ kind: 'deleteLabel', labelId: label.id });
            onDone();
          }}
        >
          Delete label
        </button>
        <span className="spacer" />
        <button type="button" className="button small" onClick={onDone}>
          Cancel
        </button>
        <button
          type="button"
          className="button small primary"
          data-testid="label-save"
          onClick={() => {
            const patch: { name?: string; color?: LabelColor | null } = {};
            if (name.trim() !== label.name) patch.name = name.trim();
            if (color !== label.color) patch.color = color;
            if (Object.keys(patch).length > 0) write({ kind: 'updateLabel', labelId: label.id, ...patch });
            onDone();
          }}
        >
          Save label
        </button>
      </div>
    </div>
  );
}
