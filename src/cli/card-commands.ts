import { describeEvent, type Board, type SearchResult, type Task } from '../client/index.js';
import { report } from './commands.js';
import type { CliContext } from './context.js';
import { UsageError } from './exit-codes.js';
import { findTask } from './resolve.js';

/** A page size from the command line: a whole number in 1..max. */
function limitOf(raw: string | undefined, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new UsageError(`--limit takes a whole number from 1 to ${max}, got '${raw}'`);
  }
  return Number(raw);
}

export async function addComment(
  ctx: CliContext,
  boardId: string,
  taskRef: string,
  body: string,
): Promise<void> {
  const task = findTask(await ctx.client.getBoard(boardId), taskRef);
  report(
    ctx,
    await ctx.client.addComment(boardId, { taskId: task.id, body }),
    (comment) => `commented on "${task.title}" (${comment.id})`,
  );
}

export async function listComments(
  ctx: CliContext,
  boardId: string,
  taskRef: string,
  options: { limit?: string },
): Promise<void> {
  const task = findTask(await ctx.client.getBoard(boardId), taskRef);
  const page = await ctx.client.listComments(boardId, task.id, { limit: limitOf(options.limit, 100) ?? 50 });
  if (ctx.json) return ctx.out(JSON.stringify(page));
  if (page.comments.length === 0) return ctx.out(ctx.colors.dim(`no comments on "${task.title}" yet`));
  for (const comment of page.comments) {
    const who = comment.by?.username ?? 'anonymous';
    const edited = comment.editedAt ? ctx.colors.dim(' (edited)') : '';
    ctx.out(
      `${ctx.colors.cyan(who)} ${ctx.colors.dim(comment.createdAt.slice(0, 16).replace('T', ' '))}${edited} ${ctx.colors.dim(comment.id)}`,
    );
    for (const line of comment.body.split('\n')) ctx.out(`  ${line}`);
  }
  if (page.nextBefore !== null) ctx.out(ctx.colors.dim(`… older comments: --limit ${100}`));
}

/**
 * A card's history, newest first, each event told by describeEvent. A task deleted since is named
 * by its id (its history stays in the log).
 */
export async function history(
  ctx: CliContext,
  boardId: string,
  taskRef: string,
  options: { limit?: string },
): Promise<void> {
  const board = await ctx.client.getBoard(boardId);
  const task = taskOrDeleted(board, taskRef);
  const page = await ctx.client.activity(boardId, {
    taskId: task.id,
    limit: limitOf(options.limit, 100) ?? 50,
  });
  if (ctx.json) return ctx.out(JSON.stringify(page));
  ctx.out(ctx.colors.bold(task.title ?? task.id));
  for (const event of page.events) {
    const when = ctx.colors.dim(event.at.slice(0, 16).replace('T', ' '));
    ctx.out(
      `${ctx.colors.dim(`#${event.seq}`.padStart(6))} ${when} ${describeEvent(event, board, { inCard: true })}`,
    );
  }
  if (page.historyStartsAt !== null) {
    ctx.out(
      ctx.colors.dim(`(the log keeps events from #${page.historyStartsAt} on: older history was pruned)`),
    );
  }
}

function taskOrDeleted(board: Board, ref: string): Pick<Task, 'id'> & { title?: string } {
  try {
    return findTask(board, ref);
  } catch (error) {
    // A deleted task's history is still in the log: its id is enough to ask for it.
    if (/^task-/.test(ref)) return { id: ref };
    throw error;
  }
}

export async function search(
  ctx: CliContext,
  boardId: string,
  words: string[],
  options: { limit?: string },
): Promise<void> {
  const q = words.join(' ');
  const board = await ctx.client.getBoard(boardId);
  const page = await ctx.client.search(boardId, q, { limit: limitOf(options.limit, 50) ?? 20 });
  if (ctx.json) return ctx.out(JSON.stringify(page));
  if (page.results.length === 0) return ctx.out(ctx.colors.dim(`nothing on ${boardId} matches "${q}"`));
  const titles = new Map(
    board.lists.flatMap((list) => list.tasks.map((task) => [task.id, task.title] as const)),
  );
  for (const result of page.results) {
    const title = titles.get(result.taskId) ?? result.taskId;
    ctx.out(`${ctx.colors.cyan(title)} ${ctx.colors.dim(`${result.field} · ${result.taskId}`)}`);
    ctx.out(`  ${highlighted(ctx, result)}`);
  }
  if (page.nextCursor !== null) ctx.out(ctx.colors.dim(`… more results: --limit ${50}`));
}

/** The result's text on one line, its matching words in bold. */
function highlighted(ctx: CliContext, result: SearchResult): string {
  let out = result.offset > 0 ? '…' : '';
  let at = 0;
  for (const { start, end } of result.highlights) {
    out += result.text.slice(at, start) + ctx.colors.bold(ctx.colors.yellow(result.text.slice(start, end)));
    at = end;
  }
  return (out + result.text.slice(at)).replace(/\s*\n\s*/g, ' ⏎ ');
}
