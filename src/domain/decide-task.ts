import { boolean, coverColor, idSet, instant, limitReached, reminderMinutes } from './card-values.js';
import type { BoardCommand, CardFields, SetChange } from './commands.js';
import { LiveboardError, idTaken, invalid } from './errors.js';
import type { EventDraft } from './events.js';
import { LIMITS } from './limits.js';
import type { Board, List, Task, VersionedField } from './model.js';
import { TASK_DEFAULTS } from './model.js';
import { positionFor } from './positions.js';
import { hasChanges, type SetDelta, type TaskChanges } from './task-changes.js';
import { optionalText, requiredText } from './text.js';

type CreateTask = Extract<BoardCommand, { type: 'create_task' }>;
type UpdateTask = Extract<BoardCommand, { type: 'update_task' }>;

/** A task made with its first labels, dates and assignees: one `task_created`. */
export function decideCreateTask(board: Board, command: CreateTask, now: string, id: string): EventDraft {
  const list = findList(board, command.listId, 'listId');
  // Only a proposed id can be taken (a made one is 60 random bits): no scan of every card per create.
  if (command.id !== undefined && board.lists.some((other) => other.tasks.some((task) => task.id === id))) {
    throw idTaken(id);
  }
  const dates = cardFields(command, TASK_DEFAULTS);
  const labelIds =
    command.labelIds === undefined ? [] : idSet('labelIds', command.labelIds, LIMITS.labelsPerCard);
  labelIds.forEach((labelId) => findLabel(board, labelId, 'labelIds'));
  const assigneeIds =
    command.assigneeIds === undefined
      ? []
      : idSet('assigneeIds', command.assigneeIds, LIMITS.assigneesPerCard);
  assigneeIds.forEach((userId) => findMember(board, userId, 'assigneeIds'));
  checkWip(list, undefined, 'listId');
  const task: Task = {
    ...TASK_DEFAULTS,
    id,
    boardId: board.id,
    listId: list.id,
    title: requiredText('title', command.title),
    description: optionalText('description', command.description) ?? '',
    position: positionFor(list.tasks, command, `a task of list '${list.id}'`),
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...dates,
    labelIds,
    assigneeIds,
    fieldVersions: {},
  };
  return { type: 'task_created', task };
}

/**
 * A PATCH of a task: every field it sets, validated together, becomes one event with only what
 * really changed, or no event at all (null) when nothing would. With `version`, each field the
 * PATCH would change is checked against that field's own version, so edits of different fields
 * never refuse each other; labels and assignees are sets and never conflict.
 */
