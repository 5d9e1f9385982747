import { useCallback, useEffect, useId, useState } from 'react';
import { LIMITS, type Task } from '../../domain/index.js';
import { newId } from '../sdk.js';
import { ChecklistBlock } from './checklist-block.js';
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
 * the focus in its new-item box, so a list is typed item after item with Enter.
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
      {task.checklists.map((checklist) => (
        <ChecklistBlock
          key={checklist.id}
          taskId={task.id}
          checklist={checklist}
          readOnly={readOnly}
          pendingItemTexts={props.pendingItemTexts}
          drafts={drafts}
          setDraft={setDraft}
          justAdded={checklist.id === justAdded}
          write={write}
        />
      ))}
    </section>
  );
}
