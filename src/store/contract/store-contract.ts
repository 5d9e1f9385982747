/**
 * The behaviour every Store backend must have, as one suite each backend's test file runs
 * (sqlite/sqlite-store.test.ts, postgres/postgres-store.test.ts). SPEC.md beside it states the
 * rules; each test's name starts with the id of the rule it proves. Not part of the build: it is
 * test code (it imports vitest), kept beside the interface it specifies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LiveboardError,
  applyEvents,
  emptyBoard,
  type BoardCommand,
  type BoardEvent,
  type Task,
} from '../../domain/index.js';
import { LEGACY_BOARD, LEGACY_IDEMPOTENCY_KEY, LEGACY_TAKEN_IDS, legacyRows } from './legacy-storage.js';
import type { QueuedWrite, Store } from '../store.js';

export interface StoreFixture {
  /** A store on empty storage. */
  open(): Promise<Store>;
  /** A second store on the same storage as the last open() (after the first is closed), migrated. */
  reopen(): Promise<Store>;
  /**
   * A store on storage laid out by the backend's first schema (before `used_ids` and typed
   * Idempotency-Key outcomes), holding what `legacyRows` inserts; not migrated yet.
   */
  openLegacy(legacyRows: readonly string[]): Promise<Store>;
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
      expect(outcome).toMatchObject({ change: 'created', seq: 0, replayed: false, event: undefined });
      const board = await store.getBoard(outcome.boardId);
      expect(board).toMatchObject({ id: outcome.boardId, title: 'Roadmap', seq: 0, lists: [] });
      expect(outcome.boardId).toMatch(/^board-/);
      expect((await store.listBoards()).map((info) => info.id)).toContain(outcome.boardId);
      expect(await store.readEvents(outcome.boardId, 0, 10)).toEqual([]);
    });

    it('S3 numbers each write with the next seq and logs exactly that event', async () => {
      const boardId = await newBoard();
      const list = await store.execute(boardId, { type: 'create_list', title: 'Todo' }, {});
      const listId = JSON.parse(list.entityJson!).id as string;
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
      const asCreated = JSON.parse(created.entityJson!);
      const todo = JSON.parse(
        (await store.execute(boardId, { type: 'create_list', title: 'Todo' }, {})).entityJson!,
      );
      const done = JSON.parse(
        (await store.execute(boardId, { type: 'create_list', title: 'Done' }, {})).entityJson!,
      );
      const a = JSON.parse(
        (await store.execute(boardId, { type: 'create_task', listId: todo.id, title: 'A' }, {})).entityJson!,
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
      expect(again).toMatchObject({
        replayed: true,
        change: 'created',
        seq: first.seq,
        entity: first.entity,
        entityJson: first.entityJson,
      });
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
      expect(deleted).toMatchObject({ change: 'deleted', seq: 2, entity: null, entityJson: null });
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

    it('S3 the outcome carries the entity after the write, and the same, encoded once', async () => {
      const boardId = await newBoard();
      const list = await store.execute(boardId, { type: 'create_list', title: 'Todo' }, {});
      expect(list.change).toBe('created');
      expect(JSON.parse(list.entityJson!)).toEqual(list.entity);
      const renamed = await store.execute(boardId, { type: 'update_board', title: 'Renamed' }, {});
      expect(renamed).toMatchObject({ change: 'changed', entity: { id: boardId, title: 'Renamed', seq: 2 } });
      expect(renamed.entity).toEqual(await store.getBoard(boardId));
    });

    describe('S13 ids are used once, for good', () => {
      it('S13 a proposed id is the id of what is created', async () => {
        const created = await store.createBoard({ title: 'Mine', id: 'board-proposed01' }, {});
        expect(created.boardId).toBe('board-proposed01');
        const list = await store.execute(
          'board-proposed01',
          { type: 'create_list', title: 'L', id: 'list-proposed01' },
          {},
        );
        const task = await store.execute(
          'board-proposed01',
          { type: 'create_task', listId: 'list-proposed01', title: 'T', id: 'task-proposed01' },
          {},
        );
        expect([list.entity?.id, task.entity?.id]).toEqual(['list-proposed01', 'task-proposed01']);
      });

      it('S13 an id used on any board, now or before, is refused with id_taken and changes nothing', async () => {
        const first = await newBoard('First');
        const second = await newBoard('Second');
        const list = (
          await store.execute(first, { type: 'create_list', title: 'L', id: 'list-taken001' }, {})
        ).entity!.id;
        await store.execute(
          first,
          { type: 'create_task', listId: list, title: 'T', id: 'task-taken001' },
          {},
        );
        await store.execute(
          first,
          { type: 'create_task', listId: list, title: 'U', id: 'task-deleted01' },
          {},
        );
        await store.execute(first, { type: 'delete_task', taskId: 'task-deleted01' }, {});
        const secondList = (await store.execute(second, { type: 'create_list', title: 'M' }, {})).entity!.id;
        const doomed = await newBoard('Doomed');
        const doomedList = (await store.execute(doomed, { type: 'create_list', title: 'D' }, {})).entity!.id;
        await store.execute(
          doomed,
          { type: 'create_task', listId: doomedList, title: 'D', id: 'task-doomed001' },
          {},
        );
        await store.execute(doomed, { type: 'delete_board' }, {});

        const attempts: Array<[string, BoardCommand]> = [
          [first, { type: 'create_task', listId: list, title: 'again', id: 'task-taken001' }],
          [second, { type: 'create_task', listId: secondList, title: 'elsewhere', id: 'task-taken001' }],
          [second, { type: 'create_task', listId: secondList, title: 'ghost', id: 'task-deleted01' }],
          [second, { type: 'create_task', listId: secondList, title: 'ghost', id: 'task-doomed001' }],
          [second, { type: 'create_list', title: 'clash', id: 'list-taken001' }],
        ];
        const before = await store.getBoard(second);
        for (const [boardId, command] of attempts) {
          await expect(store.execute(boardId, command, {}), JSON.stringify(command)).rejects.toMatchObject({
            code: 'id_taken',
            details: { field: 'id' },
          });
        }
        await expect(store.createBoard({ title: 'Clash', id: first }, {})).rejects.toMatchObject({
          code: 'id_taken',
        });
        await expect(store.createBoard({ title: 'Clash', id: doomed }, {})).rejects.toMatchObject({
          code: 'id_taken',
        });
        expect(await store.getBoard(second)).toEqual(before);
        expect((await store.boardHead(first))!.seq).toBe(4);
        expect((await store.listBoards()).map((board) => board.title).sort()).toEqual(['First', 'Second']);
      });

      it('S13 a retry with its Idempotency-Key replays the create instead of refusing its id', async () => {
        const boardId = await newBoard();
        const options = { idempotencyKey: 'key-proposed', requestFingerprint: 'POST create' };
        const command: BoardCommand = { type: 'create_list', title: 'L', id: 'list-retried01' };
        const first = await store.execute(boardId, command, options);
        const again = await store.execute(boardId, command, options);
        expect(again).toMatchObject({ replayed: true, seq: first.seq, entityJson: first.entityJson });
        await expect(store.execute(boardId, command, {})).rejects.toMatchObject({ code: 'id_taken' });
        expect(await allEvents(boardId)).toHaveLength(1);
      });

      it('S13 of two concurrent creates with one id on two boards, exactly one wins', async () => {
        const boards = await Promise.all([newBoard('A'), newBoard('B')]);
        const lists = await Promise.all(
          boards.map(
            async (boardId) =>
              (await store.execute(boardId, { type: 'create_list', title: 'L' }, {})).entity!.id,
          ),
        );
        const results = await Promise.allSettled(
          boards.map((boardId, index) =>
            store.execute(
              boardId,
              { type: 'create_task', listId: lists[index]!, title: 'race', id: 'task-raced0001' },
              {},
            ),
          ),
        );
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
        expect(refused.reason).toMatchObject({ code: 'id_taken' });
        const seqs = await Promise.all(boards.map(async (boardId) => (await store.boardHead(boardId))!.seq));
        expect(seqs.sort()).toEqual([1, 2]);
      });
    });

    describe('S14 text is answered alike on every backend', () => {
      const refusedTitles = [
        'nul\u0000inside',
        'bell\u0007',
        'tab\tin title',
        'new\nline',
        'del\u007f',
        'lone \ud800 high',
        'lone \udfff low',
      ];
      const refusedDescriptions = ['nul\u0000', 'escape\u001b[31m', 'lone \udc00'];
      const keptTitles = [
        'emoji 🎉🧑🏽‍💻 four bytes',
        'rtl \u202eoverride\u202c and \u2067isolate\u2069',
        'עברית and العربية',
        'combining e\u0301 and 漢字',
        'quotes \' " ` and <b>tags</b> & \\ backslash',
      ];

      it('S14 refuses control characters in titles and lone surrogates anywhere, on create and update', async () => {
        const boardId = await newBoard();
        const list = (await store.execute(boardId, { type: 'create_list', title: 'L' }, {})).entity!.id;
        const task = (await store.execute(boardId, { type: 'create_task', listId: list, title: 'T' }, {}))
          .entity!.id;
        const before = await store.getBoard(boardId);
        const commands: Array<[BoardCommand, string]> = [];
        for (const title of refusedTitles) {
          commands.push([{ type: 'create_list', title }, 'title']);
          commands.push([{ type: 'update_list', listId: list, title }, 'title']);
          commands.push([{ type: 'create_task', listId: list, title }, 'title']);
          commands.push([{ type: 'update_task', taskId: task, title }, 'title']);
          commands.push([{ type: 'update_board', title }, 'title']);
        }
        for (const description of refusedDescriptions) {
          commands.push([{ type: 'create_task', listId: list, title: 'ok', description }, 'description']);
          commands.push([{ type: 'update_task', taskId: task, description }, 'description']);
        }
        for (const [command, field] of commands) {
          await expect(store.execute(boardId, command, {}), JSON.stringify(command)).rejects.toMatchObject({
            code: 'validation_failed',
            details: { field },
          });
        }
        for (const title of refusedTitles) {
          await expect(store.createBoard({ title }, {})).rejects.toMatchObject({ code: 'validation_failed' });
        }
        expect(await store.getBoard(boardId)).toEqual(before);
        expect((await store.listBoards()).map((board) => board.id)).toEqual([boardId]);
      });

      it('S14 stores emoji, bidirectional controls and line breaks and reads them back unchanged', async () => {
        const boardId = await newBoard(keptTitles[0]);
        const list = (await store.execute(boardId, { type: 'create_list', title: keptTitles[1]! }, {}))
          .entity!.id;
        const description = 'line one\r\nline two\n\ttabbed 🎉 \u202e';
        const created: Task[] = [];
        for (const title of keptTitles) {
          const outcome = await store.execute(
            boardId,
            { type: 'create_task', listId: list, title, description },
            {},
          );
          created.push(outcome.entity as Task);
        }
        const snapshot = await store.getBoard(boardId);
        expect(snapshot!.title).toBe(keptTitles[0]);
        expect(snapshot!.lists[0]!.title).toBe(keptTitles[1]);
        expect(snapshot!.lists[0]!.tasks.map((task) => [task.title, task.description])).toEqual(
          keptTitles.map((title) => [title, description]),
        );
        expect(snapshot!.lists[0]!.tasks).toEqual(created);
        const events = await allEvents(boardId);
        expect(events.filter((event) => event.type === 'task_created').map((event) => event.task)).toEqual(
          created,
        );
        await store.close();
        store = await fixture.reopen();
        expect(await store.getBoard(boardId)).toEqual(snapshot);
      });
    });

    it('S15 storage from the first schema migrates with nothing lost, and its ids are taken', async () => {
      await store.close();
      await fixture.cleanup();
      store = await fixture.openLegacy(legacyRows());
      expect(await store.migrate()).toEqual({ created: false });
      const events = await allEvents(LEGACY_BOARD.id);
      expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4]);
      const snapshot = await store.getBoard(LEGACY_BOARD.id);
      expect(snapshot).toEqual(applyEvents(emptyBoard(LEGACY_BOARD), events));
      const replay = await store.execute(
        LEGACY_BOARD.id,
        { type: 'create_task', listId: 'list-legacy001', title: 'Kept' },
        {
          idempotencyKey: LEGACY_IDEMPOTENCY_KEY.key,
          requestFingerprint: LEGACY_IDEMPOTENCY_KEY.fingerprint,
        },
      );
      expect(replay).toMatchObject({
        replayed: true,
        change: 'created',
        seq: 2,
        entity: { id: 'task-legacy001' },
      });
      for (const id of LEGACY_TAKEN_IDS) {
        const command: BoardCommand = id.startsWith('list-')
          ? { type: 'create_list', title: 'again', id }
          : { type: 'create_task', listId: 'list-legacy001', title: 'again', id };
        await expect(store.execute(LEGACY_BOARD.id, command, {}), id).rejects.toMatchObject({
          code: 'id_taken',
        });
      }
      await expect(store.createBoard({ title: 'again', id: LEGACY_BOARD.id }, {})).rejects.toMatchObject({
        code: 'id_taken',
      });
      const next = await store.execute(LEGACY_BOARD.id, { type: 'create_list', title: 'After' }, {});
      expect(next.seq).toBe(5);
    });

    describe('S16 a batch of writes on one board is one transaction, each write decided in turn', () => {
      it('S16 numbers the batch consecutively, one event per write, results in order', async () => {
        const boardId = await newBoard();
        const list = (
          await store.execute(boardId, { type: 'create_list', title: 'L', id: 'list-batch0001' }, {})
        ).entity!.id;
        const results = await store.executeBatch(boardId, [
          { command: { type: 'create_task', listId: list, title: 'A', id: 'task-batcha001' }, options: {} },
          { command: { type: 'update_task', taskId: 'task-batcha001', title: 'A2' }, options: {} },
          {
            command: { type: 'create_task', listId: list, title: 'B', beforeId: 'task-batcha001' },
            options: {},
          },
        ]);
        expect(results.map((result) => result.ok && result.outcome.seq)).toEqual([2, 3, 4]);
        expect((await allEvents(boardId)).map((event) => event.type)).toEqual([
          'list_created',
          'task_created',
          'task_updated',
          'task_created',
        ]);
        const snapshot = await store.getBoard(boardId);
        expect(snapshot!.lists[0]!.tasks.map((task) => task.title)).toEqual(['B', 'A2']);
        expect(snapshot).toEqual(applyEvents(emptyBoard(snapshot!), await allEvents(boardId)));
      });

      it('S16 refuses a write alone: a version conflict, a taken id, a missing list; the rest commit', async () => {
        const boardId = await newBoard();
        const list = (await store.execute(boardId, { type: 'create_list', title: 'L' }, {})).entity!.id;
        const task = (await store.execute(boardId, { type: 'create_task', listId: list, title: 'T' }, {}))
          .entity!.id;
        const results = await store.executeBatch(boardId, [
          { command: { type: 'update_task', taskId: task, title: 'first', version: 1 }, options: {} },
          { command: { type: 'update_task', taskId: task, title: 'stale', version: 1 }, options: {} },
          { command: { type: 'create_task', listId: list, title: 'x', id: 'task-inbatch01' }, options: {} },
          { command: { type: 'create_task', listId: list, title: 'y', id: 'task-inbatch01' }, options: {} },
          { command: { type: 'create_task', listId: 'list-missing01', title: 'z' }, options: {} },
          { command: { type: 'update_task', taskId: task, title: 'third', version: 2 }, options: {} },
        ]);
        expect(results.map((result) => (result.ok ? result.outcome.seq : result.error.code))).toEqual([
          3,
          'version_conflict',
          4,
          'id_taken',
          'list_not_found',
          5,
        ]);
        expect((await allEvents(boardId)).map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
        expect((await store.getBoard(boardId))!.lists[0]!.tasks.map((t) => t.title).sort()).toEqual([
          'third',
          'x',
        ]);
      });

      it('S16 records every Idempotency-Key, and a key repeated within the batch replays its first write', async () => {
        const boardId = await newBoard();
        const once = { idempotencyKey: 'batch-key-1', requestFingerprint: 'create L' };
        const results = await store.executeBatch(boardId, [
          { command: { type: 'create_list', title: 'L' }, options: once },
          { command: { type: 'create_list', title: 'L' }, options: once },
          { command: { type: 'create_list', title: 'M' }, options: { ...once, requestFingerprint: 'other' } },
          { command: { type: 'create_list', title: 'N' }, options: { idempotencyKey: 'batch-key-2' } },
        ]);
        expect(results[0]).toMatchObject({ ok: true, outcome: { seq: 1, replayed: false } });
        expect(results[1]).toMatchObject({ ok: true, outcome: { seq: 1, replayed: true } });
        expect(results[2]).toMatchObject({ ok: false, error: { code: 'idempotency_key_reused' } });
        expect(results[3]).toMatchObject({ ok: true, outcome: { seq: 2 } });
        const again = await store.execute(
          boardId,
          { type: 'create_list', title: 'N' },
          { idempotencyKey: 'batch-key-2' },
        );
        expect(again).toMatchObject({ replayed: true, seq: 2 });
        expect(await allEvents(boardId)).toHaveLength(2);
      });

      it('S16 writes each row as the batch leaves it: lists made, filled, emptied and removed in one batch', async () => {
        const created = await store.createBoard({ title: 'Rows' }, {});
        const boardId = created.boardId;
        const kept = (
          await store.execute(boardId, { type: 'create_list', title: 'Kept', id: 'list-keptrows1' }, {})
        ).entity!.id;
        await store.execute(
          boardId,
          { type: 'create_task', listId: kept, title: 'old', id: 'task-oldrows01' },
          {},
        );
        const write = (command: BoardCommand): QueuedWrite => ({ command, options: {} });
        const results = await store.executeBatch(boardId, [
          write({ type: 'create_list', title: 'Short-lived', id: 'list-shortrow1' }),
          write({ type: 'create_task', listId: 'list-shortrow1', title: 'mover', id: 'task-moverow01' }),
          write({ type: 'create_task', listId: 'list-shortrow1', title: 'doomed', id: 'task-doomrow01' }),
          write({ type: 'update_task', taskId: 'task-moverow01', listId: kept, title: 'moved' }),
          write({ type: 'update_task', taskId: 'task-oldrows01', listId: 'list-shortrow1' }),
          write({ type: 'update_task', taskId: 'task-oldrows01', listId: kept, beforeId: 'task-moverow01' }),
          write({ type: 'delete_list', listId: 'list-shortrow1' }),
          write({ type: 'update_list', listId: kept, title: 'Kept!' }),
          write({ type: 'update_board', title: 'Rows!' }),
        ]);
        expect(results.every((result) => result.ok)).toBe(true);
        const snapshot = await store.getBoard(boardId);
        expect(snapshot).toEqual(
          applyEvents(emptyBoard(JSON.parse(created.entityJson!)), await allEvents(boardId)),
        );
        expect(snapshot!.title).toBe('Rows!');
        expect(snapshot!.lists.map((list) => [list.title, list.tasks.map((task) => task.title)])).toEqual([
          ['Kept!', ['old', 'moved']],
        ]);
        await store.close();
        store = await fixture.reopen();
        expect(await store.getBoard(boardId)).toEqual(snapshot);
        const gone = await store.executeBatch(boardId, [write({ type: 'delete_board' })]);
        expect(gone).toMatchObject([{ ok: true, outcome: { change: 'deleted', seq: 12 } }]);
        expect(await store.getBoard(boardId)).toBeUndefined();
        expect(await store.boardHead(boardId)).toMatchObject({ seq: 12, deleted: true });
      });

      it('S16 a board deleted within a batch refuses the writes after it', async () => {
        const boardId = await newBoard();
        const results = await store.executeBatch(boardId, [
          { command: { type: 'create_list', title: 'L' }, options: {} },
          { command: { type: 'delete_board' }, options: {} },
          { command: { type: 'create_list', title: 'late' }, options: {} },
        ]);
        expect(results.map((result) => (result.ok ? result.outcome.change : result.error.code))).toEqual([
          'created',
          'deleted',
          'board_not_found',
        ]);
        expect(await store.getBoard(boardId)).toBeUndefined();
        expect((await store.boardHead(boardId))!.seq).toBe(2);
        const unknown = await store.executeBatch('board-nowhere001', [
          { command: { type: 'create_list', title: 'L' }, options: {} },
        ]);
        expect(unknown).toMatchObject([{ ok: false, error: { code: 'board_not_found' } }]);
      });
    });
  });
}
