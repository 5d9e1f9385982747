import { describe, expect, test } from 'vitest';
import { TASK_DEFAULTS, type Task } from '../../domain/index.js';
import { isDirty, keepMine, reconcile, savePatch, startDraft } from './field-drafts.js';

const ana = { userId: 'user-ana', username: 'ana' };
const base: Task = {
  ...TASK_DEFAULTS,
  id: 'task-1',
  boardId: 'board-1',
  listId: 'list-1',
  title: 'Launch',
  description: 'Old text',
  position: 'a0',
  version: 3,
  createdAt: '2026-11-30T00:00:00.000Z',
  updatedAt: '2026-11-30T00:00:00.000Z',
};

/** The task after someone changed `field` to `value`, as the reducer leaves it. */
function changed<F extends keyof Task>(task: Task, field: F, value: Task[F], by = ana): Task {
  const version = task.version + 1;
  return {
    ...task,
    [field]: value,
    version,
    fieldVersions: { ...task.fieldVersions, [field]: { version, by } },
  };
}

describe('a field draft against the live card', () => {
  test("others' changes to other fields leave the draft as typed, with its base", () => {
    const draft = { ...startDraft(base, 'description'), value: 'My text' };
    const later = changed(changed(base, 'dueAt', '2026-12-03T17:00:00.000Z'), 'labelIds', ['label-1']);
    const { draft: next, conflict } = reconcile(draft, later);
    expect(conflict).toBeUndefined();
    expect(next).toBe(draft);
    expect(savePatch(next, false)).toEqual({ field: 'description', value: 'My text', version: 3 });
  });

  test('a change by someone else to the same field is a conflict naming them and their value', () => {
    const draft = { ...startDraft(base, 'description'), value: 'My text' };
    const { conflict } = reconcile(draft, changed(base, 'description', 'Their text'));
    expect(conflict).toEqual({ field: 'description', theirs: 'Their text', by: ana });
  });

  test('"mine" writes over theirs knowingly: based on their version, still dirty', () => {
    const draft = { ...startDraft(base, 'description'), value: 'My text' };
    const theirs = changed(base, 'description', 'Their text');
    const mine = keepMine(draft, theirs);
    expect(reconcile(mine, theirs).conflict).toBeUndefined();
    expect(isDirty(mine)).toBe(true);
    expect(savePatch(mine, false)).toEqual({ field: 'description', value: 'My text', version: 4 });
  });

  test('the same value typed by both, or the base value coming back, is no conflict', () => {
    const draft = { ...startDraft(base, 'title'), value: 'Launch day' };
    expect(reconcile(draft, changed(base, 'title', 'Launch day')).conflict).toBeUndefined();
    const echo = reconcile(startDraft(base, 'title'), changed(base, 'title', 'Launch'));
    expect(echo.conflict).toBeUndefined();
    expect(echo.draft.baseVersion).toBe(4);
  });

  test('no version for a task not yet confirmed, nor behind an own save still on its way', () => {
    const unconfirmed = startDraft({ ...base, version: 0 }, 'description');
    expect(savePatch(unconfirmed, false)).not.toHaveProperty('version');
    expect(savePatch(startDraft(base, 'description'), true)).not.toHaveProperty('version');
  });

  test('dates compare as the instants the server answers', () => {
    const draft = { ...startDraft(base, 'dueAt'), value: '2026-12-01T09:00:00.000Z' };
    expect(isDirty(draft)).toBe(true);
    const { conflict } = reconcile(draft, changed(base, 'dueAt', '2026-12-02T09:00:00.000Z'));
    expect(conflict?.theirs).toBe('2026-12-02T09:00:00.000Z');
  });
});
