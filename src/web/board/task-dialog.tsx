import { useEffect, useRef, useState } from 'react';
import { LIMITS, type Task } from '../../domain/index.js';
import type { PendingOp } from './pending-op.js';

interface TaskDialogProps {
  task: Task;
  listTitle: string;
  /** The user has writes to this task still on their way: its version is not the server's yet. */
  hasPendingWrites: boolean;
  /** Only to look at: the fields cannot be changed, and there is no Delete or Save. */
  readOnly: boolean;
  write(op: PendingOp): void;
  onClose(): void;
}

/**
 * A task's details in a modal dialog (the native <dialog>, for focus trapping and Escape). Saving
 * sends the version the user started from, so a change made meanwhile by someone else is a 409
 * (told, and the true state shown), never silently overwritten.
 */
export function TaskDialog({ task, listTitle, hasPendingWrites, readOnly, write, onClose }: TaskDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [baseVersion] = useState(task.version);
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description);
  const [confirmDelete, setConfirmDelete] = useState(false);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const changedElsewhere = task.version > baseVersion && baseVersion > 0;
  const save = (): void => {
    if (readOnly) return onClose();
    const patch: { title?: string; description?: string } = {};
    if (title.trim() && title.trim() !== task.title) patch.title = title.trim();
    if (description !== task.description) patch.description = description;
    if (patch.title !== undefined || patch.description !== undefined) {
      const version = baseVersion > 0 && !hasPendingWrites ? baseVersion : undefined;
      write({ kind: 'updateTask', taskId: task.id, ...patch, ...(version ? { version } : {}) });
    }
    onClose();
  };

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
        <p className="dialog-eyebrow">In {listTitle}</p>
        <h2 id="task-dialog-heading" className="visually-hidden">
          Task details
        </h2>
        <label className="field">
          <span>Title</span>
          <input
            value={readOnly ? task.title : title}
            readOnly={readOnly}
            required
            maxLength={LIMITS.titleLength}
            data-testid="task-title-input"
            onChange={(event) => setTitle(event.target.value)}
          />
        </label>
        <label className="field">
          <span>Description</span>
          <textarea
            value={readOnly ? task.description : description}
            readOnly={readOnly}
            rows={6}
            maxLength={LIMITS.descriptionLength}
            placeholder={readOnly ? 'No description' : 'Add more detail…'}
            data-testid="task-description-input"
            onChange={(event) => setDescription(event.target.value)}
          />
        </label>
        {changedElsewhere && !readOnly && (
          <p className="dialog-warning" role="status">
            Someone else changed this task while you had it open. Saving will be refused; close and reopen to
            see theirs.
          </p>
        )}
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
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button primary" data-testid="task-save">
              Save
            </button>
          </div>
        )}
      </form>
    </dialog>
  );
}
