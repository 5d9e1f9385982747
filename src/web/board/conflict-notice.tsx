import { describeValue, FIELD_NAMES, type DraftField, type FieldConflictNotice } from './field-drafts.js';

/**
 * Someone changed the field being edited: who, and their value, with the choice of theirs or mine.
 * An alert, so a screen reader says it at once; the draft underneath is left exactly as typed.
 */
export function ConflictNotice<F extends DraftField>({
  conflict,
  onTheirs,
  onMine,
}: {
  conflict: FieldConflictNotice<F>;
  onTheirs(): void;
  onMine(): void;
}) {
  const who = conflict.by?.username ?? 'Someone';
  const theirs = describeValue(conflict.field, conflict.theirs);
  return (
    <div className="conflict-notice" role="alert" data-testid="conflict-notice" data-field={conflict.field}>
      <p>
        <strong data-testid="conflict-by">{who}</strong> changed the {FIELD_NAMES[conflict.field]} while you
        were editing it. Theirs:
      </p>
      <blockquote className="conflict-theirs" data-testid="conflict-value">
        {theirs.length > 400 ? `${theirs.slice(0, 400)}…` : theirs}
      </blockquote>
      <div className="conflict-actions">
        <button type="button" className="button small" data-testid="conflict-theirs" onClick={onTheirs}>
          Use theirs
        </button>
        <button type="button" className="button small primary" data-testid="conflict-mine" onClick={onMine}>
          Keep mine
        </button>
      </div>
    </div>
  );
}
