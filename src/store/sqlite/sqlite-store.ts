import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Board, BoardCommand, Comment, CreateBoardCommand } from '../../domain/index.js';
import {
  boardFromRows,
  boardInfoFromRow,
  commentFromRow,
  headFromRow,
  membersFromRows,
} from '../board-rows.js';
import { searchPageOf, type SearchPage, type SearchQuery } from '../search-rows.js';
import { BoardCache, MembersCache } from '../board-cache.js';
import type {
  ActivityPage,
  BoardBatch,
  BoardHead,
  CommentPage,
  PageRequest,
  BoardListing,
  CommitWatcher,
  LoggedEvent,
  QueuedWrite,
  Store,
  WriteOptions,
  WriteOutcome,
  WriteResult,
} from '../store.js';
import {
  lookupsOf,
  onlyOutcome,
  planBatch,
  planBoardCreation,
  replayOf,
  type BatchLookups,
  type BatchPlan,
  type IdempotencyRecord,
} from '../write-plan.js';
import { SqliteAccountStore } from './account-store.js';
import {
  MAIN_CONNECTION_AUTOCHECKPOINT_PAGES,
  WalCheckpointer,
  type CheckpointStats,
} from './checkpointer.js';
import { announceCommit, inCluster, listenForCommits } from './commit-feed.js';
import { migrate } from './schema.js';
import { prepareStatements, writeBatchRows, writeNewBoard, type Statements } from './statements.js';

/**
 * How long the writes must pause before the search index takes in what they left in its journal
 * (search-journal.ts): one transaction for all of them, in a quiet moment. Applied 100 ms after the
 * first of a stretch of writes instead, the index's work (on the event loop: better-sqlite3 is
 * synchronous) landed in the middle of their fan-out, every 100 ms of a burst.
 * A search never waits for it: it applies the journal itself before it reads.
 */
export const SEARCH_INDEX_QUIET_MS = 150;
/** How long the index waits at most for that pause while writes keep coming. */
export const SEARCH_INDEX_MAX_WAIT_MS = 2000;

