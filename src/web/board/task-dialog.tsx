import { useEffect, useRef, useState } from 'react';
import { LIMITS, type Board, type StreamMessage, type Task } from '../../domain/index.js';
import { ActivitySection } from './activity-section.js';
import { AssigneeField, CoverField, DateFields } from './card-fields.js';
import { ChecklistsSection } from './checklists-section.js';
import { CommentsSection, type PendingComments } from './comments-section.js';
import { ConflictNotice } from './conflict-notice.js';
import { DescriptionField } from './description-field.js';
import type { DraftField } from './field-drafts.js';
import { LabelPicker } from './label-picker.js';
import { LinksSection } from './links-section.js';
import type { PendingOp, TaskFieldsPatch } from './pending-op.js';
import { useFieldDraft, type FieldEditor } from './use-field-draft.js';
import type { RejectedEdit } from './use-live-board.js';

interface TaskDialogProps {
  board: Board;
  task: Task;
  /** The fields of this task the user has saves of still on their way. */
  pendingFields: ReadonlySet<string>;
  /** The checklist items of this task whose text the user has saves of still on their way. */
  pendingItemTexts: ReadonlySet<string>;
  /** The user's writes to this task's comments still on their way. */
  pendingComments: PendingComments;
  /** Saves of this task the server refused for a conflict: they come back here as drafts. */
  rejectedEdits: readonly RejectedEdit[];
  settleRejectedEdit(id: number): void;
  /** Only to look at: every field shows, none can be changed. */
  readOnly: boolean;
  /** Who is looking (null: no one signed in), and whether they own the board (owners moderate comments). */
  userId: string | null;
  isOwner: boolean;
  write(op: PendingOp): void;
  /** The board's stream, for what the snapshot does not hold: comments and history. */
  onMessage(listener: (message: StreamMessage) => void): () => void;
  notify(text: string): void;
  onClose(): void;
}

/**
 * A card's details in a modal dialog (the native <dialog>, for focus trapping and Escape), at its
 * own address. Text and dates are drafts: each shows the server's value until the user edits it,
 * and Save sends each edited field in a PATCH of its own with the version it started from, so that
 * the server checks that field alone. Labels, assignees, "done", the reminder, the cover and the
 * archive apply at once: they are sets or set values, which never conflict.
 */
