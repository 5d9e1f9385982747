import { useEffect, useState } from 'react';
import type { Task } from '../../domain/index.js';
import {
  isDirty,
  keepMine,
  reconcile,
  savePatch,
  startDraft,
  type DraftField,
  type DraftValue,
  type FieldConflictNotice,
  type FieldDraft,
} from './field-drafts.js';

export interface FieldEditor<F extends DraftField> {
  /** What the field shows: the draft while editing, else the server's value (with the user's own writes laid over). */
  value: DraftValue<F>;
  editing: boolean;
  dirty: boolean;
  /** Someone else changed this field while it was being edited: told, never applied under the user's hands. */
  conflict: FieldConflictNotice<F> | undefined;
  change(value: DraftValue<F>): void;
  /** The PATCH fields that save the draft (and the draft is done), or undefined when there is nothing to save. */
  take(ownSavePending: boolean): { value: DraftValue<F>; version?: number } | undefined;
  cancel(): void;
  /** "Theirs": the draft goes, the field shows the server's value. */
  takeTheirs(): void;
  /** "Mine": the draft stays, now based on their change, so saving writes over it knowingly. */
  keepMine(): void;
  /** A save the server refused for a conflict comes back as a draft, in conflict with what is there now. */
  restore(mine: DraftValue<F>): void;
}

/** One field of the card dialog: the server's value unless the user is editing it (see field-drafts.ts). */
export function useFieldDraft<F extends DraftField>(task: Task, field: F): FieldEditor<F> {
  const [draft, setDraft] = useState<FieldDraft<F>>();
  const reconciled = draft ? reconcile(draft, task) : undefined;
  // The server caught up with a value the draft already had (the user's own save, or the same
  // value typed by someone else): only the base moves on.
  const moved = reconciled && reconciled.draft !== draft ? reconciled.draft : undefined;
  useEffect(() => {
    if (moved) setDraft(moved);
  }, [moved]);
  const current = reconciled?.draft;

  return {
    value: current ? current.value : task[field],
    editing: current !== undefined,
    dirty: current !== undefined && isDirty(current),
    conflict: reconciled?.conflict,
    change: (value) => setDraft((before) => ({ ...(before ?? startDraft(task, field)), value })),
    take(ownSavePending) {
      if (!current || reconciled?.conflict || !isDirty(current)) return undefined;
      setDraft(undefined);
      const { value, version } = savePatch(current, ownSavePending);
      return version === undefined ? { value } : { value, version };
    },
    cancel: () => setDraft(undefined),
    takeTheirs: () => setDraft(undefined),
    keepMine: () => setDraft((before) => (before ? keepMine(before, task) : before)),
    restore: (mine) =>
      // Based just before the change that refused it: the server's value now is the conflict.
      setDraft({
        field,
        value: mine,
        baseValue: mine,
        baseVersion: Math.max(0, (task.fieldVersions[field]?.version ?? 1) - 1),
      }),
  };
}
