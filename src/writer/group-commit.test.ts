/**
 * The writer's group commit on its own: a store whose transactions the test holds open, a real
 * broadcaster with a recording sink, and real metrics.
 */
import { describe, expect, it } from 'vitest';
import { LiveboardError, type BoardCommand } from '../domain/index.js';
import { Broadcaster, type Sink } from '../live/broadcaster.js';
import type { EventBatch } from '../live/event-batch.js';
import { createMetrics } from '../metrics.js';
import type { BoardBatch, QueuedWrite, Store, WriteOutcome, WriteResult } from '../store/store.js';
import { BoardWriter } from './board-writer.js';

const BOARD = 'board-1';
const metrics = createMetrics();

/** Commits every write whose title is not 'refuse', numbering them; each transaction waits for the test. */
class HeldStore {
  seq = 0;
  readonly batches: string[][] = [];
  private readonly releases: Array<() => void> = [];
  failNext = false;

  executeBatch(_boardId: string, writes: readonly QueuedWrite[]): Promise<WriteResult[]> {
    this.batches.push(writes.map(({ command }) => titleOf(command)));
    return new Promise((resolve, reject) => {
      this.releases.push(() => {
        if (this.failNext) {
          this.failNext = false;
          reject(new Error('the database went away'));
          return;
        }
        resolve(writes.map(({ command }) => this.result(command)));
      });
    });
  }

  boardHead(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  /** Lets the oldest transaction in flight finish. */
  release(): void {
    this.releases.shift()!();
  }

  get inFlight(): number {
    return this.releases.length;
  }

  private result(command: BoardCommand): WriteResult {
    const title = titleOf(command);
    if (title === 'refuse') return { ok: false, error: new LiveboardError('list_not_found', 'no list') };
    const seq = ++this.seq;
    const outcome: WriteOutcome = {
      change: 'created',
      entity: null,
      entityJson: null,
      boardId: BOARD,
      seq,
      event: { boardId: BOARD, seq, type: 'list_created', json: JSON.stringify({ seq, title }) },
      replayed: false,
    };
    return { ok: true, outcome };
  }
}

const titleOf = (command: BoardCommand): string => (command.type === 'create_list' ? command.title : '?');
const create = (title: string): BoardCommand => ({ type: 'create_list', title });

function setUp(limits = { maxBatch: 64, maxQueued: 1024 }) {
  const store = new HeldStore();
  const broadcaster = new Broadcaster(store as unknown as Store, metrics);
  const published: number[][] = [];
  const sink: Sink = {
    send(batch: EventBatch) {
      published.push(batch.events.map((event) => event.seq));
      return 'sent';
    },
    close: () => undefined,
  };
  broadcaster.subscribe(BOARD, 0, 0, sink);
  const heardAtCommit: number[] = [];
  const writer = new BoardWriter(
    store as unknown as Store,
    broadcaster,
    metrics,
    { afterCommit: (outcome) => heardAtCommit.push(outcome.seq) },
    limits,
  );
  return { store, writer, published, heardAtCommit };
}

const turns = async (count = 5): Promise<void> => {
  for (let index = 0; index < count; index++) await new Promise((resolve) => setImmediate(resolve));
};

describe('group commit per board', () => {
  it('starts an idle board’s write at once, and commits the writes that waited meanwhile in one transaction', async () => {
    const { store, writer, published } = setUp();
    const first = writer.execute(BOARD, create('a'));
    await turns(1);
    expect(store.batches).toEqual([['a']]);
    const waiting = ['b', 'c', 'd'].map((title) => writer.execute(BOARD, create(title)));
    expect(store.batches).toHaveLength(1);
    store.release();
    expect((await first).seq).toBe(1);
    await turns();
    expect(store.batches).toEqual([['a'], ['b', 'c', 'd']]);
    store.release();
    expect((await Promise.all(waiting)).map((outcome) => outcome.seq)).toEqual([2, 3, 4]);
    await turns();
    expect(published.flat()).toEqual([1, 2, 3, 4]);
  });

  it('answers each write only once its batch committed, and tells afterCommit before anyone hears', async () => {
    const { store, writer, published, heardAtCommit } = setUp();
    let answered = false;
    const write = writer.execute(BOARD, create('a')).then((outcome) => {
      answered = true;
      return outcome;
    });
    await turns();
    expect(answered).toBe(false);
    store.release();
    await write;
    expect(heardAtCommit).toEqual([1]);
    expect(published).toEqual([]);
    await turns();
    expect(published).toEqual([[1]]);
  });

  it('refuses a write alone, and the rest of its batch commits', async () => {
    const { store, writer } = setUp();
    const first = writer.execute(BOARD, create('a'));
    await turns(1);
    const batch = [
      writer.execute(BOARD, create('b')),
      writer.execute(BOARD, create('refuse')),
      writer.execute(BOARD, create('c')),
    ];
    store.release();
    await first;
    await turns();
    store.release();
    const settled = await Promise.allSettled(batch);
    expect(settled.map((result) => (result.status === 'fulfilled' ? result.value.seq : 'refused'))).toEqual([
      2,
      'refused',
      3,
    ]);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'list_not_found' });
  });

