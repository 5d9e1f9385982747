import type { Board, TaskFilter } from '../../domain/index.js';

/**
 * The board filter as the URL holds it, so that a filtered board survives a reload and can be sent
 * as a link. It says "me" rather than a user id: the same link means each viewer's own cards.
 *
 *   ?labels=any:label-a,label-b | all:… | none   ?assignees=me | none   ?due=overdue|today|week|none|done
 *   ?archived=include | only                     ?q=words
 */
export interface BoardFilter {
  labels?: { mode: 'any' | 'all'; ids: string[] } | 'none';
  assignees?: 'me' | 'none';
  due?: NonNullable<TaskFilter['due']>;
  archived?: 'include' | 'only';
  text?: string;
}

const DUE_VALUES = ['overdue', 'today', 'week', 'none', 'done'] as const;
/** The query parameters the filter owns; every other one (transport, share) is left alone. */
export const FILTER_PARAMS = ['labels', 'assignees', 'due', 'archived', 'q'] as const;

/** The filter a query string says; what it cannot read is left out rather than guessed at. */
export function filterFromSearch(search: string | URLSearchParams): BoardFilter {
  const query = typeof search === 'string' ? new URLSearchParams(search) : search;
  const filter: BoardFilter = {};
  const labels = query.get('labels');
  if (labels === 'none') filter.labels = 'none';
  else if (labels) {
    const match = /^(any|all):(.+)$/.exec(labels);
    const ids = match ? match[2]!.split(',').filter(Boolean) : [];
    if (match && ids.length > 0) filter.labels = { mode: match[1] as 'any' | 'all', ids };
  }
  const assignees = query.get('assignees');
  if (assignees === 'me' || assignees === 'none') filter.assignees = assignees;
  const due = query.get('due');
  if ((DUE_VALUES as readonly (string | null)[]).includes(due)) filter.due = due as BoardFilter['due'];
  const archived = query.get('archived');
  if (archived === 'include' || archived === 'only') filter.archived = archived;
  const text = query.get('q')?.trim();
  if (text) filter.text = text;
  return filter;
}

/** `query` with the filter's parameters replaced by `filter`'s (the others kept, in their order). */
export function searchWithFilter(query: URLSearchParams, filter: BoardFilter): URLSearchParams {
  const next = new URLSearchParams(query);
  for (const name of FILTER_PARAMS) next.delete(name);
  if (filter.labels === 'none') next.set('labels', 'none');
  else if (filter.labels && filter.labels.ids.length > 0) {
    next.set('labels', `${filter.labels.mode}:${filter.labels.ids.join(',')}`);
  }
  if (filter.assignees) next.set('assignees', filter.assignees);
  if (filter.due) next.set('due', filter.due);
  if (filter.archived) next.set('archived', filter.archived);
  if (filter.text?.trim()) next.set('q', filter.text.trim());
  return next;
}

/** Whether the filter hides anything beyond archived cards (which every board hides). */
export function isFiltering(filter: BoardFilter): boolean {
  return (
    filter.labels !== undefined ||
    filter.assignees !== undefined ||
    filter.due !== undefined ||
    filter.archived === 'only' ||
    Boolean(filter.text)
  );
}

/**
 * The domain's filter for this viewer. "Me" without a signed-in viewer matches nobody's cards
 * rather than everybody's: a filter never shows more than it says. Labels since deleted are dropped.
 */
export function taskFilterOf(filter: BoardFilter, board: Board, userId: string | undefined): TaskFilter {
  const taskFilter: TaskFilter = { archived: filter.archived ?? 'hide' };
  if (filter.labels === 'none') taskFilter.labels = 'none';
  else if (filter.labels) {
    const known = new Set(board.labels.map((label) => label.id));
    taskFilter.labels = { mode: filter.labels.mode, ids: filter.labels.ids.filter((id) => known.has(id)) };
  }
  if (filter.assignees === 'none') taskFilter.assignees = 'none';
  else if (filter.assignees === 'me') taskFilter.assignees = [userId ?? 'nobody'];
  if (filter.due) taskFilter.due = filter.due;
  if (filter.text) taskFilter.text = filter.text;
  return taskFilter;
}

/**
 * What a card created while the board is filtered starts with, so that it does not vanish the
 * moment it is made: the filter's labels (all of them for "all", the first for "any") and the
 * viewer for "me".
 */
export function fieldsForNewCard(
  filter: BoardFilter,
  board: Board,
  userId: string | undefined,
): { labelIds?: string[]; assigneeIds?: string[] } {
  const fields: { labelIds?: string[]; assigneeIds?: string[] } = {};
  if (filter.labels && filter.labels !== 'none') {
    const known = new Set(board.labels.map((label) => label.id));
    const ids = filter.labels.ids.filter((id) => known.has(id));
    const wanted = filter.labels.mode === 'all' ? ids : ids.slice(0, 1);
    if (wanted.length > 0) fields.labelIds = wanted;
  }
  if (filter.assignees === 'me' && userId && board.members.some((member) => member.userId === userId)) {
    fields.assigneeIds = [userId];
  }
  return fields;
}