export function decideUpdateTask(board: Board, command: UpdateTask, now: string): EventDraft | null {
  const { list: fromList, task } = findTask(board, command.taskId);
  const changes: TaskChanges = {};
  if (command.title !== undefined) {
    const title = requiredText('title', command.title);
    if (title !== task.title) changes.title = { from: task.title, to: title };
  }
  const description = optionalText('description', command.description);
  if (description !== undefined && description !== task.description)
    changes.description = { to: description };

  const fields = cardFields(command, task);
  for (const field of ['startAt', 'dueAt', 'dueComplete', 'reminder', 'coverColor'] as const) {
    if (fields[field] !== task[field])
      Object.assign(changes, { [field]: { from: task[field], to: fields[field] } });
  }
  if (command.archived !== undefined) {
    const archived = boolean('archived', command.archived);
    if (archived !== (task.archivedAt !== null)) {
      changes.archivedAt = { from: task.archivedAt, to: archived ? now : null };
    }
  }
  const labels = setDelta(board, task, 'labels', command.labels);
  if (labels) changes.labelIds = labels;
  const assignees = setDelta(board, task, 'assignees', command.assignees);
  if (assignees) changes.assigneeIds = assignees;

  const targetListId = command.listId ?? task.listId;
  const placed = command.beforeId !== undefined || command.afterId !== undefined;
  let move: { list: List; position: string } | undefined;
  if (targetListId !== task.listId || placed) {
    const target = findList(board, targetListId, 'listId');
    if (command.beforeId === task.id || command.afterId === task.id) {
      throw new LiveboardError('invalid_position', 'a task cannot be placed relative to itself', {
        field: command.beforeId === task.id ? 'beforeId' : 'afterId',
      });
    }
    const siblings = target.tasks.filter((other) => other.id !== task.id);
    const current = target.id === task.listId ? task.position : undefined;
    const position = positionFor(siblings, command, `another task of list '${target.id}'`, current);
    if (target.id !== task.listId || position !== task.position) move = { list: target, position };
  }

  if (!move && !hasChanges(changes)) return null;
  checkVersions(task, command.version, [
    ...(Object.keys(changes) as VersionedField[]),
    ...(move ? ['position' as const] : []),
  ]);

  // WIP counts tasks that are not archived: one arriving in a list, or restored in it, counts.
  const archivedAfter = changes.archivedAt ? changes.archivedAt.to : task.archivedAt;
  if (archivedAfter === null) {
    const destination = move?.list ?? fromList;
    if (destination.id !== task.listId || task.archivedAt !== null) {
      checkWip(destination, task.id, move ? 'listId' : 'archived');
    }
  }
  const version = task.version + 1;
  if (!move) return { type: 'task_updated', taskId: task.id, version, changes };
  return {
    type: 'task_moved',
    taskId: task.id,
    version,
    listId: move.list.id,
    fromListId: task.listId,
    position: move.position,
    ...(hasChanges(changes) ? { changes } : {}),
  };
}

/**
 * The dates, reminder and cover after a command, from `base` for what it leaves alone, checked as
 * a whole: start not after due (also when the command sets only one of them), no reminder or
 * completion without a due date. Clearing the due date clears both.
 */
function cardFields(
  command: CardFields,
  base: Pick<Task, 'startAt' | 'dueAt' | 'dueComplete' | 'reminder' | 'coverColor'>,
): Pick<Task, 'startAt' | 'dueAt' | 'dueComplete' | 'reminder' | 'coverColor'> {
  const startAt =
    command.startAt === undefined
      ? base.startAt
      : command.startAt === null
        ? null
        : instant('startAt', command.startAt);
  const dueAt =
    command.dueAt === undefined
      ? base.dueAt
      : command.dueAt === null
        ? null
        : instant('dueAt', command.dueAt);
  let dueComplete =
    command.dueComplete === undefined ? base.dueComplete : boolean('dueComplete', command.dueComplete);
  let reminder =
    command.reminder === undefined
      ? base.reminder
      : command.reminder === null
        ? null
        : reminderMinutes(command.reminder);
  const cover = command.coverColor === undefined ? base.coverColor : coverColor(command.coverColor);
  if (startAt !== null && dueAt !== null && startAt > dueAt) {
    throw invalid(
      command.startAt !== undefined ? 'startAt' : 'dueAt',
      'the start must not be after the due date',
    );
  }
  if (dueAt === null) {
    if (command.dueComplete === true) throw invalid('dueComplete', 'needs a due date');
    if (command.reminder !== undefined && command.reminder !== null)
      throw invalid('reminder', 'needs a due date');
    dueComplete = false;
    reminder = null;
  }
  return { startAt, dueAt, dueComplete, reminder, coverColor: cover };
}

/**
 * Labels or assignees to add and remove, as they really change the card: an id added that is
 * there already, or removed that is not, is no change. Every id added must exist on the board
 * (else 404 and nothing of the PATCH applies); removing an unknown id is no change (it may just
 * have been deleted by someone else).
 */
