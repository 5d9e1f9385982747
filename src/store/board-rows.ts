import {
  byPosition,
  type Board,
  type CoverColor,
  type Label,
  type LabelColor,
  type BoardInfo,
  type Comment,
  type List,
  type Member,
  type Role,
  type Task,
  type Visibility,
} from '../domain/index.js';
import type { BoardHead } from './store.js';

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
  wip_limit: number | null;
  /** 0 or 1 on SQLite, a boolean on PostgreSQL. */
  wip_hard: number | boolean;
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
  start_at: string | null;
  due_at: string | null;
  due_complete: number | boolean;
  reminder: number | null;
  /** JSON arrays and object, as text on both backends: read and written whole, never queried into. */
  label_ids: string;
  assignee_ids: string;
  cover_color: CoverColor | null;
  archived_at: string | null;
  field_versions: string;
  /** The card's checklists (with their items) and links, JSON text read and written whole like the sets above. */
  checklists: string;
  links: string;
  /** Counted from the comments' rows when the snapshot is read. */
  comment_count: number;
}
export interface LabelRow {
  id: string;
  board_id: string;
  name: string;
  color: LabelColor | null;
  position: string;
}

/** The columns of a task row, in the order TaskRowValues holds them: both backends' queries name them so. */
export const TASK_COLUMNS =
  'id, board_id, list_id, title, description, position, version, created_at, updated_at, start_at, due_at, ' +
  'due_complete, reminder, label_ids, assignee_ids, cover_color, archived_at, field_versions, checklists, links';

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
  labelRows: readonly LabelRow[],
): Board {
  const listsById = new Map<string, List>();
  for (const listRow of listRows) {
    listsById.set(listRow.id, {
      id: listRow.id,
      boardId: row.id,
      title: listRow.title,
      position: listRow.position,
      wipLimit: listRow.wip_limit === null ? null : Number(listRow.wip_limit),
      wipHard: Boolean(listRow.wip_hard),
      tasks: [],
    });
  }
  for (const taskRow of taskRows) listsById.get(taskRow.list_id)?.tasks.push(taskFromRow(row.id, taskRow));
  const lists = [...listsById.values()].sort(byPosition);
  for (const list of lists) list.tasks.sort(byPosition);
  const labels: Label[] = labelRows
    .map((label) => ({
      id: label.id,
      boardId: row.id,
      name: label.name,
      color: label.color,
      position: label.position,
    }))
    .sort(byPosition);
  return { ...boardInfoFromRow(row), members: membersFromRows(memberRows), labels, lists };
}

function taskFromRow(boardId: string, taskRow: TaskRow): Task {
  return {
    id: taskRow.id,
    boardId,
    listId: taskRow.list_id,
    title: taskRow.title,
    description: taskRow.description,
    position: taskRow.position,
    version: taskRow.version,
    createdAt: taskRow.created_at,
    updatedAt: taskRow.updated_at,
    startAt: taskRow.start_at,
    dueAt: taskRow.due_at,
    dueComplete: Boolean(taskRow.due_complete),
    reminder: taskRow.reminder,
    labelIds: JSON.parse(taskRow.label_ids) as string[],
    assigneeIds: JSON.parse(taskRow.assignee_ids) as string[],
    coverColor: taskRow.cover_color,
    archivedAt: taskRow.archived_at,
    fieldVersions: JSON.parse(taskRow.field_versions) as Task['fieldVersions'],
    commentCount: Number(taskRow.comment_count),
    checklists: JSON.parse(taskRow.checklists) as Task['checklists'],
    links: JSON.parse(taskRow.links) as Task['links'],
  };
}

/** A task's values in the column order both backends write them (TASK_COLUMNS); booleans as 0/1 or true/false per backend. */
export type TaskRowValues = [
  string,
  string,
  string,
  string,
  string,
  string,
  number,
  string,
  string,
  string | null,
  string | null,
  boolean,
  number | null,
  string,
  string,
  CoverColor | null,
  string | null,
  string,
  string,
  string,
];

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
    task.startAt,
    task.dueAt,
    task.dueComplete,
    task.reminder,
    JSON.stringify(task.labelIds),
    JSON.stringify(task.assigneeIds),
    task.coverColor,
    task.archivedAt,
    JSON.stringify(task.fieldVersions),
    JSON.stringify(task.checklists),
    JSON.stringify(task.links),
  ];
}

/** A label's values in the column order both backends write them: id, board_id, name, color, position. */
export type LabelRowValues = [string, string, string, LabelColor | null, string];

/** A member's values in the column order both backends write them: board_id, user_id, username, role, added_seq. */
export type MemberRowValues = [string, string, string, Role, number];

/** A comment's row, as both backends name its columns. */
export interface CommentRow {
  id: string;
  board_id: string;
  task_id: string;
  body: string;
  by_user_id: string | null;
  by_username: string | null;
  created_at: string;
  edited_at: string | null;
  /** The seq of its comment_added: the order comments are paged in, newest first. */
  added_seq: number;
}

/** A comment's values in the column order of CommentRow; added_seq 0 keeps the stored one (an edit). */
export type CommentRowValues = [
  string,
  string,
  string,
  string,
  string | null,
  string | null,
  string,
  string | null,
  number,
];

export function commentRowValues(comment: Comment, addedSeq: number): CommentRowValues {
  return [
    comment.id,
    comment.boardId,
    comment.taskId,
    comment.body,
    comment.by?.userId ?? null,
    comment.by?.username ?? null,
    comment.createdAt,
    comment.editedAt,
    addedSeq,
  ];
}

export function commentFromRow(row: CommentRow): Comment {
  return {
    id: row.id,
    boardId: row.board_id,
    taskId: row.task_id,
    body: row.body,
    by: row.by_user_id === null ? null : { userId: row.by_user_id, username: row.by_username ?? '' },
    createdAt: row.created_at,
    editedAt: row.edited_at,
  };
}

/** A board's head row: its seq, and where its log starts (`first`; null: an empty log). */
export interface HeadRow {
  seq: number;
  deleted_at: string | null;
  visibility: Visibility;
  first: number | null;
}

export function headFromRow(boardId: string, row: HeadRow, members: Member[]): BoardHead {
  return {
    boardId,
    seq: row.seq,
    deleted: row.deleted_at !== null,
    firstRetainedSeq: row.first ?? row.seq + 1,
    visibility: row.visibility,
    members,
  };
}
