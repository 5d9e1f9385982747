import type { Author, Task } from '../../domain/index.js';

/**
 * What the card dialog keeps of a field while the user edits it, and how that meets the server's
 * changes to the same card. Each field is on its own: someone else's change to another field never
 * touches a draft, and a change to this one is never applied under the user's hands nor silently
 * overwritten by their save — it is told (who, and their value) and the user picks theirs or mine.
 */
export type DraftField = 'title' | 'description' | 'startAt' | 'dueAt' | 'reminder';
export type DraftValue<F extends DraftField> = Task[F];

export interface FieldDraft<F extends DraftField> {
  field: F;
  /** What the user has typed. */
  value: DraftValue<F>;
  /** The field's value the draft started from (or the user last chose to write over). */
  baseValue: DraftValue<F>;
  /** The task's version then: the save's `version`, so the server refuses it if the field moved on. */
  baseVersion: number;
}

/** Someone else changed the field being edited: their value, and who they are. */
export interface FieldConflictNotice<F extends DraftField> {
  field: F;
  theirs: DraftValue<F>;
  by: Author | null;
}

export function startDraft<F extends DraftField>(task: Task, field: F): FieldDraft<F> {
  return { field, value: task[field], baseValue: task[field], baseVersion: task.version };
}

/**
 * The draft against the card as it is now. A field whose version has not passed the draft's base
 * is untouched; one that has, but holds the base value (the user's own save coming back) or the
 * very value typed, moves the draft's base on without a word; anything else is a conflict.
 */
export function reconcile<F extends DraftField>(
  draft: FieldDraft<F>,
  task: Task,
): { draft: FieldDraft<F>; conflict?: FieldConflictNotice<F> } {
  const changed = task.fieldVersions[draft.field];
  if (!changed || changed.version <= draft.baseVersion) return { draft };
  const server = task[draft.field];
  if (server === draft.baseValue || server === draft.value) {
    return { draft: { ...draft, baseValue: server, baseVersion: task.version } };
  }
  return { draft, conflict: { field: draft.field, theirs: server, by: changed.by } };
}

/** "Mine": keep what was typed, now based on their change, so that saving writes over it knowingly. */
export function keepMine<F extends DraftField>(draft: FieldDraft<F>, task: Task): FieldDraft<F> {
  return { ...draft, baseValue: task[draft.field], baseVersion: task.version };
}

/** Whether saving the draft would change anything. */
export function isDirty<F extends DraftField>(draft: FieldDraft<F>): boolean {
  return draft.value !== draft.baseValue;
}

/**
 * The PATCH that saves the draft: the field alone, with the version it was based on so that the
 * server checks this field only. No version for a task the server has not confirmed yet (version 0),
 * nor while an earlier save of this field by this user is still on its way: the base is then the
 * user's own unconfirmed value, which the server would see as someone else's change.
 */
export function savePatch<F extends DraftField>(
  draft: FieldDraft<F>,
  ownSavePending: boolean,
): { field: F; value: DraftValue<F>; version?: number } {
  const versioned = draft.baseVersion > 0 && !ownSavePending;
  return versioned
    ? { field: draft.field, value: draft.value, version: draft.baseVersion }
    : { field: draft.field, value: draft.value };
}

/** How a field's value reads in a notice ("none" for a cleared date, a date in the viewer's zone). */
export function describeValue(field: DraftField, value: unknown): string {
  if (value === null || value === '') return field === 'description' ? 'an empty description' : 'none';
  if (field === 'startAt' || field === 'dueAt') return new Date(String(value)).toLocaleString();
  if (field === 'reminder') return `${String(value)} minutes before`;
  return String(value);
}

export const FIELD_NAMES: Record<DraftField, string> = {
  title: 'title',
  description: 'description',
  startAt: 'start date',
  dueAt: 'due date',
  reminder: 'reminder',
};
