import type { Board, Written } from '../client/index.js';
import type { CliContext } from './context.js';
import { UsageError } from './exit-codes.js';
import { explainWip } from './refusals.js';
import { renderBoard } from './render-board.js';
import { showFilterOf, showMatcher, type ShowOptions } from './show-filter.js';
import { findList, findTask, myUserId } from './resolve.js';

/** Where to put an item: `--before X` / `--after X`, never both (the server takes one). */
export interface PlaceOptions {
  before?: string;
  after?: string;
}

export async function listBoards(ctx: CliContext): Promise<void> {
  const boards = await ctx.client.listBoards();
  if (ctx.json) return ctx.out(JSON.stringify(boards));
  if (boards.length === 0) return ctx.out(ctx.colors.dim('no boards yet: liveboard new-board "My board"'));
  const width = Math.max(...boards.map((board) => board.id.length));
  for (const board of boards) {
    ctx.out(
      `${ctx.colors.cyan(board.id.padEnd(width))}  ${board.title} ${ctx.colors.dim(`(seq ${board.seq})`)}`,
    );
  }
}

/**
 * The board as columns, each task with its badges; archived tasks hidden unless --archived. With
 * filters, each list shows the tasks that pass (the domain's filterTasks, as on the web app) and
 * says how many of how many; --json prints the board as filtered then (unfiltered: as the API says).
 */
export async function showBoard(ctx: CliContext, boardId: string, options: ShowOptions = {}): Promise<void> {
  const board = await ctx.client.getBoard(boardId);
  const show = await showFilterOf(board, options, () => myUserId(ctx));
  const now = new Date();
  const matches = showMatcher(board, show, now);
  if (ctx.json) {
    if (!show.filtering && !options.archived) return ctx.out(JSON.stringify(board));
    const lists = board.lists.map((list) => ({ ...list, tasks: list.tasks.filter(matches) }));
    return ctx.out(JSON.stringify({ ...board, lists }));
  }
  process.stdout.write(
    renderBoard(board, {
      width: process.stdout.columns || 100,
      colors: ctx.colors,
      now,
      matches,
      filtering: show.filtering,
      archived: Boolean(options.archived),
    }),
  );
}

export async function newBoard(ctx: CliContext, title: string): Promise<void> {
  report(
    ctx,
    await ctx.client.createBoard({ title }),
    (board) => `created board ${board.id} "${board.title}"`,
  );
}

export async function renameBoard(ctx: CliContext, boardId: string, title: string): Promise<void> {
  report(
    ctx,
    await ctx.client.updateBoard(boardId, { title }),
    (board) => `renamed board ${board.id} to "${board.title}"`,
  );
}

export async function removeBoard(
  ctx: CliContext,
  boardId: string,
  options: { yes?: boolean },
): Promise<void> {
  if (!options.yes)
    throw new UsageError(
      `deleting a board deletes all its lists and tasks; to go ahead: liveboard rm-board ${boardId} --yes`,
    );
  report(ctx, await ctx.client.deleteBoard(boardId), () => `deleted board ${boardId}`);
}

export async function addTask(
  ctx: CliContext,
  boardId: string,
  title: string,
  options: PlaceOptions & { list?: string; description?: string },
): Promise<void> {
  const board = await ctx.client.getBoard(boardId);
  const list = options.list ? findList(board, options.list) : board.lists[0];
  if (!list)
    throw new UsageError(`${boardId} has no lists to add to; first: liveboard add-list ${boardId} "To do"`);
  const input = {
    listId: list.id,
    title,
    ...placement(board, options),
    ...(options.description !== undefined ? { description: options.description } : {}),
  };
  const written = await ctx.client.createTask(boardId, input).catch((error: unknown) => {
    throw explainWip(error, list, `cannot add "${title}"`);
  });
  report(ctx, written, (task) => `added ${task.id} "${task.title}" to ${list.title}`);
}

