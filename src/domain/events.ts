import type {
  Author,
  BoardInfo,
  Comment,
  EventChecklist,
  EventChecklistItem,
  EventTask,
  Label,
  Link,
  ListInfo,
  Member,
  Task,
  Visibility,
} from './model.js';
import { taskForEvent } from './model.js';
import type { TaskChanges, ValueChange } from './task-changes.js';

/** Every change to a board is exactly one of these, numbered by the board's next seq. */
export type BoardEvent = EventBody & {
  seq: number;
  at: string;
  /** Who made the change (null: anonymous, or an operator's command). Absent in events from before accounts. */
  by?: Author | null;
};

/** What each kind of event says, apart from its number, time and author. */
export type EventBody =
  | { type: 'task_created'; task: EventTask }
  | TaskUpdated
  | TaskMoved
  | LegacyTaskUpdated
  | LegacyTaskMoved
  | { type: 'task_deleted'; taskId: string }
  | { type: 'label_created'; label: Label }
  | { type: 'label_updated'; label: Label }
  /** Also takes the label off every card that has it, in this one event. */
  | { type: 'label_deleted'; labelId: string }
  | { type: 'checklist_added'; taskId: string; checklist: EventChecklist }
  | ChecklistUpdated
  | { type: 'checklist_deleted'; taskId: string; checklistId: string }
  | { type: 'checklist_item_added'; taskId: string; checklistId: string; item: EventChecklistItem }
  | ChecklistItemUpdated
  | { type: 'checklist_item_deleted'; taskId: string; checklistId: string; itemId: string }
  | { type: 'link_added'; taskId: string; link: Link }
  | LinkUpdated
  | { type: 'link_removed'; taskId: string; linkId: string }
  | { type: 'comment_added'; comment: Comment }
  | { type: 'comment_edited'; comment: Comment }
  | { type: 'comment_deleted'; commentId: string; taskId: string }
  | { type: 'list_created'; list: ListInfo }
  | { type: 'list_updated'; list: ListInfo }
  | { type: 'list_moved'; list: ListInfo }
  | { type: 'list_deleted'; listId: string }
  | { type: 'board_updated'; board: BoardInfo }
  | { type: 'board_deleted'; boardId: string }
  | { type: 'member_added'; member: Member }
  | { type: 'member_updated'; member: Member }
  | { type: 'member_removed'; userId: string; username: string }
  | { type: 'visibility_changed'; visibility: Visibility; listed: boolean };

/** The events that change who may read or write a board: a stream looks at its readers only after these. */
export const ACCESS_EVENT_TYPES: ReadonlySet<BoardEventType> = new Set([
  'member_added',
  'member_updated',
  'member_removed',
  'visibility_changed',
]);

export type BoardEventType = BoardEvent['type'];

/** Not a change: the server cannot replay from where the client stands; refetch the snapshot. */
export interface ResetMessage {
  type: 'reset';
  seq: number;
}

/** What a stream or a poll carries. */
export type StreamMessage = BoardEvent | ResetMessage;

/** An event before the store numbers, stamps and signs it. */
export type EventDraft = EventBody;

export function isBoardEvent(message: StreamMessage): message is BoardEvent {
  return message.type !== 'reset';
}

/**
 * What changed on a task, and nothing else: a tick or a label is a few hundred bytes whatever the
 * card holds. `version` is the task's version after the change.
 */
export interface TaskUpdated {
  type: 'task_updated';
  taskId: string;
  version: number;
  changes: TaskChanges;
}

/** A task placed elsewhere (another list, or another place in its own); may change fields too. */
export interface TaskMoved {
  type: 'task_moved';
  taskId: string;
  version: number;
  listId: string;
  fromListId: string;
  position: string;
  changes?: TaskChanges;
}

/** A checklist renamed or placed elsewhere on its card: only what changed. */
export interface ChecklistUpdated {
  type: 'checklist_updated';
  taskId: string;
  checklistId: string;
  changes: { title?: ValueChange<string>; position?: ValueChange<string> };
}

/**
 * An item's text edited, ticked or unticked, or moved (within its checklist, or to another of the
 * same card): only what changed, so a tick is a few hundred bytes whatever the card holds.
 * `checklistId` is the item's checklist after the change; `version` its text version after it.
 */
export interface ChecklistItemUpdated {
  type: 'checklist_item_updated';
  taskId: string;
  checklistId: string;
  itemId: string;
  version: number;
  changes: ItemChanges;
}

/** A link's title or URL edited: only what changed, both ends, so that history reads without folding. */
export interface LinkUpdated {
  type: 'link_updated';
  taskId: string;
  linkId: string;
  changes: LinkChanges;
}

export interface LinkChanges {
  title?: ValueChange<string>;
  url?: ValueChange<string>;
}

export interface ItemChanges {
  text?: ValueChange<string>;
  done?: ValueChange<boolean>;
  position?: ValueChange<string>;
  checklistId?: ValueChange<string>;
}

/**
 * The whole-task shapes that logs written before per-field events hold. They are never rewritten
 * and are replayed to clients that resume, so every reducer folds them forever; nothing writes
 * them any more.
 */
export interface LegacyTaskUpdated {
  type: 'task_updated';
  task: Task;
}
export interface LegacyTaskMoved {
  type: 'task_moved';
  task: Task;
}

/** Whether a task event is one of the old whole-task shapes. */
export function isLegacyTaskEvent(
  event: TaskUpdated | TaskMoved | LegacyTaskUpdated | LegacyTaskMoved,
): event is LegacyTaskUpdated | LegacyTaskMoved {
  return 'task' in event;
}

/** The id of the task a task event is about, whatever its shape. */
export function taskIdOf(event: TaskUpdated | TaskMoved | LegacyTaskUpdated | LegacyTaskMoved): string {
  return isLegacyTaskEvent(event) ? event.task.id : event.taskId;
}

/**
 * The task an event is about, if any: what the log's `task_id` column holds, so that a card's
 * history is read from the log by an index. Read from the payload's shape rather than its type, so
 * that task events that name their task by `taskId` rather than carrying it whole read the same.
 */
export function taskOfEvent(event: EventBody): string | null {
  if ('task' in event) return event.task.id;
  if ('comment' in event) return event.comment.taskId;
  if ('taskId' in event) return event.taskId;
  return null;
}

/**
 * The event as the log keeps it and streams send it: a new task without the card fields at their
 * defaults (see `EventTask`). Every reader folds it with `applyEvent`, which fills them back in.
 */
export function eventForLog(event: BoardEvent): BoardEvent {
  return event.type === 'task_created' ? { ...event, task: taskForEvent(event.task) } : event;
}
