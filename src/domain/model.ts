/** The board model as it travels over the wire (see docs/API.md). Positions are opaque sort keys. */

export interface Task {
  id: string;
  boardId: string;
  listId: string;
  title: string;
  description: string;
  position: string;
  /** Counts the task's changes, 1 at creation; the key of optimistic concurrency. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface List {
  id: string;
  boardId: string;
  title: string;
  position: string;
  tasks: Task[];
}

export type ListInfo = Omit<List, 'tasks'>;

/** What a member may do on a board (see access.ts and docs/ACCOUNTS.md). */
export type Role = 'owner' | 'editor' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'editor', 'viewer'];

/**
 * Who may read a board beyond its members: nobody (`private`), anyone (`public`), or anyone, who
 * may also change its lists and tasks (`public_edit`).
 */
export type Visibility = 'private' | 'public' | 'public_edit';
export const VISIBILITIES: readonly Visibility[] = ['private', 'public', 'public_edit'];

export interface Member {
  userId: string;
  username: string;
  role: Role;
}

/** Who made a change: the user, or null (anonymous, or an operator's command). */
export interface Author {
  userId: string;
  username: string;
}

export interface Board {
  id: string;
  title: string;
  /** The seq of the board's last event: 0 for a new board, +1 with every change. */
  seq: number;
  createdAt: string;
  /** When the board last changed in any way (the `at` of its last event). */
  updatedAt: string;
  visibility: Visibility;
  /** A listed public board appears in everyone's board list. */
  listed: boolean;
  /** In the order they were added. */
  members: Member[];
  lists: List[];
}

export type BoardInfo = Omit<Board, 'lists' | 'members'>;

/** Sort order of lists and tasks: by position, then id so that order is total even on equal keys. */
export function byPosition(a: { position: string; id: string }, b: { position: string; id: string }): number {
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function boardInfo(board: Board): BoardInfo {
  return {
    id: board.id,
    title: board.title,
    seq: board.seq,
    createdAt: board.createdAt,
    updatedAt: board.updatedAt,
    visibility: board.visibility,
    listed: board.listed,
  };
}

export function listInfo(list: List): ListInfo {
  return { id: list.id, boardId: list.boardId, title: list.title, position: list.position };
}

/** A new board: private and unlisted unless said, its creator (if any) its owner. */
export function emptyBoard(
  info: Pick<Board, 'id' | 'title' | 'createdAt'> & Partial<Pick<Board, 'visibility' | 'listed' | 'members'>>,
): Board {
  return {
    id: info.id,
    title: info.title,
    seq: 0,
    createdAt: info.createdAt,
    updatedAt: info.createdAt,
    visibility: info.visibility ?? 'private',
    listed: info.listed ?? false,
    members: info.members ?? [],
    lists: [],
  };
}
