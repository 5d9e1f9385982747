import type { Command } from 'commander';
import { LIMITS } from '../domain/index.js';
import type { ChecklistItem, Link, Task, TaskChecklist } from '../client/index.js';
import { report } from './commands.js';
import type { CliContext } from './context.js';
import { NotFoundError, UsageError } from './exit-codes.js';
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

/**
 * `liveboard link`: a URL the task has not got is linked to it (with `--title`); one it has (or a
 * link's id) is edited with `--title` (`""` takes the title off) and `--to` (its new URL) in one write, shown when
 * neither is given, or removed with `--remove`. So running it twice never links the same URL twice.
 */
export async function link(
  ctx: CliContext,
  boardId: string,
  taskRef: string,
  ref: string,
  options: { title?: string; to?: string; remove?: boolean },
): Promise<void> {
  if (options.remove && (options.title !== undefined || options.to !== undefined)) {
    throw new UsageError('--remove goes alone: not with --title or --to');
  }
  const task = findTask(await ctx.client.getBoard(boardId), taskRef);
  const found = task.links.find((candidate) => candidate.id === ref || candidate.url === ref.trim());
  if (!found) {
    // Only a URL the task has not got is linked; removing or moving one is a typo to report.
    if (options.remove || options.to !== undefined) {
      const known = task.links.map((candidate) => candidate.url).join(', ') || 'none';
      throw new NotFoundError(`no link "${ref}" on "${task.title}" (its links: ${known})`);
    }
    report(
      ctx,
      await ctx.client.addLink(boardId, {
        taskId: task.id,
        url: ref,
        ...(options.title === undefined ? {} : { title: options.title }),
      }),
      (added) => `linked ${added.url} to "${task.title}" (${added.id})`,
    );
    return;
  }
  if (options.remove) {
    report(
      ctx,
      await ctx.client.removeLink(boardId, found.id),
      () => `removed ${found.url} from "${task.title}"`,
    );
    return;
  }
  if (options.title === undefined && options.to === undefined) {
    if (ctx.json) return ctx.out(JSON.stringify({ ...found, taskId: task.id }));
    return ctx.out(`${linkWords(found)} on "${task.title}" ${ctx.colors.dim(found.id)}`);
  }
  report(
    ctx,
    await ctx.client.updateLink(boardId, found.id, {
      ...(options.title === undefined ? {} : { title: options.title }),
      ...(options.to === undefined ? {} : { url: options.to }),
    }),
    (updated) => `link ${linkWords(updated)} on "${task.title}" (${updated.id})`,
  );
}

/** `"Spec" https://…`, or the URL alone for a link without a title. */
function linkWords(each: Pick<Link, 'url' | 'title'>): string {
  return each.title ? `"${each.title}" ${each.url}` : each.url;
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
  sub(
    'link <board> <task> <url>',
    'add a link (http, https or mailto) to a task; one it has (by URL or id) is edited with --title/--to, or removed with --remove',
  )
    .option('--title <text>', 'what the link is called ("" takes the title off a link)')
    // Not --url: that is the server's, on every command.
    .option('--to <url>', 'the new URL of a link the task has')
    .option('--remove', 'remove the link with this URL (or id) instead')
    .addHelpText(
      'after',
      '\nExamples:\n  liveboard link board-1 "Write docs" https://example.com/spec --title Spec\n' +
        '  liveboard link board-1 "Write docs" https://example.com/spec --title "API spec" --to https://example.com/api',
    )
    .action(
      action(
        (
          ctx,
          board: string,
          task: string,
          url: string,
          options: { title?: string; to?: string; remove?: boolean },
        ) => link(ctx, board, task, url, options),
      ),
    );
}
