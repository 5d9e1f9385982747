import { useEffect, useId, useRef, useState } from 'react';
import { LIMITS, type List } from '../../domain/index.js';
import type { PendingOp } from './pending-op.js';

/**
 * A list's WIP limit: a number (or none) and whether it is hard (refuses a card past it) or soft
 * (only shows it). A small form that opens under the list's header.
 */
export function WipMenu({ list, write }: { list: List; write(op: PendingOp): void }) {
  const [open, setOpen] = useState(false);
  const [limit, setLimit] = useState('');
  const [hard, setHard] = useState(false);
  const formId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!open) return;
    setLimit(list.wipLimit === null ? '' : String(list.wipLimit));
    setHard(list.wipHard);
    inputRef.current?.focus();
    // Only when it opens: the form holds what the user types from then on.
  }, [open]);
  const close = (): void => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  const parsed = limit.trim() === '' ? null : Number(limit);
  const valid = parsed === null || (Number.isInteger(parsed) && parsed >= 1 && parsed <= LIMITS.wipLimitMax);
  return (
    <div className="wip-menu">
      <button
        ref={buttonRef}
        type="button"
        className="icon-button"
        aria-expanded={open}
        aria-controls={open ? formId : undefined}
        aria-label={`WIP limit of “${list.title}”`}
        data-testid="wip-menu-button"
        onClick={() => setOpen((value) => !value)}
      >
        ⚙
      </button>
      {open && (
        <form
          id={formId}
          className="menu wip-form"
          aria-label={`WIP limit of “${list.title}”`}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation();
              close();
            }
          }}
          onSubmit={(event) => {
            event.preventDefault();
            if (!valid) return;
            write({
              kind: 'setWipLimit',
              listId: list.id,
              wipLimit: parsed,
              wipHard: parsed === null ? false : hard,
            });
            close();
          }}
        >
          <label>
            Limit (empty: none)
            <input
              ref={inputRef}
              type="number"
              min={1}
              max={LIMITS.wipLimitMax}
              inputMode="numeric"
              value={limit}
              aria-invalid={!valid}
              data-testid="wip-limit-input"
              onChange={(event) => setLimit(event.target.value)}
            />
          </label>
          <label className="checkbox-row">
            <input
              type="checkbox"
              checked={hard}
              data-testid="wip-hard"
              onChange={(event) => setHard(event.target.checked)}
            />
            Hard: refuse cards past it
          </label>
          {!valid && <p className="field-error">A whole number from 1 to {LIMITS.wipLimitMax}, or empty.</p>}
          <div className="label-editor-actions">
            <button type="button" className="button small" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="button small primary" data-testid="wip-save">
              Save
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
