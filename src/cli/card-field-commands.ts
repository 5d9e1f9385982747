import {
  type Board,
  type Label,
  type LabelColor,
  type List,
  type Task,
  type TaskPatch,
} from '../client/index.js';
import { activeCount, dueWords, labelName, localDate } from './badges.js';
import { parseColor, parseReminder, parseSetEdits, parseWhen, parseWipLimit } from './card-input.js';
import { report } from './commands.js';
import type { CliContext } from './context.js';
import { UsageError } from './exit-codes.js';
import { explainMember, explainWip } from './refusals.js';
import { findLabel, findLabelOrNone, findList, findMember, findTask, myUserId } from './resolve.js';

/**
 * The card's fields from a terminal: labels (the board's, and a card's), dates, assignees, archive
 * and WIP limits. Each command is one write (or none), so each is one event on the board; names
 * are resolved against the board first, and every id the server is sent is one it showed us.
 */

export interface LabelOptions {
  color?: string;
  rename?: string;
  delete?: boolean;
}

/** `label <board>` lists; `label <board> <name>` creates it, or edits or deletes it with the options. */
export async function label(
  ctx: CliContext,
  boardId: string,
  ref: string | undefined,
  options: LabelOptions,
): Promise<void> {
  // The colour is read before anything is sent, so a bad one is a usage error (exit 2).
  const color = options.color === undefined ? undefined : parseColor(options.color);
  const board = await ctx.client.getBoard(boardId);
  if (ref === undefined) {
    if (color !== undefined || options.rename !== undefined || options.delete) {
      throw new UsageError(`name the label to change: liveboard label ${boardId} <name> …`);
    }
    return listLabels(ctx, board);
  }
  if (options.delete && (color !== undefined || options.rename !== undefined)) {
    throw new UsageError('--delete goes alone: not with --color or --rename');
  }
  const existing = findLabelOrNone(board, ref);
  if (!existing) {
    // Only a name the board has not got makes a label; renaming or deleting one is a typo to report.
    if (options.delete || options.rename !== undefined) findLabel(board, ref);
    return report(
      ctx,
      await ctx.client.createLabel(boardId, { name: ref, color: color ?? null }),
      (created) => `made the label ${describeLabel(created)} (${created.id})`,
    );
  }
  if (options.delete) {
    const cards = board.lists
      .flatMap((list) => list.tasks)
      .filter((task) => task.labelIds.includes(existing.id)).length;
    return report(
      ctx,
      await ctx.client.deleteLabel(boardId, existing.id),
      () =>
        `deleted the label ${describeLabel(existing)}${cards ? `, taken off ${plural(cards, 'card')}` : ''}`,
    );
  }
  if (color === undefined && options.rename === undefined) {
    if (ctx.json) return ctx.out(JSON.stringify(existing));
    return ctx.out(`${describeLabel(existing)} ${ctx.colors.dim(existing.id)}`);
  }
  const patch: { name?: string; color?: LabelColor | null } = {
    ...(options.rename !== undefined ? { name: options.rename } : {}),
    ...(color !== undefined ? { color } : {}),
  };
  report(
    ctx,
    await ctx.client.updateLabel(boardId, existing.id, patch),
    (updated) => `label ${describeLabel(updated)} (${updated.id})`,
  );
}

function listLabels(ctx: CliContext, board: Board): void {
  if (ctx.json) return ctx.out(JSON.stringify(board.labels));
  if (board.labels.length === 0) {
    return ctx.out(
      ctx.colors.dim(`no labels on ${board.id} yet: liveboard label ${board.id} bug --color red`),
    );
  }
  const uses = new Map<string, number>();
  for (const task of board.lists.flatMap((list) => list.tasks)) {
    for (const id of task.labelIds) uses.set(id, (uses.get(id) ?? 0) + 1);
  }
  const width = Math.max(...board.labels.map((each) => labelName(each).length));
  const colorWidth = Math.max(...board.labels.map((each) => (each.color ?? 'none').length));
  for (const each of board.labels) {
    const count = uses.get(each.id) ?? 0;
    ctx.out(
      `${labelName(each).padEnd(width)}  ${(each.color ?? 'none').padEnd(colorWidth)}  ${ctx.colors.dim(
        `${each.id} · ${plural(count, 'card')}`,
      )}`,
    );
  }
}

