import { dueStatus } from './due-status.js';
import type { Board, Task } from './model.js';

/**
 * What a board is filtered by, in the client (the snapshot holds every card): one function for the
 * web app, the SDK and `liveboard show`, so that a filter in a URL means the same everywhere.
 * Every part given must hold (and); within labels, `any` or `all` of them.
 */
export interface TaskFilter {
  /** Cards with any (or all) of these labels; `'none'`: cards without a label. */
  labels?: { mode: 'any' | 'all'; ids: readonly string[] } | 'none';
  /** Cards assigned to any of these users (the caller's id for "me"); `'none'`: cards assigned to no one. */
  assignees?: readonly string[] | 'none';
  /** By due date, as the viewer sees the calendar (see `timeZoneOffsetMinutes`). */
  due?: 'overdue' | 'today' | 'week' | 'none' | 'done';
  /** Archived cards: hidden (default), shown with the rest, or alone. */
  archived?: 'hide' | 'include' | 'only';
  /** Words each found, case-insensitively, in the title, the description or a label's name. */
  text?: string;
}

export interface FilterClock {
  now: Date;
  /** The viewer's offset from UTC in minutes (east positive: +60 in Paris in winter); default 0. */
  timeZoneOffsetMinutes?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The board with only the tasks that pass the filter, in their lists (every list stays). */
export function filterTasks(
  board: Board,
  filter: TaskFilter,
  clock: FilterClock = { now: new Date() },
): Board {
  const matches = taskMatcher(board, filter, clock);
  return { ...board, lists: board.lists.map((list) => ({ ...list, tasks: list.tasks.filter(matches) })) };
}

/** The filter as a predicate over one task of `board`. */
export function taskMatcher(board: Board, filter: TaskFilter, clock: FilterClock): (task: Task) => boolean {
  const labelNames = new Map(board.labels.map((label) => [label.id, label.name.toLowerCase()]));
  const words = (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const offsetMs = (clock.timeZoneOffsetMinutes ?? 0) * 60_000;
  // The viewer's day and week (Monday first) as UTC instants.
  const localNow = clock.now.getTime() + offsetMs;
  const dayStart = Math.floor(localNow / DAY_MS) * DAY_MS - offsetMs;
  const weekday = (new Date(localNow).getUTCDay() + 6) % 7;
  const weekStart = dayStart - weekday * DAY_MS;
  return (task) => {
    const archived = filter.archived ?? 'hide';
    if (archived === 'hide' && task.archivedAt !== null) return false;
    if (archived === 'only' && task.archivedAt === null) return false;
    const { labels, assignees, due } = filter;
    if (labels === 'none' && task.labelIds.length > 0) return false;
    if (labels !== undefined && labels !== 'none' && labels.ids.length > 0) {
      const has = (id: string) => task.labelIds.includes(id);
      if (labels.mode === 'all' ? !labels.ids.every(has) : !labels.ids.some(has)) return false;
    }
    if (assignees === 'none' && task.assigneeIds.length > 0) return false;
    if (
      Array.isArray(assignees) &&
      assignees.length > 0 &&
      !assignees.some((id) => task.assigneeIds.includes(id))
    ) {
      return false;
    }
    if (due !== undefined && !dueMatches(task, due, clock.now, dayStart, weekStart)) return false;
    if (words.length > 0) {
      const haystack = [task.title, task.description, ...task.labelIds.map((id) => labelNames.get(id) ?? '')]
        .join('\n')
        .toLowerCase();
      if (!words.every((word) => haystack.includes(word))) return false;
    }
    return true;
  };
}

function dueMatches(
  task: Task,
  due: NonNullable<TaskFilter['due']>,
  now: Date,
  dayStart: number,
  weekStart: number,
): boolean {
  const status = dueStatus(task, now);
  switch (due) {
    case 'none':
      return status === 'none';
    case 'done':
      return status === 'done';
    case 'overdue':
      return status === 'overdue';
    case 'today':
    case 'week': {
      if (task.dueAt === null || task.dueComplete) return false;
      const time = Date.parse(task.dueAt);
      const end = due === 'today' ? dayStart + DAY_MS : weekStart + 7 * DAY_MS;
      return time >= (due === 'today' ? dayStart : weekStart) && time < end;
    }
  }
}
