import { useId, useState } from 'react';
import { COVER_COLORS, type CoverColor, type Member, type Task } from '../../domain/index.js';
import { DueBadge } from './card-badges.js';
import { ConflictNotice } from './conflict-notice.js';
import type { PendingOp } from './pending-op.js';
import type { FieldEditor } from './use-field-draft.js';

/** `2026-12-03T17:00` in the viewer's zone, as a datetime-local input holds it. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The instant a datetime-local input means (read in the viewer's zone), or null while it is empty or partial. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/** Enter in a date saves the dialog, as in its other fields (Chromium's date inputs do not submit by themselves). */
function submitOnEnter(event: React.KeyboardEvent<HTMLInputElement>): void {
  if (event.key !== 'Enter') return;
  event.preventDefault();
  event.currentTarget.form?.requestSubmit();
}

const REMINDERS: [number | null, string][] = [
  [null, 'No reminder'],
  [0, 'At the due time'],
  [5, '5 minutes before'],
  [15, '15 minutes before'],
  [60, '1 hour before'],
  [1440, '1 day before'],
  [2880, '2 days before'],
];

interface DatesProps {
  task: Task;
  start: FieldEditor<'startAt'>;
  due: FieldEditor<'dueAt'>;
  readOnly: boolean;
  write(op: PendingOp): void;
}

/**
 * Start and due dates (drafts, saved with the dialog), and what applies at once: "done" for the due
 * date and the reminder. Both need a due date the server has, as the API says.
 */
export function DateFields({ task, start, due, readOnly, write }: DatesProps) {
  const headingId = useId();
  const startId = useId();
  const dueId = useId();
  const reminderId = useId();
  const hasDue = task.dueAt !== null;
  return (
    <section className="dialog-section" aria-labelledby={headingId}>
      <div className="section-header">
        <h3 id={headingId}>Dates</h3>
        <DueBadge task={task} />
      </div>
      {start.conflict && (
        <ConflictNotice conflict={start.conflict} onTheirs={start.takeTheirs} onMine={start.keepMine} />
      )}
      {due.conflict && (
        <ConflictNotice conflict={due.conflict} onTheirs={due.takeTheirs} onMine={due.keepMine} />
      )}
      <div className="date-grid">
        <label htmlFor={startId}>Start</label>
        <input
          id={startId}
          type="datetime-local"
          value={toLocalInput(start.value)}
          readOnly={readOnly}
          data-testid="start-input"
          onKeyDown={submitOnEnter}
          onChange={(event) => start.change(fromLocalInput(event.target.value))}
        />
        <label htmlFor={dueId}>Due</label>
        <input
          id={dueId}
          type="datetime-local"
          value={toLocalInput(due.value)}
          readOnly={readOnly}
          data-testid="due-input"
          onKeyDown={submitOnEnter}
          onChange={(event) => due.change(fromLocalInput(event.target.value))}
        />
        <label htmlFor={reminderId}>Reminder</label>
        <select
          id={reminderId}
          value={task.reminder === null ? '' : String(task.reminder)}
          disabled={readOnly || !hasDue}
          data-testid="reminder-select"
          onChange={(event) =>
            write({
              kind: 'updateTask',
              taskId: task.id,
              reminder: event.target.value === '' ? null : Number(event.target.value),
            })
          }
        >
          {REMINDERS.map(([minutes, text]) => (
            <option key={text} value={minutes === null ? '' : String(minutes)}>
              {text}
            </option>
          ))}
          {task.reminder !== null && !REMINDERS.some(([minutes]) => minutes === task.reminder) && (
            <option value={String(task.reminder)}>{task.reminder} minutes before</option>
          )}
        </select>
      </div>
      {!readOnly && task.reminder !== null && <SystemNotificationsOffer />}
      <label className="checkbox-row">
        <input
          type="checkbox"
          checked={task.dueComplete}
          disabled={readOnly || !hasDue}
          data-testid="due-complete"
          onChange={(event) =>
            write({ kind: 'updateTask', taskId: task.id, dueComplete: event.target.checked })
          }
        />
        Done (the due date is met)
      </label>
      {!readOnly && (start.value !== null || due.value !== null) && (
        <button
          type="button"
          className="button small"
          data-testid="dates-clear"
          onClick={() => {
            start.change(null);
            due.change(null);
          }}
        >
          Clear dates
        </button>
      )}
    </section>
  );
}

/**
 * Reminders show in the page while the board is open; with the browser's permission they also
 * show as system notifications. Asked for only here, where a reminder is set: never on page load.
 */
function SystemNotificationsOffer() {
  const [permission, setPermission] = useState(() =>
    typeof Notification === 'undefined' ? 'denied' : Notification.permission,
  );
  if (permission !== 'default') return null;
  return (
    <button
      type="button"
      className="button small"
      data-testid="allow-notifications"
      onClick={() => void Notification.requestPermission().then(setPermission)}
    >
      Also remind me with system notifications
    </button>
  );
}

/** The board's members, ticked onto the card or off it (a set change: never a conflict). */
export function AssigneeField({
  task,
  members,
  readOnly,
  write,
}: {
  task: Task;
  members: readonly Member[];
  readOnly: boolean;
  write(op: PendingOp): void;
}) {
  const headingId = useId();
  return (
    <section className="dialog-section" aria-labelledby={headingId}>
      <h3 id={headingId}>Assignees</h3>
      {members.length === 0 ? (
        <p className="muted">This board has no members to assign.</p>
      ) : (
        <ul className="assignee-options">
          {members.map((member) => (
            <li key={member.userId}>
              <label>
                <input
                  type="checkbox"
                  checked={task.assigneeIds.includes(member.userId)}
                  disabled={readOnly}
                  data-testid="assignee-toggle"
                  data-username={member.username}
                  onChange={(event) =>
                    write({
                      kind: 'updateTask',
                      taskId: task.id,
                      assignees: event.target.checked
                        ? { add: [member.userId] }
                        : { remove: [member.userId] },
                    })
                  }
                />
                {member.username}
              </label>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function CoverField({
  task,
  readOnly,
  write,
}: {
  task: Task;
  readOnly: boolean;
  write(op: PendingOp): void;
}) {
  const id = useId();
  return (
    <section className="dialog-section cover-field">
      <h3>
        <label htmlFor={id}>Cover</label>
      </h3>
      <select
        id={id}
        value={task.coverColor ?? ''}
        disabled={readOnly}
        data-testid="cover-select"
        onChange={(event) =>
          write({
            kind: 'updateTask',
            taskId: task.id,
            coverColor: (event.target.value || null) as CoverColor | null,
          })
        }
      >
        <option value="">No cover</option>
        {COVER_COLORS.map((color) => (
          <option key={color} value={color}>
            {color}
          </option>
        ))}
      </select>
      {task.coverColor && (
        <span className="cover-swatch" data-cover-color={task.coverColor} aria-hidden="true" />
      )}
    </section>
  );
}