export function TaskDialog(props: TaskDialogProps) {
  const { board, task, pendingFields, rejectedEdits, settleRejectedEdit, readOnly, write, onClose } = props;
  const { userId, isOwner, onMessage, notify } = props;
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const title = useFieldDraft(task, 'title');
  const description = useFieldDraft(task, 'description');
  const startAt = useFieldDraft(task, 'startAt');
  const dueAt = useFieldDraft(task, 'dueAt');
  const editors: Record<'title' | 'description' | 'startAt' | 'dueAt', FieldEditor<DraftField>> = {
    title,
    description,
    startAt,
    dueAt,
  } as Record<'title' | 'description' | 'startAt' | 'dueAt', FieldEditor<DraftField>>;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  // A save refused for a conflict comes back as the user's draft, with the notice to choose.
  useEffect(() => {
    for (const edit of rejectedEdits) {
      if (edit.taskId !== task.id || !(edit.field in editors)) continue;
      editors[edit.field as keyof typeof editors].restore(edit.mine as never);
      settleRejectedEdit(edit.id);
    }
    // Only new rejected edits matter here; the editors are new objects on every render.
  }, [rejectedEdits, task.id]);

  const conflicted = Object.values(editors).some((editor) => editor.conflict);
  const save = (): void => {
    if (readOnly) return onClose();
    // A field whose conflict is not yet settled is not saved: the user chooses first.
    if (conflicted) return;
    for (const [field, editor] of Object.entries(editors) as [
      keyof typeof editors,
      FieldEditor<DraftField>,
    ][]) {
      if (field === 'title' && typeof editor.value === 'string' && !editor.value.trim()) continue;
      const taken = editor.take(pendingFields.has(field));
      if (!taken) continue;
      const value = field === 'title' ? String(taken.value).trim() : taken.value;
      const patch = { [field]: value } as TaskFieldsPatch;
      write({
        kind: 'updateTask',
        taskId: task.id,
        ...patch,
        ...(taken.version ? { version: taken.version } : {}),
      });
    }
    onClose();
  };
  const archived = task.archivedAt !== null;
  const list = board.lists.find((candidate) => candidate.id === task.listId);

  return (
    <dialog
      ref={dialogRef}
      className="task-dialog"
      aria-labelledby="task-dialog-heading"
      data-testid="task-dialog"
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === dialogRef.current) onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <p className="dialog-eyebrow">
          In {list?.title ?? ''}
          {archived && (
            <span className="badge archived-badge" data-testid="dialog-archived">
              Archived
            </span>
          )}
        </p>
        <h2 id="task-dialog-heading" className="visually-hidden">
          Card: {task.title}
        </h2>
        {title.conflict && (
          <ConflictNotice conflict={title.conflict} onTheirs={title.takeTheirs} onMine={title.keepMine} />
        )}
        <label className="field">
          <span>Title</span>
          <input
            value={title.value}
            readOnly={readOnly}
            required
            maxLength={LIMITS.titleLength}
            data-testid="task-title-input"
            onChange={(event) => title.change(event.target.value)}
          />
        </label>
        <div className="dialog-columns">
          <div className="dialog-main">
            <LabelPicker
              taskId={task.id}
              labels={board.labels}
              labelIds={task.labelIds}
              readOnly={readOnly}
              write={write}
            />
            <DateFields task={task} start={startAt} due={dueAt} readOnly={readOnly} write={write} />
            <DescriptionField editor={description} readOnly={readOnly} />
            <ChecklistsSection
              task={task}
              readOnly={readOnly}
              pendingItemTexts={props.pendingItemTexts}
              rejectedEdits={rejectedEdits}
              settleRejectedEdit={settleRejectedEdit}
              write={write}
              notify={notify}
            />
            <LinksSection task={task} readOnly={readOnly} write={write} notify={notify} />
          </div>
          <div className="dialog-side">
            <AssigneeField task={task} members={board.members} readOnly={readOnly} write={write} />
            <CoverField task={task} readOnly={readOnly} write={write} />
          </div>
        </div>
        <CommentsSection
          boardId={board.id}
          taskId={task.id}
          userId={userId}
          isOwner={isOwner}
          readOnly={readOnly}
          onMessage={onMessage}
          notify={notify}
          write={write}
          pending={props.pendingComments}
          rejectedEdits={rejectedEdits}
          settleRejectedEdit={settleRejectedEdit}
        />
        <ActivitySection board={board} taskId={task.id} onMessage={onMessage} />
        {readOnly ? (
          <div className="dialog-actions">
            <span className="spacer" />
            <button type="submit" className="button primary" data-testid="task-close">
              Close
            </button>
          </div>
        ) : (
          <div className="dialog-actions">
            <button
              type="button"
              className="button"
              data-testid={archived ? 'task-restore' : 'task-archive'}
              onClick={() => write({ kind: 'updateTask', taskId: task.id, archived: !archived })}
            >
              {archived ? 'Restore' : 'Archive'}
            </button>
            <button
              type="button"
              className={`button danger${confirmDelete ? ' is-confirming' : ''}`}
              data-testid="task-delete"
              onClick={() => {
                if (!confirmDelete) return setConfirmDelete(true);
                write({ kind: 'deleteTask', taskId: task.id });
                onClose();
              }}
            >
              {confirmDelete ? 'Really delete?' : 'Delete'}
            </button>
            <span className="spacer" />
            <button type="button" className="button" data-testid="task-cancel" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              className="button primary"
              data-testid="task-save"
              aria-disabled={conflicted}
            >
              Save
            </button>
          </div>
        )}
      </form>
    </dialog>
  );
}

/** A card's address names a card this board does not have (deleted, or a wrong link): said so. */
export function MissingCardDialog({ onClose }: { onClose(): void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={dialogRef}
      className="task-dialog"
      aria-labelledby="missing-card-heading"
      data-testid="missing-card"
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id="missing-card-heading">This card was deleted, or is not on this board</h2>
      <div className="dialog-actions">
        <span className="spacer" />
        <button type="button" className="button primary" onClick={onClose} autoFocus>
          Back to the board
        </button>
      </div>
    </dialog>
  );
}
