import type { CoverColor, LabelColor } from './palette.js';

/** The board model as it travels over the wire (see docs/API.md). Positions are opaque sort keys. */

/**
 * The fields of a task that carry their own version: a PATCH with `version` is checked only against
 * the fields it sets (see task-changes.ts). `position` stands for where the task is (list and place).
 */
export const VERSIONED_FIELDS = [
  'title',
  'description',
  'startAt',
  'dueAt',
  'dueComplete',
  'reminder',
  'coverColor',
  'archivedAt',
  'labelIds',
  'assigneeIds',
  'position',
] as const;
export type VersionedField = (typeof VERSIONED_FIELDS)[number];

/** When a field last changed: the task's `version` that changed it, and who did. */
export interface FieldVersion {
  version: number;
  by: Author | null;
}

export interface Task {
  id: string;
  boardId: string;
  listId: string;
  title: string;
  description: string;
  position: string;
  /** Counts the task's changes, 1 at creation. */
  version: number;
  createdAt: string;
  updatedAt: string;
  /** ISO instants in UTC, or null. `startAt` is never after `dueAt`. */
  startAt: string | null;
  dueAt: string | null;
  /** The due date is met; only with a due date. */
  dueComplete: boolean;
  /** Minutes before `dueAt` to remind; only with a due date. */
  reminder: number | null;
  /** Labels of this board, in the order they were put on the card. */
  labelIds: string[];
  /** Members of this board (user ids), in the order they were assigned. */
  assigneeIds: string[];
  coverColor: CoverColor | null;
  /** Archived tasks stay in the snapshot, hidden by the board and not counted against WIP. */
  archivedAt: string | null;
  /**
   * The fields changed since the task was created, each with the version that last changed it.
   * A field absent here has not changed since creation (or since before per-field versions).
   */
  fieldVersions: Partial<Record<VersionedField, FieldVersion>>;
  /** How many comments the task has (the comments themselves are paged apart: GET /boards/:b/comments). */
  commentCount: number;
  /** The card's checklists, in order of position, each with its items in order. */
  checklists: Checklist[];
  /** The card's links, in the order they were added. */
  links: Link[];
}

/** A checklist on a card: a title and its items (at most LIMITS.itemsPerChecklist). */
export interface Checklist {
  id: string;
  title: string;
  position: string;
  /** In order of position. */
  items: ChecklistItem[];
}

export interface ChecklistItem {
  id: string;
  /** One line, 1 to LIMITS.itemTextLength characters. */
  text: string;
  /** Set, never toggled, so that retries converge. */
  done: boolean;
  position: string;
  /**
   * The version of the item's text: 1 when made, +1 with every edit of the text. An edit of the text
   * with `version` is refused only if the text changed since; ticks and moves never conflict, so
   * they leave it as it is.
   */
  version: number;
  /**
   * Who wrote the item's current text: whoever made the item, or last edited its text (ticks and
   * moves leave it). Null when that was anonymous or an operator's command, and for items whose
   * writing the log no longer held when items began to keep it. A refused edit of the text names
   * them, as a task's field conflicts name theirs.
   */
  textBy: Author | null;
}

/**
 * An item as the events that make it carry it: without `textBy`, which is the event's own `by`
 * (the reducer puts it on the item), so that an item costs its event no author twice.
 */
export type EventChecklistItem = Omit<ChecklistItem, 'textBy'>;

/** A checklist as `checklist_added` carries it: its first items without their author (see EventChecklistItem). */
export type EventChecklist = Omit<Checklist, 'items'> & { items: EventChecklistItem[] };

/** A link on a card: an http, https or mailto URL, with an optional title ('' for none). */
export interface Link {
  id: string;
  url: string;
  title: string;
}

/** What a write of a checklist, an item or a link answers: the thing, with the card (and checklist) it is on. */
export type TaskChecklist = Checklist & { taskId: string };
export type TaskChecklistItem = ChecklistItem & { taskId: string; checklistId: string };
export type TaskLink = Link & { taskId: string };

