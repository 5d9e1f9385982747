import pg from 'pg';
import {
  LiveboardError,
  applyEvents,
  type Board,
  type BoardEvent,
  type BoardCommand,
  type BoardEventType,
  type CreateBoardCommand,
} from '../../domain/index.js';
import { BoardCache, MembersCache } from '../board-cache.js';
import {
  boardFromRows,
  boardInfoFromRow,
  membersFromRows,
  commentFromRow,
  headFromRow,
  type BoardRow,
  type HeadRow,
  type LabelRow,
  type CommentRow,
  type ListRow,
  type MemberRow,
  type TaskRow,
} from '../board-rows.js';
import {
  searchPageOf,
  tsquery,
  type SearchDocRow,
  type SearchPage,
  type SearchQuery,
} from '../search-rows.js';
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
import { PostgresAccountStore } from './account-store.js';
import { COMMIT_CHANNEL, CommitFeed } from './commit-feed.js';
import { migrate } from './schema.js';
import { SQL, UNIQUE_VIOLATION, writeBatchRows, writeNewBoard, type DecidedRows } from './statements.js';

const INT8_OID = 20;

/**
 * The sessions of the pool that runs the write path and the access check's head reads: statements
 * keyed by primary keys or indexed columns, prepared once per connection. Their plans are generic
 * from the first run (a custom plan of the batch's statement took 4 ms of the database's CPU), and a
 * plan made while the tables were still small never scans one: measured, the plans a fresh database
 * gave its first connections seq-scanned `search_docs` and `tasks` on every write for as long as the
 * connection lived, and 64 boards × 64 writers fell to half the throughput as the tables grew.
 */
export const KEYED_SESSION = '-c plan_cache_mode=force_generic_plan -c enable_seqscan=off';
/**
 * Connections per pool and process: two pools of 5 and the LISTEN make the 11 per process that
 * docs/SCALING.md plans with. The writer sends at most two statements at once (boardBatchLanes), so
 * the keyed pool's other connections serve head reads, each one short round trip.
 */
const POOL_SIZE = 5;

/**
 * A cached board at most this many events behind is brought forward by folding them (one read of
 * the log) rather than read again whole (every list, task and label of the board).
 */
const CATCH_UP_EVENTS = 256;

/** Tries before a batch that keeps losing the race for its board to other processes gives up (503). */
const MAX_WRITE_ATTEMPTS = 8;
/** Tries without the row lock, before a batch waits for it instead. */
const OPTIMISTIC_ATTEMPTS = 3;

interface BatchLookupRow {
  heads: Array<BoardSeqRow & { id: string }>;
  records: Array<IdempotencyRecord & { key: string }>;
  taken: string[];
  comments: CommentRow[];
  missed: Array<LogRow & { boardId: string }>;
}

