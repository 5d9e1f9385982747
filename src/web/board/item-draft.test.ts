import { describe, expect, test } from 'vitest';
import type { ChecklistItem } from '../../domain/index.js';
import {
  itemSavePatch,
  keepMineItem,
  reconcileItemDraft,
  restoredItemDraft,
  startItemDraft,
} from './item-draft.js';

const item: ChecklistItem = {
  id: 'item-1',
  text: 'Buy milk',
  done: false,
  position: 'a0',
  version: 2,
  textBy: null,
};

describe('a checklist item’s text while it is edited', () => {
  test('a tick or a move from someone else leaves the draft alone', () => {
    const draft = { ...startItemDraft(item), value: 'Buy oat milk' };
    expect(reconcileItemDraft(draft, { ...item, done: true, position: 'b0' })).toEqual({ draft });
  });

  test('their new text is a conflict; "mine" bases the draft on it, so the save overwrites knowingly', () => {
    const draft = { ...startItemDraft(item), value: 'Buy oat milk' };
    const theirs = { ...item, text: 'Buy bread', version: 3 };
    expect(reconcileItemDraft(draft, theirs).theirs).toBe('Buy bread');
    const mine = keepMineItem(draft, theirs);
    expect(reconcileItemDraft(mine, theirs)).toEqual({ draft: mine });
    expect(itemSavePatch(mine, false)).toEqual({ text: 'Buy oat milk', version: 3 });
  });

  test('the user’s own save coming back, or the very text typed, moves the base on without a word', () => {
    const draft = { ...startItemDraft(item), value: 'Buy oat milk' };
    const same = reconcileItemDraft(draft, { ...item, text: 'Buy oat milk', version: 3 });
    expect(same.theirs).toBeUndefined();
    expect(same.draft.baseVersion).toBe(3);
    expect(itemSavePatch(same.draft, false)).toBeUndefined();
  });

  test('a refused save comes back in conflict with what is there now, or once the change that refused it arrives', () => {
    const now = { ...item, text: 'Buy bread', version: 3 };
    expect(reconcileItemDraft(restoredItemDraft('Buy oat milk', now), now).theirs).toBe('Buy bread');
    const stale = restoredItemDraft('Buy oat milk', item, 3);
    expect(reconcileItemDraft(stale, item).theirs).toBeUndefined();
    expect(reconcileItemDraft(stale, now).theirs).toBe('Buy bread');
  });

  test('the save is trimmed, blank saves nothing, and no version while an own save is on its way', () => {
    const draft = { ...startItemDraft(item), value: '  Buy oat milk ' };
    expect(itemSavePatch(draft, false)).toEqual({ text: 'Buy oat milk', version: 2 });
    expect(itemSavePatch(draft, true)).toEqual({ text: 'Buy oat milk' });
    expect(itemSavePatch({ ...draft, value: '   ' }, false)).toBeUndefined();
  });
});
