import type { Board, List, Task } from '../domain/index.js';
import { taskRowValues, type TaskRowValues } from './board-rows.js';
import type { IdempotencyRecord } from './write-plan.js';
import type { LoggedEvent } from './store.js';

/** An Idempotency-Key to record, with the outcome it will replay. */
export interface KeyRecord {
  key: string;
  record: IdempotencyRecord;
  at: string;
}

/** A list's values in the column order both backends write them: id, board_id, title, position. */
export type ListRowValues = [string, string, string, string];

/**
 * The net change a batch makes to its board's rows: each row written once, however many of the
 * batch's writes touched it, so a backend can write a batch with one statement per kind of row (a
 * few round trips on PostgreSQL, whatever the batch's size). Every backend writes the kinds in the
 * order of the fields below, which keeps each foreign key satisfied as it goes: a list before the
 * tasks put in it, a task moved off a list before that list goes.
 */
export interface BatchRows {
  boardId: string;
  upsertLists: ListRowValues[];
  upsertTasks: TaskRowValues[];
  deleteTaskIds: string[];
  deleteListIds: string[];
  /** The batch's events, seqs consecutive. */
  events: LoggedEvent[];
  /** Ids brought into use (refused if ever used before: see the backends' used_ids). */
  claims: string[];
  keys: KeyRecord[];
  /** The board's row after the batch. */
  head: { seq: number; updatedAt: string; title: string; deletedAt: string | null };
}

/**
 * The rows to write to take a board from `before` to `after` (undefined: deleted). Snapshots are
 * immutable and applyEvent keeps what it does not change, so an unchanged task is the very same
 * object on both sides and is not written again.
 */
export function batchRowsOf(
  before: Board,
  after: Board | undefined,
  batch: { events: LoggedEvent[]; claims: string[]; keys: KeyRecord[]; deletedAt: string | null },
): BatchRows {
  const listsBefore = new Map(before.lists.map((list) => [list.id, list]));
  const listsAfter = after?.lists ?? [];
  const listIdsAfter = new Set(listsAfter.map((list) => list.id));
  const tasksBefore = tasksById(before.lists);
  const tasksAfter = tasksById(listsAfter);
  const last = batch.events.at(-1)!;
  return {
    boardId: before.id,
    upsertLists: listsAfter
      .filter((list) => {
        const old = listsBefore.get(list.id);
        return !old || old.title !== list.title || old.position !== list.position;
      })
      .map((list) => [list.id, before.id, list.title, list.position]),
    upsertTasks: [...tasksAfter.values()]
      .filter((task) => tasksBefore.get(task.id) !== task)
      .map((task) => taskRowValues(before.id, task)),
    deleteTaskIds: [...tasksBefore.keys()].filter((taskId) => !tasksAfter.has(taskId)),
    deleteListIds: before.lists.filter((list) => !listIdsAfter.has(list.id)).map((list) => list.id),
    events: batch.events,
    claims: batch.claims,
    keys: batch.keys,
    head: {
      seq: last.seq,
      updatedAt: after?.updatedAt ?? batch.deletedAt!,
      title: after?.title ?? before.title,
      deletedAt: batch.deletedAt,
    },
  };
}

function tasksById(lists: readonly List[]): Map<string, Task> {
  const tasks = new Map<string, Task>();
  for (const list of lists) for (const task of list.tasks) tasks.set(task.id, task);
  return tasks;
}
