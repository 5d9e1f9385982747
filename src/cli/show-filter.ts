import { dueStatus, taskMatcher, type Board, type Task, type TaskFilter } from '../client/index.js';
import { UsageError } from './exit-codes.js';
import { findLabel, findMember } from './resolve.js';

/** `liveboard show`'s filter options, as commander gives them. */
export interface ShowOptions {
  label?: string[];
  allLabels?: boolean;
  assignee?: string[];
  due?: string;
  text?: string;
  archived?: boolean;
}

/**
 * `soon` is the card face's "due soon" (within 24 hours, not done, not overdue); the others are
 * the domain filter's own (the web app's filter bar offers the same).
 */
export const DUE_FILTERS = ['overdue', 'soon', 'today', 'week', 'none', 'done'] as const;

/** What the options ask for: the domain's TaskFilter (the web app's), and "due soon" beside it. */
export interface ShowFilter {
  filter: TaskFilter;
  dueSoon: boolean;
  /** Whether anything beyond archived cards is hidden: list headers then say "3 of 12". */
  filtering: boolean;
}

/**
 * Reads the options against the board: labels by name or id (`none`: cards without one),
 * assignees by username (`me`: the signed-in user; `none`: assigned to no one). `myUserId` is asked
 * only when `me` is used.
 */
export async function showFilterOf(
  board: Board,
  options: ShowOptions,
  myUserId: () => Promise<string>,
): Promise<ShowFilter> {
  const filter: TaskFilter = { archived: options.archived ? 'include' : 'hide' };
  const labels = options.label ?? [];
  if (options.allLabels && labels.length === 0) throw new UsageError('--all-labels goes with --label');
  if (labels.some((ref) => ref.toLowerCase() === 'none')) {
    if (labels.length > 1) throw new UsageError('--label none (cards without a label) goes alone');
    filter.labels = 'none';
  } else if (labels.length > 0) {
    filter.labels = {
      mode: options.allLabels ? 'all' : 'any',
      ids: labels.map((ref) => findLabel(board, ref).id),
    };
  }

  const assignees = options.assignee ?? [];
  if (assignees.some((ref) => ref.toLowerCase() === 'none')) {
    if (assignees.length > 1) throw new UsageError('--assignee none (cards assigned to no one) goes alone');
    filter.assignees = 'none';
  } else if (assignees.length > 0) {
    const ids: string[] = [];
    for (const ref of assignees)
      ids.push(ref.toLowerCase() === 'me' ? await myUserId() : findMember(board, ref).userId);
    filter.assignees = ids;
  }

  let dueSoon = false;
  if (options.due !== undefined) {
    const due = options.due.toLowerCase();
    if (!(DUE_FILTERS as readonly string[]).includes(due)) {
      throw new UsageError(`--due takes ${DUE_FILTERS.join(', ')}; got '${options.due}'`);
    }
    if (due === 'soon') dueSoon = true;
    else filter.due = due as NonNullable<TaskFilter['due']>;
  }
  if (options.text?.trim()) filter.text = options.text.trim();
  const filtering =
    filter.labels !== undefined ||
    filter.assignees !== undefined ||
    filter.due !== undefined ||
    dueSoon ||
    Boolean(filter.text);
  return { filter, dueSoon, filtering };
}

/** The filter as a predicate over the board's tasks, at `now`. */
export function showMatcher(board: Board, show: ShowFilter, now: Date): (task: Task) => boolean {
  const matches = taskMatcher(board, show.filter, { now, timeZoneOffsetMinutes: -now.getTimezoneOffset() });
  if (!show.dueSoon) return matches;
  return (task) => matches(task) && dueStatus(task, now) === 'due_soon';
}
