import { dueStatus, type Board, type DueStatus, type Label, type List, type Task } from '../client/index.js';
import type { Colors } from './colors.js';

/**
 * What a task line says besides its title, in words (a terminal may have no colour, so colour is
 * never the only signal, as on the web app's card face): labels by name, due status, assignees,
 * checklist progress (items done of all), comments, archived. Dates are shown in the local time zone, as people read them.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `Thu 3 Dec 12:00` in the local zone; the year too when it is not this year's. */
export function localDate(iso: string, now: Date): string {
  const date = new Date(iso);
  const time = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  const year = date.getFullYear() === now.getFullYear() ? '' : ` ${date.getFullYear()}`;
  return `${DAYS[date.getDay()]} ${date.getDate()} ${MONTHS[date.getMonth()]}${year} ${time}`;
}

export const DUE_WORDS: Record<Exclude<DueStatus, 'none'>, string> = {
  overdue: 'overdue',
  due_soon: 'due soon',
  due_later: 'due',
  done: 'done',
};

/** "overdue Thu 3 Dec 12:00", "done Thu 3 Dec 12:00"; empty without a due date. */
export function dueWords(task: Pick<Task, 'dueAt' | 'dueComplete'>, now: Date): string {
  const status = dueStatus(task, now);
  if (status === 'none' || task.dueAt === null) return '';
  return `${DUE_WORDS[status]} ${localDate(task.dueAt, now)}`;
}

/** A label as a person reads it: its name, or its colour when it has none. */
export function labelName(label: Pick<Label, 'name' | 'color'>): string {
  return label.name || `${(label.color ?? 'plain').replaceAll('_', ' ')} label`;
}

/** The badges of a task, each a short phrase, coloured where colour helps (due status). */
export function taskBadges(
  task: Task,
  board: Board,
  now: Date,
  colors: Colors,
): { text: string; styled: string }[] {
  const badges: { text: string; styled: string }[] = [];
  const plain = (text: string, style: (text: string) => string = (same) => same) =>
    badges.push({ text, styled: style(text) });
  if (task.archivedAt !== null) plain('archived', colors.dim);
  for (const id of task.labelIds) {
    const label = board.labels.find((candidate) => candidate.id === id);
    if (label) plain(`[${labelName(label)}]`, colors.cyan);
  }
  const due = dueWords(task, now);
  if (due) {
    const status = dueStatus(task, now);
    const style =
      status === 'overdue'
        ? colors.red
        : status === 'due_soon'
          ? colors.yellow
          : status === 'done'
            ? colors.green
            : colors.dim;
    plain(due, style);
  }
  for (const id of task.assigneeIds) {
    // An assignee who left the board keeps their place on the card.
    plain(
      `@${board.members.find((member) => member.userId === id)?.username ?? 'a former member'}`,
      colors.magenta,
    );
  }
  const items = task.checklists.flatMap((checklist) => checklist.items);
  if (items.length > 0) {
    const done = items.filter((item) => item.done).length;
    plain(`☑ ${done}/${items.length}`, done === items.length ? colors.green : colors.dim);
  }
  if (task.commentCount > 0) {
    plain(`${task.commentCount} comment${task.commentCount === 1 ? '' : 's'}`, colors.dim);
  }
  return badges;
}

/** Tasks that count against a list's WIP limit: those not archived. */
export function activeCount(list: List): number {
  return list.tasks.filter((task) => task.archivedAt === null).length;
}

/** "4 / 5", "5 / 5, hard", "6 / 5, over limit"; empty for a list without a limit. */
export function wipWords(list: List): string {
  if (list.wipLimit === null) return '';
  const count = activeCount(list);
  const over = count > list.wipLimit ? ', over limit' : '';
  return `${count} / ${list.wipLimit}${list.wipHard ? ', hard' : ''}${over}`;
}