  it('takes at most maxBatch writes per transaction', async () => {
    const { store, writer } = setUp({ maxBatch: 2, maxQueued: 100 });
    const writes = ['a', 'b', 'c', 'd', 'e'].map((title) => writer.execute(BOARD, create(title)));
    for (let round = 0; round < 4; round++) {
      await turns();
      if (store.inFlight > 0) store.release();
    }
    await Promise.all(writes);
    expect(store.batches).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
  });

  it('refuses a write with 503 unavailable when maxQueued writes of its board wait, not another board’s', async () => {
    const { store, writer } = setUp({ maxBatch: 64, maxQueued: 3 });
    const inFlight = writer.execute(BOARD, create('a'));
    await turns(1);
    const queued = ['b', 'c', 'd'].map((title) => writer.execute(BOARD, create(title)));
    await expect(writer.execute(BOARD, create('e'))).rejects.toMatchObject({
      code: 'unavailable',
      status: 503,
    });
    const otherBoard = writer.execute('board-2', create('elsewhere'));
    await turns(1);
    expect(store.batches.at(-1)).toEqual(['elsewhere']);
    store.release();
    store.release();
    await Promise.all([inFlight, otherBoard]);
    await turns();
    store.release();
    await Promise.all(queued);
  });

  it('fails every write of a batch whose transaction failed, and goes on with the next batch', async () => {
    const { store, writer } = setUp();
    const first = writer.execute(BOARD, create('a'));
    await turns(1);
    const doomed = [writer.execute(BOARD, create('b')), writer.execute(BOARD, create('c'))];
    store.release();
    await first;
    await turns();
    store.failNext = true;
    const later = writer.execute(BOARD, create('d'));
    store.release();
    for (const write of doomed) await expect(write).rejects.toThrow('the database went away');
    await turns();
    store.release();
    expect((await later).seq).toBe(2);
  });
});

/** Like HeldStore, for a store whose transactions run one at a time: several boards per transaction. */
class HeldBoardsStore {
  readonly seqs = new Map<string, number>();
  /** Each transaction's boards and titles: `board-a:x`. */
  readonly transactions: string[][] = [];
  private readonly releases: Array<() => void> = [];
  failNext = false;
  /** Commits within the call, as better-sqlite3 does: the promise it returns has already settled. */
  synchronous = false;

  constructor(readonly boardBatchLanes = 1) {}

  executeBoardBatches(batches: readonly BoardBatch[]): Promise<WriteResult[][]> {
    this.transactions.push(
      batches.flatMap(({ boardId, writes }) => writes.map(({ command }) => `${boardId}:${titleOf(command)}`)),
    );
    const results = () =>
      batches.map(({ boardId, writes }) => writes.map(({ command }) => this.result(boardId, command)));
    if (this.synchronous) return Promise.resolve(results());
    return new Promise((resolve, reject) => {
      this.releases.push(() => {
        if (this.failNext) {
          this.failNext = false;
          reject(new Error('the disk is full'));
          return;
        }
        resolve(results());
      });
    });
  }

