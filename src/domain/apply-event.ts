import type { BoardEvent, LegacyTaskMoved, LegacyTaskUpdated, TaskMoved, TaskUpdated } from './events.js';
import { isLegacyTaskEvent } from './events.js';
import type { Author, Board, Label, List, ListInfo, Task } from './model.js';
import { byPosition, normalizeListInfo, normalizeTask } from './model.js';
import { applyTaskChanges } from './task-changes.js';

/**
 * The one reducer: the board after `event`. Pure and immutable (only what changes is copied), so the
 * server's tests, the SDK and the web app can all fold a stream of events into a snapshot with it.
 * Applying events 1..N in order to the board as created gives exactly the snapshot at seq N. It folds
 * the whole-task events that older logs hold as well as the per-field ones, forever.
 */
export function applyEvent(board: Board, event: BoardEvent): Board {
  const stamped = { ...board, seq: event.seq, updatedAt: event.at };
  switch (event.type) {
    case 'task_created':
      return { ...stamped, lists: placeTask(board.lists, normalizeTask(event.task)) };
    case 'task_updated':
    case 'task_moved':
      return { ...stamped, lists: changeTask(board.lists, event, event.at, event.by ?? null) };
    case 'task_deleted':
      return { ...stamped, lists: withoutTask(board.lists, event.taskId) };
    case 'label_created':
    case 'label_updated':
      return {
        ...stamped,
        labels: [...board.labels.filter((label) => label.id !== event.label.id), event.label].sort(
          byPosition,
        ),
      };
    case 'label_deleted':
      return {
        ...stamped,
        labels: board.labels.filter((label: Label) => label.id !== event.labelId),
        lists: withoutLabel(board.lists, event.labelId),
      };
    case 'comment_added':
      return { ...stamped, lists: countComments(board.lists, event.comment.taskId, +1) };
    case 'comment_edited':
      return stamped;
    case 'comment_deleted':
      return { ...stamped, lists: countComments(board.lists, event.taskId, -1) };
    case 'list_created':
    case 'list_updated':
    case 'list_moved':
      return { ...stamped, lists: upsertList(board.lists, normalizeListInfo(event.list)) };
    case 'list_deleted':
      return { ...stamped, lists: board.lists.filter((list) => list.id !== event.listId) };
    case 'board_updated':
      return { ...stamped, title: event.board.title };
    case 'board_deleted':
      return { ...stamped, lists: [], labels: [] };
    case 'member_added':
      return { ...stamped, members: [...board.members, event.member] };
    case 'member_updated':
      return {
        ...stamped,
        members: board.members.map((member) =>
          member.userId === event.member.userId ? event.member : member,
        ),
      };
    case 'member_removed':
      return { ...stamped, members: board.members.filter((member) => member.userId !== event.userId) };
    case 'visibility_changed':
      return { ...stamped, visibility: event.visibility, listed: event.listed };
  }
}

/** Folds events over a board, skipping any at or below its seq (already applied). */
export function applyEvents(board: Board, events: Iterable<BoardEvent>): Board {
  let current = board;
  for (const event of events) {
    if (event.seq > current.seq) current = applyEvent(current, event);
  }
  return current;
}

/**
 * A task updated or moved, by either shape of event. A task that keeps its list and position is
 * replaced where it stands: no sort per tick on a list of thousands.
 */
function changeTask(
  lists: List[],
  event: TaskUpdated | TaskMoved | LegacyTaskUpdated | LegacyTaskMoved,
  at: string,
  by: Author | null,
): List[] {
  let next: Task;
  if (isLegacyTaskEvent(event)) {
    // Only comment events change the count: whole-task events come from logs before comments.
    next = { ...normalizeTask(event.task), commentCount: findTask(lists, event.task.id)?.commentCount ?? 0 };
  } else {
    const current = findTask(lists, event.taskId);
    if (!current) return lists;
    next = applyTaskChanges(current, event.changes ?? {}, event.version, at, by);
    if (event.type === 'task_moved') {
      next = {
        ...next,
        listId: event.listId,
        position: event.position,
        fieldVersions: { ...next.fieldVersions, position: { version: event.version, by } },
      };
    }
  }
  const current = findTask(lists, next.id);
  if (current && current.listId === next.listId && current.position === next.position) {
    return replaceTask(lists, next);
  }
  return placeTask(withoutTask(lists, next.id), next);
}

function findTask(lists: readonly List[], taskId: string): Task | undefined {
  for (const list of lists) {
    const task = list.tasks.find((candidate) => candidate.id === taskId);
    if (task) return task;
  }
  return undefined;
}

function replaceTask(lists: List[], task: Task): List[] {
  return lists.map((list) =>
    list.id !== task.listId
      ? list
      : { ...list, tasks: list.tasks.map((other) => (other.id === task.id ? task : other)) },
  );
}

function withoutTask(lists: List[], taskId: string): List[] {
  const index = lists.findIndex((list) => list.tasks.some((task) => task.id === taskId));
  if (index < 0) return lists;
  const copy = lists.slice();
  const list = copy[index]!;
  copy[index] = { ...list, tasks: list.tasks.filter((task) => task.id !== taskId) };
  return copy;
}

/** The task's comment count moved by `delta`, in place: its position does not change, so no sort. */
function countComments(lists: List[], taskId: string, delta: number): List[] {
  const index = lists.findIndex((list) => list.tasks.some((task) => task.id === taskId));
  if (index < 0) return lists;
  const copy = lists.slice();
  const list = copy[index]!;
  copy[index] = {
    ...list,
    tasks: list.tasks.map((task) =>
      task.id === taskId ? { ...task, commentCount: task.commentCount + delta } : task,
    ),
  };
  return copy;
}

/** Puts a task into its list at its place, by binary search: the list stays sorted without a sort. */
function placeTask(lists: List[], task: Task): List[] {
  const index = lists.findIndex((list) => list.id === task.listId);
  if (index < 0) return lists;
  const copy = lists.slice();
  const list = copy[index]!;
  let low = 0;
  let high = list.tasks.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (byPosition(list.tasks[middle]!, task) < 0) low = middle + 1;
    else high = middle;
  }
  copy[index] = { ...list, tasks: [...list.tasks.slice(0, low), task, ...list.tasks.slice(low)] };
  return copy;
}

/** A deleted label leaves every card that had it; cards without it are not copied. */
function withoutLabel(lists: List[], labelId: string): List[] {
  return lists.map((list) =>
    list.tasks.some((task) => task.labelIds.includes(labelId))
      ? {
          ...list,
          tasks: list.tasks.map((task) =>
            task.labelIds.includes(labelId)
              ? { ...task, labelIds: task.labelIds.filter((id) => id !== labelId) }
              : task,
          ),
        }
      : list,
  );
}

function upsertList(lists: List[], info: ListInfo): List[] {
  const existing = lists.find((list) => list.id === info.id);
  const list: List = { ...info, tasks: existing?.tasks ?? [] };
  return [...lists.filter((other) => other.id !== info.id), list].sort(byPosition);
}
