import type { BoardEvent, LegacyTaskMoved, LegacyTaskUpdated, TaskMoved, TaskUpdated } from './events.js';
import { isLegacyTaskEvent } from './events.js';
import type { Author, Board, ChecklistItem, Label, List, ListInfo, Task } from './model.js';
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
    case 'checklist_added':
    case 'checklist_updated':
    case 'checklist_deleted':
    case 'checklist_item_added':
    case 'checklist_item_updated':
    case 'checklist_item_deleted':
    case 'link_added':
    case 'link_updated':
    case 'link_removed':
      return {
        ...stamped,
        lists: inTask(board.lists, event.taskId, (task) => applyCardPart(task, event, event.by ?? null)),
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
    // Whole-task events come from logs before comments, checklists and links: only their own
    // events change those, so the task keeps what it has of them.
    const before = findTask(lists, event.task.id);
    next = {
      ...normalizeTask(event.task),
      commentCount: before?.commentCount ?? 0,
      checklists: before?.checklists ?? [],
      links: before?.links ?? [],
    };
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

/**
 * The task changed by `change`, in place: checklists and links never move a card, so no sort. The
 * task's own version and fields are left alone (see decide-checklist.ts).
 */
function inTask(lists: List[], taskId: string, change: (task: Task) => Task): List[] {
  const index = lists.findIndex((list) => list.tasks.some((task) => task.id === taskId));
  if (index < 0) return lists;
  const copy = lists.slice();
  const list = copy[index]!;
  copy[index] = { ...list, tasks: list.tasks.map((task) => (task.id === taskId ? change(task) : task)) };
  return copy;
}

/**
 * A card's checklists or links after one of their events. `by` is the event's author: the author of
 * the text of each item it makes or rewords (events carry items without it).
 */
function applyCardPart(task: Task, event: CardPartEvent, by: Author | null): Task {
  switch (event.type) {
    case 'checklist_added': {
      const items = event.checklist.items.map((item) => ({ ...item, textBy: by }));
      return { ...task, checklists: sortedWith(task.checklists, { ...event.checklist, items }) };
    }
    case 'checklist_updated': {
      const checklists = task.checklists.map((checklist) =>
        checklist.id !== event.checklistId
          ? checklist
          : {
              ...checklist,
              title: event.changes.title?.to ?? checklist.title,
              position: event.changes.position?.to ?? checklist.position,
            },
      );
      return { ...task, checklists: event.changes.position ? checklists.sort(byPosition) : checklists };
    }
    case 'checklist_deleted':
      return {
        ...task,
        checklists: task.checklists.filter((checklist) => checklist.id !== event.checklistId),
      };
    case 'checklist_item_added':
      return {
        ...task,
        checklists: task.checklists.map((checklist) =>
          checklist.id === event.checklistId
            ? { ...checklist, items: sortedWith(checklist.items, { ...event.item, textBy: by }) }
            : checklist,
        ),
      };
    case 'checklist_item_updated': {
      const { changes } = event;
      const fromId = changes.checklistId?.from ?? event.checklistId;
      const current = task.checklists
        .find((checklist) => checklist.id === fromId)
        ?.items.find((item) => item.id === event.itemId);
      if (!current) return task;
      const item: ChecklistItem = {
        ...current,
        text: changes.text?.to ?? current.text,
        done: changes.done?.to ?? current.done,
        position: changes.position?.to ?? current.position,
        version: event.version,
        textBy: changes.text ? by : current.textBy,
      };
      const moves = changes.position !== undefined || changes.checklistId !== undefined;
      return {
        ...task,
        checklists: task.checklists.map((checklist) => {
          if (!moves) {
            return checklist.id !== fromId
              ? checklist
              : {
                  ...checklist,
                  items: checklist.items.map((other) => (other.id === item.id ? item : other)),
                };
          }
          const without =
            checklist.id === fromId
              ? checklist.items.filter((other) => other.id !== item.id)
              : checklist.items;
          const items = checklist.id === event.checklistId ? sortedWith(without, item) : without;
          return items === checklist.items ? checklist : { ...checklist, items };
        }),
      };
    }
    case 'checklist_item_deleted':
      return {
        ...task,
        checklists: task.checklists.map((checklist) =>
          checklist.id === event.checklistId
            ? { ...checklist, items: checklist.items.filter((item) => item.id !== event.itemId) }
            : checklist,
        ),
      };
    case 'link_added':
      return { ...task, links: [...task.links.filter((link) => link.id !== event.link.id), event.link] };
    case 'link_updated': {
      const { changes } = event;
      return {
        ...task,
        links: task.links.map((link) =>
          link.id !== event.linkId
            ? link
            : { ...link, url: changes.url?.to ?? link.url, title: changes.title?.to ?? link.title },
        ),
      };
    }
    case 'link_removed':
      return { ...task, links: task.links.filter((link) => link.id !== event.linkId) };
  }
}

type CardPartEvent = Extract<
  BoardEvent,
  {
    type:
      | 'checklist_added'
      | 'checklist_updated'
      | 'checklist_deleted'
      | 'checklist_item_added'
      | 'checklist_item_updated'
      | 'checklist_item_deleted'
      | 'link_added'
      | 'link_updated'
      | 'link_removed';
  }
>;

/** `entries` with `entry` put in (replacing one of its id), sorted by position. */
function sortedWith<T extends { id: string; position: string }>(entries: readonly T[], entry: T): T[] {
  return [...entries.filter((other) => other.id !== entry.id), entry].sort(byPosition);
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
  // concat copies in bulk: spreading the two halves into a new array took 180 µs on a list of 15,000
  // (7% of the server's CPU under 64 writers to one list), splice 125 µs, concat 8 µs.
  copy[index] = { ...list, tasks: list.tasks.slice(0, low).concat([task], list.tasks.slice(low)) };
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
