import type { BoardCommand } from './commands.js';
import { LiveboardError } from './errors.js';
import type { Author, Board, Role, Visibility } from './model.js';

/** What a caller may do on a board, worked out from its members and visibility alone. */
export interface Permissions {
  /** The caller's role, or null: a guest (or anonymous) on a public board, or nobody at all. */
  role: Role | null;
  /** Read the snapshot, stream and poll. */
  read: boolean;
  /** Create, change, move and delete lists and tasks. */
  edit: boolean;
  /** Rename the board. */
  rename: boolean;
  /** Change visibility, add, change and remove members, manage invitations. */
  manage: boolean;
  /** Delete the board. */
  delete: boolean;
}

/** What a command needs (see permissionsOf). Leaving a board is its own: any member may. */
export type Action = 'read' | 'edit' | 'rename' | 'manage' | 'delete' | 'leave';

type AccessFacts = Pick<Board, 'visibility' | 'members'>;

export function roleOf(board: Pick<Board, 'members'>, userId: string | null | undefined): Role | null {
  if (!userId) return null;
  return board.members.find((member) => member.userId === userId)?.role ?? null;
}

/**
 * The one table of who may do what (docs/ACCOUNTS.md): the server's checks, the web app's read-only
 * view and the CLI all read it from here.
 */
export function permissionsOf(board: AccessFacts, userId: string | null | undefined): Permissions {
  const role = roleOf(board, userId);
  const writer = role === 'owner' || role === 'editor';
  return {
    role,
    read: role !== null || board.visibility !== 'private',
    edit: writer || board.visibility === 'public_edit',
    rename: writer,
    manage: role === 'owner',
    delete: role === 'owner',
  };
}

export function isAllowed(permissions: Permissions, action: Action): boolean {
  if (action === 'leave') return permissions.role !== null;
  return permissions[action];
}

/** Whether anyone at all, signed in or not, may read a board of this visibility. */
export function isPublic(visibility: Visibility): boolean {
  return visibility !== 'private';
}

/** The action a board command needs of its author. */
export function actionOf(command: BoardCommand, by: Author | null): Action {
  switch (command.type) {
    case 'update_board':
      return 'rename';
    case 'delete_board':
      return 'delete';
    case 'set_visibility':
    case 'add_member':
    case 'update_member':
      return 'manage';
    case 'remove_member':
      return by !== null && command.userId === by.userId ? 'leave' : 'manage';
    default:
      return 'edit';
  }
}

/**
 * Refuses what the caller may not do, in the order that leaks nothing: a board they may not read is
 * not found, exactly as one that never existed; then 401 for anonymous callers, 403 for the rest.
 */
export function authorize(board: AccessFacts & Pick<Board, 'id'>, by: Author | null, action: Action): void {
  const permissions = permissionsOf(board, by?.userId);
  if (!permissions.read) throw boardNotFound(board.id);
  if (isAllowed(permissions, action)) return;
  if (by === null) {
    throw new LiveboardError('unauthenticated', 'sign in (or send an API token) to do this');
  }
  throw new LiveboardError('forbidden', forbiddenMessage(action, permissions.role));
}

function forbiddenMessage(action: Action, role: Role | null): string {
  const as = role === null ? 'you are not a member of this board' : `your role on this board is ${role}`;
  const what: Record<Action, string> = {
    read: 'read this board',
    edit: 'change lists and tasks',
    rename: 'rename the board',
    manage: "change the board's members or visibility",
    delete: 'delete the board',
    leave: 'leave the board',
  };
  return `${as}: you may not ${what[action]}`;
}

/** The one answer for a board the caller may not see, byte for byte the one for a board that never existed. */
export function boardNotFound(boardId: string): LiveboardError {
  return new LiveboardError('board_not_found', `no board '${boardId}'`);
}
