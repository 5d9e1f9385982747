import { KeyboardSensor, PointerSensor, useSensor, useSensors } from '@dnd-kit/core';
import { sortableKeyboardCoordinates, useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';

type Handler = (event: unknown) => void;

/**
 * A sortable list or card. Its listeners come apart: the mouse drags the whole item (its pointer
 * handler goes on the item), the keyboard drags by its grip button (the key handler goes there).
 */
export function useSortableItem(args: Parameters<typeof useSortable>[0]) {
  const sortable = useSortable(args);
  const { onPointerDown, onKeyDown } = (sortable.listeners ?? {}) as Record<string, Handler | undefined>;
  const style = { transform: CSS.Translate.toString(sortable.transform), transition: sortable.transition };
  return { sortable, onPointerDown, onKeyDown, style };
}

// Constants, not literals in the hook: useSensor keeps its sensor only while its options are the
// same object, and new sensors make DndContext's context new, which renders every sortable again
// (every card of the board, on each remote change).
const POINTER = { activationConstraint: { distance: 6 } };
const KEYBOARD = { coordinateGetter: sortableKeyboardCoordinates };

/** The sensors of every sortable surface: a mouse drag past 6 px, and the keyboard by the grip. */
export function useDragSensors() {
  return useSensors(useSensor(PointerSensor, POINTER), useSensor(KeyboardSensor, KEYBOARD));
}
