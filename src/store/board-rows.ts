import {
  byPosition,
  type Board,
  type BoardInfo,
  type List,
  type Member,
  type Role,
  type Task,
  type Visibility,
} from '../domain/index.js';

/** The rows a board is kept in, as both SQL backends name their columns. */
export interface BoardRow {
  id: string;
  title: string;
  seq: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  visibility: Visibility;
  /** 0 or 1 on SQLite, a boolean on PostgreSQL. */
  listed: number | boolean;
}
export interface MemberRow {
  user_id: string;
  username: string;
  role: Role;
}
export interface ListRow {
  id: string;
  board_id: string;
  title: string;
  position: string;
}
export interface TaskRow {
  id: string;
  board_id: string;
  list_id: string;
  title: string;
  description: string;
  position: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export function boardInfoFromRow(row: BoardRow): BoardInfo {
  return {
    id: row.id,
    title: row.title,
    seq: Number(row.seq),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    visibility: row.visibility,
    listed: Boolean(row.listed),
  };
}

/** Members in the order they were added (the backends' queries order them so). */
export function membersFromRows(rows: readonly MemberRow[]): Member[] {
  return rows.map((row) => ({ userId: row.user_id, username: row.username, role: row.role }));
}

/** Assembles a snapshot: lists in order, each with its tasks in order. */
export function boardFromRows(
  row: BoardRow,
  memberRows: readonly MemberRow[],
  listRows: readonly ListRow[],
  taskRows: readonly TaskRow[],
): Board {
  const listsById = new Map<string, List>();
  for (const listRow of listRows) {
    listsById.set(listRow.id, {
      id: listRow.id,
      boardId: row.id,
      title: listRow.title,
      position: listRow.position,
      tasks: [],
    });
  }
  for (const taskRow of taskRows) {
    listsById.get(taskRow.list_id)?.tasks.push({
      id: taskRow.id,
      boardId: row.id,
      listId: taskRow.list_id,
      title: taskRow.title,
      description: taskRow.description,
      position: taskRow.position,
      version: taskRow.version,
      createdAt: taskRow.created_at,
      updatedAt: taskRow.updated_at,
    });
  }
  const lists = [...listsById.values()].sort(byPosition);
  for (const list of lists) list.tasks.sort(byPosition);
  return { ...boardInfoFromRow(row), members: membersFromRows(memberRows), lists };
}

/** A task's values in the column order both backends write them (see TaskRow). */
export type TaskRowValues = [string, string, string, string, string, string, number, string, string];

export function taskRowValues(boardId: string, task: Task): TaskRowValues {
  return [
    task.id,
    boardId,
    task.listId,
    task.title,
    task.description,
    task.position,
    task.version,
    task.createdAt,
    task.updatedAt,
  ];
}

/** A member's values in the column order both backends write them: board_id, user_id, username, role, added_seq. */
export type MemberRowValues = [string, string, string, Role, number];
