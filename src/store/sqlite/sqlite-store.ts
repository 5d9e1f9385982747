import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Board, BoardCommand, BoardInfo, CreateBoardCommand } from '../../domain/index.js';
import { boardFromRows, boardInfoFromRow } from '../board-rows.js';
import { BoardCache } from '../board-cache.js';
import type { BoardHead, CommitWatcher, LoggedEvent, Store, WriteOptions, WriteOutcome } from '../store.js';
import { notFound, planBoardCreation, planCommand, idempotencyRowValues, replayOf } from '../write-plan.js';
import { announceCommit, inCluster, listenForCommits } from './cluster-commit-feed.js';
import { migrate } from './schema.js';
import { prepareStatements, projectEvent, type Statements } from './statements.js';

/**
 * The embedded store. better-sqlite3 is synchronous, so each write is one synchronous
 * `BEGIN IMMEDIATE … COMMIT` with nothing interleaved; the async signatures are the Store
 * interface's, shared with backends that do wait on the network.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  /** One process by default; several under `npm run cluster`, announcing commits to each other. */
  private readonly sharedAcrossProcesses = inCluster();
  private readonly db: Database.Database;
  private readonly statements: Statements;
  private readonly cache = new BoardCache();
  private readonly migration: { created: boolean };
  private readonly executeTransaction: (
    boardId: string,
    command: BoardCommand,
    options: WriteOptions,
  ) => { outcome: WriteOutcome; boardAfter?: Board };
  private readonly readSnapshot: (boardId: string) => Board | undefined;

  /** `path` is a file path, or ':memory:' for tests that need no file. */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // FULL: a write is on disk before it is acknowledged, so nothing acknowledged is lost even on
    // power loss (NORMAL would survive a process crash, but not that).
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.migration = migrate(this.db);
    this.statements = prepareStatements(this.db);
    this.executeTransaction = this.db.transaction((boardId, command, options) =>
      this.executeInTransaction(boardId, command, options),
    ).immediate;
    this.readSnapshot = this.db.transaction((boardId: string) => this.loadBoard(boardId)).deferred;
  }

  /** The schema is migrated when the store opens (statements are prepared against it). */
  async migrate(): Promise<{ created: boolean }> {
    return this.migration;
  }

  async watchCommits(watcher: CommitWatcher): Promise<void> {
    if (this.sharedAcrossProcesses) listenForCommits(watcher);
  }

  async listBoards(): Promise<BoardInfo[]> {
    return this.statements.liveBoards.all().map(boardInfoFromRow);
  }

  async getBoard(boardId: string): Promise<Board | undefined> {
    // One read transaction: the board, its lists and its tasks as of one seq, even while another
    // process writes.
    return this.readSnapshot(boardId);
  }

  async boardHead(boardId: string): Promise<BoardHead | undefined> {
    const row = this.statements.boardSeq.get(boardId);
    if (!row) return undefined;
    const first = this.statements.firstEventSeq.get(boardId)?.seq;
    return {
      boardId,
      seq: row.seq,
      deleted: row.deleted_at !== null,
      firstRetainedSeq: first ?? row.seq + 1,
    };
  }

  async createBoard(command: CreateBoardCommand, options: WriteOptions): Promise<WriteOutcome> {
    const create = this.db.transaction((): WriteOutcome => {
      const replay = this.replayIfSeen(options);
      if (replay) return replay;
      const now = (options.now ?? new Date()).toISOString();
      const { board, outcome } = planBoardCreation(command, now);
      this.statements.insertBoard.run(board.id, board.title, now, now);
      this.remember(options, outcome, now);
      return outcome;
    });
    return create.immediate();
  }

  async execute(boardId: string, command: BoardCommand, options: WriteOptions): Promise<WriteOutcome> {
    const { outcome, boardAfter } = this.executeTransaction(boardId, command, options);
    if (outcome.event && this.sharedAcrossProcesses) announceCommit(boardId, outcome.seq);
    // Only after COMMIT: a rolled-back write must not leave its board in the cache.
    if (boardAfter) {
      if (outcome.event?.type === 'board_deleted') this.cache.delete(boardId);
      else this.cache.set(boardAfter);
    }
    return outcome;
  }

  async readEvents(boardId: string, afterSeq: number, limit: number): Promise<LoggedEvent[]> {
    return this.statements.eventsAfter
      .all(boardId, afterSeq, limit)
      .map((row) => ({ boardId, seq: row.seq, type: row.type, json: row.data }));
  }

  async pruneIdempotencyKeys(olderThan: Date): Promise<number> {
    return this.statements.pruneIdempotency.run(olderThan.toISOString()).changes;
  }

  async pruneEvents(keepPerBoard: number): Promise<number> {
    return this.statements.pruneEvents.run(keepPerBoard).changes;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private executeInTransaction(
    boardId: string,
    command: BoardCommand,
    options: WriteOptions,
  ): { outcome: WriteOutcome; boardAfter?: Board } {
    const replay = this.replayIfSeen(options);
    if (replay) return { outcome: replay };
    const board = this.loadBoard(boardId);
    if (!board) throw notFound(boardId);
    const at = (options.now ?? new Date()).toISOString();
    const { event, boardAfter, outcome } = planCommand(board, command, at);
    projectEvent(this.statements, boardId, event);
    this.statements.insertEvent.run(boardId, event.seq, event.type, outcome.event!.json);
    this.statements.bumpBoard.run(event.seq, at, boardId);
    this.remember(options, outcome, at);
    return { outcome, boardAfter };
  }

  private replayIfSeen(options: WriteOptions): WriteOutcome | undefined {
    if (options.idempotencyKey === undefined) return undefined;
    const row = this.statements.idempotencyRecord.get(options.idempotencyKey);
    return replayOf(row && { ...row, boardId: row.board_id }, options);
  }

  private remember(options: WriteOptions, outcome: WriteOutcome, at: string): void {
    if (options.idempotencyKey === undefined) return;
    this.statements.insertIdempotencyRecord.run(
      ...idempotencyRowValues(options.idempotencyKey, options, outcome, at),
    );
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
      this.statements.listsOfBoard.all(boardId),
      this.statements.tasksOfBoard.all(boardId),
    );
    this.cache.set(board);
    return board;
  }
}
