import {
  LiveboardApiError,
  type Board,
  type Label,
  type List,
  type Member,
  type Task,
} from '../client/index.js';
import type { CliContext } from './context.js';
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

/**
 * A label by id, or by name in any case. Names need not be unique on a board: two labels named
 * alike are told apart by id. A label without a name is found by its id only.
 */
export function findLabel(board: Board, ref: string, orElse = ''): Label {
  const found = findLabelOrNone(board, ref);
  if (found) return found;
  const known = board.labels
    .slice(0, 20)
    .map((label) => (label.name ? `"${label.name}"` : label.id))
    .join(', ');
  const hint =
    board.labels.length === 0 ? `${board.id} has no labels yet` : `labels on ${board.id}: ${known}`;
  throw new NotFoundError(
    `no label "${ref}" on ${board.id} (${hint}; make it with: liveboard label ${board.id} "${ref}"${orElse})`,
  );
}

/** The label `ref` names, or undefined when none does; more than one: an error naming their ids. */
export function findLabelOrNone(board: Board, ref: string): Label | undefined {
  const byId = board.labels.find((label) => label.id === ref);
  if (byId) return byId;
  const wanted = ref.trim().toLowerCase();
  const byName = board.labels.filter((label) => label.name !== '' && label.name.toLowerCase() === wanted);
  if (byName.length > 1) {
    const ids = byName.map((label) => label.id).join(', ');
    throw new NotFoundError(`more than one label on ${board.id} is named "${ref}" (${ids}); use its id`);
  }
  return byName[0];
}

/** A member of the board by username (any case) or user id. */
export function findMember(board: Board, ref: string): Member {
  const wanted = ref.trim().toLowerCase();
  const member = board.members.find(
    (candidate) => candidate.userId === ref || candidate.username.toLowerCase() === wanted,
  );
  if (member) return member;
  const known = board.members.map((candidate) => candidate.username).join(', ');
  throw new NotFoundError(
    `${ref} is not a member of ${board.id} (${known ? `members: ${known}` : 'it has no members'}); ` +
      `an owner adds them with: liveboard share ${board.id} ${ref}`,
  );
}

/** The signed-in user's id, for `me`; anonymous, it is a 401 as the server would say it. */
export async function myUserId(ctx: CliContext): Promise<string> {
  const me = await ctx.client.me();
  if (!me) {
    throw new LiveboardApiError(
      401,
      'unauthenticated',
      "'me' is whoever the CLI is signed in as, and it is not signed in",
    );
  }
  return me.id;
}
