import type { Announcements, ScreenReaderInstructions } from '@dnd-kit/core';
import type { ChecklistItem } from '../../domain/index.js';

export const itemInstructions: ScreenReaderInstructions = {
  draggable:
    'To move an item, press Space or Enter on its grip. Use the up and down arrow keys to move it within ' +
    'its checklist. Press Space or Enter again to drop it where it is, or Escape to cancel.',
};

/** What a screen reader hears while a checklist's item is moved: its text and its place, in words. */
export function itemAnnouncementsFor(
  layout: () => { title: string; items: readonly ChecklistItem[] },
): Announcements {
  const place = (id: string | number): string => {
    const { items } = layout();
    const index = items.findIndex((item) => item.id === id);
    return `position ${index + 1} of ${items.length}`;
  };
  const name = (id: string | number): string =>
    `item “${layout().items.find((item) => item.id === id)?.text ?? ''}”`;
  // Said only when the place changes, so that "picked up" is not drowned by a move that did not happen.
  let lastPlace = '';
  return {
    onDragStart: ({ active }) => {
      lastPlace = place(active.id);
      return `Picked up ${name(active.id)} of “${layout().title}”. It is in ${lastPlace}.`;
    },
    onDragOver: ({ active, over }) => {
      const now = over ? place(over.id) : lastPlace;
      if (now === lastPlace) return undefined;
      lastPlace = now;
      return `${capitalize(name(active.id))} is now in ${now}.`;
    },
    onDragEnd: ({ active, over }) =>
      over
        ? `Dropped ${name(active.id)} in ${place(over.id)}.`
        : `Dropped ${name(active.id)}; it did not move.`,
    onDragCancel: ({ active }) => `Moving ${name(active.id)} was cancelled. It is back where it was.`,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
