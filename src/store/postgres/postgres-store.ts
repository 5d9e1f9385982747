import pg from 'pg';
import type {
  Board,
  BoardCommand,
  BoardEvent,
  BoardEventType,
  BoardInfo,
  CreateBoardCommand,
} from '../../domain/index.js';
import { BoardCache } from '../board-cache.js';
import {
  boardFromRows,
  boardInfoFromRow,
  taskRowValues,
  type BoardRow,
  type ListRow,
  type TaskRow,
} from '../board-rows.js';
import type { BoardHead, CommitWatcher, LoggedEvent, Store, WriteOptions, WriteOutcome } from '../store.js';
import {
  notFound,
  planBoardCreation,
  planCommand,
  idempotencyRowValues,
  replayOf,
  type IdempotencyRecord,
} from '../write-plan.js';
import { COMMIT_CHANNEL, CommitFeed } from './commit-feed.js';
import { migrate } from './schema.js';

const INT8_OID = 20;

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
    const { rows } = await this.pool.query<BoardRow>(
      `SELECT id, title, seq, created_at, updated_at, deleted_at FROM boards
       WHERE deleted_at IS NULL ORDER BY created_at, id COLLATE "C"`,
    );
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
    const { rows } = await this.pool.query<{ seq: number; deleted_at: string | null; first: number | null }>(
      `SELECT b.seq, b.deleted_at, (SELECT MIN(seq) FROM events e WHERE e.board_id = b.id) AS first
       FROM boards b WHERE b.id = $1`,
      [boardId],
    );
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
      const now = (options.now ?? new Date()).toISOString();
      const { board, outcome } = planBoardCreation(command, now);
      await client.query(
        'INSERT INTO boards (id, title, seq, created_at, updated_at) VALUES ($1, $2, 0, $3, $3)',
        [board.id, board.title, now],
      );
      await this.remember(client, options, outcome, now);
      return outcome;
    });
  }

  async execute(boardId: string, command: BoardCommand, options: WriteOptions): Promise<WriteOutcome> {
    let boardAfter: Board | undefined;
    const outcome = await this.transaction(async (client) => {
      const replay = await this.replayIfSeen(client, options);
      if (replay) return replay;
      // The row lock is what serializes this board's writers, across every process.
      const head = await client.query<{ seq: number; deleted_at: string | null }>(
        'SELECT seq, deleted_at FROM boards WHERE id = $1 FOR UPDATE',
        [boardId],
      );
      const board = await this.loadBoard(client, boardId, head.rows[0]);
      if (!board) throw notFound(boardId);
      const at = (options.now ?? new Date()).toISOString();
      const plan = planCommand(board, command, at);
      await projectEvent(client, boardId, plan.event);
      await client.query('INSERT INTO events (board_id, seq, type, data) VALUES ($1, $2, $3, $4)', [
        boardId,
        plan.event.seq,
        plan.event.type,
        plan.outcome.event!.json,
      ]);
      await client.query('UPDATE boards SET seq = $1, updated_at = $2 WHERE id = $3', [
        plan.event.seq,
        at,
        boardId,
      ]);
      await this.remember(client, options, plan.outcome, at);
      await client.query('SELECT pg_notify($1, $2)', [COMMIT_CHANNEL, `${boardId}:${plan.event.seq}`]);
      boardAfter = plan.boardAfter;
      return plan.outcome;
    });
    if (boardAfter) {
      if (outcome.event?.type === 'board_deleted') this.cache.delete(boardId);
      else this.cache.set(boardAfter);
    }
    return outcome;
  }

  async readEvents(boardId: string, afterSeq: number, limit: number): Promise<LoggedEvent[]> {
    const { rows } = await this.pool.query<{ seq: number; type: BoardEventType; data: string }>(
      'SELECT seq, type, data FROM events WHERE board_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [boardId, afterSeq, limit],
    );
    return rows.map((row) => ({ boardId, seq: row.seq, type: row.type, json: row.data }));
  }

  async pruneIdempotencyKeys(olderThan: Date): Promise<number> {
    const result = await this.pool.query('DELETE FROM idempotency_keys WHERE created_at < $1', [
      olderThan.toISOString(),
    ]);
    return result.rowCount ?? 0;
  }

  async pruneEvents(keepPerBoard: number): Promise<number> {
    const result = await this.pool.query(
      'DELETE FROM events e USING boards b WHERE b.id = e.board_id AND e.seq <= b.seq - $1',
      [keepPerBoard],
    );
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
    // Two requests with one key, at once, on two processes: the second waits here for the first.
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [options.idempotencyKey]);
    const { rows } = await client.query<IdempotencyRecord>(
      `SELECT fingerprint, board_id AS "boardId", seq, status, body FROM idempotency_keys WHERE key = $1`,
      [options.idempotencyKey],
    );
    return replayOf(rows[0], options);
  }

  private async remember(client: pg.PoolClient, options: WriteOptions, outcome: WriteOutcome, at: string) {
    if (options.idempotencyKey === undefined) return;
    await client.query(
      `INSERT INTO idempotency_keys (key, fingerprint, board_id, seq, status, body, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      idempotencyRowValues(options.idempotencyKey, options, outcome, at),
    );
  }

  private async loadBoard(
    queryable: pg.PoolClient,
    boardId: string,
    knownHead?: { seq: number; deleted_at: string | null },
  ): Promise<Board | undefined> {
    let head = knownHead;
    if (!head) {
      const { rows } = await queryable.query<{ seq: number; deleted_at: string | null }>(
        'SELECT seq, deleted_at FROM boards WHERE id = $1',
        [boardId],
      );
      head = rows[0];
    }
    if (!head || head.deleted_at !== null) return undefined;
    const cached = this.cache.get(boardId, head.seq);
    if (cached) return cached;
    // One client runs one query at a time: in sequence, inside the caller's transaction.
    const board = await queryable.query<BoardRow>(
      'SELECT id, title, seq, created_at, updated_at, deleted_at FROM boards WHERE id = $1',
      [boardId],
    );
    const lists = await queryable.query<ListRow>(
      'SELECT id, board_id, title, position FROM lists WHERE board_id = $1',
      [boardId],
    );
    const tasks = await queryable.query<TaskRow>(
      `SELECT id, board_id, list_id, title, description, position, version, created_at, updated_at
       FROM tasks WHERE board_id = $1`,
      [boardId],
    );
    const row = board.rows[0];
    if (!row || row.deleted_at !== null) return undefined;
    const snapshot = boardFromRows(row, lists.rows, tasks.rows);
    if (snapshot.seq === head.seq) this.cache.set(snapshot);
    return snapshot;
  }
}

/** Writes what an event changes to the board's rows (the log row is written by the caller). */
async function projectEvent(client: pg.PoolClient, boardId: string, event: BoardEvent): Promise<void> {
  switch (event.type) {
    case 'task_created':
    case 'task_updated':
    case 'task_moved':
      await client.query(
        `INSERT INTO tasks (id, board_id, list_id, title, description, position, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET list_id = excluded.list_id, title = excluded.title,
           description = excluded.description, position = excluded.position, version = excluded.version,
           updated_at = excluded.updated_at`,
        taskRowValues(boardId, event.task),
      );
      return;
    case 'task_deleted':
      await client.query('DELETE FROM tasks WHERE id = $1', [event.taskId]);
      return;
    case 'list_created':
    case 'list_updated':
    case 'list_moved':
      await client.query(
        `INSERT INTO lists (id, board_id, title, position) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, position = excluded.position`,
        [event.list.id, boardId, event.list.title, event.list.position],
      );
      return;
    case 'list_deleted':
      await client.query('DELETE FROM tasks WHERE list_id = $1', [event.listId]);
      await client.query('DELETE FROM lists WHERE id = $1', [event.listId]);
      return;
    case 'board_updated':
      await client.query('UPDATE boards SET title = $1 WHERE id = $2', [event.board.title, boardId]);
      return;
    case 'board_deleted':
      await client.query('DELETE FROM tasks WHERE board_id = $1', [boardId]);
      await client.query('DELETE FROM lists WHERE board_id = $1', [boardId]);
      await client.query('UPDATE boards SET deleted_at = $1 WHERE id = $2', [event.at, boardId]);
      return;
  }
}
