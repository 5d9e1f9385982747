import type { Author, BoardInfo, ListInfo, Member, Task, Visibility } from './model.js';

/** Every change to a board is exactly one of these, numbered by the board's next seq. */
export type BoardEvent = EventBody & {
  seq: number;
  at: string;
  /** Who made the change (null: anonymous, or an operator's command). Absent in events from before accounts. */
  by?: Author | null;
};

/** What each kind of event says, apart from its number, time and author. */
export type EventBody =
  | { type: 'task_created'; task: Task }
  | { type: 'task_updated'; task: Task }
  | { type: 'task_moved'; task: Task }
  | { type: 'task_deleted'; taskId: string }
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
