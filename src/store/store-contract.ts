/**
 * The behaviour every Store backend must have, as one suite each backend's test file runs
 * (sqlite/sqlite-store.test.ts, postgres/postgres-store.test.ts). Rule ids (S1…) name what each
 * test proves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveboardError, applyEvents, emptyBoard, type BoardEvent } from '../domain/index.js';
import type { Store } from './store.js';

export interface StoreFixture {
  /** A store on empty storage. */
  open(): Promise<Store>;
  /** A second store on the same storage as the last open() (after the first is closed), migrated. */
  reopen(): Promise<Store>;
  /** Drops the storage. */
  cleanup(): Promise<void>;
}

export function defineStoreContract(
  name: string,
  fixture: StoreFixture,
  options: { skip?: boolean } = {},
): void {
  describe.skipIf(options.skip ?? false)(`Store contract: ${name}`, () => {
    let store: Store;
    let firstMigration: { created: boolean };

    beforeEach(async () => {
      store = await fixture.open();
      firstMigration = await store.migrate();
    });
    afterEach(async () => {
      await store.close();
      await fixture.cleanup();
    });

    async function newBoard(title = 'Board'): Promise<string> {
      const outcome = await store.createBoard({ title }, {});
      return outcome.boardId;
    }

    async function allEvents(boardId: string): Promise<BoardEvent[]> {
      return (await store.readEvents(boardId, 0, 10_000)).map(
        (logged) => JSON.parse(logged.json) as BoardEvent,
      );
    }

    it('S1 reports a first start once, then not again on the same storage', async () => {
      expect(firstMigration).toEqual({ created: true });
      await store.close();
      store = await fixture.reopen();
      expect(await store.migrate()).toEqual({ created: false });
    });

    it('S2 creates a board at seq 0 with no events', async () => {
      const outcome = await store.createBoard({ title: '  Roadmap ' }, {});
      expect(outcome).toMatchObject({ status: 201, seq: 0, replayed: false, event: undefined });
      const board = await store.getBoard(outcome.boardId);
      expect(board).toMatchObject({ id: outcome.boardId, title: 'Roadmap', seq: 0, lists: [] });
      expect(outcome.boardId).toMatch(/^board-/);
      expect((await store.listBoards()).map((info) => info.id)).toContain(outcome.boardId);
      expect(await store.readEvents(outcome.boardId, 0, 10)).toEqual([]);
    });

    it('S3 numbers each write with the next seq and logs exactly that event', async () => {
      const boardId = await newBoard();
      const list = await store.execute(boardId, { type: 'create_list', title: 'Todo' }, {});
      const listId = JSON.parse(list.bodyJson!).id as string;
      const task = await store.execute(boardId, { type: 'create_task', listId, title: 'One' }, {});
      expect([list.seq, task.seq]).toEqual([1, 2]);
      expect(task.event).toMatchObject({ boardId, seq: 2, type: 'task_created' });
      const events = await allEvents(boardId);
      expect(events.map((event) => [event.seq, event.type])).toEqual([
        [1, 'list_created'],
        [2, 'task_created'],
      ]);
      expect(JSON.parse(task.event!.json)).toEqual(events[1]);
      expect((await store.boardHead(boardId))!.seq).toBe(2);
    });

    it('S4 a refused command changes nothing: no event, same seq, same snapshot', async () => {
      const boardId = await newBoard();
      await store.execute(boardId, { type: 'create_list', title: 'Todo' }, {});
      const before = await store.getBoard(boardId);
      await expect(
        store.execute(boardId, { type: 'create_task', listId: 'list-none', title: 'x' }, {}),
      ).rejects.toThrow(LiveboardError);
      await expect(store.execute(boardId, { type: 'update_board', title: '   ' }, {})).rejects.toMatchObject({
        code: 'validation_failed',
      });
      await expect(store.execute('board-none', { type: 'delete_board' }, {})).rejects.toMatchObject({
        code: 'board_not_found',
      });
      expect(await store.getBoard(boardId)).toEqual(before);
      expect(await allEvents(boardId)).toHaveLength(1);
    });

    it('S5 the snapshot at seq N is the fold of events 1..N over the board as created', async () => {
      const created = await store.createBoard({ title: 'Fold' }, {});
      const boardId = created.boardId;
      const asCreated = JSON.parse(created.bodyJson!);
      const todo = JSON.parse(
        (await store.execute(boardId, { type: 'create_list', title: 'Todo' }, {})).bodyJson!,
      );
      const done = JSON.parse(
        (await store.execute(boardId, { type: 'create_list', title: 'Done' }, {})).bodyJson!,
      );
      const a = JSON.parse(
        (await store.execute(boardId, { type: 'create_task', listId: todo.id, title: 'A' }, {})).bodyJson!,
      );
      await store.execute(boardId, { type: 'create_task', listId: todo.id, title: 'B', beforeId: a.id }, {});
      await store.execute(boardId, { type: 'update_task', taskId: a.id, listId: done.id, title: 'A!' }, {});
      await store.execute(boardId, { type: 'update_list', listId: done.id, beforeId: todo.id }, {});
      await store.execute(boardId, { type: 'update_board', title: 'Folded' }, {});
      const snapshot = await store.getBoard(boardId);
      const folded = applyEvents(emptyBoard(asCreated), await allEvents(boardId));
      expect(folded).toEqual(snapshot);
      expect(snapshot!.lists.map((list) => list.title)).toEqual(['Done', 'Todo']);
    });

    it('S6 an Idempotency-Key replays the first outcome and writes nothing more', async () => {
      const boardId = await newBoard();
      const options = { idempotencyKey: 'key-1', requestFingerprint: 'POST /x {"title":"L"}' };
      const first = await store.execute(boardId, { type: 'create_list', title: 'L' }, options);
      const again = await store.execute(boardId, { type: 'create_list', title: 'L' }, options);
      expect(again).toMatchObject({ replayed: true, status: 201, seq: first.seq, bodyJson: first.bodyJson });
      expect(again.event).toBeUndefined();
      expect(await allEvents(boardId)).toHaveLength(1);
      await expect(
        store.execute(
          boardId,
          { type: 'create_list', title: 'M' },
          { ...options, requestFingerprint: 'other' },
        ),
      ).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    });

    it('S7 a deleted board is gone from reads but its log still ends with board_deleted', async () => {
      const boardId = await newBoard();
      await store.execute(boardId, { type: 'create_list', title: 'L' }, {});
      const deleted = await store.execute(boardId, { type: 'delete_board' }, {});
      expect(deleted).toMatchObject({ status: 204, seq: 2, bodyJson: null });
      expect(await store.getBoard(boardId)).toBeUndefined();
      expect((await store.listBoards()).map((info) => info.id)).not.toContain(boardId);
      expect(await store.boardHead(boardId)).toMatchObject({ seq: 2, deleted: true });
      expect((await allEvents(boardId)).at(-1)).toMatchObject({ type: 'board_deleted', seq: 2, boardId });
      await expect(store.execute(boardId, { type: 'create_list', title: 'L' }, {})).rejects.toMatchObject({
        code: 'board_not_found',
      });
    });

    it('S8 reads the log in pages, after a seq, in order', async () => {
      const boardId = await newBoard();
      for (let index = 0; index < 12; index++) {
        await store.execute(boardId, { type: 'create_list', title: `L${index}` }, {});
      }
      expect((await store.readEvents(boardId, 0, 5)).map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
      expect((await store.readEvents(boardId, 9, 5)).map((event) => event.seq)).toEqual([10, 11, 12]);
      expect(await store.readEvents(boardId, 12, 5)).toEqual([]);
    });

    it('S9 concurrent writes to one board get seqs 1..N with no gap and no repeat', async () => {
      const boardId = await newBoard();
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          store.execute(boardId, { type: 'create_list', title: `L${index}` }, {}),
        ),
      );
      expect(outcomes.map((outcome) => outcome.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 40 }, (_, index) => index + 1),
      );
      expect((await allEvents(boardId)).map((event) => event.seq)).toEqual(
        Array.from({ length: 40 }, (_, index) => index + 1),
      );
    });

    it('S10 boards, events and idempotency records survive closing and reopening', async () => {
      const boardId = await newBoard();
      const options = { idempotencyKey: 'key-durable', requestFingerprint: 'f' };
      await store.execute(boardId, { type: 'create_list', title: 'L' }, options);
      const snapshot = await store.getBoard(boardId);
      const events = await allEvents(boardId);
      await store.close();
      store = await fixture.reopen();
      expect(await store.getBoard(boardId)).toEqual(snapshot);
      expect(await allEvents(boardId)).toEqual(events);
      const replay = await store.execute(boardId, { type: 'create_list', title: 'L' }, options);
      expect(replay.replayed).toBe(true);
    });

    it('S12 prunes each log to its last events, and tells from which seq it still replays', async () => {
      const boardId = await newBoard();
      for (let index = 0; index < 12; index++) {
        await store.execute(boardId, { type: 'create_list', title: `L${index}` }, {});
      }
      const other = await newBoard('Other');
      await store.execute(other, { type: 'create_list', title: 'Only' }, {});
      const snapshot = await store.getBoard(boardId);
      expect(await store.pruneEvents(5)).toBe(7);
      expect((await allEvents(boardId)).map((event) => event.seq)).toEqual([8, 9, 10, 11, 12]);
      expect(await store.boardHead(boardId)).toMatchObject({ seq: 12, firstRetainedSeq: 8 });
      expect((await allEvents(other)).map((event) => event.seq)).toEqual([1]);
      expect(await store.getBoard(boardId)).toEqual(snapshot);
      await store.execute(boardId, { type: 'create_list', title: 'After' }, {});
      expect((await store.boardHead(boardId))!.seq).toBe(13);
    });

    it('S11 forgets Idempotency-Keys older than the horizon, and only those', async () => {
      const boardId = await newBoard();
      const old = new Date(Date.now() - 48 * 3600_000);
      await store.execute(
        boardId,
        { type: 'create_list', title: 'Old' },
        { idempotencyKey: 'old', now: old },
      );
      await store.execute(boardId, { type: 'create_list', title: 'New' }, { idempotencyKey: 'new' });
      expect(await store.pruneIdempotencyKeys(new Date(Date.now() - 24 * 3600_000))).toBe(1);
      const again = await store.execute(
        boardId,
        { type: 'create_list', title: 'New' },
        { idempotencyKey: 'new' },
      );
      expect(again.replayed).toBe(true);
    });
  });
}
