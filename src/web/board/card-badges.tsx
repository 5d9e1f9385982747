import { useMemo, useSyncExternalStore } from 'react';
import { dueStatus, type Label, type Member, type Task } from '../../domain/index.js';

/**
 * What a card says besides its title. Every badge reads in words to a screen reader (hidden text
 * beside what the eye sees), and a label always shows its name: colour is never the only signal.
 */

// One clock for every due badge: time passing is never an event, so "due soon" and "overdue" are
// worked out here, and only the badges redraw each minute, not the cards around them.
const clockListeners = new Set<() => void>();
let minute = Math.floor(Date.now() / 60_000);
let clockTimer: ReturnType<typeof setInterval> | undefined;
function subscribeClock(listener: () => void): () => void {
  clockListeners.add(listener);
  clockTimer ??= setInterval(() => {
    const now = Math.floor(Date.now() / 60_000);
    if (now === minute) return;
    minute = now;
    for (const each of clockListeners) each();
  }, 5_000);
  return () => {
    clockListeners.delete(listener);
    if (clockListeners.size === 0) {
      clearInterval(clockTimer);
      clockTimer = undefined;
    }
  };
}
/**
 * The time now, to the minute (the same Date until the minute turns, when its users redraw). Not
 * `needed`, it stays the epoch and nothing redraws for the clock.
 */
export function useMinute(needed = true): Date {
  const current = useSyncExternalStore(subscribeClock, () => (needed ? minute : 0));
  return useMemo(() => new Date(current * 60_000), [current]);
}

const dateFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** A date in the viewer's own zone, as cards and the dialog show it. */
export function formatDue(iso: string): string {
  return dateFormat.format(new Date(iso));
}

const instantFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** When something happened (a comment, an event of the card's history), in the viewer's own zone. */
export function formatInstant(iso: string): string {
  return instantFormat.format(new Date(iso));
}

export const DUE_WORDS = {
  overdue: 'Overdue',
  due_soon: 'Due soon',
  done: 'Done',
  due_later: 'Due',
} as const;

export function DueBadge({ task }: { task: Pick<Task, 'dueAt' | 'dueComplete'> }) {
  return task.dueAt === null ? null : <DueDateBadge dueAt={task.dueAt} dueComplete={task.dueComplete} />;
}

/**
 * A card's due date with its status. It follows the clock only for its status: the badge redraws
 * when "due soon" turns "overdue", not each minute (1,200 due dates on a 5,000-card board).
 */
function DueDateBadge({ dueAt, dueComplete }: { dueAt: string; dueComplete: boolean }) {
  const status = useSyncExternalStore(subscribeClock, () =>
    dueStatus({ dueAt, dueComplete }, new Date(minute * 60_000)),
  );
  if (status === 'none') return null;
  const date = formatDue(dueAt);
  return (
    <span className={`badge due-badge is-${status}`} data-testid="due-badge" data-due-status={status}>
      {status === 'due_later' ? <span className="visually-hidden">Due </span> : `${DUE_WORDS[status]} · `}
      <time dateTime={dueAt}>{date}</time>
    </span>
  );
}

export function LabelChip({ label }: { label: Pick<Label, 'name' | 'color'> }) {
  return (
    <span className="label-chip" data-label-color={label.color ?? 'none'} data-testid="label-chip">
      <span className="visually-hidden">Label: </span>
      {label.name || `${(label.color ?? 'no colour').replace('_', ' ')} label`}
    </span>
  );
}

export function LabelChips({
  ids,
  labelsById,
}: {
  ids: readonly string[];
  labelsById: ReadonlyMap<string, Label>;
}) {
  const labels = ids.flatMap((id) => labelsById.get(id) ?? []);
  if (labels.length === 0) return null;
  return (
    <span className="label-chips">
      {labels.map((label) => (
        <LabelChip key={label.id} label={label} />
      ))}
    </span>
  );
}

/** "AN" for ana: the first two letters, or the initials of a display name of several words. */
export function initialsOf(name: string): string {
  const words = name
    .trim()
    .split(/[\s._-]+/)
    .filter(Boolean);
  const initials = words.length > 1 ? words[0]![0]! + words[1]![0]! : name.trim().slice(0, 2);
  return initials.toUpperCase();
}

export function AssigneeInitials({
  ids,
  membersById,
}: {
  ids: readonly string[];
  membersById: ReadonlyMap<string, Member>;
}) {
  if (ids.length === 0) return null;
  // An assignee who left the board keeps their place on the card, named as someone unknown.
  const names = ids.map((id) => membersById.get(id)?.username ?? 'a former member');
  return (
    <span className="assignees" data-testid="assignees">
      <span className="visually-hidden">Assigned to {names.join(', ')}</span>
      {names.map((name, index) => (
        <span key={ids[index]} className="avatar" aria-hidden="true" title={name}>
          {initialsOf(name)}
        </span>
      ))}
    </span>
  );
}

export function DescriptionMarker() {
  return (
    <span className="badge description-marker" data-testid="description-marker" title="Has a description">
      <span aria-hidden="true">≡</span>
      <span className="visually-hidden">Has a description</span>
    </span>
  );
}

export function ArchivedBadge() {
  return (
    <span className="badge archived-badge" data-testid="archived-badge">
      Archived
    </span>
  );
}

export function CommentCountBadge({ count }: { count: number }) {
  const words = `${count} comment${count === 1 ? '' : 's'}`;
  return (
    <span className="badge comment-count" data-testid="comment-count" title={words}>
      <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path
          d="M2 3.5A1.5 1.5 0 0 1 3.5 2h9A1.5 1.5 0 0 1 14 3.5v6a1.5 1.5 0 0 1-1.5 1.5H7l-3.2 2.7c-.3.3-.8 0-.8-.4V11h0A1.5 1.5 0 0 1 2 9.5z"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinejoin="round"
        />
      </svg>
      <span aria-hidden="true">{count}</span>
      <span className="visually-hidden">{words}</span>
    </span>
  );
}

/** Checklist progress, "3/5" to the eye and "3 of 5 checklist items done" in words; green when all are. */
export function ChecklistBadge({ done, total }: { done: number; total: number }) {
  const words = `${done} of ${total} checklist item${total === 1 ? '' : 's'} done`;
  return (
    <span
      className={`badge checklist-badge${done === total ? ' is-complete' : ''}`}
      data-testid="checklist-badge"
      data-done={done}
      data-total={total}
      title={words}
    >
      <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <rect
          x="1.75"
          y="1.75"
          width="12.5"
          height="12.5"
          rx="2.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
        />
        <path
          d="M4.5 8.2l2.3 2.3 4.7-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.7"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <span aria-hidden="true">
        {done}/{total}
      </span>
      <span className="visually-hidden">{words}</span>
    </span>
  );
}

export function LinkCountBadge({ count }: { count: number }) {
  const words = `${count} link${count === 1 ? '' : 's'}`;
  return (
    <span className="badge link-count" data-testid="link-count" title={words}>
      <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path
          d="M6.8 9.2a3 3 0 0 0 4.2 0l2.2-2.2a3 3 0 0 0-4.2-4.2l-.9.9M9.2 6.8a3 3 0 0 0-4.2 0L2.8 9a3 3 0 0 0 4.2 4.2l.9-.9"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
        />
      </svg>
      <span aria-hidden="true">{count}</span>
      <span className="visually-hidden">{words}</span>
    </span>
  );
}
