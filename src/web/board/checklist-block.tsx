import { closestCenter, DndContext, type DragEndEvent } from '@dnd-kit/core';
import { arrayMove, SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { useId, useMemo, useRef, useState } from 'react';
import { LIMITS, type Checklist } from '../../domain/index.js';
import { newId } from '../sdk.js';
import { itemAnnouncementsFor, itemInstructions } from './checklist-announcements.js';
import { ChecklistItemRow, type DraftUpdate } from './checklist-item.js';
import { checklistProgress } from './checklist-ops.js';
import type { ItemDraft } from './item-draft.js';
import { placement, type PendingOp } from './pending-op.js';
import { useDragSensors } from './sortable-item.js';

interface ChecklistBlockProps {
  taskId: string;
  checklist: Checklist;
  readOnly: boolean;
  /** Items whose text this user has a save of still on its way. */
  pendingItemTexts: ReadonlySet<string>;
  /** The items' texts being edited, by item id. */
  drafts: ReadonlyMap<string, ItemDraft>;
  setDraft(itemId: string, update: DraftUpdate): void;
  /** Just made by this user: the new-item box takes the focus, ready for the first item. */
  justAdded: boolean;
  write(op: PendingOp): void;
}

/**
 * One checklist: its title (rename), progress, the items in order (tick, edit, delete, drag by
 * mouse or keyboard), "hide checked", a box to add items (Enter adds one and stays for the next),
 * and its deletion, asked twice.
 */
export function ChecklistBlock(props: ChecklistBlockProps) {
  const { taskId, checklist, readOnly, write } = props;
  const [hideChecked, setHideChecked] = useState(false);
  const [renaming, setRenaming] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [newItem, setNewItem] = useState('');
  const [liveRegion, setLiveRegion] = useState<HTMLElement | null>(null);
  const headingId = useId();
  const { done, total } = checklistProgress([checklist]);
  // An item being edited stays in sight even once ticked, so that its draft is not hidden away.
  const shown = hideChecked
    ? checklist.items.filter((item) => !item.done || props.drafts.has(item.id))
    : checklist.items;
  const layoutRef = useRef({ title: checklist.title, items: shown });
  layoutRef.current = { title: checklist.title, items: shown };
  const announcements = useMemo(() => itemAnnouncementsFor(() => layoutRef.current), []);
  const sensors = useDragSensors();

  const onDragEnd = ({ active, over }: DragEndEvent): void => {
    if (!over || over.id === active.id) return;
    const ids = shown.map((item) => item.id);
    const from = ids.indexOf(String(active.id));
    const to = ids.indexOf(String(over.id));
    if (from < 0 || to < 0) return;
    const rest = arrayMove(ids, from, to).filter((id) => id !== active.id);
    write({ kind: 'updateItem', taskId, itemId: String(active.id), ...placement(rest, to) });
  };
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
  const checkedCount = done;
  const hiddenCount = checklist.items.length - shown.length;

  return (
    <section
      ref={setLiveRegion}
      className="checklist"
      aria-label={checklist.title}
      data-testid="checklist"
      data-checklist-id={checklist.id}
    >
      <div className="checklist-header">
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
          {checkedCount > 0 && (
            <button
              type="button"
              className="link-button"
              aria-pressed={hideChecked}
              data-testid="checklist-hide-checked"
              onClick={() => setHideChecked((hidden) => !hidden)}
            >
              {hideChecked ? `Show checked items (${checkedCount})` : 'Hide checked items'}
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
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        // The live region inside the dialog: everything outside a modal dialog is inert to screen readers.
        accessibility={{
          announcements,
          screenReaderInstructions: itemInstructions,
          ...(liveRegion ? { container: liveRegion } : {}),
        }}
        onDragEnd={onDragEnd}
      >
        <SortableContext items={shown.map((item) => item.id)} strategy={verticalListSortingStrategy}>
          <ul className="checklist-items" aria-label={`Items of “${checklist.title}”`}>
            {shown.map((item) => (
              <ChecklistItemRow
                key={item.id}
                taskId={taskId}
                item={item}
                readOnly={readOnly}
                ownSavePending={props.pendingItemTexts.has(item.id)}
                draft={props.drafts.get(item.id)}
                setDraft={props.setDraft}
                write={write}
              />
            ))}
          </ul>
        </SortableContext>
      </DndContext>
      {hideChecked && hiddenCount > 0 && (
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
