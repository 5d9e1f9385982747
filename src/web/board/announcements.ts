import type { Announcements, ScreenReaderInstructions } from '@dnd-kit/core';
import type { Board } from '../../domain/index.js';

export const screenReaderInstructions: ScreenReaderInstructions = {
  draggable:
    'To pick up a task or a list, press Space or Enter. Use the arrow keys to move it: up and down within a list, ' +
    'left and right between lists. Press Space or Enter again to drop it where it is, or Escape to cancel.',
};

export interface DragLayout {
  board: Board;
  /** Task ids by list id as the drag currently has them. */
  tasksByList: Record<string, string[]> | null;
  /** Set as a drop is refused (a full list with a hard WIP limit): said instead of "Dropped". */
  refusal?: string;
}

/** What a screen reader hears while a task or list is moved, in the board's own words. */
export function announcementsFor(layout: () => DragLayout): Announcements {
  /** Where the active item lands if dropped now: dnd-kit gives it the index of what it is over. */
  const describe = (activeId: string | number, overId: string | number = activeId): string => {
    const { board, tasksByList } = layout();
    const lists = board.lists.map((list) => list.id);
    if (lists.includes(String(activeId))) {
      const index = lists.indexOf(String(overId));
      return `position ${(index < 0 ? lists.indexOf(String(activeId)) : index) + 1} of ${lists.length}`;
    }
    const target = String(overId).startsWith('body:') ? String(activeId) : String(overId);
    for (const candidate of board.lists) {
      const ids = tasksByList?.[candidate.id] ?? candidate.tasks.map((task) => task.id);
      const index = ids.indexOf(target);
      if (index >= 0) return `list “${candidate.title}”, position ${index + 1} of ${ids.length}`;
    }
    return 'its place';
  };
  const name = (id: string | number): string => {
    const { board } = layout();
    const list = board.lists.find((candidate) => candidate.id === id);
    if (list) return `list “${list.title}”`;
    for (const candidate of board.lists) {
      const task = candidate.tasks.find((item) => item.id === id);
      if (task) return `task “${task.title}”`;
    }
    return 'item';
  };
  // Said only when the place changes, so that "picked up" is not drowned by a move that did not happen.
  let lastPlace = '';
  return {
    onDragStart: ({ active }) => {
      lastPlace = describe(active.id);
      return `Picked up ${name(active.id)}. It is in ${lastPlace}.`;
    },
    onDragOver: ({ active, over }) => {
      const place = over ? describe(active.id, over.id) : lastPlace;
      if (place === lastPlace) return undefined;
      lastPlace = place;
      return `${capitalize(name(active.id))} is now in ${place}.`;
    },
    onDragEnd: ({ active, over }) => {
      const { refusal } = layout();
      if (refusal) return refusal;
      return over
        ? `Dropped ${name(active.id)} in ${describe(active.id, over.id)}.`
        : `Dropped ${name(active.id)}; it did not move.`;
    },
    onDragCancel: ({ active }) => `Moving ${name(active.id)} was cancelled. It is back where it was.`,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
