import pg from 'pg';
import {
  LiveboardError,
  type Board,
  type BoardCommand,
  type BoardEventType,
  type BoardInfo,
  type CreateBoardCommand,
} from '../../domain/index.js';
import { BoardCache } from '../board-cache.js';
import { boardFromRows, boardInfoFromRow, type BoardRow, type ListRow, type TaskRow } from '../board-rows.js';
import type {
  BoardHead,
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
  type IdempotencyRecord,
} from '../write-plan.js';
import { COMMIT_CHANNEL, CommitFeed } from './commit-feed.js';
import { migrate } from './schema.js';
import { SQL, writeBatchRows, writeNewBoard } from './statements.js';

const INT8_OID = 20;

interface BoardSeqRow {
  seq: number;
  deleted_at: string | null;
}

/**
 * PostgreSQL: several server processes share one database. A board's writes are serialized by
 * locking its row (`FOR UPDATE`), so its seq has no gap under any number of concurrent writers; the
 * NOTIFY is sent inside the write's transaction, so it is delivered only if, and after, it commits.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly clientConfig: pg.ClientConfig;
  private readonly cache = new BoardCache();
  private feed: CommitFeed | undefined;

  /** `schema`: a search_path to keep to (tests give each run its own). */
  constructor(
    connectionString: string,
    private readonly schema?: string,
  ) {
    this.clientConfig = {
      connectionString,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
      // bigint (seq) as a number: seqs stay far below 2^53.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    };
    this.pool = new pg.Pool({ ...this.clientConfig, max: 10 });
    // An idle client's error (e.g. the server restarted) must not crash the process; the next
    // query gets a fresh connection.
    this.pool.on('error', () => undefined);
  }

  async migrate(): Promise<{ created: boolean }> {
    const client = await this.pool.connect();
    try {
      return await migrate(client, this.schema);
    } finally {
      client.release();
    }
  }

  async watchCommits(watcher: CommitWatcher): Promise<void> {
    this.feed = new CommitFeed(this.clientConfig, watcher);
    await this.feed.start();
  }

  async listBoards(): Promise<BoardInfo[]> {
    const { rows } = await this.pool.query<BoardRow>(SQL.liveBoards);
    return rows.map(boardInfoFromRow);
  }

  async getBoard(boardId: string): Promise<Board | undefined> {
    // One snapshot for the board row, its lists and its tasks, so the seq matches what is shown.
    return this.transaction(
      (client) => this.loadBoard(client, boardId),
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  async boardHead(boardId: string): Promise<BoardHead | undefined> {
    const { rows } = await this.pool.query<BoardSeqRow & { first: number | null }>(SQL.boardHead, [boardId]);
    const row = rows[0];
    if (!row) return undefined;
    return {
      boardId,
      seq: row.seq,
      deleted: row.deleted_at !== null,
      firstRetainedSeq: row.first ?? row.seq + 1,
    };
  }

  async createBoard(command: CreateBoardCommand, options: WriteOptions): Promise<WriteOutcome> {
    return this.transaction(async (client) => {
      const replay = await this.replayIfSeen(client, options);
      if (replay) return replay;
      const plan = planBoardCreation(command, options);
      await writeNewBoard(client, plan);
      return plan.outcome;
    });
  }

  async execute(boardId: string, command: BoardCommand, options: WriteOptions): Promise<WriteOutcome> {
    return onlyOutcome(await this.executeBatch(boardId, [{ command, options }]));
  }

  async executeBatch(boardId: string, writes: readonly QueuedWrite[]): Promise<WriteResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.writeBatch(boardId, writes);
      } catch (error) {
        // Another process claimed one of the batch's proposed ids between our look-up and our claim
        // (it waited for that transaction): run the batch again, which now refuses that write alone.
        if (!(error instanceof LiveboardError && error.code === 'id_taken') || attempt >= 3) throw error;
      }
    }
  }

  private async writeBatch(boardId: string, writes: readonly QueuedWrite[]): Promise<WriteResult[]> {
    const batch = await this.transaction(async (client) => {
      const head = await client.query<BoardSeqRow>(SQL.lockBoard, [boardId]);
      const board = await this.loadBoard(client, boardId, head.rows[0]);
      const planned = planBatch(board, boardId, writes, await this.lookups(client, writes));
      if (planned.rows) await writeBatchRows(client, planned.rows, COMMIT_CHANNEL);
      return planned;
    });
    if (batch.rows) {
      if (batch.boardAfter) this.cache.set(batch.boardAfter);
      else this.cache.delete(boardId);
    }
    return batch.results;
  }

  /**
   * What the batch's keys and proposed ids already are. The keys are locked first, in one order, so
   * two requests with one key on two processes run one after the other (the second replays).
   */
  private async lookups(client: pg.PoolClient, writes: readonly QueuedWrite[]): Promise<BatchLookups> {
    const { keys, proposedIds } = lookupsOf(writes);
    const recordsByKey = new Map<string, IdempotencyRecord>();
    if (keys.length > 0) {
      await client.query(SQL.lockIdempotencyKeys, [keys.sort()]);
      const { rows } = await client.query<IdempotencyRecord & { key: string }>(SQL.idempotencyRecords, [
        keys,
      ]);
      for (const { key, ...record } of rows) recordsByKey.set(key, record);
    }
    const takenIds = new Set<string>();
    if (proposedIds.length > 0) {
      const { rows } = await client.query<{ id: string }>(SQL.usedIds, [proposedIds]);
      for (const row of rows) takenIds.add(row.id);
    }
    return { recordsByKey, takenIds };
  }

  async readEvents(boardId: string, afterSeq: number, limit: number): Promise<LoggedEvent[]> {
    const { rows } = await this.pool.query<{ seq: number; type: BoardEventType; data: string }>(
      SQL.eventsAfter,
      [boardId, afterSeq, limit],
    );
    return rows.map((row) => ({ boardId, seq: row.seq, type: row.type, json: row.data }));
  }

  async pruneIdempotencyKeys(olderThan: Date): Promise<number> {
    const result = await this.pool.query(SQL.pruneIdempotency, [olderThan.toISOString()]);
    return result.rowCount ?? 0;
  }

  async pruneEvents(keepPerBoard: number): Promise<number> {
    const result = await this.pool.query(SQL.pruneEvents, [keepPerBoard]);
    return result.rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.feed?.stop();
    await this.pool.end();
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async replayIfSeen(
    client: pg.PoolClient,
    options: WriteOptions,
  ): Promise<WriteOutcome | undefined> {
    if (options.idempotencyKey === undefined) return undefined;
    await client.query(SQL.lockIdempotencyKey, [options.idempotencyKey]);
    const { rows } = await client.query<IdempotencyRecord>(SQL.idempotencyRecord, [options.idempotencyKey]);
    return replayOf(rows[0], options);
  }

  private async loadBoard(
    client: pg.PoolClient,
    boardId: string,
    knownHead?: BoardSeqRow,
  ): Promise<Board | undefined> {
    let head = knownHead;
    if (!head) head = (await client.query<BoardSeqRow>(SQL.boardSeq, [boardId])).rows[0];
    if (!head || head.deleted_at !== null) return undefined;
    const cached = this.cache.get(boardId, head.seq);
    if (cached) return cached;
    // One client runs one query at a time: in sequence, inside the caller's transaction.
    const board = await client.query<BoardRow>(SQL.boardRow, [boardId]);
    const lists = await client.query<ListRow>(SQL.listsOfBoard, [boardId]);
    const tasks = await client.query<TaskRow>(SQL.tasksOfBoard, [boardId]);
    const row = board.rows[0];
    if (!row || row.deleted_at !== null) return undefined;
    const snapshot = boardFromRows(row, lists.rows, tasks.rows);
    if (snapshot.seq === head.seq) this.cache.set(snapshot);
    return snapshot;
  }
}