/**
 * The embedded store. better-sqlite3 is synchronous, so each write is one synchronous
 * `BEGIN IMMEDIATE … COMMIT` with nothing interleaved; the async signatures are the Store
 * interface's, shared with backends that do wait on the network.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly accounts: SqliteAccountStore;
  /** One process by default; several under `npm run cluster`, announcing commits to each other. */
  private readonly sharedAcrossProcesses = inCluster();
  private readonly db: Database.Database;
  private readonly statements: Statements;
  private readonly cache = new BoardCache();
  private readonly membersCache = new MembersCache();
  private readonly migration: { created: boolean };
  private readonly batchesTransaction: (batches: readonly BoardBatch[]) => BatchPlan[];
  private readonly createTransaction: (command: CreateBoardCommand, options: WriteOptions) => WriteOutcome;
  private readonly readSnapshot: (boardId: string) => Board | undefined;
  private readonly readHead: (boardId: string) => BoardHead | undefined;
  /** Copies the WAL into the file off the event loop; started by the first write (none in memory). */
  private checkpointer: WalCheckpointer | undefined;
  /** Set while the search index is due to take in the journal. */
  private searchIndexTimer: NodeJS.Timeout | undefined;
  /** When the waiting journal entries are applied at the latest, pause or not (performance.now()). */
  private searchIndexDueBy = 0;

  /** `path` is a file path, or ':memory:' for tests that need no file. */
  constructor(private readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // FULL: a write is on disk before it is acknowledged, so nothing acknowledged is lost even on
    // power loss (NORMAL would survive a process crash, but not that).
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    // The worker checkpoints (checkpointer.ts); this connection only past a WAL it lets grow.
    if (path !== ':memory:') this.db.pragma(`wal_autocheckpoint = ${MAIN_CONNECTION_AUTOCHECKPOINT_PAGES}`);
    this.migration = migrate(this.db);
    this.statements = prepareStatements(this.db);
    this.accounts = new SqliteAccountStore(this.db, { sharedAcrossProcesses: this.sharedAcrossProcesses });
    this.batchesTransaction = this.db.transaction((batches: readonly BoardBatch[]): BatchPlan[] =>
      batches.map(({ boardId, writes }) => {
        const batch = planBatch(this.loadBoard(boardId), boardId, writes, this.lookups(boardId, writes));
        if (batch.rows) writeBatchRows(this.statements, batch.rows);
        return batch;
      }),
    ).immediate;
    this.createTransaction = this.db.transaction(
      (command: CreateBoardCommand, options: WriteOptions): WriteOutcome => {
        const replay = this.replayIfSeen(options);
        if (replay) return replay;
        const plan = planBoardCreation(command, options);
        writeNewBoard(this.statements, plan);
        return plan.outcome;
      },
    ).immediate;
    this.readSnapshot = this.db.transaction((boardId: string) => this.loadBoard(boardId)).deferred;
    this.readHead = this.db.transaction((boardId: string) => this.headOf(boardId)).deferred;
    // What a process stopped before indexing (or another left) is indexed soon after the start.
    if (this.statements.searchJournal.pending()) this.scheduleSearchIndex();
  }

  /** The schema is migrated when the store opens (statements are prepared against it). */
  async migrate(): Promise<{ created: boolean }> {
    return this.migration;
  }

  async watchCommits(watcher: CommitWatcher): Promise<void> {
    if (this.sharedAcrossProcesses) listenForCommits(watcher);
  }

  async listBoards(userId: string | null): Promise<BoardListing[]> {
    return this.statements.boardsOf
      .all(userId ?? '')
      .map((row) => ({ ...boardInfoFromRow(row), role: row.role ?? null }));
  }

  async ownerlessBoards(limit: number): Promise<string[]> {
    return this.statements.ownerless.all(limit).map((row) => row.id);
  }

  async getBoard(boardId: string): Promise<Board | undefined> {
    // One read transaction: the board, its lists and its tasks as of one seq, even while another
    // process writes.
    return this.readSnapshot(boardId);
  }

  async boardHead(boardId: string): Promise<BoardHead | undefined> {
    // Every stream open and REST request reads a head. One statement reads the seq and the log's
    // start as of one moment; a transaction (BEGIN and COMMIT: a third of the read) is needed only
    // when the members must be read too, as of that same seq.
    const row = this.statements.boardHead.get(boardId);
    if (!row) return undefined;
    const members = this.membersCache.membersAt(boardId, row.seq, this.cache);
    return members ? headFromRow(boardId, row, members) : this.readHead(boardId);
  }

  /** In a read transaction: the members read (when not cached) are those of the seq read. */
  private headOf(boardId: string): BoardHead | undefined {
    const row = this.statements.boardHead.get(boardId);
    if (!row) return undefined;
    let members = this.membersCache.membersAt(boardId, row.seq, this.cache);
    if (!members) {
      members = membersFromRows(this.statements.membersOfBoard.all(boardId));
      this.membersCache.set({ boardId, seq: row.seq, members });
    }
    return headFromRow(boardId, row, members);
  }

  async createBoard(command: CreateBoardCommand, options: WriteOptions): Promise<WriteOutcome> {
    const outcome = this.createTransaction(command, options);
    this.startCheckpointer();
    return outcome;
  }

  async execute(boardId: string, command: BoardCommand, options: WriteOptions): Promise<WriteOutcome> {
    return onlyOutcome(await this.executeBatch(boardId, [{ command, options }]));
  }

  async executeBatch(boardId: string, writes: readonly QueuedWrite[]): Promise<WriteResult[]> {
    return (await this.executeBoardBatches([{ boardId, writes }]))[0]!;
  }

  async executeBoardBatches(batches: readonly BoardBatch[]): Promise<WriteResult[][]> {
    // Each board is planned from its cached snapshot, which only changes after COMMIT: a board twice
    // in one transaction would be planned twice from the same state.
    if (new Set(batches.map((batch) => batch.boardId)).size !== batches.length) {
      throw new TypeError('executeBoardBatches: each board at most once per transaction');
    }
    const plans = this.batchesTransaction(batches);
    // Only after COMMIT: a rolled-back write must not leave its board in the cache.
    if (plans.some((batch) => batch.rows)) {
      this.startCheckpointer();
      this.scheduleSearchIndex();
    }
    plans.forEach((batch, index) => {
      if (!batch.rows) return;
      const { boardId } = batches[index]!;
      if (batch.boardAfter) this.cache.set(batch.boardAfter);
      else this.cache.delete(boardId);
      if (this.sharedAcrossProcesses) announceCommit(boardId, batch.rows.head.seq);
    });
    return plans.map((batch) => batch.results);
  }

  async readEvents(boardId: string, afterSeq: number, limit: number): Promise<LoggedEvent[]> {
    return this.statements.eventsAfter
      .all(boardId, afterSeq, limit)
      .map((row) => ({ boardId, seq: row.seq, type: row.type, json: row.data }));
  }

  async listComments(boardId: string, taskId: string, page: PageRequest): Promise<CommentPage> {
    const rows = this.statements.commentsOfTask.all(taskId, boardId, beforeOf(page), page.limit + 1);
    return {
      comments: rows.slice(0, page.limit).map(commentFromRow),
      nextBefore: rows.length > page.limit ? rows[page.limit - 1]!.added_seq : null,
    };
  }

  async readActivity(boardId: string, taskId: string | undefined, page: PageRequest): Promise<ActivityPage> {
    const before = beforeOf(page);
    const rows =
      taskId === undefined
        ? this.statements.eventsBefore.all(boardId, before, page.limit + 1)
        : this.statements.taskEventsBefore.all(boardId, taskId, before, page.limit + 1);
    const first = this.statements.firstEventSeq.get(boardId)?.seq ?? null;
    return {
      events: rows
        .slice(0, page.limit)
        .map((row) => ({ boardId, seq: row.seq, type: row.type, json: row.data })),
      nextBefore: rows.length > page.limit ? rows[page.limit - 1]!.seq : null,
      historyStartsAt: first !== null && first > 1 ? first : null,
    };
  }

  async taskInLog(boardId: string, taskId: string): Promise<boolean> {
    return this.statements.taskInLog.get(boardId, taskId) !== undefined;
  }

  async search(boardId: string, query: SearchQuery): Promise<SearchPage> {
    // Every acknowledged write is found, whichever process made it: the journal first.
    this.statements.searchJournal.applyAll();
    const rows = this.statements.searchRows(boardId, query);
    return searchPageOf(rows, query);
  }

  async pruneIdempotencyKeys(olderThan: Date): Promise<number> {
    return this.statements.pruneIdempotency.run(olderThan.toISOString()).changes;
  }

  async pruneEvents(keepPerBoard: number): Promise<number> {
    return this.statements.pruneEvents.run(keepPerBoard).changes;
  }

  async close(): Promise<void> {
    clearTimeout(this.searchIndexTimer);
    this.searchIndexTimer = undefined;
    // A clean stop leaves the index whole (a crash leaves the journal for the next start).
    if (this.db.open) this.statements.searchJournal.applyAll();
    const checkpointer = this.checkpointer;
    this.checkpointer = undefined;
    await checkpointer?.stop();
    if (this.db.open) this.db.close();
  }

  /** What the checkpointing worker has done; undefined before the first write, and in memory. */
  get checkpoints(): CheckpointStats | undefined {
    return this.checkpointer?.stats;
  }

  /** After a write: the journal is applied once writes pause, or by the first write's deadline. */
  private scheduleSearchIndex(): void {
    const now = performance.now();
    if (this.searchIndexTimer !== undefined) {
      if (now + SEARCH_INDEX_QUIET_MS <= this.searchIndexDueBy) this.searchIndexTimer.refresh();
      return;
    }
    this.searchIndexDueBy = now + SEARCH_INDEX_MAX_WAIT_MS;
    this.searchIndexTimer = setTimeout(() => {
      this.searchIndexTimer = undefined;
      if (!this.db.open) return;
      try {
        this.statements.searchJournal.applyAll();
      } catch {
        // The database is busy past busy_timeout (another process's long transaction): the
        // entries stay, for the next write's turn or the next search, which does report an error.
      }
    }, SEARCH_INDEX_QUIET_MS);
    this.searchIndexTimer.unref();
  }

  private startCheckpointer(): void {
    if (this.checkpointer === undefined && this.path !== ':memory:' && this.db.open) {
      this.checkpointer = new WalCheckpointer(this.path);
    }
  }

  /** What the batch's keys and proposed ids already are, read inside its transaction. */
  private lookups(boardId: string, writes: readonly QueuedWrite[]): BatchLookups {
    const { keys, proposedIds, commentIds } = lookupsOf(writes);
    const recordsByKey = new Map<string, IdempotencyRecord>();
    for (const key of keys) {
      const record = this.statements.idempotencyRecord.get(key);
      if (record) recordsByKey.set(key, record);
    }
    const comments = new Map<string, Comment>();
    for (const id of commentIds) {
      const row = this.statements.comment.get(id, boardId);
      if (row) comments.set(id, commentFromRow(row));
    }
    return {
      recordsByKey,
      takenIds: new Set(proposedIds.filter((id) => this.statements.idUsed.get(id))),
      comments,
    };
  }

  private replayIfSeen(options: WriteOptions): WriteOutcome | undefined {
    if (options.idempotencyKey === undefined) return undefined;
    return replayOf(this.statements.idempotencyRecord.get(options.idempotencyKey), options);
  }

  /** The live board at its current seq: from the cache when it is still at that seq, else from rows. */
  private loadBoard(boardId: string): Board | undefined {
    const head = this.statements.boardSeq.get(boardId);
    if (!head || head.deleted_at !== null) return undefined;
    const cached = this.cache.get(boardId, head.seq);
    if (cached) return cached;
    const row = this.statements.boardRow.get(boardId);
    if (!row) return undefined;
    const board = boardFromRows(
      row,
      this.statements.membersOfBoard.all(boardId),
      this.statements.listsOfBoard.all(boardId),
      this.statements.tasksOfBoard.all(boardId),
      this.statements.labelsOfBoard.all(boardId),
    );
    this.cache.set(board);
    return board;
  }
}

/** Below this seq: all of them when the page names none. */
function beforeOf(page: PageRequest): number {
  return page.before ?? Number.MAX_SAFE_INTEGER;
}
