import {
  TASK_DEFAULTS,
  normalizeListInfo,
  type Board,
  type CardFields,
  type LabelColor,
  type List,
  type SetChange,
  type Task,
} from '../../domain/index.js';
import type { LiveboardClient, TaskPatch, Written } from '../sdk.js';
import { isChecklistOp, sendChecklistOp, withChecklistOp, type ChecklistOp } from './checklist-ops.js';
import { isCommentOp, sendCommentOp, type CommentOp } from './comment-ops.js';

export type { ChecklistOp } from './checklist-ops.js';
export type { CommentOp } from './comment-ops.js';

/**
 * A task PATCH as the outbox keeps it: only the fields given change (null clears a date, the
 * reminder or the cover). Sets are added to and removed from, `archived` and `dueComplete` set a
 * value: each is idempotent, so laying it over a board that already has it changes nothing, and a
 * retry after a lost answer converges.
 */
export interface TaskFieldsPatch extends CardFields {
  title?: string;
  description?: string;
  archived?: boolean;
  labels?: SetChange;
  assignees?: SetChange;
}

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
  | { kind: 'setWipLimit'; listId: string; wipLimit: number | null; wipHard: boolean }
  | {
      kind: 'createTask';
      taskId: string;
      listId: string;
      title: string;
      /** A card made while the board is filtered starts with the filter's labels and assignees. */
      labelIds?: string[];
      assigneeIds?: string[];
    }
  | ({ kind: 'updateTask'; taskId: string; version?: number } & TaskFieldsPatch)
  | { kind: 'moveTask'; taskId: string; listId: string; beforeId?: string; afterId?: string }
  | { kind: 'deleteTask'; taskId: string }
  | { kind: 'createLabel'; labelId: string; name: string; color: LabelColor | null }
  | { kind: 'updateLabel'; labelId: string; name?: string; color?: LabelColor | null }
  | { kind: 'deleteLabel'; labelId: string }
  | ChecklistOp
  | CommentOp;

/** The list or task an op creates, changes or deletes. */
export function subjectOf(op: PendingOp): string {
  switch (op.kind) {
    case 'createList':
    case 'renameList':
    case 'moveList':
    case 'deleteList':
    case 'setWipLimit':
      return op.listId;
    case 'createLabel':
    case 'updateLabel':
    case 'deleteLabel':
      return op.labelId;
    default:
      return op.taskId;
  }
}

