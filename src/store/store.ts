import type { Board, BoardCommand, BoardEventType, BoardInfo, CreateBoardCommand } from '../domain/index.js';

/**
 * Where boards and their event logs live. One interface, one folder per backend (sqlite/,
 * postgres/), and one contract suite (store-contract.ts) that every backend must pass.
 *
 * Every write is one transaction: the change to the board's rows, the board's seq bumped by one,
 * the event row, and the Idempotency-Key record. Callers broadcast only after it resolves.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Tells of commits made by other processes on the same database (board and seq only: the events
   * are read from the log), and of interruptions after which some may have been missed. A store
   * that no other process writes to never calls the watcher.
   */
  watchCommits(watcher: CommitWatcher): Promise<void>;

  /** Creates the schema, or upgrades it; returns true when the store was empty (first start). */
  migrate(): Promise<{ created: boolean }>;

  listBoards(): Promise<BoardInfo[]>;
  /** The snapshot with its seq, or undefined for an unknown or deleted board. */
  getBoard(boardId: string): Promise<Board | undefined>;
  /** The board's current seq and whether it still exists; undefined when it never did. */
  boardHead(boardId: string): Promise<BoardHead | undefined>;

  createBoard(command: CreateBoardCommand, options: WriteOptions): Promise<WriteOutcome>;
  /** Decides and commits a command on one board (see domain/decide.ts). Throws LiveboardError. */
  execute(boardId: string, command: BoardCommand, options: WriteOptions): Promise<WriteOutcome>;

  /** The board's events with seq > afterSeq, in order, at most `limit`. */
  readEvents(boardId: string, afterSeq: number, limit: number): Promise<LoggedEvent[]>;

  /** Forgets Idempotency-Key records older than the horizon. Returns how many were removed. */
  pruneIdempotencyKeys(olderThan: Date): Promise<number>;

  /**
   * Keeps the last `keepPerBoard` events of each board's log and removes the older ones (a client
   * resuming from before them is told to `reset`). Returns how many were removed.
   */
  pruneEvents(keepPerBoard: number): Promise<number>;

  close(): Promise<void>;
}

export interface CommitWatcher {
  onCommit(boardId: string, seq: number): void;
  onResync(reason: string): void;
}

export interface BoardHead {
  boardId: string;
  seq: number;
  deleted: boolean;
  /** The lowest seq still in the log (events before it were pruned); 1 when nothing was. */
  firstRetainedSeq: number;
}

/** An event as the log holds it: its JSON, encoded once at write time and never again. */
export interface LoggedEvent {
  boardId: string;
  seq: number;
  type: BoardEventType;
  json: string;
}

export interface WriteOptions {
  /** The client's Idempotency-Key, if it sent one. */
  idempotencyKey?: string | undefined;
  /** What the key was used for (method, path and body): a reuse for anything else is refused. */
  requestFingerprint?: string | undefined;
  /** The time of the change; defaults to now. */
  now?: Date;
}

export interface WriteOutcome {
  /** HTTP status of the response (201 create, 200 update, 204 delete). */
  status: number;
  /** The response body's JSON, or null for 204. */
  bodyJson: string | null;
  boardId: string;
  /** The event this write became (for a replay: the original event's seq, and no event). */
  seq: number;
  /** The committed event, to broadcast; absent when this is an idempotent replay or a board creation. */
  event: LoggedEvent | undefined;
  /** True when an earlier request with the same Idempotency-Key already did this write. */
  replayed: boolean;
}