  executeBatch(boardId: string, writes: readonly QueuedWrite[]): Promise<WriteResult[]> {
    return this.executeBoardBatches([{ boardId, writes }]).then((results) => results[0]!);
  }

  boardHead(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  release(): void {
    this.releases.shift()!();
  }

  private result(boardId: string, command: BoardCommand): WriteResult {
    const title = titleOf(command);
    if (title === 'refuse') return { ok: false, error: new LiveboardError('list_not_found', 'no list') };
    const seq = (this.seqs.get(boardId) ?? 0) + 1;
    this.seqs.set(boardId, seq);
    const outcome: WriteOutcome = {
      change: 'created',
      entity: null,
      entityJson: null,
      boardId,
      seq,
      event: { boardId, seq, type: 'list_created', json: JSON.stringify({ seq, title }) },
      replayed: false,
    };
    return { ok: true, outcome };
  }
}

function setUpBoards(boards: string[], limits = { maxBatch: 64, maxQueued: 1024 }, lanes = 1) {
  const store = new HeldBoardsStore(lanes);
  const broadcaster = new Broadcaster(store as unknown as Store, metrics);
  const published = new Map<string, number[]>();
  for (const boardId of boards) {
    published.set(boardId, []);
    broadcaster.subscribe(boardId, 0, 0, {
      send(batch: EventBatch) {
        published.get(boardId)!.push(...batch.events.map((event) => event.seq));
        return 'sent';
      },
      close: () => undefined,
    });
  }
  const writer = new BoardWriter(store as unknown as Store, broadcaster, metrics, {}, limits);
  return { store, writer, published };
}

describe('group commit across boards (a store that commits one transaction at a time)', () => {
  it('starts an idle store’s write at once, then commits every board’s waiting writes in one transaction', async () => {
    const boards = ['board-a', 'board-b', 'board-c'];
    const { store, writer, published } = setUpBoards(boards);
    const first = writer.execute('board-a', create('1'));
    await turns(1);
    expect(store.transactions).toEqual([['board-a:1']]);
    const waiting = [
      writer.execute('board-b', create('2')),
      writer.execute('board-c', create('3')),
      writer.execute('board-a', create('4')),
      writer.execute('board-b', create('5')),
    ];
    store.release();
    await first;
    await turns();
    // One transaction, each board's writes in their order, each board's seq its own.
    expect(store.transactions[1]!.sort()).toEqual(['board-a:4', 'board-b:2', 'board-b:5', 'board-c:3']);
    expect(store.transactions).toHaveLength(2);
    store.release();
    const outcomes = await Promise.all(waiting);
    expect(outcomes.map((outcome) => [outcome.boardId, outcome.seq])).toEqual([
      ['board-b', 1],
      ['board-c', 1],
      ['board-a', 2],
      ['board-b', 2],
    ]);
    await turns();
    expect(Object.fromEntries(published)).toEqual({ 'board-a': [1, 2], 'board-b': [1, 2], 'board-c': [1] });
  });

  it('takes at most maxBatch writes per transaction, shared among the boards, so a busy board never starves a quiet one', async () => {
    const { store, writer } = setUpBoards(['board-busy', 'board-quiet'], { maxBatch: 8, maxQueued: 1024 });
    const first = writer.execute('board-busy', create('0'));
    await turns(1);
    const busy = Array.from({ length: 40 }, (_, index) => writer.execute('board-busy', create(`b${index}`)));
    store.release();
    await first;
    await turns();
    const quiet = writer.execute('board-quiet', create('q'));
    expect(store.transactions[1]).toHaveLength(8);
    store.release();
    await turns();
    // The quiet board's one write goes in the very next transaction, beside the busy board's share.
    expect(store.transactions[2]).toContain('board-quiet:q');
    expect(store.transactions[2]!.length).toBeLessThanOrEqual(8);
    store.release();
    expect((await quiet).seq).toBe(1);
    for (let index = 0; index < 10; index++) {
      await turns();
      if (store.transactions.length > index + 3) store.release();
    }
    expect((await Promise.all(busy)).map((outcome) => outcome.seq)).toEqual(
      Array.from({ length: 40 }, (_, index) => index + 2),
    );
  });

  it('refuses a write alone among boards, and fails every write of a failed transaction, then goes on', async () => {
    const { store, writer } = setUpBoards(['board-a', 'board-b']);
    const first = writer.execute('board-a', create('1'));
    await turns(1);
    const refused = writer.execute('board-b', create('refuse'));
    const kept = writer.execute('board-a', create('2'));
    store.release();
    await first;
    await turns();
    store.release();
    await expect(refused).rejects.toMatchObject({ code: 'list_not_found' });
    expect((await kept).seq).toBe(2);
    await turns();
    const solo = writer.execute('board-b', create('3'));
    await turns(1);
    const doomed = [writer.execute('board-a', create('4')), writer.execute('board-b', create('5'))];
    store.release();
    expect((await solo).seq).toBe(1);
    await turns();
    store.failNext = true;
    store.release();
    for (const write of doomed) await expect(write).rejects.toThrow('the disk is full');
    const later = writer.execute('board-b', create('6'));
    await turns(1);
    store.release();
    expect((await later).seq).toBe(2);
  });
});

describe('group commit on a store that commits within the call (SQLite)', () => {
  it('keeps the lane for a turn of the event loop after a commit, so the writes read meanwhile commit together, not one fsync each', async () => {
    const { store, writer } = setUpBoards(['board-a', 'board-b']);
    store.synchronous = true;
    const first = writer.execute('board-a', create('1'));
    expect(store.transactions).toEqual([['board-a:1']]);
    await first;
    // Every promise reaction has run (the commit's bookkeeping too), as when the next request is
    // read off its socket; the event loop has not turned yet.
    await new Promise((resolve) => process.nextTick(resolve));
    const next = [
      writer.execute('board-a', create('2')),
      writer.execute('board-b', create('3')),
      writer.execute('board-a', create('4')),
    ];
    expect(store.transactions).toHaveLength(1);
    expect((await Promise.all(next)).map((outcome) => [outcome.boardId, outcome.seq])).toEqual([
      ['board-a', 2],
      ['board-b', 1],
      ['board-a', 3],
    ]);
    expect(store.transactions).toEqual([['board-a:1'], ['board-a:2', 'board-a:4', 'board-b:3']]);
  });
});

describe('group commit across boards, several transactions in flight (PostgreSQL: two lanes)', () => {
  it('starts a write in a free lane at once, and never puts a board in two transactions at once', async () => {
    const { store, writer } = setUpBoards(['board-a', 'board-b', 'board-c'], undefined, 2);
    const a1 = writer.execute('board-a', create('a1'));
    await turns(1);
    const b1 = writer.execute('board-b', create('b1'));
    await turns(1);
    expect(store.transactions).toEqual([['board-a:a1'], ['board-b:b1']]);
    const waiting = [
      writer.execute('board-a', create('a2')),
      writer.execute('board-b', create('b2')),
      writer.execute('board-c', create('c1')),
    ];
    await turns();
    expect(store.transactions).toHaveLength(2);
    store.release();
    expect((await a1).seq).toBe(1);
    await turns();
    // Board b's transaction is still in flight: its next write waits for it, the others go.
    expect(store.transactions[2]!.sort()).toEqual(['board-a:a2', 'board-c:c1']);
    store.release();
    expect((await b1).seq).toBe(1);
    await turns();
    expect(store.transactions[3]).toEqual(['board-b:b2']);
    store.release();
    store.release();
    expect((await Promise.all(waiting)).map((outcome) => [outcome.boardId, outcome.seq])).toEqual([
      ['board-a', 2],
      ['board-b', 2],
      ['board-c', 1],
    ]);
  });
});
