import type { Board, List, Task } from '../../domain/index.js';
import type { LiveboardClient, Written } from '../sdk.js';

/**
 * A write the user made that the server has not confirmed yet. Ids may be temporary (`tmp-…`, for
 * things created while offline); they are resolved to the server's ids when the write is sent.
 */
export type PendingOp =
  | { kind: 'createList'; tempId: string; title: string; afterId?: string }
  | { kind: 'renameList'; listId: string; title: string }
  | { kind: 'moveList'; listId: string; beforeId?: string; afterId?: string }
  | { kind: 'deleteList'; listId: string }
  | { kind: 'createTask'; tempId: string; listId: string; title: string }
  | { kind: 'updateTask'; taskId: string; title?: string; description?: string; version?: number }
  | { kind: 'moveTask'; taskId: string; listId: string; beforeId?: string; afterId?: string }
  | { kind: 'deleteTask'; taskId: string };

export type ResolveId = (id: string) => string;

export function tempId(kind: 'list' | 'task'): string {
  return `tmp-${kind}-${crypto.randomUUID()}`;
}

export function isTempId(id: string): boolean {
  return id.startsWith('tmp-');
}

/** Sends one op through the SDK with its idempotency key. */
export function sendOp(
  client: LiveboardClient,
  boardId: string,
  op: PendingOp,
  idempotencyKey: string,
  resolve: ResolveId,
): Promise<Written<unknown>> {
  const options = { idempotencyKey };
  const where = (beforeId?: string, afterId?: string) =>
    afterId ? { afterId: resolve(afterId) } : beforeId ? { beforeId: resolve(beforeId) } : {};
  switch (op.kind) {
    case 'createList':
      return client.createList(boardId, { title: op.title, ...where(undefined, op.afterId) }, options);
    case 'renameList':
      return client.updateList(boardId, resolve(op.listId), { title: op.title }, options);
    case 'moveList':
      return client.updateList(boardId, resolve(op.listId), where(op.beforeId, op.afterId), options);
    case 'deleteList':
      return client.deleteList(boardId, resolve(op.listId), options);
    case 'createTask':
      return client.createTask(boardId, { listId: resolve(op.listId), title: op.title }, options);
    case 'updateTask': {
      const { title, description, version } = op;
      return client.updateTask(boardId, resolve(op.taskId), { title, description, version }, options);
    }
    case 'moveTask':
      return client.updateTask(
        boardId,
        resolve(op.taskId),
        { listId: resolve(op.listId), ...where(op.beforeId, op.afterId) },
        options,
      );
    case 'deleteTask':
      return client.deleteTask(boardId, resolve(op.taskId), options);
  }
}

/**
 * The board as the user expects it once `op` lands: the optimistic overlay. It works on order (ids
 * before/after), never on positions, which only the server computes. Applying an op whose effect
 * is already in the board changes nothing, so an op may stay in the overlay until its event arrives.
 */
export function applyOp(board: Board, op: PendingOp, resolve: ResolveId): Board {
  const id = (value: string) => resolve(value);
  switch (op.kind) {
    case 'createList': {
      if (board.lists.some((list) => list.id === id(op.tempId))) return board;
      const list: List = { id: id(op.tempId), boardId: board.id, title: op.title, position: '', tasks: [] };
      return { ...board, lists: insertAt(board.lists, list, undefined, op.afterId && id(op.afterId)) };
    }
    case 'renameList':
      return mapList(board, id(op.listId), (list) => ({ ...list, title: op.title }));
    case 'moveList': {
      const list = board.lists.find((candidate) => candidate.id === id(op.listId));
      if (!list) return board;
      const rest = board.lists.filter((candidate) => candidate !== list);
      return {
        ...board,
        lists: insertAt(rest, list, op.beforeId && id(op.beforeId), op.afterId && id(op.afterId)),
      };
    }
    case 'deleteList':
      return { ...board, lists: board.lists.filter((list) => list.id !== id(op.listId)) };
    case 'createTask': {
      if (findTask(board, id(op.tempId))) return board;
      const now = new Date().toISOString();
      const task: Task = {
        id: id(op.tempId),
        boardId: board.id,
        listId: id(op.listId),
        title: op.title,
        description: '',
        position: '',
        version: 0,
        createdAt: now,
        updatedAt: now,
      };
      return mapList(board, task.listId, (list) => ({ ...list, tasks: [...list.tasks, task] }));
    }
    case 'updateTask': {
      const task = findTask(board, id(op.taskId));
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
      const task = findTask(board, id(op.taskId));
      if (!task || !board.lists.some((list) => list.id === id(op.listId))) return board;
      const moved = { ...task, listId: id(op.listId) };
      const without = mapList(board, task.listId, (list) => ({
        ...list,
        tasks: list.tasks.filter((candidate) => candidate.id !== task.id),
      }));
      return mapList(without, moved.listId, (list) => ({
        ...list,
        tasks: insertAt(list.tasks, moved, op.beforeId && id(op.beforeId), op.afterId && id(op.afterId)),
      }));
    }
    case 'deleteTask': {
      const task = findTask(board, id(op.taskId));
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

function insertAt<T extends { id: string }>(
  items: T[],
  item: T,
  beforeId?: string | false,
  afterId?: string | false,
): T[] {
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
