import type { Task } from './model.js';

/** What a card's due date means now: computed by each client, since time passing is never an event. */
export type DueStatus = 'none' | 'done' | 'overdue' | 'due_soon' | 'due_later';

/** Within this of its due date, a card is due soon (Trello's 24 hours). */
export const DUE_SOON_MS = 24 * 60 * 60 * 1000;

export function dueStatus(task: Pick<Task, 'dueAt' | 'dueComplete'>, now: Date): DueStatus {
  if (task.dueAt === null) return 'none';
  if (task.dueComplete) return 'done';
  const left = Date.parse(task.dueAt) - now.getTime();
  if (left < 0) return 'overdue';
  return left <= DUE_SOON_MS ? 'due_soon' : 'due_later';
}
