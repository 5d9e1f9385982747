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
  normalizeTask,
  type Author,
  type BoardCommand,
  type BoardEvent,
  type Task,
} from '../../domain/index.js';
import {
  LEGACY_BOARD,
  LEGACY_BOARDS,
  LEGACY_IDEMPOTENCY_KEY,
  LEGACY_OTHER_BOARD,
  LEGACY_TAKEN_IDS,
  legacyEvents,
  legacyRows,
  PRE_CARDS_BOARD,
  preCardsEvents,
  preCardsRows,
} from './legacy-storage.js';
import { ANA, OWNER } from './contract-boards.js';
import type { QueuedWrite, Store, WriteOptions, WriteOutcome } from '../store.js';

const asOwner: WriteOptions = { by: OWNER };
const BOB: Author = { userId: 'user-contract03', username: 'bob' };

/** The id of the board, list or task a write created or changed. */
function idOf(outcome: WriteOutcome): string {
  const entity = outcome.entity;
  if (!entity || !('id' in entity)) throw new Error(`no id in ${outcome.entityJson}`);
  return entity.id;
}

export interface StoreFixture {
  /** A store on empty storage. */
  open(): Promise<Store>;
  /** A second store on the same storage as the last open(), migrated: after the first is closed, or beside it (another process). */
  reopen(): Promise<Store>;
  /**
   * A store on storage laid out by the backend's first schema (before `used_ids` and typed
   * Idempotency-Key outcomes), or by its migrations up to `schemaVersion` when given, holding what
   * `legacyRows` inserts; not migrated yet.
   */
  openLegacy(legacyRows: readonly string[], schemaVersion?: number): Promise<Store>;
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
      const outcome = await store.createBoard({ owner: OWNER, title }, asOwner);
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
      const outcome = await store.createBoard({ owner: OWNER, title: '  Roadmap ' }, asOwner);
      expect(outcome).toMatchObject({ change: 'created', seq: 0, replayed: false, event: undefined });
      const board = await store.getBoard(outcome.boardId);
      expect(board).toEqual({
        id: outcome.boardId,
        title: 'Roadmap',
        seq: 0,
        createdAt: board!.createdAt,
        updatedAt: board!.createdAt,
        visibility: 'private',
        listed: false,
        members: [{ ...OWNER, role: 'owner' }],
        labels: [],
        lists: [],
      });
      expect(outcome.entity).toEqual(board);
      expect(outcome.boardId).toMatch(/^board-/);
      expect(await store.listBoards(OWNER.userId)).toEqual([
        {
          id: outcome.boardId,
          title: 'Roadmap',
          seq: 0,
          createdAt: board!.createdAt,
          updatedAt: board!.createdAt,
          visibility: 'private',
          listed: false,
          role: 'owner',
        },
      ]);
      expect(await store.boardHead(outcome.boardId)).toEqual({
        boardId: outcome.boardId,
        seq: 0,
        deleted: false,
        firstRetainedSeq: 1,
        visibility: 'private',
        members: [{ ...OWNER, role: 'owner' }],
      });
      expect(await store.readEvents(outcome.boardId, 0, 10)).toEqual([]);
    });

    it('S3 numbers each write with the next seq and logs exactly that event', async () => {
      const boardId = await newBoard();
      const list = await store.execute(boardId, { type: 'create_list', title: 'Todo' }, asOwner);
      const listId = JSON.parse(list.entityJson!).id as string;
      const task = await store.execute(boardId, { type: 'create_task', listId, title: 'One' }, asOwner);
      expect([list.seq, task.seq]).toEqual([1, 2]);
      expect(task.event).toMatchObject({ boardId, seq: 2, type: 'task_created' });
      const events = await allEvents(boardId);
      expect(events.map((event) => [event.seq, event.type])).toEqual([
        [1, 'list_created'],
        [2, 'task_created'],
      ]);
      expect(JSON.parse(task.event!.json)).toEqual(events[1]);
      expect(events.map((event) => event.by)).toEqual([OWNER, OWNER]);
      expect((await store.boardHead(boardId))!.seq).toBe(2);
    });

    it('S4 a refused command changes nothing: no event, same seq, same snapshot', async () => {
      const boardId = await newBoard();
      await store.execute(boardId, { type: 'create_list', title: 'Todo' }, asOwner);
      const before = await store.getBoard(boardId);
      await expect(
        store.execute(boardId, { type: 'create_task', listId: 'list-none', title: 'x' }, asOwner),
      ).rejects.toThrow(LiveboardError);
      await expect(
        store.execute(boardId, { type: 'update_board', title: '   ' }, asOwner),
      ).rejects.toMatchObject({
        code: 'validation_failed',
      });
      await expect(store.execute('board-none', { type: 'delete_board' }, asOwner)).rejects.toMatchObject({
        code: 'board_not_found',
      });
      expect(await store.getBoard(boardId)).toEqual(before);
      expect(await allEvents(boardId)).toHaveLength(1);
    });

    it('S5 the snapshot at seq N is the fold of events 1..N over the board as created', async () => {
      const created = await store.createBoard({ owner: OWNER, title: 'Fold' }, asOwner);
      const boardId = created.boardId;
      const asCreated = JSON.parse(created.entityJson!);
      const todo = JSON.parse(
        (await store.execute(boardId, { type: 'create_list', title: 'Todo' }, asOwner)).entityJson!,
      );
      const done = JSON.parse(
        (await store.execute(boardId, { type: 'create_list', title: 'Done' }, asOwner)).entityJson!,
      );
      const a = JSON.parse(
        (await store.execute(boardId, { type: 'create_task', listId: todo.id, title: 'A' }, asOwner))
          .entityJson!,
      );
      await store.execute(
        boardId,
        { type: 'create_task', listId: todo.id, title: 'B', beforeId: a.id },
        asOwner,
      );
      await store.execute(
        boardId,
        { type: 'update_task', taskId: a.id, listId: done.id, title: 'A!' },
        asOwner,
      );
      await store.execute(boardId, { type: 'update_list', listId: done.id, beforeId: todo.id }, asOwner);
      await store.execute(boardId, { type: 'update_board', title: 'Folded' }, asOwner);
      const snapshot = await store.getBoard(boardId);
      const folded = applyEvents(emptyBoard(asCreated), await allEvents(boardId));
      expect(folded).toEqual(snapshot);
      expect(snapshot!.lists.map((list) => list.title)).toEqual(['Done', 'Todo']);
    });

    it('S6 an Idempotency-Key replays the first outcome and writes nothing more', async () => {
      const boardId = await newBoard();
      const options = { ...asOwner, idempotencyKey: 'key-1', requestFingerprint: 'POST /x {"title":"L"}' };
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
      await store.execute(boardId, { type: 'create_list', title: 'L' }, asOwner);
      const deleted = await store.execute(boardId, { type: 'delete_board' }, asOwner);
      expect(deleted).toMatchObject({ change: 'deleted', seq: 2, entity: null, entityJson: null });
      expect(await store.getBoard(boardId)).toBeUndefined();
      expect((await store.listBoards(OWNER.userId)).map((info) => info.id)).not.toContain(boardId);
      expect(await store.boardHead(boardId)).toMatchObject({ seq: 2, deleted: true });
      expect((await allEvents(boardId)).at(-1)).toMatchObject({ type: 'board_deleted', seq: 2, boardId });
      await expect(
        store.execute(boardId, { type: 'create_list', title: 'L' }, asOwner),
      ).rejects.toMatchObject({
        code: 'board_not_found',
      });
    });

    it('S8 reads the log in pages, after a seq, in order', async () => {
      const boardId = await newBoard();
      for (let index = 0; index < 12; index++) {
        await store.execute(boardId, { type: 'create_list', title: `L${index}` }, asOwner);
      }
      expect((await store.readEvents(boardId, 0, 5)).map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
      expect((await store.readEvents(boardId, 9, 5)).map((event) => event.seq)).toEqual([10, 11, 12]);
      expect(await store.readEvents(boardId, 12, 5)).toEqual([]);
    });

    it('S9 concurrent writes to one board get seqs 1..N with no gap and no repeat', async () => {
      const boardId = await newBoard();
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          store.execute(boardId, { type: 'create_list', title: `L${index}` }, asOwner),
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
      const options = { ...asOwner, idempotencyKey: 'key-durable', requestFingerprint: 'f' };
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
        await store.execute(boardId, { type: 'create_list', title: `L${index}` }, asOwner);
      }
      const other = await newBoard('Other');
      await store.execute(other, { type: 'create_list', title: 'Only' }, asOwner);
      const snapshot = await store.getBoard(boardId);
      expect(await store.pruneEvents(5)).toBe(7);
      expect((await allEvents(boardId)).map((event) => event.seq)).toEqual([8, 9, 10, 11, 12]);
      expect(await store.boardHead(boardId)).toMatchObject({ seq: 12, firstRetainedSeq: 8 });
      expect((await allEvents(other)).map((event) => event.seq)).toEqual([1]);
      expect(await store.getBoard(boardId)).toEqual(snapshot);
      await store.execute(boardId, { type: 'create_list', title: 'After' }, asOwner);
      expect((await store.boardHead(boardId))!.seq).toBe(13);
    });

    it('S11 forgets Idempotency-Keys older than the horizon, and only those', async () => {
      const boardId = await newBoard();
      const old = new Date(Date.now() - 48 * 3600_000);
      await store.execute(
        boardId,
        { type: 'create_list', title: 'Old' },
        { ...asOwner, idempotencyKey: 'old', now: old },
      );
      await store.execute(
        boardId,
        { type: 'create_list', title: 'New' },
        { ...asOwner, idempotencyKey: 'new' },
      );
      expect(await store.pruneIdempotencyKeys(new Date(Date.now() - 24 * 3600_000))).toBe(1);
      const again = await store.execute(
        boardId,
        { type: 'create_list', title: 'New' },
        { ...asOwner, idempotencyKey: 'new' },
      );
      expect(again.replayed).toBe(true);
    });

    it('S3 the outcome carries the entity after the write, and the same, encoded once', async () => {
      const boardId = await newBoard();
      const list = await store.execute(boardId, { type: 'create_list', title: 'Todo' }, asOwner);
      expect(list.change).toBe('created');
      expect(JSON.parse(list.entityJson!)).toEqual(list.entity);
      const renamed = await store.execute(boardId, { type: 'update_board', title: 'Renamed' }, asOwner);
      expect(renamed).toMatchObject({ change: 'changed', entity: { id: boardId, title: 'Renamed', seq: 2 } });
      expect(renamed.entity).toEqual(await store.getBoard(boardId));
    });

    describe('S13 ids are used once, for good', () => {
      it('S13 a proposed id is the id of what is created', async () => {
        const created = await store.createBoard(
          { owner: OWNER, title: 'Mine', id: 'board-proposed01' },
          asOwner,
        );
        expect(created.boardId).toBe('board-proposed01');
        const list = await store.execute(
          'board-proposed01',
          { type: 'create_list', title: 'L', id: 'list-proposed01' },
          asOwner,
        );
        const task = await store.execute(
          'board-proposed01',
          { type: 'create_task', listId: 'list-proposed01', title: 'T', id: 'task-proposed01' },
          asOwner,
        );
        expect([idOf(list), idOf(task)]).toEqual(['list-proposed01', 'task-proposed01']);
      });

      it('S13 an id used on any board, now or before, is refused with id_taken and changes nothing', async () => {
        const first = await newBoard('First');
        const second = await newBoard('Second');
        const list = idOf(
          await store.execute(first, { type: 'create_list', title: 'L', id: 'list-taken001' }, asOwner),
        );
        await store.execute(
          first,
          { type: 'create_task', listId: list, title: 'T', id: 'task-taken001' },
          asOwner,
        );
        await store.execute(
          first,
          { type: 'create_task', listId: list, title: 'U', id: 'task-deleted01' },
          asOwner,
        );
        await store.execute(first, { type: 'delete_task', taskId: 'task-deleted01' }, asOwner);
        const secondList = idOf(await store.execute(second, { type: 'create_list', title: 'M' }, asOwner));
        const doomed = await newBoard('Doomed');
        const doomedList = idOf(await store.execute(doomed, { type: 'create_list', title: 'D' }, asOwner));
        await store.execute(
          doomed,
          { type: 'create_task', listId: doomedList, title: 'D', id: 'task-doomed001' },
          asOwner,
        );
        await store.execute(doomed, { type: 'delete_board' }, asOwner);

        const attempts: Array<[string, BoardCommand]> = [
          [first, { type: 'create_task', listId: list, title: 'again', id: 'task-taken001' }],
          [second, { type: 'create_task', listId: secondList, title: 'elsewhere', id: 'task-taken001' }],
          [second, { type: 'create_task', listId: secondList, title: 'ghost', id: 'task-deleted01' }],
          [second, { type: 'create_task', listId: secondList, title: 'ghost', id: 'task-doomed001' }],
          [second, { type: 'create_list', title: 'clash', id: 'list-taken001' }],
        ];
        const before = await store.getBoard(second);
        for (const [boardId, command] of attempts) {
          await expect(
            store.execute(boardId, command, asOwner),
            JSON.stringify(command),
          ).rejects.toMatchObject({
            code: 'id_taken',
            details: { field: 'id' },
          });
        }
        await expect(
          store.createBoard({ owner: OWNER, title: 'Clash', id: first }, asOwner),
        ).rejects.toMatchObject({
          code: 'id_taken',
        });
        await expect(
          store.createBoard({ owner: OWNER, title: 'Clash', id: doomed }, asOwner),
        ).rejects.toMatchObject({
          code: 'id_taken',
        });
        expect(await store.getBoard(second)).toEqual(before);
        expect((await store.boardHead(first))!.seq).toBe(4);
        expect((await store.listBoards(OWNER.userId)).map((board) => board.title).sort()).toEqual([
          'First',
          'Second',
        ]);
      });

      it('S13 a retry with its Idempotency-Key replays the create instead of refusing its id', async () => {
        const boardId = await newBoard();
        const options = { ...asOwner, idempotencyKey: 'key-proposed', requestFingerprint: 'POST create' };
        const command: BoardCommand = { type: 'create_list', title: 'L', id: 'list-retried01' };
        const first = await store.execute(boardId, command, options);
        const again = await store.execute(boardId, command, options);
        expect(again).toMatchObject({ replayed: true, seq: first.seq, entityJson: first.entityJson });
        await expect(store.execute(boardId, command, asOwner)).rejects.toMatchObject({ code: 'id_taken' });
        expect(await allEvents(boardId)).toHaveLength(1);
      });

      it('S13 of two concurrent creates with one id on two boards, exactly one wins', async () => {
        const boards = await Promise.all([newBoard('A'), newBoard('B')]);
        const lists = await Promise.all(
          boards.map(async (boardId) =>
            idOf(await store.execute(boardId, { type: 'create_list', title: 'L' }, asOwner)),
          ),
        );
        const results = await Promise.allSettled(
          boards.map((boardId, index) =>
            store.execute(
              boardId,
              { type: 'create_task', listId: lists[index]!, title: 'race', id: 'task-raced0001' },
              asOwner,
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
        const list = idOf(await store.execute(boardId, { type: 'create_list', title: 'L' }, asOwner));
        const task = idOf(
          await store.execute(boardId, { type: 'create_task', listId: list, title: 'T' }, asOwner),
        );
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
          await expect(
            store.execute(boardId, command, asOwner),
            JSON.stringify(command),
          ).rejects.toMatchObject({
            code: 'validation_failed',
            details: { field },
          });
        }
        for (const title of refusedTitles) {
          await expect(store.createBoard({ owner: OWNER, title }, asOwner)).rejects.toMatchObject({
            code: 'validation_failed',
          });
        }
        expect(await store.getBoard(boardId)).toEqual(before);
        expect((await store.listBoards(OWNER.userId)).map((board) => board.id)).toEqual([boardId]);
      });

      it('S14 stores emoji, bidirectional controls and line breaks and reads them back unchanged', async () => {
        const boardId = await newBoard(keptTitles[0]);
        const list = idOf(
          await store.execute(boardId, { type: 'create_list', title: keptTitles[1]! }, asOwner),
        );
        const description = 'line one\r\nline two\n\ttabbed 🎉 \u202e';
        const created: Task[] = [];
        for (const title of keptTitles) {
          const outcome = await store.execute(
            boardId,
            { type: 'create_task', listId: list, title, description },
            asOwner,
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
        expect(
          events.filter((event) => event.type === 'task_created').map((event) => normalizeTask(event.task)),
        ).toEqual(created);
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
      // Boards from before accounts stay as open as they were (S20).
      expect(snapshot).toEqual(
        applyEvents(emptyBoard({ ...LEGACY_BOARD, visibility: 'public_edit', listed: true }), events),
      );
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
        const list = idOf(
          await store.execute(boardId, { type: 'create_list', title: 'L', id: 'list-batch0001' }, asOwner),
        );
        const results = await store.executeBatch(boardId, [
          {
            command: { type: 'create_task', listId: list, title: 'A', id: 'task-batcha001' },
            options: asOwner,
          },
          { command: { type: 'update_task', taskId: 'task-batcha001', title: 'A2' }, options: asOwner },
          {
            command: { type: 'create_task', listId: list, title: 'B', beforeId: 'task-batcha001' },
            options: asOwner,
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
        const list = idOf(await store.execute(boardId, { type: 'create_list', title: 'L' }, asOwner));
        const task = idOf(
          await store.execute(boardId, { type: 'create_task', listId: list, title: 'T' }, asOwner),
        );
        const results = await store.executeBatch(boardId, [
          { command: { type: 'update_task', taskId: task, title: 'first', version: 1 }, options: asOwner },
          { command: { type: 'update_task', taskId: task, title: 'stale', version: 1 }, options: asOwner },
          {
            command: { type: 'create_task', listId: list, title: 'x', id: 'task-inbatch01' },
            options: asOwner,
          },
          {
            command: { type: 'create_task', listId: list, title: 'y', id: 'task-inbatch01' },
            options: asOwner,
          },
          { command: { type: 'create_task', listId: 'list-missing01', title: 'z' }, options: asOwner },
          { command: { type: 'update_task', taskId: task, title: 'third', version: 2 }, options: asOwner },
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
        const once = { ...asOwner, idempotencyKey: 'batch-key-1', requestFingerprint: 'create L' };
        const results = await store.executeBatch(boardId, [
          { command: { type: 'create_list', title: 'L' }, options: once },
          { command: { type: 'create_list', title: 'L' }, options: once },
          { command: { type: 'create_list', title: 'M' }, options: { ...once, requestFingerprint: 'other' } },
          {
            command: { type: 'create_list', title: 'N' },
            options: { ...asOwner, idempotencyKey: 'batch-key-2' },
          },
        ]);
        expect(results[0]).toMatchObject({ ok: true, outcome: { seq: 1, replayed: false } });
        expect(results[1]).toMatchObject({ ok: true, outcome: { seq: 1, replayed: true } });
        expect(results[2]).toMatchObject({ ok: false, error: { code: 'idempotency_key_reused' } });
        expect(results[3]).toMatchObject({ ok: true, outcome: { seq: 2 } });
        const again = await store.execute(
          boardId,
          { type: 'create_list', title: 'N' },
          { ...asOwner, idempotencyKey: 'batch-key-2' },
        );
        expect(again).toMatchObject({ replayed: true, seq: 2 });
        expect(await allEvents(boardId)).toHaveLength(2);
      });

      it('S16 writes each row as the batch leaves it: lists made, filled, emptied and removed in one batch', async () => {
        const created = await store.createBoard({ owner: OWNER, title: 'Rows' }, asOwner);
        const boardId = created.boardId;
        const kept = idOf(
          await store.execute(boardId, { type: 'create_list', title: 'Kept', id: 'list-keptrows1' }, asOwner),
        );
        await store.execute(
          boardId,
          { type: 'create_task', listId: kept, title: 'old', id: 'task-oldrows01' },
          asOwner,
        );
        const write = (command: BoardCommand): QueuedWrite => ({ command, options: asOwner });
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
          { command: { type: 'create_list', title: 'L' }, options: asOwner },
          { command: { type: 'delete_board' }, options: asOwner },
          { command: { type: 'create_list', title: 'late' }, options: asOwner },
        ]);
        expect(results.map((result) => (result.ok ? result.outcome.change : result.error.code))).toEqual([
          'created',
          'deleted',
          'board_not_found',
        ]);
        expect(await store.getBoard(boardId)).toBeUndefined();
        expect((await store.boardHead(boardId))!.seq).toBe(2);
        const unknown = await store.executeBatch('board-nowhere001', [
          { command: { type: 'create_list', title: 'L' }, options: asOwner },
        ]);
        expect(unknown).toMatchObject([{ ok: false, error: { code: 'board_not_found' } }]);
      });

      /** Boards with a list each, and a create_task write for a list. */
      async function boardsWithLists(count: number): Promise<{ boardId: string; listId: string }[]> {
        const boards = [];
        for (let index = 0; index < count; index++) {
          const boardId = await newBoard(`Board ${index}`);
          const list = await store.execute(boardId, { type: 'create_list', title: 'to do' }, asOwner);
          boards.push({ boardId, listId: idOf(list) });
        }
        return boards;
      }
      const newTask = (listId: string, title: string): QueuedWrite => ({
        command: { type: 'create_task', listId, title },
        options: asOwner,
      });

      it('S16 several boards’ batches in one transaction: each decided as alone, a refusal alone, a comment only on its board', async () => {
        const boards = await boardsWithLists(3);
        const taskId = idOf(
          await store.execute(boards[0]!.boardId, newTask(boards[0]!.listId, 'x').command, asOwner),
        );
        const comment = await store.execute(
          boards[0]!.boardId,
          { type: 'add_comment', taskId, body: 'on board 0' },
          asOwner,
        );
        const results = await store.executeBoardBatches!(
          boards.map(({ boardId, listId }, index) => ({
            boardId,
            writes:
              index === 1
                ? [
                    newTask(listId, 'a'),
                    newTask('list-nowhere0001', 'refused'),
                    // Board 0's comment, named on board 1: not found there.
                    { command: { type: 'delete_comment', commentId: idOf(comment) }, options: asOwner },
                    newTask(listId, 'b'),
                  ]
                : [newTask(listId, `only ${index}`)],
          })),
        );
        expect(results.map((board) => board.map((result) => (result.ok ? 'ok' : result.error.code)))).toEqual(
          [['ok'], ['ok', 'list_not_found', 'comment_not_found', 'ok'], ['ok']],
        );
        for (const [index, { boardId }] of boards.entries()) {
          const seqs = (await store.readEvents(boardId, 1, 10)).map((event) => event.seq);
          expect(seqs).toEqual(index === 0 ? [2, 3, 4] : index === 1 ? [2, 3] : [2]);
          expect((await store.getBoard(boardId))!.seq).toBe(seqs.at(-1));
        }
        expect((await store.listComments(boards[0]!.boardId, taskId, { limit: 10 })).comments).toHaveLength(
          1,
        );
        await expect(
          store.executeBoardBatches!([
            { boardId: boards[0]!.boardId, writes: [] },
            { boardId: boards[0]!.boardId, writes: [] },
          ]),
        ).rejects.toThrow(TypeError);
      });

      it('S16 two processes writing the same boards in several-board batches lose nothing: seqs without a gap', async () => {
        const boards = await boardsWithLists(3);
        const other = await fixture.reopen();
        try {
          const rounds = 8;
          const writeAll = (writer: Store, name: string) =>
            Promise.all(
              Array.from({ length: rounds }, (_, round) =>
                writer.executeBoardBatches!(
                  boards.map(({ boardId, listId }) => ({
                    boardId,
                    writes: [newTask(listId, `${name} ${round} a`), newTask(listId, `${name} ${round} b`)],
                  })),
                ),
              ),
            );
          const settled = (await Promise.all([writeAll(store, 'one'), writeAll(other, 'two')])).flat(3);
          expect(settled.filter((result) => !result.ok)).toEqual([]);
          for (const { boardId } of boards) {
            const seqs = (await store.readEvents(boardId, 0, 100)).map((event) => event.seq);
            expect(seqs).toEqual(Array.from({ length: 1 + 2 * 2 * rounds }, (_, index) => index + 1));
            const board = await other.getBoard(boardId);
            expect(board!.lists.flatMap((list) => list.tasks)).toHaveLength(2 * 2 * rounds);
          }
          // Each process's idea of the boards (a store may bring a cached board forward by the
          // other's events) is what a process that read them afresh sees.
          const fresh = await fixture.reopen();
          try {
            for (const { boardId } of boards) {
              const read = await fresh.getBoard(boardId);
              expect(await store.getBoard(boardId)).toEqual(read);
              expect(await other.getBoard(boardId)).toEqual(read);
            }
          } finally {
            await fresh.close();
          }
        } finally {
          await other.close();
        }
      });
    });

    describe('S17 members and visibility are part of the board: their events fold and persist alike', () => {
      it('S17 member and visibility events fold into the snapshot, the head and the outcome, and survive a reopen', async () => {
        const created = await store.createBoard({ owner: OWNER, title: 'Shared' }, asOwner);
        const boardId = created.boardId;
        const added = await store.execute(boardId, { type: 'add_member', ...ANA, role: 'editor' }, asOwner);
        expect(added).toMatchObject({ change: 'created', seq: 1, entity: { ...ANA, role: 'editor' } });
        expect(JSON.parse(added.entityJson!)).toEqual(added.entity);
        await store.execute(boardId, { type: 'add_member', ...BOB, role: 'viewer' }, asOwner);
        const updated = await store.execute(
          boardId,
          { type: 'update_member', userId: ANA.userId, role: 'owner' },
          asOwner,
        );
        expect(updated).toMatchObject({ change: 'changed', seq: 3, entity: { ...ANA, role: 'owner' } });
        const visible = await store.execute(
          boardId,
          { type: 'set_visibility', visibility: 'public', listed: true },
          asOwner,
        );
        expect(visible).toMatchObject({
          change: 'changed',
          seq: 4,
          entity: { visibility: 'public', listed: true },
        });
        expect(JSON.parse(visible.entityJson!)).toEqual({ visibility: 'public', listed: true });
        const removed = await store.execute(boardId, { type: 'remove_member', userId: BOB.userId }, asOwner);
        expect(removed).toMatchObject({ change: 'deleted', seq: 5, entity: null, entityJson: null });
        // Back again, and so last in the order of members.
        await store.execute(boardId, { type: 'add_member', ...BOB, role: 'editor' }, { by: ANA });

        const events = await allEvents(boardId);
        expect(events.map((event) => [event.type, event.by])).toEqual([
          ['member_added', OWNER],
          ['member_added', OWNER],
          ['member_updated', OWNER],
          ['visibility_changed', OWNER],
          ['member_removed', OWNER],
          ['member_added', ANA],
        ]);
        expect(events[4]).toEqual({
          type: 'member_removed',
          seq: 5,
          at: events[4]!.at,
          by: OWNER,
          userId: BOB.userId,
          username: BOB.username,
        });
        const snapshot = await store.getBoard(boardId);
        expect(snapshot).toMatchObject({
          seq: 6,
          visibility: 'public',
          listed: true,
          members: [
            { ...OWNER, role: 'owner' },
            { ...ANA, role: 'owner' },
            { ...BOB, role: 'editor' },
          ],
        });
        expect(snapshot).toEqual(applyEvents(emptyBoard(JSON.parse(created.entityJson!)), events));
        const head = { boardId, seq: 6, deleted: false, visibility: 'public', members: snapshot!.members };
        expect(await store.boardHead(boardId)).toMatchObject(head);
        await store.close();
        store = await fixture.reopen();
        expect(await store.getBoard(boardId)).toEqual(snapshot);
        expect(await store.boardHead(boardId)).toMatchObject(head);
        expect(await allEvents(boardId)).toEqual(events);
      });

      it("S17 the head's members are those of its seq, even when another process changes them", async () => {
        const boardId = await newBoard('Heads');
        await store.execute(boardId, { type: 'add_member', ...ANA, role: 'viewer' }, asOwner);
        // Read (and so remembered) at seq 1, then changed through a second store on the same storage.
        expect((await store.boardHead(boardId))!.members).toEqual([
          { ...OWNER, role: 'owner' },
          { ...ANA, role: 'viewer' },
        ]);
        const other = await fixture.reopen();
        try {
          await other.execute(
            boardId,
            { type: 'update_member', userId: ANA.userId, role: 'editor' },
            asOwner,
          );
          await other.execute(boardId, { type: 'add_member', ...BOB, role: 'viewer' }, asOwner);
          expect(await store.boardHead(boardId)).toMatchObject({
            seq: 3,
            members: [
              { ...OWNER, role: 'owner' },
              { ...ANA, role: 'editor' },
              { ...BOB, role: 'viewer' },
            ],
          });
          await other.execute(boardId, { type: 'remove_member', userId: ANA.userId }, asOwner);
          expect(await store.boardHead(boardId)).toMatchObject({
            seq: 4,
            members: [
              { ...OWNER, role: 'owner' },
              { ...BOB, role: 'viewer' },
            ],
          });
          // This store's own write, then the head again: from what the write left, not a stale read.
          await store.execute(boardId, { type: 'add_member', ...ANA, role: 'owner' }, asOwner);
          expect((await store.boardHead(boardId))!.members.map((member) => member.userId)).toEqual([
            OWNER.userId,
            BOB.userId,
            ANA.userId,
          ]);
        } finally {
          await other.close();
        }
      });

      it('S17 a batch that adds, changes, removes and re-adds members writes the rows its fold shows', async () => {
        const created = await store.createBoard({ owner: OWNER, title: 'Crowd' }, asOwner);
        const boardId = created.boardId;
        const write = (command: BoardCommand, by: Author = OWNER): QueuedWrite => ({
          command,
          options: { by },
        });
        const first = await store.executeBatch(boardId, [
          write({ type: 'add_member', ...ANA, role: 'editor' }),
          write({ type: 'add_member', ...BOB, role: 'viewer' }),
          write({ type: 'update_member', userId: BOB.userId, role: 'editor' }),
          write({ type: 'remove_member', userId: ANA.userId }),
          write({ type: 'add_member', ...ANA, role: 'viewer' }),
          write({ type: 'set_visibility', visibility: 'public_edit' }),
          write({ type: 'create_list', title: 'By a member' }, BOB),
        ]);
        expect(first.every((result) => result.ok)).toBe(true);
        expect((await store.getBoard(boardId))!.members).toEqual([
          { ...OWNER, role: 'owner' },
          { ...BOB, role: 'editor' },
          { ...ANA, role: 'viewer' },
        ]);
        // Members whose rows an earlier batch wrote: changed in place, or removed and back at the end.
        const second = await store.executeBatch(boardId, [
          write({ type: 'update_member', userId: BOB.userId, role: 'owner' }),
          write({ type: 'remove_member', userId: OWNER.userId }, BOB),
          write({ type: 'add_member', ...OWNER, role: 'editor' }, BOB),
          write({ type: 'remove_member', userId: ANA.userId }, ANA),
          write({ type: 'add_member', ...ANA, role: 'editor' }, BOB),
          write({ type: 'update_member', userId: ANA.userId, role: 'viewer' }, BOB),
          write({ type: 'set_visibility', visibility: 'private', listed: false }, BOB),
        ]);
        expect(second.every((result) => result.ok)).toBe(true);
        const snapshot = await store.getBoard(boardId);
        expect(snapshot).toMatchObject({
          seq: 14,
          visibility: 'private',
          listed: false,
          members: [
            { ...BOB, role: 'owner' },
            { ...OWNER, role: 'editor' },
            { ...ANA, role: 'viewer' },
          ],
        });
        expect(snapshot).toEqual(
          applyEvents(emptyBoard(JSON.parse(created.entityJson!)), await allEvents(boardId)),
        );
        expect((await store.boardHead(boardId))!.members).toEqual(snapshot!.members);
        await store.close();
        store = await fixture.reopen();
        expect(await store.getBoard(boardId)).toEqual(snapshot);
        expect((await store.boardHead(boardId))!.members).toEqual(snapshot!.members);
      });

      it('S17 a refused access command changes nothing: a member twice, no such member, the last owner', async () => {
        const boardId = await newBoard();
        await store.execute(boardId, { type: 'add_member', ...ANA, role: 'viewer' }, asOwner);
        const before = await store.getBoard(boardId);
        const refusals: Array<[BoardCommand, string]> = [
          [{ type: 'add_member', ...ANA, role: 'editor' }, 'already_member'],
          [{ type: 'update_member', userId: BOB.userId, role: 'editor' }, 'member_not_found'],
          [{ type: 'remove_member', userId: BOB.userId }, 'member_not_found'],
          [{ type: 'update_member', userId: OWNER.userId, role: 'editor' }, 'last_owner'],
          [{ type: 'remove_member', userId: OWNER.userId }, 'last_owner'],
        ];
        for (const [command, code] of refusals) {
          await expect(
            store.execute(boardId, command, asOwner),
            JSON.stringify(command),
          ).rejects.toMatchObject({
            code,
          });
        }
        expect(await store.getBoard(boardId)).toEqual(before);
        expect(await allEvents(boardId)).toHaveLength(1);
      });
    });

    describe('S18 a write is authorized inside its transaction, against the board as it stands, and signed', () => {
      it('S18 a private board is not found to anonymous writers and strangers; a viewer may not write; nothing changes', async () => {
        const boardId = await newBoard();
        await store.execute(boardId, { type: 'add_member', ...ANA, role: 'viewer' }, asOwner);
        const before = await store.getBoard(boardId);
        const change: BoardCommand = { type: 'create_list', title: 'Intruder' };
        await expect(store.execute(boardId, change, {})).rejects.toMatchObject({ code: 'board_not_found' });
        await expect(store.execute(boardId, change, { by: null })).rejects.toMatchObject({
          code: 'board_not_found',
        });
        await expect(store.execute(boardId, { type: 'delete_board' }, { by: BOB })).rejects.toMatchObject({
          code: 'board_not_found',
        });
        await expect(store.execute(boardId, change, { by: ANA })).rejects.toMatchObject({
          code: 'forbidden',
        });
        await expect(
          store.execute(boardId, { type: 'add_member', ...BOB, role: 'owner' }, { by: ANA }),
        ).rejects.toMatchObject({ code: 'forbidden' });
        expect(await store.getBoard(boardId)).toEqual(before);
        expect(await allEvents(boardId)).toHaveLength(1);
      });

      it('S18 a public_edit board takes anyone’s lists and tasks, each event signed by its writer (null when anonymous)', async () => {
        const created = await store.createBoard(
          { owner: OWNER, title: 'Open', visibility: 'public_edit', listed: true },
          asOwner,
        );
        const boardId = created.boardId;
        expect(created.entity).toMatchObject({ visibility: 'public_edit', listed: true });
        const list = await store.execute(boardId, { type: 'create_list', title: 'Anyone' }, {});
        await store.execute(boardId, { type: 'create_task', listId: idOf(list), title: 'T' }, { by: BOB });
        await expect(
          store.execute(boardId, { type: 'update_board', title: 'Mine' }, {}),
        ).rejects.toMatchObject({
          code: 'unauthenticated',
        });
        await expect(store.execute(boardId, { type: 'delete_board' }, { by: BOB })).rejects.toMatchObject({
          code: 'forbidden',
        });
        expect((await allEvents(boardId)).map((event) => event.by)).toEqual([null, BOB]);
      });

      it('S18 in a batch each write is decided against the members the writes before it left', async () => {
        const boardId = await newBoard();
        await store.execute(boardId, { type: 'add_member', ...ANA, role: 'editor' }, asOwner);
        const results = await store.executeBatch(boardId, [
          { command: { type: 'create_list', title: 'Before' }, options: { by: ANA } },
          { command: { type: 'remove_member', userId: ANA.userId }, options: asOwner },
          { command: { type: 'create_list', title: 'After removal' }, options: { by: ANA } },
          { command: { type: 'set_visibility', visibility: 'public' }, options: asOwner },
          { command: { type: 'create_list', title: 'As a guest' }, options: { by: ANA } },
          { command: { type: 'add_member', ...ANA, role: 'editor' }, options: asOwner },
          { command: { type: 'create_list', title: 'Back' }, options: { by: ANA } },
        ]);
        expect(results.map((result) => (result.ok ? result.outcome.seq : result.error.code))).toEqual([
          2,
          3,
          'board_not_found',
          4,
          'forbidden',
          5,
          6,
        ]);
        expect((await store.getBoard(boardId))!.lists.map((list) => list.title)).toEqual(['Before', 'Back']);
        expect((await allEvents(boardId)).map((event) => [event.type, event.by?.username])).toEqual([
          ['member_added', 'olga'],
          ['list_created', 'ana'],
          ['member_removed', 'olga'],
          ['visibility_changed', 'olga'],
          ['member_added', 'olga'],
          ['list_created', 'ana'],
        ]);
      });
    });

    it('S19 listBoards(user) lists their boards with their role and every listed public board; anonymous callers the listed public ones', async () => {
      let minute = 0;
      const create = async (
        title: string,
        owner: Author | undefined,
        access: { visibility?: 'private' | 'public' | 'public_edit'; listed?: boolean } = {},
      ): Promise<string> => {
        const now = new Date(Date.UTC(2026, 0, 1, 0, ++minute));
        return (await store.createBoard({ title, owner, ...access }, { now })).boardId;
      };
      await create('Mine', OWNER);
      const shared = await create('Shared', ANA);
      const listed = await create('Listed', ANA, { visibility: 'public', listed: true });
      await create('Unlisted', ANA, { visibility: 'public_edit', listed: false });
      await create('Hidden', ANA, { visibility: 'private', listed: true });
      const open = await create('Open', undefined, { visibility: 'public_edit', listed: true });
      const gone = await create('Gone', OWNER, { visibility: 'public', listed: true });
      await store.execute(shared, { type: 'add_member', ...OWNER, role: 'viewer' }, { by: ANA });
      await store.execute(gone, { type: 'delete_board' }, asOwner);

      const listing = async (userId: string | null): Promise<Array<[string, string | null]>> =>
        (await store.listBoards(userId)).map((board) => [board.title, board.role]);
      expect(await listing(OWNER.userId)).toEqual([
        ['Mine', 'owner'],
        ['Shared', 'viewer'],
        ['Listed', null],
        ['Open', null],
      ]);
      expect(await listing(ANA.userId)).toEqual([
        ['Shared', 'owner'],
        ['Listed', 'owner'],
        ['Unlisted', 'owner'],
        ['Hidden', 'owner'],
        ['Open', null],
      ]);
      expect(await listing(null)).toEqual([
        ['Listed', null],
        ['Open', null],
      ]);
      expect(await listing(BOB.userId)).toEqual(await listing(null));
      const openBoard = await store.getBoard(open);
      expect((await store.listBoards(null))[1]).toEqual({
        id: open,
        title: 'Open',
        seq: 0,
        createdAt: openBoard!.createdAt,
        updatedAt: openBoard!.updatedAt,
        visibility: 'public_edit',
        listed: true,
        role: null,
      });
      expect(openBoard!.members).toEqual([]);

      // The listing follows the board's access as it changes.
      await store.execute(shared, { type: 'remove_member', userId: OWNER.userId }, { by: ANA });
      await store.execute(listed, { type: 'set_visibility', visibility: 'private' }, { by: ANA });
      expect(await listing(OWNER.userId)).toEqual([
        ['Mine', 'owner'],
        ['Open', null],
      ]);
      expect(await listing(null)).toEqual([['Open', null]]);
    });

    it('S20 storage from before accounts migrates with every board public_edit, listed and ownerless, open as before', async () => {
      await store.close();
      await fixture.cleanup();
      store = await fixture.openLegacy(legacyRows());
      expect(await store.migrate()).toEqual({ created: false });
      for (const info of LEGACY_BOARDS) {
        const events = await allEvents(info.id);
        expect(events).toEqual(legacyEvents(info.id));
        const snapshot = await store.getBoard(info.id);
        expect(snapshot).toMatchObject({ visibility: 'public_edit', listed: true, members: [] });
        expect(snapshot).toEqual(
          applyEvents(emptyBoard({ ...info, visibility: 'public_edit', listed: true }), events),
        );
        expect(await store.boardHead(info.id)).toMatchObject({
          seq: events.length,
          visibility: 'public_edit',
          members: [],
        });
      }
      for (const userId of [null, OWNER.userId]) {
        expect(await store.listBoards(userId)).toEqual(
          await Promise.all(
            LEGACY_BOARDS.map(async (info) => {
              const {
                lists: _lists,
                members: _members,
                labels: _labels,
                ...board
              } = (await store.getBoard(info.id))!;
              return { ...board, role: null };
            }),
          ),
        );
      }
      // Anyone still changes their lists and tasks; nobody manages them until an operator grants an owner.
      const anonymous = await store.execute(
        LEGACY_OTHER_BOARD.id,
        { type: 'create_list', title: 'Still open' },
        {},
      );
      expect(JSON.parse(anonymous.event!.json)).toMatchObject({ seq: 2, by: null });
      await store.execute(LEGACY_OTHER_BOARD.id, { type: 'create_list', title: 'Signed' }, { by: BOB });
      await expect(
        store.execute(LEGACY_OTHER_BOARD.id, { type: 'set_visibility', visibility: 'private' }, { by: BOB }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      await expect(store.execute(LEGACY_OTHER_BOARD.id, { type: 'delete_board' }, {})).rejects.toMatchObject({
        code: 'unauthenticated',
      });
      expect((await store.getBoard(LEGACY_OTHER_BOARD.id))!.lists.map((list) => list.title)).toEqual([
        'Elsewhere',
        'Still open',
        'Signed',
      ]);
      // An operator's command (liveboard admin grant) is not checked against the members: it claims
      // the board, signed by nobody; from then on the owner manages it like any board.
      const granted = await store.execute(
        LEGACY_OTHER_BOARD.id,
        { type: 'add_member', ...OWNER, role: 'owner' },
        { by: null, operator: true },
      );
      expect(JSON.parse(granted.event!.json)).toMatchObject({ type: 'member_added', seq: 4, by: null });
      await store.execute(LEGACY_OTHER_BOARD.id, { type: 'set_visibility', visibility: 'private' }, asOwner);
      await expect(
        store.execute(LEGACY_OTHER_BOARD.id, { type: 'create_list', title: 'Closed' }, {}),
      ).rejects.toMatchObject({ code: 'board_not_found' });
      expect(await store.listBoards(null)).toMatchObject([{ id: LEGACY_BOARD.id }]);
      expect((await store.listBoards(OWNER.userId)).map((board) => [board.id, board.role])).toEqual([
        [LEGACY_BOARD.id, null],
        [LEGACY_OTHER_BOARD.id, 'owner'],
      ]);
    });

    describe('cards', () => {
      /** A board with labels bug and ui, a list and a task carrying both labels. */
      async function labelledBoard(): Promise<{ boardId: string; listId: string; taskIds: string[] }> {
        const boardId = await newBoard();
        for (const [id, name] of [
          ['label-contractbug', 'Bug'],
          ['label-contractui', 'UI'],
        ]) {
          await store.execute(boardId, { type: 'create_label', id: id!, name: name!, color: 'red' }, asOwner);
        }
        const listId = idOf(await store.execute(boardId, { type: 'create_list', title: 'L' }, asOwner));
        const taskIds: string[] = [];
        for (const title of ['one', 'two', 'three']) {
          taskIds.push(
            idOf(
              await store.execute(
                boardId,
                { type: 'create_task', listId, title, labelIds: ['label-contractbug', 'label-contractui'] },
                asOwner,
              ),
            ),
          );
        }
        return { boardId, listId, taskIds };
      }

      it('S21 a label deletion is one event that takes the label off every card, alike after a reopen and in a batch', async () => {
        const { boardId } = await labelledBoard();
        const outcome = await store.execute(
          boardId,
          { type: 'delete_label', labelId: 'label-contractbug' },
          asOwner,
        );
        expect(outcome).toMatchObject({ change: 'deleted', entity: null, seq: 7 });
        expect(JSON.parse(outcome.event!.json)).toEqual({
          type: 'label_deleted',
          seq: 7,
          at: expect.any(String),
          by: OWNER,
          labelId: 'label-contractbug',
        });
        const snapshot = (await store.getBoard(boardId))!;
        expect(snapshot.labels.map((label) => label.id)).toEqual(['label-contractui']);
        expect(snapshot.lists[0]!.tasks.map((task) => task.labelIds)).toEqual([
          ['label-contractui'],
          ['label-contractui'],
          ['label-contractui'],
        ]);
        expect(
          applyEvents(
            emptyBoard({ ...snapshot, members: [{ ...OWNER, role: 'owner' }] }),
            await allEvents(boardId),
          ),
        ).toEqual(snapshot);
        await store.close();
        store = await fixture.reopen();
        expect(await store.getBoard(boardId)).toEqual(snapshot);
        // In one batch: a label added to a card, then deleted, then the card labelled again.
        const results = await store.executeBatch(boardId, [
          {
            command: { type: 'create_label', id: 'label-contractnew', name: 'New', color: null },
            options: asOwner,
          },
          {
            command: {
              type: 'update_task',
              taskId: snapshot.lists[0]!.tasks[0]!.id,
              labels: { add: ['label-contractnew'] },
            },
            options: asOwner,
          },
          { command: { type: 'delete_label', labelId: 'label-contractui' }, options: asOwner },
          { command: { type: 'delete_label', labelId: 'label-contractui' }, options: asOwner },
        ]);
        expect(results.map((result) => result.ok)).toEqual([true, true, true, false]);
        const batched = (await store.getBoard(boardId))!;
        expect(batched.seq).toBe(10);
        expect(batched.lists[0]!.tasks.map((task) => task.labelIds)).toEqual([['label-contractnew'], [], []]);
        await store.close();
        store = await fixture.reopen();
        expect(await store.getBoard(boardId)).toEqual(batched);
      });

      it('S22 40 concurrent label adds and field changes on one card all land, seqs gapless', async () => {
        const boardId = await newBoard();
        const listId = idOf(await store.execute(boardId, { type: 'create_list', title: 'L' }, asOwner));
        const labelIds = Array.from(
          { length: 30 },
          (_, index) => `label-concurrent${String(index).padStart(2, '0')}`,
        );
        for (const id of labelIds)
          await store.execute(boardId, { type: 'create_label', id, name: id, color: null }, asOwner);
        const taskId = idOf(
          await store.execute(boardId, { type: 'create_task', listId, title: 'busy' }, asOwner),
        );
        const start = (await store.getBoard(boardId))!.seq;
        const fieldWrites: BoardCommand[] = [
          { type: 'update_task', taskId, dueAt: '2026-12-03T17:00:00Z' },
          { type: 'update_task', taskId, coverColor: 'sky' },
          { type: 'update_task', taskId, description: 'busy card' },
          { type: 'update_task', taskId, title: 'very busy' },
          { type: 'update_task', taskId, startAt: '2026-12-01T17:00:00Z' },
          { type: 'update_task', taskId, assignees: { add: [OWNER.userId] } },
          { type: 'update_task', taskId, archived: true },
          { type: 'update_list', listId, wipLimit: 10 },
          { type: 'update_label', labelId: labelIds[0]!, color: 'green' },
          { type: 'update_task', taskId, labels: { add: [labelIds[1]!], remove: [] } },
        ];
        const writes = [
          ...labelIds.map((id): BoardCommand => ({
            type: 'update_task',
            taskId,
            labels: { add: [id] },
            version: 1,
          })),
          ...fieldWrites,
        ];
        const outcomes = await Promise.all(writes.map((command) => store.execute(boardId, command, asOwner)));
        const written = outcomes.filter((outcome) => outcome.event !== undefined);
        // The second add of labelIds[1] (whichever came last) is no change.
        expect(written).toHaveLength(39);
        const events = await allEvents(boardId);
        expect(events.map((event) => event.seq)).toEqual(
          Array.from({ length: start + 39 }, (_, index) => index + 1),
        );
        const task = (await store.getBoard(boardId))!.lists[0]!.tasks[0]!;
        expect([...task.labelIds].sort()).toEqual(labelIds);
        expect(task).toMatchObject({
          title: 'very busy',
          description: 'busy card',
          dueAt: '2026-12-03T17:00:00.000Z',
          startAt: '2026-12-01T17:00:00.000Z',
          coverColor: 'sky',
          assigneeIds: [OWNER.userId],
          version: 1 + 37,
        });
        expect(task.archivedAt).not.toBeNull();
      });

      it('S23 a storage from the schema before cards migrates: its old whole-task events fold into the snapshot, and new writes go on from them', async () => {
        await store.close();
        await fixture.cleanup();
        store = await fixture.openLegacy(preCardsRows(), 4);
        expect(await store.migrate()).toEqual({ created: false });
        const events = await allEvents(PRE_CARDS_BOARD.id);
        expect(events).toEqual(preCardsEvents());
        const initial = emptyBoard({ ...PRE_CARDS_BOARD, visibility: 'public_edit', listed: true });
        const snapshot = (await store.getBoard(PRE_CARDS_BOARD.id))!;
        expect(snapshot).toEqual(applyEvents(initial, events));
        expect(snapshot.lists[1]!.tasks[0]).toMatchObject({
          id: 'task-precards01',
          title: 'First, renamed',
          version: 3,
          labelIds: [],
          dueAt: null,
          fieldVersions: {},
        });
        expect(snapshot.lists.map((list) => [list.wipLimit, list.wipHard])).toEqual([
          [null, false],
          [null, false],
        ]);
        // New per-field writes on the old task, with the version it had: the log holds both shapes.
        await store.execute(
          PRE_CARDS_BOARD.id,
          { type: 'create_label', id: 'label-precards01', name: 'New', color: 'lime' },
          {},
        );
        await store.execute(
          PRE_CARDS_BOARD.id,
          {
            type: 'update_task',
            taskId: 'task-precards01',
            dueAt: '2026-12-03T17:00:00Z',
            labels: { add: ['label-precards01'] },
            version: 3,
          },
          {},
        );
        await store.execute(
          PRE_CARDS_BOARD.id,
          { type: 'update_task', taskId: 'task-precards01', listId: 'list-precards01', version: 3 },
          {},
        );
        const after = await allEvents(PRE_CARDS_BOARD.id);
        expect(after.slice(0, 6)).toEqual(preCardsEvents());
        expect(after.map((event) => event.type).slice(6)).toEqual([
          'label_created',
          'task_updated',
          'task_moved',
        ]);
        const current = (await store.getBoard(PRE_CARDS_BOARD.id))!;
        expect(current).toEqual(applyEvents(initial, after));
        expect(current.lists[0]!.tasks.map((task) => [task.id, task.version, task.labelIds])).toEqual([
          ['task-precards02', 1, []],
          ['task-precards01', 5, ['label-precards01']],
        ]);
        await store.close();
        store = await fixture.reopen();
        expect(await store.getBoard(PRE_CARDS_BOARD.id)).toEqual(current);
      });
    });
  });
}