/** A comment on a task: rows of its own, never in the snapshot (a busy card would weigh on every open). */
export interface Comment {
  id: string;
  boardId: string;
  taskId: string;
  body: string;
  /** Its author; null when written anonymously (on a `public_edit` board): nobody may edit it then. */
  by: Author | null;
  createdAt: string;
  /** When the author last edited it; null if never. */
  editedAt: string | null;
}

/** What a task is made with when a command or an old event says nothing of the newer fields. */
export const TASK_DEFAULTS: Pick<
  Task,
  | 'startAt'
  | 'dueAt'
  | 'dueComplete'
  | 'reminder'
  | 'labelIds'
  | 'assigneeIds'
  | 'coverColor'
  | 'archivedAt'
  | 'fieldVersions'
  | 'commentCount'
  | 'checklists'
  | 'links'
> = Object.freeze({
  startAt: null,
  dueAt: null,
  dueComplete: false,
  reminder: null,
  labelIds: [],
  assigneeIds: [],
  coverColor: null,
  archivedAt: null,
  fieldVersions: {},
  commentCount: 0,
  checklists: [],
  links: [],
});

/**
 * A task as a `task_created` event carries it: the card fields at their defaults are left out, as
 * events from before those fields never had them. A new card then costs every subscriber only what it
 * holds (a plain new task is about half the bytes), and a reader fills the rest in with
 * `normalizeTask` either way.
 */
export type EventTask = Omit<Task, keyof typeof TASK_DEFAULTS> & Partial<typeof TASK_DEFAULTS>;

/** A task from an event, old or new, with every field: the card fields it leaves out at their defaults. */
export function normalizeTask(task: EventTask): Task {
  return { ...TASK_DEFAULTS, ...task };
}

/** The task as an event carries it: without the card fields that are at their defaults. */
export function taskForEvent(task: EventTask): EventTask {
  const defaults: Readonly<Record<string, unknown>> = TASK_DEFAULTS;
  const carried: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(task)) {
    if (!(field in defaults) || !isDefaultValue(value, defaults[field])) carried[field] = value;
  }
  return carried as EventTask;
}

/** Defaults are null, false, 0, [] or {}: empty collections are equal to them whatever their identity. */
function isDefaultValue(value: unknown, fallback: unknown): boolean {
  if (value === fallback) return true;
  if (Array.isArray(value)) return Array.isArray(fallback) && value.length === 0 && fallback.length === 0;
  if (value !== null && typeof value === 'object' && fallback !== null && typeof fallback === 'object') {
    return Object.keys(value).length === 0 && Object.keys(fallback).length === 0;
  }
  return false;
}

export interface Label {
  id: string;
  boardId: string;
  /** 0 to 100 characters, one line: a label may be a colour alone. */
  name: string;
  color: LabelColor | null;
  position: string;
}

export interface List {
  id: string;
  boardId: string;
  title: string;
  position: string;
  /** At most this many tasks that are not archived (1–999), or no limit. */
  wipLimit: number | null;
  /** A hard limit refuses a task past it; a soft one only shows it. */
  wipHard: boolean;
  tasks: Task[];
}

/** A list's WIP fields when an old event or command says nothing of them. */
export function normalizeListInfo(
  list: Partial<ListInfo> & Omit<ListInfo, 'wipLimit' | 'wipHard'>,
): ListInfo {
  return { wipLimit: null, wipHard: false, ...list };
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
  /** The board's labels, in order of position. */
  labels: Label[];
  lists: List[];
}

export type BoardInfo = Omit<Board, 'lists' | 'members' | 'labels'>;

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
  return {
    id: list.id,
    boardId: list.boardId,
    title: list.title,
    position: list.position,
    wipLimit: list.wipLimit,
    wipHard: list.wipHard,
  };
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
    labels: [],
    lists: [],
  };
}
