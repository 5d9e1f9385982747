import type { Board, List, Task } from '../client/index.js';
import { NotFoundError } from './exit-codes.js';

/**
 * People name lists and tasks the way they see them: by id (`list-done`) or by title (`Done`),
 * in any case. An id wins; a title must match exactly one item, or we say which ones it could be.
 */
export function findList(board: Board, ref: string): List {
  return pick(board.lists, ref, 'list', board);
}

export function findTask(board: Board, ref: string): Task {
  return pick(
    board.lists.flatMap((list) => list.tasks),
    ref,
    'task',
    board,
  );
}

function pick<T extends { id: string; title: string }>(
  items: T[],
  ref: string,
  kind: string,
  board: Board,
): T {
  const byId = items.find((item) => item.id === ref);
  if (byId) return byId;
  const wanted = ref.trim().toLowerCase();
  const byTitle = items.filter((item) => item.title.trim().toLowerCase() === wanted);
  if (byTitle.length === 1) return byTitle[0]!;
  if (byTitle.length > 1) {
    const ids = byTitle.map((item) => item.id).join(', ');
    throw new NotFoundError(`more than one ${kind} on ${board.id} is titled "${ref}" (${ids}); use its id`);
  }
  const known = items
    .slice(0, 10)
    .map((item) => `${item.id} "${item.title}"`)
    .join(', ');
  const hint =
    items.length === 0
      ? `${board.id} has no ${kind}s`
      : `${kind}s on ${board.id}: ${known}${items.length > 10 ? ', …' : ''}`;
  throw new NotFoundError(`no ${kind} "${ref}" on ${board.id} (${hint}; try: liveboard show ${board.id})`);
}
