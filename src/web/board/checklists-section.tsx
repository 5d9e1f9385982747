import { DndContext, DragOverlay, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { LIMITS, type Task } from '../../domain/index.js';
import { newId } from '../sdk.js';
import { checklistAnnouncementsFor, checklistInstructions } from './checklist-announcements.js';
import { ChecklistBlock, DragPreview } from './checklist-block.js';
import {
  checklistCollisions,
  dropOp,
  isBelow,
  useChecklistDragSensors,
  type ShownChecklist,
} from './checklist-dnd.js';
import type { DraftUpdate } from './checklist-item.js';
import { restoredItemDraft, type ItemDraft } from './item-draft.js';
import type { PendingOp } from './pending-op.js';
import type { RejectedEdit } from './use-live-board.js';

interface ChecklistsSectionProps {
  task: Task;
  readOnly: boolean;
  pendingItemTexts: ReadonlySet<string>;
  rejectedEdits: readonly RejectedEdit[];
  settleRejectedEdit(id: number): void;
  write(op: PendingOp): void;
  notify(text: string): void;
}

/**
 * The card's checklists, live: ticks, items and checklists from others appear as their events
 * arrive, and an item being edited keeps its draft (see item-draft.ts). Adding a checklist puts
 * the focus in its new-item box, so a list is typed item after item with Enter. Checklists and
 * items are dragged on one surface (an item into another checklist too), with dnd-kit's
 * announcements in a live region inside the dialog.
 */
export function ChecklistsSection(props: ChecklistsSectionProps) {
  const { task, readOnly, write, notify } = props;
  const [adding, setAdding] = useState<string>();
  const [justAdded, setJustAdded] = useState<string>();
  const headingId = useId();
  const [drafts, setDrafts] = useState<ReadonlyMap<string, ItemDraft>>(() => new Map());
  const setDraft = useCallback((itemId: string, update: DraftUpdate) => {
    setDrafts((current) => {
      const before = current.get(itemId);
      const next = typeof update === 'function' ? update(before) : update;
      if (next === before) return current;
      const changed = new Map(current);
      if (next) changed.set(itemId, next);
      else changed.delete(itemId);
      return changed;
    });
  }, []);
  // A save of an item's text the server refused for a conflict comes back here as its draft.
  const { rejectedEdits, settleRejectedEdit } = props;
  useEffect(() => {
    for (const edit of rejectedEdits) {
      if (edit.taskId !== task.id || edit.field !== 'itemText' || !edit.itemId) continue;
      const item = task.checklists
        .flatMap((checklist) => checklist.items)
        .find((candidate) => candidate.id === edit.itemId);
      if (item) setDraft(item.id, restoredItemDraft(String(edit.mine), item, edit.version));
      settleRejectedEdit(edit.id);
    }
    // Only new rejected edits matter here, not every change of the card.
  }, [rejectedEdits, task.id]);

  // An item deleted by someone else while it was being edited: said, with the text typed, never lost in silence.
  useEffect(() => {
    const itemIds = new Set(task.checklists.flatMap((checklist) => checklist.items.map((item) => item.id)));
    const orphans = [...drafts].filter(([itemId]) => !itemIds.has(itemId));
    if (orphans.length === 0) return;
    for (const [itemId, draft] of orphans) {
      notify(`Someone deleted the checklist item you were editing. What you had typed: “${draft.value}”`);
      setDraft(itemId, undefined);
    }
  }, [task.checklists, drafts, notify, setDraft]);

  // "Hide checked items", per checklist; an item being edited stays in sight even once ticked.
  const [hidingChecked, setHidingChecked] = useState<ReadonlySet<string>>(() => new Set());
  const toggleHideChecked = useCallback((checklistId: string) => {
    setHidingChecked((current) => {
      const next = new Set(current);
      if (!next.delete(checklistId)) next.add(checklistId);
      return next;
    });
  }, []);
  const shown: ShownChecklist[] = task.checklists.map((checklist) => ({
    id: checklist.id,
    title: checklist.title,
    items: hidingChecked.has(checklist.id)
      ? checklist.items.filter((item) => !item.done || drafts.has(item.id))
      : checklist.items,
  }));
  // The announcements and the drop read the layout as it is when they happen.
  const layout = useRef(shown);
  layout.current = shown;
  const announcements = useMemo(() => checklistAnnouncementsFor(() => layout.current), []);
  const sensors = useChecklistDragSensors();
  const [liveRegion, setLiveRegion] = useState<HTMLElement | null>(null);
  // What is being dragged, drawn under the pointer: an item taken out of its checklist's list could
  // not follow the pointer into another one by itself.
  const [dragging, setDragging] = useState<string>();
  const onDragEnd = ({ active, over }: DragEndEvent): void => {
    setDragging(undefined);
    const overId = over ? String(over.id) : undefined;
    const op = dropOp(task.id, layout.current, String(active.id), overId, isBelow(active, over));
    if (op) write(op);
  };

  // An item moved by its menu: said in words, and the focus back on its menu's button, in its new place.
  const [moved, setMoved] = useState<{ itemId: string; said: string; focus: boolean }>();
  const moveItem = useCallback(
    (itemId: string, checklistId: string) => {
      const text = task.checklists.flatMap((each) => each.items).find((item) => item.id === itemId)?.text;
      const title = task.checklists.find((each) => each.id === checklistId)?.title;
      write({ kind: 'updateItem', taskId: task.id, itemId, checklistId });
      setMoved({ itemId, said: `Moved item “${text ?? ''}” to the end of “${title ?? ''}”.`, focus: true });
    },
    [task, write],
  );
  const focusTaken = useCallback(
    () => setMoved((current) => (current ? { ...current, focus: false } : current)),
    [],
  );

  const add = (): void => {
    const title = (adding ?? '').trim() || 'Checklist';
    const checklistId = newId('checklist');
    write({ kind: 'addChecklist', taskId: task.id, checklistId, title });
    setAdding(undefined);
    setJustAdded(checklistId);
  };

  if (readOnly && task.checklists.length === 0) return null;
  return (
    <section
      ref={setLiveRegion}
      className="dialog-section checklists-section"
      aria-labelledby={headingId}
      data-testid="checklists-section"
    >
      <div className="section-header">
        <h3 id={headingId}>Checklists</h3>
        {!readOnly && adding === undefined && (
          <button
            type="button"
            className="button small"
            data-testid="checklist-add"
            onClick={() => setAdding('')}
          >
            Add a checklist
          </button>
        )}
      </div>
      {adding !== undefined && (
        <div className="checklist-new">
          <input
            value={adding}
            aria-label="New checklist’s title"
            placeholder="Checklist"
            maxLength={LIMITS.titleLength}
            autoFocus
            data-testid="checklist-new-input"
            onChange={(event) => setAdding(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                add();
              } else if (event.key === 'Escape') {
                event.preventDefault();
                setAdding(undefined);
              }
            }}
          />
          <button type="button" className="button small primary" data-testid="checklist-create" onClick={add}>
            Add
          </button>
          <button type="button" className="button small" onClick={() => setAdding(undefined)}>
            Cancel
          </button>
        </div>
      )}
      {task.checklists.length === 0 && adding === undefined && (
        <p className="muted note">No checklists yet.</p>
      )}
      <DndContext
        sensors={sensors}
        collisionDetection={checklistCollisions}
        // The live region inside the dialog: everything outside a modal dialog is inert to screen readers.
        accessibility={{
          announcements,
          screenReaderInstructions: checklistInstructions,
          ...(liveRegion ? { container: liveRegion } : {}),
        }}
        onDragStart={({ active }) => setDragging(String(active.id))}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragging(undefined)}
      >
        <SortableContext
          id="checklists"
          items={task.checklists.map((checklist) => checklist.id)}
          strategy={verticalListSortingStrategy}
        >
          {task.checklists.map((checklist, index) => (
            <ChecklistBlock
              key={checklist.id}
              taskId={task.id}
              checklist={checklist}
              shown={shown[index]!.items}
              hideChecked={hidingChecked.has(checklist.id)}
              toggleHideChecked={toggleHideChecked}
              readOnly={readOnly}
              pendingItemTexts={props.pendingItemTexts}
              drafts={drafts}
              setDraft={setDraft}
              justAdded={checklist.id === justAdded}
              otherChecklists={shown.filter((other) => other.id !== checklist.id)}
              moveItem={moveItem}
              focusItemId={moved?.focus ? moved.itemId : undefined}
              focusTaken={focusTaken}
              write={write}
            />
          ))}
        </SortableContext>
        <DragOverlay dropAnimation={null}>
          {dragging !== undefined && <DragPreview checklists={task.checklists} id={dragging} />}
        </DragOverlay>
      </DndContext>
      <p className="visually-hidden" aria-live="polite" data-testid="checklist-moved">
        {moved?.said}
      </p>
    </section>
  );
}
