import type { ChecklistItem } from '../../domain/index.js';

/**
 * A checklist item's text while the user edits it: the same rules as the card's fields
 * (field-drafts.ts), against the item's own `version` (the version of its text; ticks and moves
 * leave it). Someone else's tick never touches the draft; someone else's new text is told, never
 * put under the user's hands.
 */
export interface ItemDraft {
  value: string;
  /** The text the draft started from (or the user last chose to write over). */
  baseText: string;
  /** The item's version then: the save's `version`, so the server refuses it if the text moved on. */
  baseVersion: number;
}

export function startItemDraft(item: ChecklistItem): ItemDraft {
  return { value: item.text, baseText: item.text, baseVersion: item.version };
}

/**
 * The draft against the item as it is now: untouched while the text's version has not passed the
 * base; moved on without a word when the new text is the base (the user's own save) or what was
 * typed; otherwise a conflict, with their text.
 */
export function reconcileItemDraft(
  draft: ItemDraft,
  item: ChecklistItem,
): { draft: ItemDraft; theirs?: string } {
  if (item.version <= draft.baseVersion) return { draft };
  if (item.text === draft.baseText || item.text === draft.value) {
    return { draft: { ...draft, baseText: item.text, baseVersion: item.version } };
  }
  return { draft, theirs: item.text };
}

/** "Mine": keep what was typed, now based on their text, so that saving writes over it knowingly. */
export function keepMineItem(draft: ItemDraft, item: ChecklistItem): ItemDraft {
  return { ...draft, baseText: item.text, baseVersion: item.version };
}

/**
 * A save refused for a conflict, back as a draft based just before the change that refused it
 * (`refusedBy`, the version the server named; the item as this window has it may not be there yet,
 * and then the notice comes with the change's event).
 */
export function restoredItemDraft(mine: string, item: ChecklistItem, refusedBy?: number): ItemDraft {
  return { value: mine, baseText: mine, baseVersion: Math.max(0, (refusedBy ?? item.version) - 1) };
}

/**
 * The PATCH that saves the draft, or undefined when it changes nothing. No version while an earlier
 * save of this item's text by this user is on its way (its base is then the user's own unconfirmed
 * text, which the server would take for someone else's), nor for an item the server has not made yet.
 */
export function itemSavePatch(
  draft: ItemDraft,
  ownSavePending: boolean,
): { text: string; version?: number } | undefined {
  const text = draft.value.trim();
  if (!text || text === draft.baseText) return undefined;
  return ownSavePending ? { text } : { text, version: draft.baseVersion };
}