/** The other lists and tasks an op names: where it puts its subject (a list, a neighbour). */
export function othersNamedBy(op: PendingOp): string[] {
  const named: (string | undefined)[] = [];
  if (op.kind === 'createTask' || op.kind === 'moveTask') named.push(op.listId);
  if (op.kind === 'createTask') named.push(...(op.labelIds ?? []));
  if (op.kind === 'updateTask') named.push(...(op.labels?.add ?? []));
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
  if (isChecklistOp(op)) return sendChecklistOp(client, boardId, op, idempotencyKey);
  if (isCommentOp(op)) return sendCommentOp(client, boardId, op, idempotencyKey);
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
    case 'setWipLimit':
      return client.updateList(boardId, op.listId, { wipLimit: op.wipLimit, wipHard: op.wipHard }, options);
    case 'createTask': {
      const { taskId, listId, title, labelIds, assigneeIds } = op;
      const sets = { ...(labelIds ? { labelIds } : {}), ...(assigneeIds ? { assigneeIds } : {}) };
      return client.createTask(boardId, { id: taskId, listId, title, ...sets }, options);
    }
    case 'updateTask': {
      const { kind: _kind, taskId, ...patch } = op;
      return client.updateTask(boardId, taskId, patch satisfies TaskPatch, options);
    }
    case 'createLabel':
      return client.createLabel(boardId, { id: op.labelId, name: op.name, color: op.color }, options);
    case 'updateLabel': {
      const { kind: _kind, labelId, ...patch } = op;
      return client.updateLabel(boardId, labelId, patch, options);
    }
    case 'deleteLabel':
      return client.deleteLabel(boardId, op.labelId, options);
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
  // Comments are not in the snapshot: the comments section lays these over its own list.
  if (isCommentOp(op)) return board;
  if (isChecklistOp(op)) {
    const task = findTask(board, op.taskId);
    if (!task) return board;
    const changed = withChecklistOp(task, op);
    if (changed === task) return board;
    return mapList(board, task.listId, (list) => ({
      ...list,
      tasks: list.tasks.map((candidate) => (candidate === task ? changed : candidate)),
    }));
  }
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
    case 'setWipLimit':
      return mapList(board, op.listId, (list) =>
        list.wipLimit === op.wipLimit && list.wipHard === op.wipHard
          ? list
          : { ...list, wipLimit: op.wipLimit, wipHard: op.wipHard },
      );
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
        labelIds: op.labelIds ?? [],
        assigneeIds: op.assigneeIds ?? [],
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
      const changed = withFields(task, op);
      if (changed === task) return board;
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
    case 'createLabel': {
      if (board.labels.some((label) => label.id === op.labelId)) return board;
      // At the end, where the server puts a label made without a place (only the server computes one).
      const label = { id: op.labelId, boardId: board.id, name: op.name, color: op.color, position: '' };
      return { ...board, labels: [...board.labels, label] };
    }
    case 'updateLabel': {
      const label = board.labels.find((candidate) => candidate.id === op.labelId);
      if (!label) return board;
      const changed = { ...label, name: op.name ?? label.name, color: op.color ?? label.color };
      if ('color' in op && op.color === null) changed.color = null;
      if (changed.name === label.name && changed.color === label.color) return board;
      return {
        ...board,
        labels: board.labels.map((candidate) => (candidate === label ? changed : candidate)),
      };
    }
    case 'deleteLabel': {
      if (!board.labels.some((label) => label.id === op.labelId)) return board;
      return {
        ...board,
        labels: board.labels.filter((label) => label.id !== op.labelId),
        lists: board.lists.map((list) =>
          list.tasks.some((task) => task.labelIds.includes(op.labelId))
            ? {
                ...list,
                tasks: list.tasks.map((task) =>
                  task.labelIds.includes(op.labelId)
                    ? { ...task, labelIds: task.labelIds.filter((id) => id !== op.labelId) }
                    : task,
                ),
              }
            : list,
        ),
      };
    }
  }
}

/**
 * The task with a PATCH's fields laid over it, or the very same object when that changes nothing
 * (so that a card whose change has landed is not drawn again for its overlay). Mirrors the server's
 * rules: clearing the due date clears "done" and the reminder; sets keep the order things were put on.
 */
export function withFields(task: Task, patch: TaskFieldsPatch): Task {
  const next: Task = { ...task };
  if (patch.title !== undefined) next.title = patch.title;
  if (patch.description !== undefined) next.description = patch.description;
  if (patch.startAt !== undefined) next.startAt = patch.startAt;
  if (patch.dueAt !== undefined) next.dueAt = patch.dueAt;
  if (patch.dueComplete !== undefined) next.dueComplete = patch.dueComplete;
  if (patch.reminder !== undefined) next.reminder = patch.reminder;
  if (next.dueAt === null) {
    next.dueComplete = false;
    next.reminder = null;
  }
  if (patch.coverColor !== undefined) next.coverColor = patch.coverColor;
  if (patch.archived !== undefined && patch.archived !== (task.archivedAt !== null)) {
    next.archivedAt = patch.archived ? new Date().toISOString() : null;
  }
  if (patch.labels) next.labelIds = changedSet(task.labelIds, patch.labels);
  if (patch.assignees) next.assigneeIds = changedSet(task.assigneeIds, patch.assignees);
  const same = (Object.keys(next) as (keyof Task)[]).every((key) => next[key] === task[key]);
  return same ? task : next;
}

/** A set after adding and removing: the same array when nothing comes or goes. */
function changedSet(ids: string[], change: SetChange): string[] {
  const removed = new Set(change.remove ?? []);
  const kept = ids.filter((id) => !removed.has(id));
  const added = (change.add ?? []).filter((id) => !kept.includes(id));
  if (added.length === 0 && kept.length === ids.length) return ids;
  return [...kept, ...added];
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

/** The board with one list changed; the very same board when the change leaves the list as it was. */
function mapList(board: Board, listId: string, change: (list: List) => List): Board {
  let changed = false;
  const lists = board.lists.map((list) => {
    if (list.id !== listId) return list;
    const next = change(list);
    changed = next !== list;
    return next;
  });
  return changed ? { ...board, lists } : board;
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
