import { TASK_DEFAULTS, normalizeListInfo, type Board, type List, type Task } from '../../domain/index.js';
import type { LiveboardClient, Written } from '../sdk.js';

/**
 * A write the user made that the server has not confirmed yet. Every id is the server's from the
 * start: the app proposes the ids of what it creates (`newId`, sent as the create's `id`), so a
 * later op can name a list or task made offline, and an op's own create is known by its id when
 * its event arrives, never guessed from its title.
 */
export type PendingOp =
  | { kind: 'createList'; listId: string; title: string; afterId?: string }
  | { kind: 'renameList'; listId: string; title: string }
  | { kind: 'moveList'; listId: string; beforeId?: string; afterId?: string }
  | { kind: 'deleteList'; listId: string }
  | { kind: 'createTask'; taskId: string; listId: string; title: string }
  | { kind: 'updateTask'; taskId: string; title?: string; description?: string; version?: number }
  | { kind: 'moveTask'; taskId: string; listId: string; beforeId?: string; afterId?: string }
  | { kind: 'deleteTask'; taskId: string };

/** The list or task an op creates, changes or deletes. */
export function subjectOf(op: PendingOp): string {
  switch (op.kind) {
    case 'createList':
    case 'renameList':
    case 'moveList':
    case 'deleteList':
      return op.listId;
    default:
      return op.taskId;
  }
}

/** The other lists and tasks an op names: where it puts its subject (a list, a neighbour). */
export function othersNamedBy(op: PendingOp): string[] {
  const named: (string | undefined)[] = [];
  if (op.kind === 'createTask' || op.kind === 'moveTask') named.push(op.listId);
  if ('beforeId' in op) named.push(op.beforeId);
  if ('afterId' in op) named.push(op.afterId);
  return named.filter((id): id is string => id !== undefined);
}

/** Sends one op through the SDK with its idempotency key; a create proposes the op's own id. */
export function sendOp(
  client: LiveboardClient,
  boardId: string,
  op: PendingOp,
  idempotencyKey: string,
): Promise<Written<unknown>> {
  const options = { idempotencyKey };
  const where = (beforeId?: string, afterId?: string) =>
    afterId ? { afterId } : beforeId ? { beforeId } : {};
  switch (op.kind) {
    case 'createList':
      return client.createList(
        boardId,
        { id: op.listId, title: op.title, ...where(undefined, op.afterId) },
        options,
      );
    case 'renameList':
      return client.updateList(boardId, op.listId, { title: op.title }, options);
    case 'moveList':
      return client.updateList(boardId, op.listId, where(op.beforeId, op.afterId), options);
    case 'deleteList':
      return client.deleteList(boardId, op.listId, options);
    case 'createTask':
      return client.createTask(boardId, { id: op.taskId, listId: op.listId, title: op.title }, options);
    case 'updateTask': {
      const { title, description, version } = op;
      return client.updateTask(boardId, op.taskId, { title, description, version }, options);
    }
    case 'moveTask':
      return client.updateTask(
        boardId,
        op.taskId,
        { listId: op.listId, ...where(op.beforeId, op.afterId) },
        options,
      );
    case 'deleteTask':
      return client.deleteTask(boardId, op.taskId, options);
  }
}

/**
 * The board as the user expects it once `op` lands: the optimistic overlay. It works on order (ids
 * before/after), never on positions, which only the server computes. Applying an op whose effect
 * is already in the board changes nothing, so an op may stay in the overlay until its event arrives.
 */
export function applyOp(board: Board, op: PendingOp): Board {
  switch (op.kind) {
    case 'createList': {
      if (board.lists.some((list) => list.id === op.listId)) return board;
      const list: List = {
        ...normalizeListInfo({ id: op.listId, boardId: board.id, title: op.title, position: '' }),
        tasks: [],
      };
      return { ...board, lists: insertAt(board.lists, list, undefined, op.afterId) };
    }
    case 'renameList':
      return mapList(board, op.listId, (list) => ({ ...list, title: op.title }));
    case 'moveList': {
      const list = board.lists.find((candidate) => candidate.id === op.listId);
      if (!list) return board;
      const rest = board.lists.filter((candidate) => candidate !== list);
      return {
        ...board,
        lists: insertAt(rest, list, op.beforeId, op.afterId),
      };
    }
    case 'deleteList':
      return { ...board, lists: board.lists.filter((list) => list.id !== op.listId) };
    case 'createTask': {
      if (findTask(board, op.taskId)) return board;
      const now = new Date().toISOString();
      const task: Task = {
        ...TASK_DEFAULTS,
        id: op.taskId,
        boardId: board.id,
        listId: op.listId,
        title: op.title,
        description: '',
        position: '',
        version: 0,
        createdAt: now,
        updatedAt: now,
        commentCount: 0,
      };
      return mapList(board, task.listId, (list) => ({ ...list, tasks: [...list.tasks, task] }));
    }
    case 'updateTask': {
      const task = findTask(board, op.taskId);
      if (!task) return board;
      const changed = {
        ...task,
        title: op.title ?? task.title,
        description: op.description ?? task.description,
      };
      return mapList(board, task.listId, (list) => ({
        ...list,
        tasks: list.tasks.map((candidate) => (candidate.id === task.id ? changed : candidate)),
      }));
    }
    case 'moveTask': {
      const task = findTask(board, op.taskId);
      if (!task || !board.lists.some((list) => list.id === op.listId)) return board;
      const moved = { ...task, listId: op.listId };
      const without = mapList(board, task.listId, (list) => ({
        ...list,
        tasks: list.tasks.filter((candidate) => candidate.id !== task.id),
      }));
      return mapList(without, moved.listId, (list) => ({
        ...list,
        tasks: insertAt(list.tasks, moved, op.beforeId, op.afterId),
      }));
    }
    case 'deleteTask': {
      const task = findTask(board, op.taskId);
      if (!task) return board;
      return mapList(board, task.listId, (list) => ({
        ...list,
        tasks: list.tasks.filter((candidate) => candidate.id !== task.id),
      }));
    }
  }
}

export function findTask(board: Board, taskId: string): Task | undefined {
  for (const list of board.lists) {
    const task = list.tasks.find((candidate) => candidate.id === taskId);
    if (task) return task;
  }
  return undefined;
}

/** Where an item dropped at `index` of `ids` (without itself) goes, said the server's way. */
export function placement(ids: readonly string[], index: number): { beforeId?: string; afterId?: string } {
  if (index > 0 && ids[index - 1] !== undefined) return { afterId: ids[index - 1]! };
  if (ids[index] !== undefined) return { beforeId: ids[index]! };
  return {};
}

function mapList(board: Board, listId: string, change: (list: List) => List): Board {
  return { ...board, lists: board.lists.map((list) => (list.id === listId ? change(list) : list)) };
}

function insertAt<T extends { id: string }>(items: T[], item: T, beforeId?: string, afterId?: string): T[] {
  const rest = items.filter((candidate) => candidate.id !== item.id);
  let index = rest.length;
  if (afterId) {
    const after = rest.findIndex((candidate) => candidate.id === afterId);
    if (after >= 0) index = after + 1;
  } else if (beforeId) {
    const before = rest.findIndex((candidate) => candidate.id === beforeId);
    if (before >= 0) index = before;
  }
  return [...rest.slice(0, index), item, ...rest.slice(index)];
}
