import type { Author } from '../../domain/index.js';
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
  return (
    <ChangedWhileEditing
      field={conflict.field}
      what={`the ${FIELD_NAMES[conflict.field]}`}
      by={conflict.by}
      theirs={describeValue(conflict.field, conflict.theirs)}
      onTheirs={onTheirs}
      onMine={onMine}
    />
  );
}

/** The notice itself, for any text someone changed while it was being edited (a field, a checklist item). */
export function ChangedWhileEditing({
  field,
  what,
  by,
  theirs,
  onTheirs,
  onMine,
}: {
  field: string;
  /** "the description", "this item". */
  what: string;
  by: Author | null;
  theirs: string;
  onTheirs(): void;
  onMine(): void;
}) {
  const who = by?.username ?? 'Someone';
  return (
    <div className="conflict-notice" role="alert" data-testid="conflict-notice" data-field={field}>
      <p>
        <strong data-testid="conflict-by">{who}</strong> changed {what} while you were editing it. Theirs:
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