function setDelta(
  board: Board,
  task: Task,
  field: 'labels' | 'assignees',
  change: SetChange | undefined,
): SetDelta | undefined {
  if (change === undefined) return undefined;
  const max = field === 'labels' ? LIMITS.labelsPerCard : LIMITS.assigneesPerCard;
  const add = change.add === undefined ? [] : idSet(`${field}.add`, change.add, max);
  const remove = change.remove === undefined ? [] : idSet(`${field}.remove`, change.remove, max);
  const both = add.find((id) => remove.includes(id));
  if (both !== undefined) throw invalid(`${field}.remove`, `'${both}' is both added and removed`);
  for (const id of add) {
    if (field === 'labels') findLabel(board, id, 'labels.add');
    else findMember(board, id, 'assignees.add');
  }
  const current = field === 'labels' ? task.labelIds : task.assigneeIds;
  const delta: SetDelta = {
    add: add.filter((id) => !current.includes(id)),
    remove: remove.filter((id) => current.includes(id)),
  };
  if (delta.add.length === 0 && delta.remove.length === 0) return undefined;
  const count = current.length + delta.add.length - delta.remove.length;
  if (count > max) throw limitReached(field, `${field} on one card`, max, count);
  return delta;
}

/**
 * Optimistic concurrency per field: a field this PATCH changes conflicts only if it changed after
 * the version the client saw. All conflicting fields are named, with their value now and who set it.
 */
function checkVersions(task: Task, seen: number | undefined, fields: readonly VersionedField[]): void {
  if (seen === undefined) return;
  if (seen > task.version) {
    throw new LiveboardError(
      'version_conflict',
      `task '${task.id}' is at version ${task.version}, not ${seen}`,
      {
        field: 'version',
        currentVersion: task.version,
        conflicts: [],
      },
    );
  }
  const conflicts = fields
    .filter((field) => field !== 'labelIds' && field !== 'assigneeIds')
    .filter((field) => (task.fieldVersions[field]?.version ?? 0) > seen)
    .map((field) => ({
      field,
      value: field === 'position' ? { listId: task.listId, position: task.position } : task[field],
      version: task.fieldVersions[field]!.version,
      by: task.fieldVersions[field]!.by,
    }));
  if (conflicts.length === 0) return;
  throw new LiveboardError(
    'version_conflict',
    `${conflicts.map((conflict) => conflict.field).join(', ')} changed since version ${seen}`,
    { field: conflicts[0]!.field, currentVersion: task.version, conflicts },
  );
}

/** A hard-limited list that is full takes no further task (the task itself aside: moving within stays allowed). */
export function checkWip(list: List, movingTaskId: string | undefined, field: string): void {
  if (!list.wipHard || list.wipLimit === null) return;
  const count = list.tasks.filter((task) => task.archivedAt === null && task.id !== movingTaskId).length;
  if (count >= list.wipLimit) {
    throw new LiveboardError(
      'wip_limit_reached',
      `list '${list.id}' holds ${count} of at most ${list.wipLimit} tasks`,
      { field, limit: list.wipLimit, count },
    );
  }
}

export function findList(board: Board, listId: string, field?: string): List {
  const list = board.lists.find((candidate) => candidate.id === listId);
  if (!list) {
    throw new LiveboardError('list_not_found', `no list '${listId}' on board '${board.id}'`, {
      ...(field ? { field } : {}),
    });
  }
  return list;
}

export function findTask(board: Board, taskId: string, field?: string): { list: List; task: Task } {
  for (const list of board.lists) {
    const task = list.tasks.find((candidate) => candidate.id === taskId);
    if (task) return { list, task };
  }
  throw new LiveboardError('task_not_found', `no task '${taskId}' on board '${board.id}'`, {
    ...(field ? { field } : {}),
  });
}

function findLabel(board: Board, labelId: string, field: string): void {
  if (!board.labels.some((label) => label.id === labelId)) {
    throw new LiveboardError('label_not_found', `no label '${labelId}' on board '${board.id}'`, { field });
  }
}

function findMember(board: Board, userId: string, field: string): void {
  if (!board.members.some((member) => member.userId === userId)) {
    throw new LiveboardError('member_not_found', `no member '${userId}' on board '${board.id}'`, { field });
  }
}
