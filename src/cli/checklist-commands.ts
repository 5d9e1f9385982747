import type { Command } from 'commander';
import { LIMITS } from '../domain/index.js';
import type { ChecklistItem, Task, TaskChecklist } from '../client/index.js';
import { report } from './commands.js';
import type { CliContext } from './context.js';
import { NotFoundError } from './exit-codes.js';
import { findTask } from './resolve.js';

/** `liveboard checklist add`: a checklist on a task, with its first items (`--item`, repeated). */
export async function addChecklist(
  ctx: CliContext,
  boardId: string,
  taskRef: string,
  title: string,
  options: { item?: string[] },
): Promise<void> {
  const task = findTask(await ctx.client.getBoard(boardId), taskRef);
  const items = (options.item ?? []).map((text) => ({ text }));
  report(
    ctx,
    await ctx.client.addChecklist(boardId, { taskId: task.id, title, items }),
    (checklist: TaskChecklist) =>
      `added the checklist "${checklist.title}" (${checklist.items.length} item${checklist.items.length === 1 ? '' : 's'}) to "${task.title}" (${checklist.id})`,
  );
}

/**
 * `liveboard check`: ticks an item (or unticks it with `--undo`), named by its id or its text (any
 * case) among the task's checklists. Setting, not toggling: running it twice is the same as once.
 */
export async function check(
  ctx: CliContext,
  boardId: string,
  taskRef: string,
  itemRef: string,
  options: { undo?: boolean },
): Promise<void> {
  const task = findTask(await ctx.client.getBoard(boardId), taskRef);
  const item = findItem(task, itemRef);
  const done = !options.undo;
  report(
    ctx,
    await ctx.client.updateItem(boardId, item.id, { done }),
    (written) =>
      `${done ? 'checked' : 'unchecked'} "${written.text}" on "${task.title}" ${progressOf(task, written)}`,
  );
}

/** `liveboard link`: adds a link to a task, or with `--remove` takes off the one with that URL (or id). */
export async function link(
  ctx: CliContext,
  boardId: string,
  taskRef: string,
  url: string,
  options: { title?: string; remove?: boolean },
): Promise<void> {
  const task = findTask(await ctx.client.getBoard(boardId), taskRef);
  if (options.remove) {
    const found = task.links.filter((candidate) => candidate.id === url || candidate.url === url.trim());
    if (found.length === 0) {
      const known = task.links.map((candidate) => candidate.url).join(', ') || 'none';
      throw new NotFoundError(`no link "${url}" on "${task.title}" (its links: ${known})`);
    }
    const target = found[0]!;
    report(
      ctx,
      await ctx.client.removeLink(boardId, target.id),
      () => `removed ${target.url} from "${task.title}"`,
    );
    return;
  }
  report(
    ctx,
    await ctx.client.addLink(boardId, {
      taskId: task.id,
      url,
      ...(options.title === undefined ? {} : { title: options.title }),
    }),
    (added) => `linked ${added.url} to "${task.title}" (${added.id})`,
  );
}

/** An item of the task's checklists by id, else by its text (any case); one match or a helpful error. */
function findItem(task: Task, ref: string): ChecklistItem {
  const items = task.checklists.flatMap((checklist) => checklist.items);
  const byId = items.find((item) => item.id === ref);
  if (byId) return byId;
  const wanted = ref.trim().toLowerCase();
  const byText = items.filter((item) => item.text.trim().toLowerCase() === wanted);
  if (byText.length === 1) return byText[0]!;
  if (byText.length > 1) {
    throw new NotFoundError(
      `more than one item on "${task.title}" reads "${ref}" (${byText.map((item) => item.id).join(', ')}); use its id`,
    );
  }
  const known = items
    .slice(0, 10)
    .map((item) => `${item.id} "${item.text}"`)
    .join(', ');
  throw new NotFoundError(
    `no checklist item "${ref}" on "${task.title}" (${items.length === 0 ? 'it has no checklist items' : `its items: ${known}${items.length > 10 ? ', …' : ''}`})`,
  );
}

/** "(3/5)": the checklist's items done after this write, of all. */
function progressOf(task: Task, written: { checklistId: string; id: string; done: boolean }): string {
  const checklist = task.checklists.find((candidate) => candidate.id === written.checklistId);
  if (!checklist) return '';
  const done = checklist.items.filter((item) => (item.id === written.id ? written.done : item.done)).length;
  return `(${done}/${checklist.items.length})`;
}

type Sub = (name: string, description: string) => Command;
type Action = (
  handler: (ctx: CliContext, ...args: never[]) => Promise<void>,
) => (...args: unknown[]) => Promise<void>;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The checklist and link commands, wired into the program by one call (program.ts). */
export function addChecklistCommands(program: Command, sub: Sub, action: Action): void {
  const checklist = program
    .command('checklist')
    .description("a task's checklists: add one (tick its items with liveboard check)")
    .exitOverride()
    .showHelpAfterError('(run liveboard checklist --help for usage)');
  checklist
    .command('add <board> <task> <title>')
    .description('add a checklist to a task, with its first items')
    .option(
      '--item <text>',
      `an item (repeat for more, at most ${LIMITS.itemsPerChecklist}; each at most ${LIMITS.itemTextLength} characters)`,
      collect,
    )
    .exitOverride()
    .addHelpText(
      'after',
      '\nExample:\n  liveboard checklist add board-1 "Write docs" Steps --item Draft --item Review',
    )
    .action(
      action((ctx, board: string, task: string, title: string, options: { item?: string[] }) =>
        addChecklist(ctx, board, task, title, options),
      ),
    );
  sub('check <board> <task> <item>', 'tick a checklist item (by its text or id); --undo unticks it')
    .option('--undo', 'untick it')
    .action(
      action((ctx, board: string, task: string, item: string, options: { undo?: boolean }) =>
        check(ctx, board, task, item, options),
      ),
    );
  sub('link <board> <task> <url>', 'add a link (http, https or mailto) to a task; --remove takes it off')
    .option('--title <text>', 'what the link is called')
    .option('--remove', 'remove the link with this URL (or id) instead')
    .action(
      action((ctx, board: string, task: string, url: string, options: { title?: string; remove?: boolean }) =>
        link(ctx, board, task, url, options),
      ),
    );
}
