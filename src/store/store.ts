import type {
  LiveboardError,
  Author,
  Board,
  Label,
  Member,
  Role,
  Visibility,
  BoardCommand,
  BoardEventType,
  BoardInfo,
  Comment,
  CreateBoardCommand,
  List,
  Task,
  TaskChecklist,
  TaskChecklistItem,
  TaskLink,
} from '../domain/index.js';
import type { AccountStore } from './accounts.js';
import type { SearchPage, SearchQuery } from './search-rows.js';

export type { SearchField, SearchPage, SearchPosition, SearchQuery, SearchResult } from './search-rows.js';

// The accounts' types, for the modules that may import store.ts alone (live/, writer/, http/).
export type * from './accounts.js';

/**
 * Where boards and their event logs live. One interface, one folder per backend (sqlite/,
 * postgres/), and one contract suite (contract/) that every backend must pass; contract/SPEC.md
 * states its rules.
 *
 * Every write is one transaction: the change to the board's rows, the board's seq bumped by one,
 * the event row, the claim of any new id, and the Idempotency-Key record. Nobody calls a store's
 * write directly but the write path (writer/), which broadcasts only after it resolves.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Users, sessions, API tokens, invitations and throttles, on the same database (see accounts.ts). */
  readonly accounts: AccountStore;
  /**
   * Tells of commits made by other processes on the same database (board and seq only: the events
   * are read from the log), and of interruptions after which some may have been missed. A store
   * that no other process writes to never calls the watcher.
   */
  watchCommits(watcher: CommitWatcher): Promise<void>;

  /** Creates the schema, or upgrades it; returns true when the store was empty (first start). */
  migrate(): Promise<{ created: boolean }>;

  /**
   * The boards `userId` sees in a list (every board they are a member of, and every listed public
   * board), with their role; anonymous callers (null) see the listed public boards.
   */
  listBoards(userId: string | null): Promise<BoardListing[]>;
  /**
   * Live boards that have no owner (the demo board, and boards from before accounts): the start-up
   * log names them and the command that claims them. At most `limit`, oldest first.
   */
  ownerlessBoards(limit: number): Promise<string[]>;
  /** The snapshot with its seq, or undefined for an unknown or deleted board. */
  getBoard(boardId: string): Promise<Board | undefined>;
  /** The board's current seq and whether it still exists; undefined when it never did. */
  boardHead(boardId: string): Promise<BoardHead | undefined>;

  createBoard(command: CreateBoardCommand, options: WriteOptions): Promise<WriteOutcome>;
  /** Decides and commits a command on one board (see domain/decide.ts). Throws LiveboardError. */
  execute(boardId: string, command: BoardCommand, options: WriteOptions): Promise<WriteOutcome>;
  /**
   * Decides and commits several commands on one board in one transaction (a group commit), in
   * order: each is decided against the board as the one before it left it, and becomes one event,
   * seqs consecutive. A command the domain refuses is refused alone (its result says why) and the
   * others commit. Rejects only when the transaction itself fails: then nothing of it was written.
   */
  executeBatch(boardId: string, writes: readonly QueuedWrite[]): Promise<WriteResult[]>;
  /**
   * Several boards' batches in ONE transaction, each as executeBatch would decide it; the results
   * in the same order; boards distinct. One commit then serves every board's writes: on SQLite one
   * fsync (its transactions run one at a time anyway), on PostgreSQL one statement and one commit
   * instead of one per board (what 64 busy boards run out of is the database's CPU per statement,
   * not their row locks).
   */
  executeBoardBatches?(batches: readonly BoardBatch[]): Promise<WriteResult[][]>;
  /** How many executeBoardBatches may be in flight at once, on distinct boards (default 1). */
  readonly boardBatchLanes?: number;

  /** The board's events with seq > afterSeq, in order, at most `limit`. */
  readEvents(boardId: string, afterSeq: number, limit: number): Promise<LoggedEvent[]>;

  /**
   * A task's comments, newest first, at most `limit`, those added before seq `before` (the page's
   * `nextBefore` goes on from where it ended). Comments are rows of their own: pruning the log
   * never touches them.
   */
  listComments(boardId: string, taskId: string, page: PageRequest): Promise<CommentPage>;

  /**
   * The board's stored events, newest first (those of one task when `taskId` is given, found by the
   * log's task_id index), at most `limit`, with seq below `before`.
   */
  readActivity(boardId: string, taskId: string | undefined, page: PageRequest): Promise<ActivityPage>;

  /** Whether the board's log holds any event about this task (a deleted task's history is still read). */
  taskInLog(boardId: string, taskId: string): Promise<boolean>;

  /**
   * The board's fields that hold every query term as the beginning of a word: titles first, then
   * descriptions, then comments, then checklist items, each kind newest change first, then by key; the same rows in the
   * same order on every backend. Search rows are written in the write's transaction.
   */
  search(boardId: string, query: SearchQuery): Promise<SearchPage>;

  /** Forgets Idempotency-Key records older than the horizon. Returns how many were removed. */
  pruneIdempotencyKeys(olderThan: Date): Promise<number>;

  /**
   * Keeps the last `keepPerBoard` events of each board's log and removes the older ones (a client
   * resuming from before them is told to `reset`). Returns how many were removed.
   */
  pruneEvents(keepPerBoard: number): Promise<number>;

  close(): Promise<void>;
}

