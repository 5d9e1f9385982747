import {
  closestCenter,
  KeyboardSensor,
  pointerWithin,
  PointerSensor,
  useSensor,
  useSensors,
  type Active,
  type CollisionDetection,
  type DroppableContainer,
  type KeyboardCoordinateGetter,
  type Over,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { arrayMove, sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import type { ChecklistItem } from '../../domain/index.js';
import type { ChecklistOp } from './checklist-ops.js';
import { placement } from './pending-op.js';

/**
 * Dragging in a card's checklists: one surface for the checklists themselves (each by the grip in
 * its header) and for their items (each by its grip), so that an item dragged by mouse can land in
 * another checklist of the card. By keyboard, a checklist moves among the checklists and an item
 * among its own checklist's items: its "Move to…" menu takes it to another checklist, a choice
 * rather than a journey through every item of the card.
 */

/** What a draggable is, in its `data`: a checklist, or an item of the checklist `checklistId`. */
export type ChecklistDragData = { type: 'checklist' } | { type: 'item'; checklistId: string };

/** A checklist as the dialog shows it: its items without the checked ones it hides. */
export interface ShownChecklist {
  id: string;
  title: string;
  items: readonly ChecklistItem[];
}

function dataOf(entry: Pick<Active, 'data'> | DroppableContainer | Over): ChecklistDragData | undefined {
  return entry.data.current as ChecklistDragData | undefined;
}

/** The droppables a drag of `active` may land on, by keyboard: its own kind, in its own checklist. */
function keyboardTargets(active: Active, containers: DroppableContainer[]): DroppableContainer[] {
  const moving = dataOf(active);
  return containers.filter((entry) => {
    const data = dataOf(entry);
    if (!moving || !data || data.type !== moving.type) return false;
    return moving.type === 'checklist' || (data.type === 'item' && data.checklistId === moving.checklistId);
  });
}

/**
 * Where a drag is over. A checklist: the nearest checklist. An item by mouse: the nearest item of
 * the checklist under the pointer (the checklist itself when it has none shown), else of its own;
 * by keyboard (no pointer), the nearest item of its own checklist.
 */
export const checklistCollisions: CollisionDetection = (args) => {
  const moving = dataOf(args.active);
  const checklists = args.droppableContainers.filter((entry) => dataOf(entry)?.type === 'checklist');
  if (moving?.type !== 'item') return closestCenter({ ...args, droppableContainers: checklists });
  if (!args.pointerCoordinates) {
    return closestCenter({
      ...args,
      droppableContainers: keyboardTargets(args.active, args.droppableContainers),
    });
  }
  const under = pointerWithin({ ...args, droppableContainers: checklists })[0];
  const checklistId = under ? String(under.id) : moving.checklistId;
  const items = args.droppableContainers.filter((entry) => {
    const data = dataOf(entry);
    return data?.type === 'item' && data.checklistId === checklistId;
  });
  if (items.length === 0 && under) return [under];
  return closestCenter({ ...args, droppableContainers: items });
};

/** The arrow keys, as dnd-kit's sortable lists take them, among keyboardTargets only. */
const keyboardCoordinates: KeyboardCoordinateGetter = (event, args) => {
  const { active, droppableContainers } = args.context;
  if (!active) return undefined;
  const targets = keyboardTargets(active, droppableContainers.getEnabled());
  // Only what sortableKeyboardCoordinates asks of the map: the targets to choose among, and lookups.
  const restricted = {
    getEnabled: () => targets,
    get: (id: UniqueIdentifier) => droppableContainers.get(id),
  } as unknown as typeof droppableContainers;
  return sortableKeyboardCoordinates(event, {
    ...args,
    context: { ...args.context, droppableContainers: restricted },
  });
};

// Constants, not literals in the hook: a sensor is kept only while its options are the same object.
const POINTER = { activationConstraint: { distance: 6 } };
const KEYBOARD = { coordinateGetter: keyboardCoordinates };

/** A mouse drag past 6 px (by a grip), and the keyboard on a grip. */
export function useChecklistDragSensors() {
  return useSensors(useSensor(PointerSensor, POINTER), useSensor(KeyboardSensor, KEYBOARD));
}

/** Whether the dragged thing's middle is below the middle of what it is over: then it goes after it. */
export function isBelow(active: Pick<Active, 'rect'>, over: Pick<Over, 'rect'> | null): boolean {
  const dragged = active.rect.current.translated;
  if (!dragged || !over) return false;
  return dragged.top + dragged.height / 2 > over.rect.top + over.rect.height / 2;
}

/**
 * What a drop means, said the server's way (a place by the neighbour it goes before or after), or
 * undefined when nothing moves. `below`: over an item of another checklist, whether it goes after it.
 */
export function dropOp(
  taskId: string,
  shown: readonly ShownChecklist[],
  activeId: string,
  overId: string | undefined,
  below: boolean,
): ChecklistOp | undefined {
  if (overId === undefined || overId === activeId) return undefined;
  const checklistIds = shown.map((checklist) => checklist.id);
  const holding = (itemId: string) =>
    shown.find((checklist) => checklist.items.some((item) => item.id === itemId));
  if (checklistIds.includes(activeId)) {
    const target = checklistIds.includes(overId) ? overId : holding(overId)?.id;
    const from = checklistIds.indexOf(activeId);
    const to = target === undefined ? -1 : checklistIds.indexOf(target);
    if (to < 0 || to === from) return undefined;
    const rest = arrayMove(checklistIds, from, to).filter((id) => id !== activeId);
    return { kind: 'moveChecklist', taskId, checklistId: activeId, ...placement(rest, to) };
  }
  const source = holding(activeId);
  if (!source) return undefined;
  if (checklistIds.includes(overId)) {
    // Onto a checklist, not one of its items: at its end (its own: nowhere new).
    return overId === source.id
      ? undefined
      : { kind: 'updateItem', taskId, itemId: activeId, checklistId: overId };
  }
  const target = holding(overId);
  if (!target) return undefined;
  if (target.id !== source.id) {
    const place = below ? { afterId: overId } : { beforeId: overId };
    return { kind: 'updateItem', taskId, itemId: activeId, checklistId: target.id, ...place };
  }
  const ids = source.items.map((item) => item.id);
  const from = ids.indexOf(activeId);
  const to = ids.indexOf(overId);
  const rest = arrayMove(ids, from, to).filter((id) => id !== activeId);
  return { kind: 'updateItem', taskId, itemId: activeId, ...placement(rest, to) };
}