export async function moveTask(
  ctx: CliContext,
  boardId: string,
  taskRef: string,
  options: PlaceOptions & { to?: string },
): Promise<void> {
  if (!options.to && !options.before && !options.after) {
    throw new UsageError('say where to move it: --to <list>, and/or --before <task> or --after <task>');
  }
  const board = await ctx.client.getBoard(boardId);
  const task = findTask(board, taskRef);
  const place = placement(board, options);
  // Moving next to a task means into that task's list, unless --to says otherwise.
  const neighbour = place.beforeId ?? place.afterId;
  const listId = options.to
    ? findList(board, options.to).id
    : neighbour
      ? findTask(board, neighbour).listId
      : task.listId;
  const target = board.lists.find((list) => list.id === listId)!;
  const written = await ctx.client
    .updateTask(boardId, task.id, { listId, ...place })
    .catch((error: unknown) => {
      throw explainWip(error, target, `cannot move "${task.title}"`);
    });
  const listTitle = board.lists.find((list) => list.id === written.data.listId)?.title ?? written.data.listId;
  report(ctx, written, (moved) => `moved ${moved.id} "${moved.title}" to ${listTitle}`);
}

export async function renameTask(
  ctx: CliContext,
  boardId: string,
  taskRef: string,
  title: string | undefined,
  options: { description?: string },
): Promise<void> {
  if (title === undefined && options.description === undefined) {
    throw new UsageError(
      'give the new title (liveboard rename <board> <task> "New title") and/or --description <text>',
    );
  }
  const board = await ctx.client.getBoard(boardId);
  const task = findTask(board, taskRef);
  const patch = {
    ...(title !== undefined ? { title } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
  };
  report(
    ctx,
    await ctx.client.updateTask(boardId, task.id, patch),
    (updated) => `updated ${updated.id} "${updated.title}"`,
  );
}

export async function removeTask(ctx: CliContext, boardId: string, taskRef: string): Promise<void> {
  const board = await ctx.client.getBoard(boardId);
  const task = findTask(board, taskRef);
  report(ctx, await ctx.client.deleteTask(boardId, task.id), () => `removed ${task.id} "${task.title}"`);
}

export async function addList(
  ctx: CliContext,
  boardId: string,
  title: string,
  options: PlaceOptions,
): Promise<void> {
  const board = await ctx.client.getBoard(boardId);
  const place = listPlacement(board, options);
  report(
    ctx,
    await ctx.client.createList(boardId, { title, ...place }),
    (list) => `added list ${list.id} "${list.title}"`,
  );
}

export async function renameList(
  ctx: CliContext,
  boardId: string,
  listRef: string,
  title: string,
): Promise<void> {
  const board = await ctx.client.getBoard(boardId);
  const list = findList(board, listRef);
  report(
    ctx,
    await ctx.client.updateList(boardId, list.id, { title }),
    (updated) => `renamed list ${updated.id} to "${updated.title}"`,
  );
}

export async function moveList(
  ctx: CliContext,
  boardId: string,
  listRef: string,
  options: PlaceOptions,
): Promise<void> {
  if (!options.before && !options.after) throw new UsageError('say where: --before <list> or --after <list>');
  const board = await ctx.client.getBoard(boardId);
  const list = findList(board, listRef);
  report(
    ctx,
    await ctx.client.updateList(boardId, list.id, listPlacement(board, options)),
    (moved) => `moved list ${moved.id} "${moved.title}"`,
  );
}

export async function removeList(ctx: CliContext, boardId: string, listRef: string): Promise<void> {
  const board = await ctx.client.getBoard(boardId);
  const list = findList(board, listRef);
  const tasks = list.tasks.length;
  report(
    ctx,
    await ctx.client.deleteList(boardId, list.id),
    () =>
      `removed list ${list.id} "${list.title}"${tasks ? ` and its ${tasks} task${tasks === 1 ? '' : 's'}` : ''}`,
  );
}

function placement(board: Board, options: PlaceOptions): { beforeId?: string; afterId?: string } {
  onlyOne(options);
  if (options.before) return { beforeId: findTask(board, options.before).id };
  if (options.after) return { afterId: findTask(board, options.after).id };
  return {};
}

function listPlacement(board: Board, options: PlaceOptions): { beforeId?: string; afterId?: string } {
  onlyOne(options);
  if (options.before) return { beforeId: findList(board, options.before).id };
  if (options.after) return { afterId: findList(board, options.after).id };
  return {};
}

function onlyOne(options: PlaceOptions): void {
  if (options.before && options.after) throw new UsageError('use --before or --after, not both');
}

export function report<T>(ctx: CliContext, written: Written<T>, describe: (data: T) => string): void {
  if (ctx.json) return ctx.out(JSON.stringify(written));
  ctx.out(`${ctx.colors.green('✓')} ${describe(written.data)} ${ctx.colors.dim(`(seq ${written.seq})`)}`);
}
