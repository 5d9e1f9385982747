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

export interface Board {
  id: string;
  title: string;
  /** The seq of the board's last event: 0 for a new board, +1 with every change. */
  seq: number;
  createdAt: string;
  /** When the board last changed in any way (the `at` of its last event). */
  updatedAt: string;
  lists: List[];
}

export type BoardInfo = Omit<Board, 'lists'>;

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
  };
}

export function listInfo(list: List): ListInfo {
  return { id: list.id, boardId: list.boardId, title: list.title, position: list.position };
}

export function emptyBoard(info: Pick<Board, 'id' | 'title' | 'createdAt'>): Board {
  return { ...info, seq: 0, updatedAt: info.createdAt, lists: [] };
}
