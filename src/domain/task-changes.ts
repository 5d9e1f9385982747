import type { Author, Task, VersionedField } from './model.js';
import type { CoverColor } from './palette.js';

/** A small field's change, both ends, so that history reads without folding. */
export interface ValueChange<T> {
  from: T;
  to: T;
}

/** What a set gained and lost: only ids that really came or went. */
export interface SetDelta {
  add: string[];
  remove: string[];
}

/**
 * What a `task_updated` (or a `task_moved` that also edits) says changed. Only the fields that
 * changed are present. The description, the one large field, carries its new text alone.
 */
export interface TaskChanges {
  title?: ValueChange<string>;
  description?: { to: string };
  startAt?: ValueChange<string | null>;
  dueAt?: ValueChange<string | null>;
  dueComplete?: ValueChange<boolean>;
  reminder?: ValueChange<number | null>;
  coverColor?: ValueChange<CoverColor | null>;
  archivedAt?: ValueChange<string | null>;
  labelIds?: SetDelta;
  assigneeIds?: SetDelta;
}

export type ChangedField = keyof TaskChanges;

/**
 * The task after `changes`, at `version`, changed at `at` by `by`: each changed field records the
 * version that changed it (see Task.fieldVersions). Pure: returns a new task.
 */
export function applyTaskChanges(
  task: Task,
  changes: TaskChanges,
  version: number,
  at: string,
  by: Author | null,
): Task {
  const next: Task = { ...task, version, updatedAt: at, fieldVersions: { ...task.fieldVersions } };
  const stamp = (field: VersionedField) => {
    next.fieldVersions[field] = { version, by };
  };
  for (const field of Object.keys(changes) as ChangedField[]) {
    switch (field) {
      case 'labelIds':
      case 'assigneeIds': {
        const delta = changes[field]!;
        const removed = new Set(delta.remove);
        const kept = task[field].filter((id) => !removed.has(id));
        next[field] = [...kept, ...delta.add.filter((id) => !kept.includes(id))];
        break;
      }
      case 'description':
        next.description = changes.description!.to;
        break;
      default:
        // Every other change is a ValueChange of the task's own field.
        (next as unknown as Record<string, unknown>)[field] = (changes[field] as ValueChange<unknown>).to;
    }
    stamp(field);
  }
  return next;
}

/** Whether a changes object says anything at all. */
export function hasChanges(changes: TaskChanges): boolean {
  return Object.keys(changes).length > 0;
}
