import { useDndContext } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { useId, useState } from 'react';
import { LIMITS, type Checklist, type ChecklistItem } from '../../domain/index.js';
import { newId } from '../sdk.js';
import { isBelow, type ChecklistDragData } from './checklist-dnd.js';
import { ChecklistItemRow, type DraftUpdate } from './checklist-item.js';
import { checklistProgress } from './checklist-ops.js';
import type { ItemDraft } from './item-draft.js';
import type { PendingOp } from './pending-op.js';
import { useSortableItem } from './sortable-item.js';
import { Grip } from './task-card.js';

interface ChecklistBlockProps {
  taskId: string;
  checklist: Checklist;
  /** Its items as shown: without the checked ones while they are hidden. */
  shown: readonly ChecklistItem[];
  hideChecked: boolean;
  toggleHideChecked(checklistId: string): void;
  readOnly: boolean;
  /** Items whose text this user has a save of still on its way. */
  pendingItemTexts: ReadonlySet<string>;
  /** The items' texts being edited, by item id. */
  drafts: ReadonlyMap<string, ItemDraft>;
  setDraft(itemId: string, update: DraftUpdate): void;
  /** Just made by this user: the new-item box takes the focus, ready for the first item. */
  justAdded: boolean;
  /** The card's other checklists, where an item's "Move to…" can take it. */
  otherChecklists: readonly { id: string; title: string }[];
  moveItem(itemId: string, checklistId: string): void;
  /** The item just moved here by its menu, which takes the focus back. */
  focusItemId: string | undefined;
  focusTaken(): void;
  write(op: PendingOp): void;
}

/**
 * One checklist: its grip (drag it among the card's checklists, by mouse or keyboard), its title
 * (rename), progress, the items in order (tick, edit, delete, drag, move to another checklist),
 * "hide checked", a box to add items (Enter adds one and stays for the next), and its deletion,
 * asked twice. The dragging itself is the checklists' section's (checklist-dnd.ts).
 */
