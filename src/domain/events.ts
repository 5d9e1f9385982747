import type { BoardInfo, ListInfo, Task } from './model.js';

/** Every change to a board is exactly one of these, numbered by the board's next seq. */
export type BoardEvent =
  | { type: 'task_created'; seq: number; at: string; task: Task }
  | { type: 'task_updated'; seq: number; at: string; task: Task }
  | { type: 'task_moved'; seq: number; at: string; task: Task }
  | { type: 'task_deleted'; seq: number; at: string; taskId: string }
  | { type: 'list_created'; seq: number; at: string; list: ListInfo }
  | { type: 'list_updated'; seq: number; at: string; list: ListInfo }
  | { type: 'list_moved'; seq: number; at: string; list: ListInfo }
  | { type: 'list_deleted'; seq: number; at: string; listId: string }
  | { type: 'board_updated'; seq: number; at: string; board: BoardInfo }
  | { type: 'board_deleted'; seq: number; at: string; boardId: string };

export type BoardEventType = BoardEvent['type'];

/** Not a change: the server cannot replay from where the client stands; refetch the snapshot. */
export interface ResetMessage {
  type: 'reset';
  seq: number;
}

/** What a stream or a poll carries. */
export type StreamMessage = BoardEvent | ResetMessage;

/** An event before the store numbers and stamps it. */
export type EventDraft = BoardEvent extends infer E
  ? E extends BoardEvent
    ? Omit<E, 'seq' | 'at'>
    : never
  : never;

export function isBoardEvent(message: StreamMessage): message is BoardEvent {
  return message.type !== 'reset';
}
