import type { Active, Announcements, Over, ScreenReaderInstructions } from '@dnd-kit/core';
import { isBelow, type ShownChecklist } from './checklist-dnd.js';

export const checklistInstructions: ScreenReaderInstructions = {
  draggable:
    'To move an item or a checklist, press Space or Enter on its grip. Use the up and down arrow keys to ' +
    'move it: an item within its checklist (its “Move to…” button takes it to another checklist), a ' +
    'checklist among the card’s checklists. Press Space or Enter again to drop it where it is, or Escape ' +
    'to cancel.',
};

/**
 * What a screen reader hears while a card's checklist, or one of its items, is moved: its name and
 * its place, in words ("position 2 of 3", "position 1 of 3 in “Later”" for another checklist).
 */
export function checklistAnnouncementsFor(layout: () => readonly ShownChecklist[]): Announcements {
  const checklistOf = (id: string | number) => layout().find((checklist) => checklist.id === id);
  const holding = (itemId: string | number) =>
    layout().find((checklist) => checklist.items.some((item) => item.id === itemId));
  const name = (id: string | number): string => {
    const checklist = checklistOf(id);
    if (checklist) return `checklist “${checklist.title}”`;
    return `item “${holding(id)?.items.find((item) => item.id === id)?.text ?? ''}”`;
  };
  /** Where `active` would go over `over`; undefined where it would not move (its own checklist's edge). */
  const place = (active: Active, over: Over): string | undefined => {
    const checklists = layout();
    if (checklistOf(active.id)) {
      const index = checklists.findIndex((checklist) => checklist.id === over.id);
      return index < 0 ? undefined : `position ${index + 1} of ${checklists.length}`;
    }
    const source = holding(active.id);
    const target = checklistOf(over.id) ?? holding(over.id);
    if (!source || !target) return undefined;
    if (target === source) {
      const index = source.items.findIndex((item) => item.id === over.id);
      return index < 0 ? undefined : `position ${index + 1} of ${source.items.length}`;
    }
    const count = target.items.length + 1;
    const index = target.items.findIndex((item) => item.id === over.id);
    const position = index < 0 ? count : index + (isBelow(active, over) ? 2 : 1);
    return `position ${position} of ${count} in “${target.title}”`;
  };
  // Said only when the place changes, so that "picked up" is not drowned by a move that did not happen.
  let lastPlace = '';
  return {
    onDragStart: ({ active }) => {
      const source = checklistOf(active.id) ? undefined : holding(active.id);
      const siblings = source ? source.items : layout();
      const index = siblings.findIndex((each) => each.id === active.id);
      lastPlace = `position ${index + 1} of ${siblings.length}`;
      const of = source ? ` of “${source.title}”` : '';
      return `Picked up ${name(active.id)}${of}. It is in ${lastPlace}.`;
    },
    onDragOver: ({ active, over }) => {
      const now = (over && place(active, over)) ?? lastPlace;
      if (now === lastPlace) return undefined;
      lastPlace = now;
      return `${capitalize(name(active.id))} is now in ${now}.`;
    },
    onDragEnd: ({ active, over }) => {
      const where = over && place(active, over);
      return where
        ? `Dropped ${name(active.id)} in ${where}.`
        : `Dropped ${name(active.id)}; it did not move.`;
    },
    onDragCancel: ({ active }) => `Moving ${name(active.id)} was cancelled. It is back where it was.`,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