interface LogRow {
  seq: number;
  data: string;
}

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
  /**
   * Two statements of several boards each in flight: while one commits, the next is decided and
   * sent, and the database's two cores both work (see BoardWriter; bench/writes.js measures it).
   */
  readonly boardBatchLanes = 2;
  readonly accounts: PostgresAccountStore;
  /** Listings, search, pruning, migrations: planned for the values they are given. */
  private readonly pool: pg.Pool;
  /** The write path and head reads (see KEYED_SESSION). */
  private readonly keyedPool: pg.Pool;
  private readonly clientConfig: pg.ClientConfig;
  private readonly cache = new BoardCache();
  private readonly membersCache = new MembersCache();
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
    this.pool = new pg.Pool({ ...this.clientConfig, max: POOL_SIZE });
    const options = [this.clientConfig.options, KEYED_SESSION].filter(Boolean).join(' ');
    this.keyedPool = new pg.Pool({ ...this.clientConfig, options, max: POOL_SIZE });
    // An idle client's error (e.g. the server restarted) must not crash the process; the next
    // query gets a fresh connection.
    this.pool.on('error', () => undefined);
    this.keyedPool.on('error', () => undefined);
    this.accounts = new PostgresAccountStore(this.pool, this.clientConfig);
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

  async listBoards(userId: string | null): Promise<BoardListing[]> {
    const { rows } = await this.pool.query<BoardRow & { role: BoardListing['role'] }>(SQL.boardsOf, [
      userId ?? '',
    ]);
    return rows.map((row) => ({ ...boardInfoFromRow(row), role: row.role ?? null }));
  }

  async ownerlessBoards(limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(SQL.ownerless, [limit]);
    return rows.map((row) => row.id);
  }

  async getBoard(boardId: string): Promise<Board | undefined> {
    // One snapshot for the board row, its lists and its tasks, so the seq matches what is shown.
    return this.transaction(
      (client) => this.loadBoard(client, boardId),
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  /**
   * One statement, so the members are those of the seq it reads. When the members of that seq are
   * known already (most stream opens), they are not read again; otherwise the statement that reads
   * them too follows, and its seq (perhaps newer) is the answer.
   */
  async boardHead(boardId: string): Promise<BoardHead | undefined> {
    const light = (
      await this.keyedPool.query<HeadRow>({
        name: 'liveboard_head',
        text: SQL.boardHeadWithoutMembers,
        values: [boardId],
      })
    ).rows[0];
    if (!light) return undefined;
    const known = this.membersCache.membersAt(boardId, light.seq, this.cache);
    if (known) return headFromRow(boardId, light, known);
    const { rows } = await this.keyedPool.query<HeadRow & { members: MemberRow[] }>({
      name: 'liveboard_head_members',
      text: SQL.boardHead,
      values: [boardId],
    });
    const row = rows[0];
    if (!row) return undefined;
    const members = membersFromRows(row.members);
    this.membersCache.set({ boardId, seq: row.seq, members });
    return headFromRow(boardId, row, members);
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
    return (await this.executeBoardBatches([{ boardId, writes }]))[0]!;
  }

  /**
   * A group commit of one board's writes or of several boards' (the writer hands over every board
   * waiting), decided on each board as last read and written in one statement that applies only if
   * none of them has moved on meanwhile (see WRITE_BATCHES): the boards' rows are locked for one
   * round trip, not across the reads and decisions, and one commit serves every board's writes
   * (measured: one board's 64 writers in batches wrote 3× what 64 boards did one write a statement).
   * Losing that race to another process (or an id or key it took first) means deciding again on
   * what it wrote; after a few lost races each board goes alone, taking its row lock first and
   * waiting its turn, so a busy board never starves a batch.
   */
  async executeBoardBatches(batches: readonly BoardBatch[]): Promise<WriteResult[][]> {
    if (new Set(batches.map((batch) => batch.boardId)).size !== batches.length) {
      throw new TypeError('executeBoardBatches: each board at most once per statement');
    }
    for (let attempt = 1; attempt <= OPTIMISTIC_ATTEMPTS; attempt++) {
      try {
        const plans = await this.decideAndWrite(this.keyedPool, batches);
        if (plans) return this.committed(batches, plans);
      } catch (error) {
        if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
      }
    }
    return Promise.all(batches.map((batch) => this.executeLocked(batch)));
  }

  /** One board's batch, its row locked before it is decided: a contended board's turn. */
  private async executeLocked(batch: BoardBatch): Promise<WriteResult[]> {
    for (let attempt = OPTIMISTIC_ATTEMPTS + 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      try {
        const plans = await this.transaction(
          (client) => this.decideAndWrite(client, [batch], true),
          'BEGIN',
          this.keyedPool,
        );
        if (plans) return this.committed([batch], plans)[0]!;
      } catch (error) {
        if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
      }
    }
    throw new LiveboardError('unavailable', `board '${batch.boardId}' is too busy to write to now; retry`);
  }

  /** Only now, committed: a rolled-back write must not leave its board in the cache. */
  private committed(batches: readonly BoardBatch[], plans: readonly BatchPlan[]): WriteResult[][] {
    return plans.map((plan, index) => {
      if (plan.rows) {
        if (plan.boardAfter) this.cache.set(plan.boardAfter);
        else this.cache.delete(batches[index]!.boardId);
      }
      return plan.results;
    });
  }

  /**
   * One try: the batches as written, or undefined when another writer changed one of their boards
   * first. `locked`: one batch, in a transaction, its board's row to be locked first.
   */
  private async decideAndWrite(
    queryable: pg.Pool | pg.PoolClient,
    batches: readonly BoardBatch[],
    locked = false,
  ): Promise<BatchPlan[] | undefined> {
    if (locked) await queryable.query(SQL.lockBoard, [batches[0]!.boardId]);
    const { keys, proposedIds, commentIds } = lookupsOf(batches.flatMap((batch) => batch.writes));
    const boardIds = batches.map((batch) => batch.boardId);
    // Locked, the board is loaded in the transaction; unlocked, what its cached snapshot lacks comes along.
    const cachedSeqs = boardIds.map((boardId) => (locked ? -1 : (this.cache.latest(boardId)?.seq ?? -1)));
    const { rows } = await queryable.query<BatchLookupRow>({
      name: 'liveboard_batch_lookups',
      text: SQL.batchLookups,
      values: [boardIds, keys, proposedIds, commentIds, cachedSeqs, CATCH_UP_EVENTS],
    });
    const { heads, records, taken, comments, missed } = rows[0]!;
    const headOf = new Map(heads.map((head) => [head.id, head]));
    const recordsByKey = new Map(records.map(({ key, ...record }) => [key, record]));
    const takenIds = new Set(taken);
    const plans: BatchPlan[] = [];
    const decided: DecidedRows[] = [];
    for (const { boardId, writes } of batches) {
      const head = headOf.get(boardId);
      const boardComments = comments.filter((row) => row.board_id === boardId);
      let board: Board | undefined;
      if (head && head.deleted_at === null) {
        // Locked, the head just read stands; unlocked, a snapshot of its own (which may be newer).
        board = locked
          ? await this.loadBoard(queryable as pg.PoolClient, boardId, head)
          : (this.cache.get(boardId, head.seq) ??
            this.foldOnto(
              boardId,
              head.seq,
              missed.filter((row) => row.boardId === boardId),
            ) ??
            (await this.caughtUp(queryable, boardId, head.seq)) ??
            (await this.getBoard(boardId)));
        // The comments were read at `seq`: decided on a newer board they could be stale, so decide again.
        if (boardComments.length > 0 && board && board.seq !== head.seq) return undefined;
      }
      const lookups: BatchLookups = {
        recordsByKey,
        takenIds,
        comments: new Map(
          boardComments.map((row) => [row.id, commentFromRow({ ...row, added_seq: Number(row.added_seq) })]),
        ),
      };
      const plan = planBatch(board, boardId, writes, lookups);
      plans.push(plan);
      if (plan.rows) decided.push({ rows: plan.rows, expectedSeq: board!.seq });
    }
    if (decided.length > 0 && !(await writeBatchRows(queryable, decided, COMMIT_CHANNEL))) return undefined;
    return plans;
  }

  async readEvents(boardId: string, afterSeq: number, limit: number): Promise<LoggedEvent[]> {
    const { rows } = await this.pool.query<{ seq: number; type: BoardEventType; data: string }>(
      SQL.eventsAfter,
      [boardId, afterSeq, limit],
    );
    return rows.map((row) => ({ boardId, seq: row.seq, type: row.type, json: row.data }));
  }

  async listComments(boardId: string, taskId: string, page: PageRequest): Promise<CommentPage> {
    const { rows } = await this.pool.query<CommentRow>(SQL.commentsOfTask, [
      taskId,
      boardId,
      beforeOf(page),
      page.limit + 1,
    ]);
    return {
      comments: rows.slice(0, page.limit).map(commentFromRow),
      nextBefore: rows.length > page.limit ? Number(rows[page.limit - 1]!.added_seq) : null,
    };
  }

  async readActivity(boardId: string, taskId: string | undefined, page: PageRequest): Promise<ActivityPage> {
    const before = beforeOf(page);
    const { rows } = await this.pool.query<{ seq: number; type: BoardEventType; data: string }>(
      taskId === undefined ? SQL.eventsBefore : SQL.taskEventsBefore,
      taskId === undefined ? [boardId, before, page.limit + 1] : [boardId, taskId, before, page.limit + 1],
    );
    const first = (await this.pool.query<{ seq: number | null }>(SQL.firstEventSeq, [boardId])).rows[0]?.seq;
    return {
      events: rows
        .slice(0, page.limit)
        .map((row) => ({ boardId, seq: row.seq, type: row.type, json: row.data })),
      nextBefore: rows.length > page.limit ? rows[page.limit - 1]!.seq : null,
      historyStartsAt: first != null && first > 1 ? first : null,
    };
  }

  async taskInLog(boardId: string, taskId: string): Promise<boolean> {
    return ((await this.pool.query(SQL.taskInLog, [boardId, taskId])).rowCount ?? 0) > 0;
  }

  async search(boardId: string, query: SearchQuery): Promise<SearchPage> {
    const after = query.after;
    const { rows } = await this.pool.query<SearchDocRow>(SQL.search, [
      tsquery(boardId, query.terms),
      boardId,
      query.limit + 1,
      after?.rank ?? null,
      after?.updatedAt ?? null,
      after?.docKey ?? null,
    ]);
    return searchPageOf(rows, query);
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
    await this.accounts.close();
    await Promise.all([this.pool.end(), this.keyedPool.end()]);
  }

  private async transaction<T>(
    work: (client: pg.PoolClient) => Promise<T>,
    begin = 'BEGIN',
    pool = this.pool,
  ): Promise<T> {
    const client = await pool.connect();
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

  /**
   * The cached board brought forward to `seq` by the events committed since it was cached (another
   * process's writes: in a cluster, most batches find their board a batch or two behind), or
   * undefined when none is cached, it is too far behind, or the log no longer holds those events.
   * Committed events never change, so this needs no snapshot of its own. A snapshot is the fold of
   * its log (store contract S5), so the result is the board a full read would give.
   */
  private async caughtUp(
    queryable: pg.Pool | pg.PoolClient,
    boardId: string,
    seq: number,
  ): Promise<Board | undefined> {
    const behind = this.cache.latest(boardId);
    if (!behind || behind.seq >= seq || seq - behind.seq > CATCH_UP_EVENTS) return undefined;
    const { rows } = await queryable.query<LogRow>({
      name: 'liveboard_catch_up',
      text: SQL.eventsAfter,
      values: [boardId, behind.seq, seq - behind.seq],
    });
    return this.foldOnto(boardId, seq, rows);
  }

  /**
   * The cached board brought to `seq` by folding `rows`, the log's events after it in order; undefined
   * unless they are exactly the ones it lacks (none cached, too far behind, or a gap).
   */
  private foldOnto(boardId: string, seq: number, rows: readonly LogRow[]): Board | undefined {
    const behind = this.cache.latest(boardId);
    if (!behind || behind.seq >= seq) return undefined;
    if (rows.length !== seq - behind.seq || rows[0]!.seq !== behind.seq + 1) return undefined;
    const board = applyEvents(
      behind,
      rows.map((row) => JSON.parse(row.data) as BoardEvent),
    );
    this.cache.set(board);
    return board;
  }

  private async loadBoard(
    client: pg.PoolClient,
    boardId: string,
    knownHead?: BoardSeqRow,
  ): Promise<Board | undefined> {
    let head = knownHead;
    if (!head) head = (await client.query<BoardSeqRow>(SQL.boardSeq, [boardId])).rows[0];
    if (!head || head.deleted_at !== null) return undefined;
    const cached = this.cache.get(boardId, head.seq) ?? (await this.caughtUp(client, boardId, head.seq));
    if (cached) return cached;
    // One client runs one query at a time: in sequence, inside the caller's transaction.
    const board = await client.query<BoardRow>(SQL.boardRow, [boardId]);
    const members = await client.query<MemberRow>(SQL.membersOfBoard, [boardId]);
    const lists = await client.query<ListRow>(SQL.listsOfBoard, [boardId]);
    const tasks = await client.query<TaskRow>(SQL.tasksOfBoard, [boardId]);
    const labels = await client.query<LabelRow>(SQL.labelsOfBoard, [boardId]);
    const row = board.rows[0];
    if (!row || row.deleted_at !== null) return undefined;
    const snapshot = boardFromRows(row, members.rows, lists.rows, tasks.rows, labels.rows);
    if (snapshot.seq === head.seq) this.cache.set(snapshot);
    return snapshot;
  }
}

/** Below this seq: all of them when the page names none. */
function beforeOf(page: PageRequest): number {
  return page.before ?? Number.MAX_SAFE_INTEGER;
}
