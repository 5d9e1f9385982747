import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  LiveboardError,
  applyEvent,
  byPosition,
  decide,
  emptyBoard,
  newId,
  requiredText,
  stampEvent,
  type Board,
  type BoardCommand,
  type BoardInfo,
  type CreateBoardCommand,
  type List,
} from '../../domain/index.js';
import { BoardCache } from '../board-cache.js';
import type { BoardHead, LoggedEvent, Store, WriteOptions, WriteOutcome } from '../store.js';
import { responseForEvent } from '../write-response.js';
import { migrate } from './schema.js';
import { prepareStatements, projectEvent, type BoardRow, type Statements } from './statements.js';

/**
 * The embedded store. better-sqlite3 is synchronous, so each write is one synchronous
 * `BEGIN IMMEDIATE … COMMIT` with nothing interleaved; the async signatures are the Store
 * interface's, shared with backends that do wait on the network.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly sharedAcrossProcesses = false;
  private readonly db: Database.Database;
  private readonly statements: Statements;
  private readonly cache = new BoardCache();
  private readonly migration: { created: boolean };
  private readonly executeTransaction: (
    boardId: string,
    command: BoardCommand,
    options: WriteOptions,
  ) => { outcome: WriteOutcome; boardAfter?: Board };

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
  }

  /** The schema is migrated when the store opens (statements are prepared against it). */
  async migrate(): Promise<{ created: boolean }> {
    return this.migration;
  }

  async listBoards(): Promise<BoardInfo[]> {
    return this.statements.liveBoards.all().map(boardInfoFromRow);
  }

  async getBoard(boardId: string): Promise<Board | undefined> {
    return this.loadBoard(boardId);
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
      const board = emptyBoard({
        id: command.id ?? newId('board'),
        title: requiredText('title', command.title),
        createdAt: now,
      });
      this.statements.insertBoard.run(board.id, board.title, now, now);
      const outcome: WriteOutcome = {
        status: 201,
        bodyJson: JSON.stringify(board),
        boardId: board.id,
        seq: 0,
        event: undefined,
        replayed: false,
      };
      this.remember(options, outcome, now);
      return outcome;
    });
    return create.immediate();
  }

  async execute(boardId: string, command: BoardCommand, options: WriteOptions): Promise<WriteOutcome> {
    const { outcome, boardAfter } = this.executeTransaction(boardId, command, options);
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
    if (!board) throw new LiveboardError('board_not_found', `no board '${boardId}'`);
    const at = (options.now ?? new Date()).toISOString();
    const event = stampEvent(decide(board, command, { now: at, newId }), board.seq + 1, at);
    const json = JSON.stringify(event);
    projectEvent(this.statements, boardId, event);
    this.statements.insertEvent.run(boardId, event.seq, event.type, json);
    this.statements.bumpBoard.run(event.seq, at, boardId);
    const boardAfter = applyEvent(board, event);
    const response = responseForEvent(event, boardAfter);
    const outcome: WriteOutcome = {
      ...response,
      boardId,
      seq: event.seq,
      event: { boardId, seq: event.seq, type: event.type, json },
      replayed: false,
    };
    this.remember(options, outcome, at);
    return { outcome, boardAfter };
  }

  private replayIfSeen(options: WriteOptions): WriteOutcome | undefined {
    if (options.idempotencyKey === undefined) return undefined;
    const record = this.statements.idempotencyRecord.get(options.idempotencyKey);
    if (!record) return undefined;
    if (record.fingerprint !== (options.requestFingerprint ?? '')) {
      throw new LiveboardError(
        'idempotency_key_reused',
        'this Idempotency-Key was already used for a different request; use a new key for a new request',
        { field: 'Idempotency-Key' },
      );
    }
    return {
      status: record.status,
      bodyJson: record.body,
      boardId: record.board_id,
      seq: record.seq,
      event: undefined,
      replayed: true,
    };
  }

  private remember(options: WriteOptions, outcome: WriteOutcome, at: string): void {
    if (options.idempotencyKey === undefined) return;
    this.statements.insertIdempotencyRecord.run(
      options.idempotencyKey,
      options.requestFingerprint ?? '',
      outcome.boardId,
      outcome.seq,
      outcome.status,
      outcome.bodyJson,
      at,
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
    const listsById = new Map<string, List>();
    const lists = this.statements.listsOfBoard.all(boardId).map((listRow) => {
      const list: List = {
        id: listRow.id,
        boardId,
        title: listRow.title,
        position: listRow.position,
        tasks: [],
      };
      listsById.set(list.id, list);
      return list;
    });
    for (const taskRow of this.statements.tasksOfBoard.all(boardId)) {
      listsById.get(taskRow.list_id)?.tasks.push({
        id: taskRow.id,
        boardId,
        listId: taskRow.list_id,
        title: taskRow.title,
        description: taskRow.description,
        position: taskRow.position,
        version: taskRow.version,
        createdAt: taskRow.created_at,
        updatedAt: taskRow.updated_at,
      });
    }
    for (const list of lists) list.tasks.sort(byPosition);
    const board: Board = { ...boardInfoFromRow(row), lists };
    this.cache.set(board);
    return board;
  }
}

function boardInfoFromRow(row: BoardRow): BoardInfo {
  return { id: row.id, title: row.title, seq: row.seq, createdAt: row.created_at, updatedAt: row.updated_at };
}