export interface PageRequest {
  /** Only what has a seq below this one; undefined: from the newest. */
  before?: number | undefined;
  limit: number;
}

export interface CommentPage {
  comments: Comment[];
  /** The `before` of the next page; null on the last one. */
  nextBefore: number | null;
}

export interface ActivityPage {
  events: LoggedEvent[];
  nextBefore: number | null;
  /** The lowest seq the log still holds when older events were pruned; null when none were. */
  historyStartsAt: number | null;
}

/** A board in someone's list: its info and their role on it (null: a guest of a public board). */
export interface BoardListing extends BoardInfo {
  role: Role | null;
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
  /** Who may read it, as of `seq`: what a stream or poll is authorized against when it starts. */
  visibility: Visibility;
  members: Member[];
}

/** An event as the log holds it: its JSON, encoded once at write time and never again. */
export interface LoggedEvent {
  boardId: string;
  seq: number;
  type: BoardEventType;
  json: string;
}

/** One board's writes, as one transaction of several boards takes them. */
export interface BoardBatch {
  boardId: string;
  writes: readonly QueuedWrite[];
}

/** One write waiting for its board's next transaction. */
export interface QueuedWrite {
  command: BoardCommand;
  options: WriteOptions;
}

/** What became of one write of a batch: its outcome, or the error that refused it alone. */
export type WriteResult = { ok: true; outcome: WriteOutcome } | { ok: false; error: LiveboardError };

export interface WriteOptions {
  /** The client's Idempotency-Key, if it sent one. */
  idempotencyKey?: string | undefined;
  /** What the key was used for (method, path and body): a reuse for anything else is refused. */
  requestFingerprint?: string | undefined;
  /** The time of the change; defaults to now. */
  now?: Date;
  /** Who makes the change: checked against the board's members inside the transaction, and signed on its event. */
  by?: Author | null | undefined;
  /** An operator's command (see DecideContext.operator): not checked against the board's members. */
  operator?: boolean | undefined;
}

/** What a write did to the thing it named. */
export type WriteChange = 'created' | 'changed' | 'deleted';

/**
 * The thing a write created or changed, as it is afterwards: a board (with its lists), a list (with
 * its tasks), a task, a label, a member, or the board's visibility. A write that changed nothing
 * answers the thing as it stands, at the board's current seq, with no event.
 */
export type WrittenEntity =
  | Board
  | List
  | Task
  | Label
  | Comment
  | Member
  | TaskChecklist
  | TaskChecklistItem
  | TaskLink
  | Pick<Board, 'visibility' | 'listed'>;

/** What a committed (or replayed) write did: the same for every backend and every caller. */
export interface WriteOutcome {
  change: WriteChange;
  /** The entity after the write; null for a deletion. */
  entity: WrittenEntity | null;
  /** The same, JSON-encoded once (a replay keeps the first write's bytes). */
  entityJson: string | null;
  boardId: string;
  /** The event this write became (for a replay: the original event's seq, and no event). */
  seq: number;
  /** The committed event, to broadcast; absent when this is an idempotent replay or a board creation. */
  event: LoggedEvent | undefined;
  /** True when an earlier request with the same Idempotency-Key already did this write. */
  replayed: boolean;
}
