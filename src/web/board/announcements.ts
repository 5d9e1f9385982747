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
}

/** What a screen reader hears while a task or list is moved, in the board's own words. */
export function announcementsFor(layout: () => DragLayout): Announcements {
  const describe = (id: string | number): string => {
    const { board, tasksByList } = layout();
    const list = board.lists.find((candidate) => candidate.id === id);
    if (list) {
      const index = board.lists.indexOf(list);
      return `list “${list.title}”, position ${index + 1} of ${board.lists.length}`;
    }
    for (const candidate of board.lists) {
      const ids = tasksByList?.[candidate.id] ?? candidate.tasks.map((task) => task.id);
      const index = ids.indexOf(String(id));
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
  return {
    onDragStart: ({ active }) => `Picked up ${name(active.id)}. It is in ${describe(active.id)}.`,
    onDragOver: ({ active, over }) =>
      over ? `${capitalize(name(active.id))} is now in ${describe(active.id)}.` : undefined,
    onDragEnd: ({ active, over }) =>
      over
        ? `Dropped ${name(active.id)} in ${describe(active.id)}.`
        : `Dropped ${name(active.id)}; it did not move.`,
    onDragCancel: ({ active }) => `Moving ${name(active.id)} was cancelled. It is back where it was.`,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
