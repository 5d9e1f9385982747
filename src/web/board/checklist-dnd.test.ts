import type { Active, Over } from '@dnd-kit/core';
import { describe, expect, test } from 'vitest';
import type { ChecklistItem } from '../../domain/index.js';
import { checklistAnnouncementsFor } from './checklist-announcements.js';
import { dropOp, isBelow, type ShownChecklist } from './checklist-dnd.js';

const item = (id: string, text: string): ChecklistItem => ({
  id,
  text,
  done: false,
  position: id,
  version: 1,
  textBy: null,
});
const SHOWN: ShownChecklist[] = [
  { id: 'checklist-a', title: 'Launch', items: [item('item-1', 'Write'), item('item-2', 'Review')] },
  { id: 'checklist-b', title: 'Later', items: [item('item-3', 'Call'), item('item-4', 'Mail')] },
  { id: 'checklist-c', title: 'Empty', items: [] },
];
const drop = (activeId: string, overId: string | undefined, below = false) =>
  dropOp('task-1', SHOWN, activeId, overId, below);

describe('what a drop in the checklists means, said the server’s way', () => {
  test('a checklist dropped on another takes its place: before it going up, after it going down', () => {
    expect(drop('checklist-c', 'checklist-a')).toEqual({
      kind: 'moveChecklist',
      taskId: 'task-1',
      checklistId: 'checklist-c',
      beforeId: 'checklist-a',
    });
    expect(drop('checklist-a', 'checklist-b')).toEqual({
      kind: 'moveChecklist',
      taskId: 'task-1',
      checklistId: 'checklist-a',
      afterId: 'checklist-b',
    });
    expect(drop('checklist-a', 'checklist-a')).toBeUndefined();
    expect(drop('checklist-a', undefined)).toBeUndefined();
  });

  test('an item within its checklist, as before', () => {
    expect(drop('item-2', 'item-1')).toEqual({
      kind: 'updateItem',
      taskId: 'task-1',
      itemId: 'item-2',
      beforeId: 'item-1',
    });
    expect(drop('item-1', 'item-2')).toEqual({
      kind: 'updateItem',
      taskId: 'task-1',
      itemId: 'item-1',
      afterId: 'item-2',
    });
  });

  test('an item on an item of another checklist goes before it, or after it when dropped below its middle', () => {
    expect(drop('item-1', 'item-4')).toEqual({
      kind: 'updateItem',
      taskId: 'task-1',
      itemId: 'item-1',
      checklistId: 'checklist-b',
      beforeId: 'item-4',
    });
    expect(drop('item-1', 'item-4', true)).toEqual({
      kind: 'updateItem',
      taskId: 'task-1',
      itemId: 'item-1',
      checklistId: 'checklist-b',
      afterId: 'item-4',
    });
  });

  test('an item on another checklist itself (one that shows no items) goes to its end; on its own, nowhere', () => {
    expect(drop('item-3', 'checklist-c')).toEqual({
      kind: 'updateItem',
      taskId: 'task-1',
      itemId: 'item-3',
      checklistId: 'checklist-c',
    });
    expect(drop('item-3', 'checklist-b')).toBeUndefined();
    expect(drop('item-9', 'item-1')).toBeUndefined();
  });
});

/** An Active or Over at a height: only what the announcements and isBelow read of them. */
const at = (id: string, top: number, height = 20) =>
  ({
    id,
    rect: { top, height, current: { translated: { top, height } } },
    data: { current: undefined },
  }) as unknown as Active & Over;

describe('what a screen reader hears while a checklist or an item moves', () => {
  const said = () => checklistAnnouncementsFor(() => SHOWN);

  test('a checklist: picked up, its place among the card’s checklists, dropped, cancelled', () => {
    const announce = said();
    expect(announce.onDragStart({ active: at('checklist-c', 200) })).toBe(
      'Picked up checklist “Empty”. It is in position 3 of 3.',
    );
    expect(announce.onDragOver!({ active: at('checklist-c', 100), over: at('checklist-b', 100) })).toBe(
      'Checklist “Empty” is now in position 2 of 3.',
    );
    // The same place again is not said twice.
    expect(
      announce.onDragOver!({ active: at('checklist-c', 90), over: at('checklist-b', 100) }),
    ).toBeUndefined();
    expect(announce.onDragEnd({ active: at('checklist-c', 0), over: at('checklist-a', 0) })).toBe(
      'Dropped checklist “Empty” in position 1 of 3.',
    );
    expect(announce.onDragCancel({ active: at('checklist-c', 0), over: null })).toBe(
      'Moving checklist “Empty” was cancelled. It is back where it was.',
    );
  });

  test('an item: its place in its checklist, or in another by name, or at the end of one that shows none', () => {
    const announce = said();
    expect(announce.onDragStart({ active: at('item-1', 0) })).toBe(
      'Picked up item “Write” of “Launch”. It is in position 1 of 2.',
    );
    expect(announce.onDragOver!({ active: at('item-1', 50), over: at('item-2', 40) })).toBe(
      'Item “Write” is now in position 2 of 2.',
    );
    expect(announce.onDragOver!({ active: at('item-1', 95), over: at('item-3', 100) })).toBe(
      'Item “Write” is now in position 1 of 3 in “Later”.',
    );
    expect(announce.onDragOver!({ active: at('item-1', 108), over: at('item-3', 100) })).toBe(
      'Item “Write” is now in position 2 of 3 in “Later”.',
    );
    expect(announce.onDragEnd({ active: at('item-1', 300), over: at('checklist-c', 300) })).toBe(
      'Dropped item “Write” in position 1 of 1 in “Empty”.',
    );
    expect(announce.onDragEnd({ active: at('item-1', 0), over: at('checklist-a', 0) })).toBe(
      'Dropped item “Write”; it did not move.',
    );
  });

  test('below: the dragged thing’s middle past the middle of what it is over', () => {
    expect(isBelow(at('item-1', 1), at('item-2', 0))).toBe(true);
    expect(isBelow(at('item-1', -1), at('item-2', 0))).toBe(false);
    expect(isBelow(at('item-1', 1), null)).toBe(false);
  });
});