export function ChecklistBlock(props: ChecklistBlockProps) {
  const { taskId, checklist, shown, readOnly, write } = props;
  const [renaming, setRenaming] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [newItem, setNewItem] = useState('');
  const headingId = useId();
  const { done, total } = checklistProgress([checklist]);
  const data: ChecklistDragData = { type: 'checklist' };
  const { sortable, onPointerDown, onKeyDown, style } = useSortableItem({
    id: checklist.id,
    data,
    disabled: readOnly,
  });
  // An item of another checklist dragged over this one (its items, or itself when it shows none).
  const { active, over } = useDndContext();
  const dragged = active?.data.current as ChecklistDragData | undefined;
  const overData = over?.data.current as ChecklistDragData | undefined;
  const isDropTarget =
    dragged?.type === 'item' &&
    dragged.checklistId !== checklist.id &&
    (over?.id === checklist.id || (overData?.type === 'item' && overData.checklistId === checklist.id));
  // Where it would land: a line before or after the item it is over, or under the last one.
  const dropBeside =
    isDropTarget && active && over && overData?.type === 'item'
      ? { itemId: String(over.id), after: isBelow(active, over) }
      : undefined;

  const rename = (title: string): void => {
    setRenaming(undefined);
    const trimmed = title.trim();
    if (trimmed && trimmed !== checklist.title) {
      write({ kind: 'renameChecklist', taskId, checklistId: checklist.id, title: trimmed });
    }
  };
  const addItem = (): void => {
    const text = newItem.trim();
    if (!text) return;
    write({ kind: 'addItem', taskId, checklistId: checklist.id, itemId: newId('item'), text });
    setNewItem('');
  };
  const hiddenCount = checklist.items.length - shown.length;
  const classes = ['checklist'];
  if (sortable.isDragging) classes.push('is-dragging');
  if (isDropTarget) classes.push('is-drop-target');
  if (isDropTarget && !dropBeside) classes.push('drop-at-end');

  return (
    <section
      ref={sortable.setNodeRef}
      style={style}
      className={classes.join(' ')}
      aria-label={checklist.title}
      data-testid="checklist"
      data-checklist-id={checklist.id}
    >
      <div className="checklist-header">
        {!readOnly && (
          <button
            ref={sortable.setActivatorNodeRef}
            type="button"
            className="icon-button small drag-handle"
            data-testid="checklist-drag-handle"
            {...sortable.attributes}
            aria-label={`Drag checklist “${checklist.title}”`}
            onPointerDown={onPointerDown}
            onKeyDown={onKeyDown}
          >
            <Grip />
          </button>
        )}
        {renaming !== undefined ? (
          <input
            className="checklist-title-input"
            value={renaming}
            aria-label="Checklist title"
            maxLength={LIMITS.titleLength}
            autoFocus
            data-testid="checklist-title-input"
            onChange={(event) => setRenaming(event.target.value)}
            onBlur={() => rename(renaming)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                rename(renaming);
              } else if (event.key === 'Escape') {
                event.preventDefault();
                setRenaming(undefined);
              }
            }}
          />
        ) : (
          <h4 id={headingId} className="checklist-title" data-testid="checklist-title">
            {checklist.title}
          </h4>
        )}
        <span className="checklist-tools">
          {!readOnly && renaming === undefined && (
            <button
              type="button"
              className="link-button"
              aria-label={`Rename checklist “${checklist.title}”`}
              data-testid="checklist-rename"
              onClick={() => setRenaming(checklist.title)}
            >
              Rename
            </button>
          )}
          {done > 0 && (
            <button
              type="button"
              className="link-button"
              aria-pressed={props.hideChecked}
              data-testid="checklist-hide-checked"
              onClick={() => props.toggleHideChecked(checklist.id)}
            >
              {props.hideChecked ? `Show checked items (${done})` : 'Hide checked items'}
            </button>
          )}
          {!readOnly && (
            <button
              type="button"
              className={`link-button danger${confirmDelete ? ' is-confirming' : ''}`}
              data-testid="checklist-delete"
              aria-label={confirmDelete ? undefined : `Delete checklist “${checklist.title}”`}
              onClick={() => {
                if (!confirmDelete) return setConfirmDelete(true);
                write({ kind: 'deleteChecklist', taskId, checklistId: checklist.id });
              }}
              onBlur={() => setConfirmDelete(false)}
            >
              {confirmDelete ? 'Really delete?' : 'Delete'}
            </button>
          )}
        </span>
      </div>
      <div className="checklist-progress">
        <span className="checklist-progress-text" data-testid="checklist-progress" aria-hidden="true">
          {done} of {total}
        </span>
        <div
          className={`progress-bar${total > 0 && done === total ? ' is-complete' : ''}`}
          role="progressbar"
          aria-label={`Progress of “${checklist.title}”`}
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={done}
          aria-valuetext={`${done} of ${total} done`}
        >
          <span style={{ width: total === 0 ? 0 : `${(100 * done) / total}%` }} />
        </div>
      </div>
      <SortableContext
        id={`items:${checklist.id}`}
        items={shown.map((item) => item.id)}
        strategy={verticalListSortingStrategy}
      >
        <ul className="checklist-items" aria-label={`Items of “${checklist.title}”`}>
          {shown.map((item) => (
            <ChecklistItemRow
              key={item.id}
              taskId={taskId}
              checklistId={checklist.id}
              item={item}
              readOnly={readOnly}
              ownSavePending={props.pendingItemTexts.has(item.id)}
              draft={props.drafts.get(item.id)}
              setDraft={props.setDraft}
              write={write}
              otherChecklists={props.otherChecklists}
              moveTo={props.moveItem}
              dropLine={dropBeside?.itemId === item.id ? (dropBeside.after ? 'after' : 'before') : undefined}
              takeFocus={props.focusItemId === item.id}
              focusTaken={props.focusTaken}
            />
          ))}
        </ul>
      </SortableContext>
      {props.hideChecked && hiddenCount > 0 && (
        <p className="muted note" data-testid="checked-hidden">
          {`${hiddenCount} checked item${hiddenCount === 1 ? '' : 's'} hidden`}
        </p>
      )}
      {!readOnly && (
        <div className="checklist-add-item">
          <input
            value={newItem}
            aria-label={`Add an item to “${checklist.title}”`}
            placeholder="Add an item…"
            maxLength={LIMITS.itemTextLength}
            autoFocus={props.justAdded}
            data-testid="item-new-input"
            onChange={(event) => setNewItem(event.target.value)}
            onKeyDown={(event) => {
              // Enter adds the item and stays here for the next, rather than saving the dialog.
              if (event.key === 'Enter') {
                event.preventDefault();
                addItem();
              }
            }}
          />
          <button type="button" className="button small" data-testid="item-add" onClick={addItem}>
            Add
          </button>
        </div>
      )}
    </section>
  );
}

/**
 * What follows the pointer while a checklist or an item is dragged (dnd-kit's drag overlay): a
 * picture of it, hidden from screen readers, which hear the moves from the live region instead.
 */
export function DragPreview({ checklists, id }: { checklists: readonly Checklist[]; id: string }) {
  const checklist = checklists.find((candidate) => candidate.id === id);
  if (checklist) {
    const { done, total } = checklistProgress([checklist]);
    return (
      <div className="checklist drag-preview" aria-hidden="true" data-testid="drag-preview">
        <div className="checklist-header">
          <span className="icon-button small drag-handle">
            <Grip />
          </span>
          <span className="checklist-title">{checklist.title}</span>
          <span className="checklist-progress-text">
            {done} of {total}
          </span>
        </div>
        <ul className="checklist-items">
          {checklist.items.map((item) => (
            <li key={item.id} className={`checklist-item${item.done ? ' is-done' : ''}`}>
              <input type="checkbox" className="item-done" checked={item.done} readOnly tabIndex={-1} />
              <span className="item-text">{item.text}</span>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const item = checklists.flatMap((candidate) => candidate.items).find((candidate) => candidate.id === id);
  if (!item) return null;
  return (
    <div
      className={`checklist-item drag-preview${item.done ? ' is-done' : ''}`}
      aria-hidden="true"
      data-testid="drag-preview"
    >
      <input type="checkbox" className="item-done" checked={item.done} readOnly tabIndex={-1} />
      <span className="item-text">{item.text}</span>
      <span className="icon-button small drag-handle">
        <Grip />
      </span>
    </div>
  );
}
