import { useEffect, useRef } from 'react';
import { LIMITS, type ChecklistItem } from '../../domain/index.js';
import { ChangedWhileEditing } from './conflict-notice.js';
import {
  itemSavePatch,
  keepMineItem,
  reconcileItemDraft,
  startItemDraft,
  type ItemDraft,
} from './item-draft.js';
import type { ChecklistDragData } from './checklist-dnd.js';
import { ItemMoveMenu } from './checklist-move-menu.js';
import type { PendingOp } from './pending-op.js';
import { useSortableItem } from './sortable-item.js';
import { Grip } from './task-card.js';

interface ChecklistItemRowProps {
  taskId: string;
  /** The checklist the item is in. */
  checklistId: string;
  item: ChecklistItem;
  readOnly: boolean;
  /** A save of this item's text by this user is still on its way. */
  ownSavePending: boolean;
  /**
   * The text being edited, kept by the checklists' section rather than here: an item hidden (its
   * box ticked by someone while "hide checked" is on) or deleted under the user's hands keeps it.
   */
  draft: ItemDraft | undefined;
  setDraft(itemId: string, update: DraftUpdate): void;
  write(op: PendingOp): void;
  /** The card's other checklists, which its "Move to…" menu offers (none: no menu). */
  otherChecklists: readonly { id: string; title: string }[];
  moveTo(itemId: string, checklistId: string): void;
  /** An item of another checklist dragged over this one would land before or after it. */
  dropLine?: 'before' | 'after' | undefined;
  /** Just moved here by its menu: the focus comes back to the menu's button, where it was. */
  takeFocus: boolean;
  focusTaken(): void;
}

/**
 * One item: its box ticks or unticks it (a set, never a toggle), its text opens an editor (Enter
 * saves with the item's version, Escape leaves it as it was), and its grip drags it — by mouse (into
 * another checklist too), or by keyboard within its checklist (Space to lift, arrows, Space to drop);
 * "Move to…" takes it to another checklist of the card.
 */
export type DraftUpdate = ItemDraft | undefined | ((before: ItemDraft | undefined) => ItemDraft | undefined);

export function ChecklistItemRow(props: ChecklistItemRowProps) {
  const { taskId, item, readOnly, ownSavePending, write, draft } = props;
  const setDraft = (update: DraftUpdate): void => props.setDraft(item.id, update);
  const data: ChecklistDragData = { type: 'item', checklistId: props.checklistId };
  const { sortable, onPointerDown, onKeyDown, style } = useSortableItem({
    id: item.id,
    data,
    disabled: readOnly,
  });
  const moveButton = useRef<HTMLButtonElement | null>(null);
  const { takeFocus, focusTaken } = props;
  useEffect(() => {
    if (!takeFocus) return;
    moveButton.current?.focus();
    focusTaken();
  }, [takeFocus, focusTaken]);
  const reconciled = draft ? reconcileItemDraft(draft, item) : undefined;
  const moved = reconciled && reconciled.draft !== draft ? reconciled.draft : undefined;
  useEffect(() => {
    if (moved) setDraft(moved);
  }, [moved]);
  const current = reconciled?.draft;
  const theirs = reconciled?.theirs;

  const save = (): void => {
    if (!current || theirs !== undefined) return;
    const patch = itemSavePatch(current, ownSavePending);
    setDraft(undefined);
    if (patch) write({ kind: 'updateItem', taskId, itemId: item.id, ...patch });
  };

  return (
    <li
      ref={sortable.setNodeRef}
      style={style}
      className={`checklist-item${item.done ? ' is-done' : ''}${sortable.isDragging ? ' is-dragging' : ''}${
        props.dropLine ? ` drop-${props.dropLine}` : ''
      }`}
      data-testid="checklist-item"
      data-item-id={item.id}
      data-done={item.done}
    >
      <input
        type="checkbox"
        className="item-done"
        checked={item.done}
        disabled={readOnly}
        aria-label={item.text}
        data-testid="item-done"
        onChange={(event) =>
          write({ kind: 'updateItem', taskId, itemId: item.id, done: event.target.checked })
        }
      />
      {current ? (
        <div className="item-edit">
          {theirs !== undefined && (
            <ChangedWhileEditing
              field="itemText"
              what="this item"
              by={item.textBy}
              theirs={theirs}
              onTheirs={() => setDraft(undefined)}
              onMine={() => setDraft((before) => (before ? keepMineItem(before, item) : before))}
            />
          )}
          <input
            className="item-text-input"
            value={current.value}
            aria-label="Item text"
            maxLength={LIMITS.itemTextLength}
            autoFocus
            data-testid="item-text-input"
            onChange={(event) => {
              const value = event.target.value;
              setDraft((before) => (before ? { ...before, value } : before));
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                save();
              } else if (event.key === 'Escape') {
                // Leaves the text as it was, and keeps the dialog open.
                event.preventDefault();
                setDraft(undefined);
              }
            }}
            onBlur={save}
          />
        </div>
      ) : readOnly ? (
        <span className="item-text" data-testid="item-text">
          {item.text}
        </span>
      ) : (
        <button
          type="button"
          className="item-text"
          data-testid="item-text"
          onClick={() => setDraft(startItemDraft(item))}
        >
          <span className="visually-hidden">Edit: </span>
          {item.text}
        </button>
      )}
      {!readOnly && (
        <span className="item-actions">
          {props.otherChecklists.length > 0 && (
            <ItemMoveMenu
              itemText={item.text}
              checklists={props.otherChecklists}
              onMove={(checklistId) => props.moveTo(item.id, checklistId)}
              buttonRef={moveButton}
            />
          )}
          <button
            type="button"
            className="icon-button small"
            aria-label={`Delete item “${item.text}”`}
            data-testid="item-delete"
            onClick={() => write({ kind: 'deleteItem', taskId, itemId: item.id })}
          >
            ×
          </button>
          <button
            ref={sortable.setActivatorNodeRef}
            type="button"
            className="icon-button small drag-handle"
            data-testid="item-drag-handle"
            {...sortable.attributes}
            aria-label={`Drag item “${item.text}”`}
            onPointerDown={onPointerDown}
            onKeyDown={onKeyDown}
          >
            <Grip />
          </button>
        </span>
      )}
    </li>
  );
}