/** `"bug" (red)`, `"bug" (no colour)`, or a label without a name by its colour: `green dark label`. */
function describeLabel(each: Pick<Label, 'name' | 'color'>): string {
  if (!each.name) return labelName(each);
  return `"${each.name}" (${each.color ?? 'no colour'})`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * `labels <board> <task> +bug -urgent`: one PATCH with the label sets (never a conflict with
 * anyone's other edits). `--create` makes the labels named with + that the board lacks first.
 */
export async function labels(
  ctx: CliContext,
  boardId: string,
  taskRef: string,
  words: string[],
  options: { create?: boolean },
): Promise<void> {
  const edits = parseSetEdits(words, 'label');
  let board = await ctx.client.getBoard(boardId);
  const task = findTask(board, taskRef);
  // Every name to remove must be on the board before anything is made for --create.
  const remove = unique(edits.remove.map((ref) => findLabel(board, ref).id));
  if (options.create) {
    const missing = unique(edits.add.filter((ref) => findLabelOrNone(board, ref) === undefined));
    for (const name of missing) {
      const created = await ctx.client.createLabel(boardId, { name, color: null });
      if (!ctx.json) ctx.err(ctx.errColors.dim(`liveboard: made the label "${name}" (${created.data.id})`));
    }
    if (missing.length > 0) board = await ctx.client.getBoard(boardId);
  }
  const add = unique(edits.add.map((ref) => findLabel(board, ref, ', or add --create').id));
  const both = add.find((id) => remove.includes(id));
  if (both !== undefined) throw new UsageError(`${labelOf(board, both)} is both added and removed`);
  const written = await ctx.client.updateTask(boardId, task.id, { labels: { add, remove } });
  report(ctx, written, (updated) => {
    const names = updated.labelIds.map((id) => labelOf(board, id));
    return `"${updated.title}" has ${names.length ? `the labels ${names.join(', ')}` : 'no labels'}`;
  });
}

function labelOf(board: Board, id: string): string {
  const found = board.labels.find((each) => each.id === id);
  return found ? labelName(found) : id;
}

export interface DueOptions {
  done?: boolean;
  notDone?: boolean;
  remind?: string;
  start?: string;
}

/** `due <board> <task> [when…]`: sets, clears or shows a task's dates, done mark and reminder. */
export async function due(
  ctx: CliContext,
  boardId: string,
  taskRef: string,
  when: string[],
  options: DueOptions,
): Promise<void> {
  if (options.done && options.notDone) throw new UsageError('use --done or --not-done, not both');
  const now = new Date();
  const patch: TaskPatch = {};
  if (when.length > 0) patch.dueAt = parseWhen(when, now, 'due date');
  if (options.start !== undefined) patch.startAt = parseWhen([options.start], now, 'start date');
  if (options.remind !== undefined) patch.reminder = parseReminder(options.remind);
  if (options.done || options.notDone) patch.dueComplete = Boolean(options.done);

  const task = findTask(await ctx.client.getBoard(boardId), taskRef);
  if (Object.keys(patch).length === 0) {
    if (ctx.json) return ctx.out(JSON.stringify(task));
    return ctx.out(`"${task.title}": ${datesOf(task, now)}`);
  }
  report(ctx, await ctx.client.updateTask(boardId, task.id, patch), (updated) => {
    return `"${updated.title}": ${datesOf(updated, now)}`;
  });
}

function datesOf(task: Task, now: Date): string {
  const parts: string[] = [];
  if (task.startAt !== null) parts.push(`starts ${localDate(task.startAt, now)}`);
  parts.push(task.dueAt === null ? 'no due date' : dueWords(task, now));
  if (task.reminder !== null) parts.push(`reminder ${task.reminder} min before`);
  return parts.join(', ');
}

/** `assign <board> <task> +ana -bob me`: one PATCH of the assignee set, by username (`me`: yourself). */
export async function assign(
  ctx: CliContext,
  boardId: string,
  taskRef: string,
  words: string[],
): Promise<void> {
  const edits = parseSetEdits(words, 'member');
  const board = await ctx.client.getBoard(boardId);
  const task = findTask(board, taskRef);
  const userIdOf = async (ref: string): Promise<string> =>
    ref.toLowerCase() === 'me' ? await myUserId(ctx) : findMember(board, ref).userId;
  const add = unique(await Promise.all(edits.add.map(userIdOf)));
  const remove = unique(await Promise.all(edits.remove.map(userIdOf)));
  if (add.some((id) => remove.includes(id)))
    throw new UsageError('the same member is both added and removed');
  const written = await ctx.client
    .updateTask(boardId, task.id, { assignees: { add, remove } })
    .catch((error: unknown) => {
      throw explainMember(error, boardId);
    });
  const usernames = new Map(board.members.map((member) => [member.userId, member.username]));
  report(ctx, written, (updated) => {
    const names = updated.assigneeIds.map((id) => usernames.get(id) ?? id);
    return `"${updated.title}" is ${names.length ? `assigned to ${names.join(', ')}` : 'assigned to no one'}`;
  });
}

/** Archive (`archived: true`) or restore: a value set, never toggled, so a retry changes nothing. */
export async function setArchived(
  ctx: CliContext,
  boardId: string,
  taskRef: string,
  archived: boolean,
): Promise<void> {
  const board = await ctx.client.getBoard(boardId);
  const task = findTask(board, taskRef);
  const list = board.lists.find((each) => each.id === task.listId)!;
  const written = await ctx.client.updateTask(boardId, task.id, { archived }).catch((error: unknown) => {
    throw explainWip(error, list, `cannot restore "${task.title}"`);
  });
  report(ctx, written, (updated) =>
    archived
      ? `archived "${updated.title}" (liveboard restore ${boardId} ${updated.id} brings it back)`
      : `restored "${updated.title}" to ${list.title}`,
  );
}

/** `wip <board> <list> [n|none] [--hard|--soft]`: sets (or shows) a list's WIP limit. */
export async function wip(
  ctx: CliContext,
  boardId: string,
  listRef: string,
  value: string | undefined,
  options: { hard?: boolean; soft?: boolean },
): Promise<void> {
  if (options.hard && options.soft) throw new UsageError('use --hard or --soft, not both');
  const patch: { wipLimit?: number | null; wipHard?: boolean } = {};
  if (value !== undefined) patch.wipLimit = parseWipLimit(value);
  if (options.hard || options.soft) patch.wipHard = Boolean(options.hard);
  const list = findList(await ctx.client.getBoard(boardId), listRef);
  if (Object.keys(patch).length === 0) {
    if (ctx.json) {
      const { tasks: _tasks, ...info } = list;
      return ctx.out(JSON.stringify(info));
    }
    return ctx.out(`${list.title}: ${limitWords(list)}`);
  }
  report(ctx, await ctx.client.updateList(boardId, list.id, patch), (updated) => {
    return `${updated.title}: ${limitWords({ ...updated, tasks: list.tasks })}`;
  });
}

function limitWords(list: List): string {
  if (list.wipLimit === null) return 'no WIP limit';
  const count = activeCount(list);
  const over = count > list.wipLimit ? ', over limit' : '';
  const kind = list.wipHard ? 'hard: a task past it is refused' : 'soft: shown, nothing refused';
  return `WIP ${count} / ${list.wipLimit}${over} (${kind})`;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
