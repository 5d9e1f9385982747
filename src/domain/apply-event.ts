import type { BoardEvent } from './events.js';
import type { Board, List, ListInfo, Task } from './model.js';
import { byPosition } from './model.js';

/**
 * The one reducer: the board after `event`. Pure and immutable (only what changes is copied), so the
 * server's tests, the SDK and the web app can all fold a stream of events into a snapshot with it.
 * Applying events 1..N in order to the board as created gives exactly the snapshot at seq N.
 */
export function applyEvent(board: Board, event: BoardEvent): Board {
  const stamped = { ...board, seq: event.seq, updatedAt: event.at };
  switch (event.type) {
    case 'task_created':
    case 'task_updated':
    case 'task_moved':
      return { ...stamped, lists: upsertTask(withoutTask(board.lists, event.task.id), event.task) };
    case 'task_deleted':
      return { ...stamped, lists: withoutTask(board.lists, event.taskId) };
    case 'list_created':
    case 'list_updated':
    case 'list_moved':
      return { ...stamped, lists: upsertList(board.lists, event.list) };
    case 'list_deleted':
      return { ...stamped, lists: board.lists.filter((list) => list.id !== event.listId) };
    case 'board_updated':
      return { ...stamped, title: event.board.title };
    case 'board_deleted':
      return { ...stamped, lists: [] };
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

function withoutTask(lists: List[], taskId: string): List[] {
  const index = lists.findIndex((list) => list.tasks.some((task) => task.id === taskId));
  if (index < 0) return lists;
  const copy = lists.slice();
  const list = copy[index]!;
  copy[index] = { ...list, tasks: list.tasks.filter((task) => task.id !== taskId) };
  return copy;
}

function upsertTask(lists: List[], task: Task): List[] {
  const index = lists.findIndex((list) => list.id === task.listId);
  if (index < 0) return lists;
  const copy = lists.slice();
  const list = copy[index]!;
  copy[index] = { ...list, tasks: [...list.tasks, task].sort(byPosition) };
  return copy;
}

function upsertList(lists: List[], info: ListInfo): List[] {
  const existing = lists.find((list) => list.id === info.id);
  const list: List = { ...info, tasks: existing?.tasks ?? [] };
  return [...lists.filter((other) => other.id !== info.id), list].sort(byPosition);
}
