/**
 * The store contract's rules for checklists and links (SPEC.md, S30–S33), run on every backend
 * beside the rest of the contract.
 */
import { describe, expect, it } from 'vitest';
import {
  LiveboardError,
  applyEvents,
  emptyBoard,
  queryTerms,
  type Board,
  type BoardCommand,
  type BoardEvent,
  type Task,
  type TaskChecklist,
  type TaskChecklistItem,
} from '../../domain/index.js';
import {
  PRE_CARDS_BOARD,
  PRE_ITEM_AUTHORS_BOARD,
  PRE_ITEM_AUTHORS_PRUNED_BOARD,
  preCardsEvents,
  preCardsRows,
  preItemAuthorsEvents,
  preItemAuthorsRows,
} from './legacy-storage.js';
import { ANA, OWNER, useContractBoards } from './contract-boards.js';
import type { StoreFixture } from './store-contract.js';
import type { SearchPage } from '../store.js';

type Hit = [taskId: string, field: string, itemId: string | undefined];
const hits = (page: SearchPage): Hit[] =>
  page.results.map((result) => [result.taskId, result.field, result.itemId]);

export function defineChecklistsContract(
  name: string,
  fixture: StoreFixture,
  options: { skip?: boolean } = {},
): void {
  describe.skipIf(options.skip ?? false)(`Store contract (checklists and links): ${name}`, () => {
    const boards = useContractBoards(fixture, '2026-04-01T00:00:00.000Z');
    const { at, write, newBoard, expectSnapshotIsFold } = boards;
    async function newCard(boardId: string, title = 'Card'): Promise<string> {
      const board = await boards.store.getBoard(boardId);
      const listId =
        board!.lists[0]?.id ??
        ((await write(boardId, { type: 'create_list', title: 'To do' })).entity as { id: string }).id;
      return ((await write(boardId, { type: 'create_task', listId, title })).entity as Task).id;
    }
    const taskOf = (board: Board | undefined, taskId: string): Task =>
      board!.lists.flatMap((list) => list.tasks).find((task) => task.id === taskId)!;
    async function errorFrom(promise: Promise<unknown>): Promise<LiveboardError> {
      try {
        await promise;
      } catch (error) {
        if (error instanceof LiveboardError) return error;
        throw error;
      }
      throw new Error('expected a refusal');
    }
    async function refusal(promise: Promise<unknown>): Promise<[string, string | undefined]> {
      const error = await errorFrom(promise);
      return [error.code, error.details?.field];
    }
    const search = (boardId: string, query: string) =>
      boards.store.search(boardId, { terms: queryTerms(query), limit: 50 });

    it('S30 checklists, items and links are the card’s: one event each, the snapshot the fold, alike after a reopen and in a batch', async () => {
      const boardId = await newBoard();
      const taskId = await newCard(boardId);
      const seq = (await boards.store.boardHead(boardId))!.seq;
      const added = await write(boardId, {
        type: 'add_checklist',
        taskId,
        title: 'Launch',
        items: [{ text: 'write' }, { text: 'review', done: true }],
      });
      expect([added.change, added.seq, added.event?.type]).toEqual(['created', seq + 1, 'checklist_added']);
      const checklist = added.entity as TaskChecklist;
      expect(checklist).toMatchObject({
        taskId,
        title: 'Launch',
        items: [{ text: 'write' }, { text: 'review' }],
      });
      const item = (
        await write(boardId, {
          type: 'add_item',
          checklistId: checklist.id,
          text: 'ship',
          id: 'item-contract001',
        })
      ).entity as TaskChecklistItem;
      expect(item).toMatchObject({ id: 'item-contract001', taskId, checklistId: checklist.id, done: false });
      const ticked = await write(boardId, { type: 'update_item', itemId: item.id, done: true }, ANA);
      expect([ticked.change, ticked.seq, (ticked.entity as TaskChecklistItem).done]).toEqual([
        'changed',
        seq + 3,
        true,
      ]);
      // The same tick again: nothing changes, no event, the item at the current seq.
      const again = await write(boardId, { type: 'update_item', itemId: item.id, done: true }, ANA);
      expect([again.seq, again.event, (again.entity as TaskChecklistItem).done]).toEqual([
        seq + 3,
        undefined,
        true,
      ]);
      await write(boardId, { type: 'add_link', taskId, url: 'https://example.com/a', title: 'A' });
      await write(boardId, { type: 'update_checklist', checklistId: checklist.id, title: 'Go live' });
      // An edit of a link to what it already is: nothing changes, no event.
      const link = taskOf(await boards.store.getBoard(boardId), taskId).links[0]!;
      const same = await write(boardId, { type: 'update_link', linkId: link.id, title: ' A ' });
      expect([same.seq, same.event, same.entity]).toEqual([seq + 5, undefined, { ...link, taskId }]);
      // A refused write changes nothing, the same on every boards.store.
      for (const command of [
        { type: 'add_item', checklistId: checklist.id, text: 'a\u0000b' },
        { type: 'add_item', checklistId: checklist.id, text: 'x'.repeat(2001) },
        { type: 'update_item', itemId: item.id, text: '\ud800' },
        { type: 'add_link', taskId, url: 'javascript:alert(1)' },
        { type: 'add_checklist', taskId, title: 'a\u0007' },
        { type: 'update_link', linkId: link.id, title: 'a\u0000' },
      ] as BoardCommand[]) {
        expect((await refusal(write(boardId, command)))[0]).toBe('validation_failed');
      }
      // A proposed id that was ever used is taken, the item's included.
      expect(
        await refusal(
          write(boardId, { type: 'add_item', checklistId: checklist.id, text: 'x', id: 'item-contract001' }),
        ),
      ).toEqual(['id_taken', 'id']);
      expect((await boards.store.boardHead(boardId))!.seq).toBe(seq + 5);
      const before = await expectSnapshotIsFold(boardId);
      expect(taskOf(before, taskId).checklists[0]!.items.map((entry) => [entry.text, entry.done])).toEqual([
        ['write', false],
        ['review', true],
        ['ship', true],
      ]);
      expect(taskOf(before, taskId).links).toEqual([
        { id: expect.any(String), url: 'https://example.com/a', title: 'A' },
      ]);

      // In one batch: an item added, ticked, moved to a new checklist, a link removed.
      const linkId = taskOf(before, taskId).links[0]!.id;
      const results = await boards.store.executeBatch(boardId, [
        {
          command: { type: 'add_checklist', taskId, id: 'checklist-contract02', title: 'Later' },
          options: at(),
        },
        {
          command: { type: 'add_item', checklistId: checklist.id, id: 'item-contract002', text: 'celebrate' },
          options: at(),
        },
        { command: { type: 'update_item', itemId: 'item-contract002', done: true }, options: at(ANA) },
        {
          command: { type: 'update_item', itemId: 'item-contract002', checklistId: 'checklist-contract02' },
          options: at(),
        },
        { command: { type: 'add_item', checklistId: checklist.id, text: '\u0000' }, options: at() },
        { command: { type: 'update_link', linkId, title: 'A, renamed' }, options: at(ANA) },
        { command: { type: 'update_link', linkId, url: 'javascript:alert(1)' }, options: at() },
        { command: { type: 'remove_link', linkId }, options: at() },
      ]);
      expect(results.map((result) => (result.ok ? result.outcome.seq : result.error.code))).toEqual([
        seq + 6,
        seq + 7,
        seq + 8,
        seq + 9,
        'validation_failed',
        seq + 10,
        'validation_failed',
        seq + 11,
      ]);
      const renamed = results[5]!;
      expect(renamed.ok && [renamed.outcome.event?.type, renamed.outcome.entity]).toEqual([
        'link_updated',
        { id: linkId, taskId, url: 'https://example.com/a', title: 'A, renamed' },
      ]);
      const after = await expectSnapshotIsFold(boardId);
      expect(
        taskOf(after, taskId).checklists.map((entry) => [entry.title, entry.items.map((i) => i.text)]),
      ).toEqual([
        ['Go live', ['write', 'review', 'ship']],
        ['Later', ['celebrate']],
      ]);
      expect(taskOf(after, taskId).links).toEqual([]);
      // Each item names who wrote its text (its maker here): a tick or a move by another leaves it.
      expect(taskOf(after, taskId).checklists[1]!.items[0]).toMatchObject({
        text: 'celebrate',
        textBy: OWNER,
      });
      await boards.store.close();
      boards.store = await fixture.reopen();
      expect(await boards.store.getBoard(boardId)).toEqual(after);

      // The card's history (the log's task_id) holds its checklists' and links' events.
      const history = await boards.store.readActivity(boardId, taskId, { limit: 100 });
      expect(history.events.map((event) => event.type).slice(0, 3)).toEqual([
        'link_removed',
        'link_updated',
        'checklist_item_updated',
      ]);
      expect(history.events.filter((event) => event.type === 'checklist_item_added')).toHaveLength(2);

      // Deleted in turn: an item, a checklist, then the card with the rest.
      await write(boardId, { type: 'delete_item', itemId: 'item-contract001' });
      await write(boardId, { type: 'delete_checklist', checklistId: 'checklist-contract02' });
      expect(
        taskOf(await expectSnapshotIsFold(boardId), taskId).checklists.map((entry) => entry.items.length),
      ).toEqual([2]);
      await write(boardId, { type: 'delete_task', taskId });
      expect(await refusal(write(boardId, { type: 'update_item', itemId: item.id, done: false }))).toEqual([
        'item_not_found',
        undefined,
      ]);
      await expectSnapshotIsFold(boardId);
    });

    it('S31 forty ticks and item adds sent at once on one card all land, with a description edit among them; seqs gapless', async () => {
      const boardId = await newBoard();
      const taskId = await newCard(boardId);
      const checklist = (
        await write(boardId, {
          type: 'add_checklist',
          taskId,
          title: 'Busy',
          items: Array.from({ length: 20 }, (_, index) => ({ text: `item ${index}` })),
        })
      ).entity as TaskChecklist;
      const start = (await boards.store.boardHead(boardId))!.seq;
      const commands: BoardCommand[] = [
        ...checklist.items.map((item) => ({ type: 'update_item' as const, itemId: item.id, done: true })),
        ...Array.from({ length: 19 }, (_, index) => ({
          type: 'add_item' as const,
          checklistId: checklist.id,
          text: `more ${index}`,
        })),
        { type: 'update_task', taskId, description: 'edited meanwhile', version: 1 },
      ];
      const outcomes = await Promise.all(
        commands.map((command, index) => write(boardId, command, index % 2 ? ANA : OWNER)),
      );
      expect(outcomes.map((outcome) => outcome.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 40 }, (_, index) => start + 1 + index),
      );
      const board = await expectSnapshotIsFold(boardId);
      const task = taskOf(board, taskId);
      expect(task.description).toBe('edited meanwhile');
      expect(task.checklists[0]!.items).toHaveLength(39);
      expect(task.checklists[0]!.items.filter((item) => item.done)).toHaveLength(20);
    });

    it('S32 checklist items are searched as the field `item`, the same on every store; an edit or a deletion leaves no ghost', async () => {
      const boardId = await newBoard();
      const t1 = await newCard(boardId, 'Gamma card');
      const t2 = await newCard(boardId, 'Other');
      const first = (
        await write(boardId, {
          type: 'add_checklist',
          taskId: t1,
          id: 'checklist-search01',
          title: 'Gamma list',
          items: [{ text: 'Gamma rays' }, { text: 'Straße fegen' }],
        })
      ).entity as TaskChecklist;
      const [gammaItem, streetItem] = first.items as [TaskChecklistItem, TaskChecklistItem];
      await write(boardId, { type: 'add_checklist', taskId: t2, id: 'checklist-search02', title: 'Two' });
      const later = (
        await write(boardId, {
          type: 'add_item',
          checklistId: 'checklist-search02',
          text: 'gamma later, Ёлка',
        })
      ).entity as TaskChecklistItem;
      // Titles first, then items, each newest first; a checklist's title is not searched.
      expect(hits(await search(boardId, 'gamma'))).toEqual([
        [t1, 'title', undefined],
        [t2, 'item', later.id],
        [t1, 'item', gammaItem.id],
      ]);
      expect(hits(await search(boardId, 'strasse'))).toEqual([[t1, 'item', streetItem.id]]);
      expect(hits(await search(boardId, 'елк'))).toEqual([[t2, 'item', later.id]]);
      const found = (await search(boardId, 'rays')).results[0]!;
      expect([found.text, found.highlights]).toEqual(['Gamma rays', [{ start: 6, end: 10 }]]);

      // A tick or a move changes no words; an edit, a deletion, a checklist's or card's deletion do.
      await write(boardId, { type: 'update_item', itemId: gammaItem.id, done: true });
      await write(boardId, { type: 'update_item', itemId: gammaItem.id, afterId: streetItem.id });
      expect(hits(await search(boardId, 'rays'))).toEqual([[t1, 'item', gammaItem.id]]);
      await write(boardId, { type: 'update_item', itemId: gammaItem.id, text: 'Delta rays' });
      expect(hits(await search(boardId, 'gamma')).map((hit) => hit[2])).toEqual([undefined, later.id]);
      expect(hits(await search(boardId, 'delta'))).toEqual([[t1, 'item', gammaItem.id]]);
      await write(boardId, { type: 'delete_item', itemId: gammaItem.id });
      expect(hits(await search(boardId, 'delta'))).toEqual([]);
      await write(boardId, { type: 'delete_checklist', checklistId: first.id });
      expect(hits(await search(boardId, 'strasse'))).toEqual([]);
      await write(boardId, { type: 'delete_task', taskId: t2 });
      expect(hits(await search(boardId, 'gamma'))).toEqual([[t1, 'title', undefined]]);
      // In one batch: added and deleted, and added to a card then deleted with it.
      const t3 = await newCard(boardId, 'Third');
      await boards.store.executeBatch(boardId, [
        {
          command: { type: 'add_checklist', taskId: t3, id: 'checklist-search03', title: 'Three' },
          options: at(),
        },
        {
          command: {
            type: 'add_item',
            checklistId: 'checklist-search03',
            id: 'item-search0001',
            text: 'omega',
          },
          options: at(),
        },
        {
          command: {
            type: 'add_item',
            checklistId: 'checklist-search03',
            id: 'item-search0002',
            text: 'omega two',
          },
          options: at(),
        },
        { command: { type: 'delete_item', itemId: 'item-search0001' }, options: at() },
      ]);
      expect(hits(await search(boardId, 'omega'))).toEqual([[t3, 'item', 'item-search0002']]);
      await boards.store.executeBatch(boardId, [
        {
          command: { type: 'add_item', checklistId: 'checklist-search03', text: 'omega three' },
          options: at(),
        },
        { command: { type: 'delete_task', taskId: t3 }, options: at() },
      ]);
      expect(hits(await search(boardId, 'omega'))).toEqual([]);
    });

    it('S33 a storage from the schema before checklists migrates: its cards have none, its log folds, and they take them', async () => {
      await boards.store.close();
      await fixture.cleanup();
      boards.store = await fixture.openLegacy(preCardsRows(), 6);
      expect(await boards.store.migrate()).toEqual({ created: false });
      const events = await boards.store.readEvents(PRE_CARDS_BOARD.id, 0, 100);
      const initial = emptyBoard({ ...PRE_CARDS_BOARD, visibility: 'public_edit', listed: true });
      const parsed = events.map((logged) => JSON.parse(logged.json) as BoardEvent);
      expect(parsed).toEqual(preCardsEvents());
      const snapshot = (await boards.store.getBoard(PRE_CARDS_BOARD.id))!;
      expect(snapshot).toEqual(applyEvents(initial, parsed));
      for (const task of snapshot.lists.flatMap((list) => list.tasks)) {
        expect([task.checklists, task.links]).toEqual([[], []]);
      }
      await boards.store.execute(
        PRE_CARDS_BOARD.id,
        { type: 'add_checklist', taskId: 'task-precards01', title: 'New', items: [{ text: 'tick me' }] },
        {},
      );
      await boards.store.execute(
        PRE_CARDS_BOARD.id,
        { type: 'add_link', taskId: 'task-precards01', url: 'https://example.com' },
        {},
      );
      const all = (await boards.store.readEvents(PRE_CARDS_BOARD.id, 0, 100)).map(
        (logged) => JSON.parse(logged.json) as BoardEvent,
      );
      const after = (await boards.store.getBoard(PRE_CARDS_BOARD.id))!;
      expect(after).toEqual(applyEvents(initial, all));
      expect(hits(await search(PRE_CARDS_BOARD.id, 'tick'))).toEqual([
        ['task-precards01', 'item', taskOf(after, 'task-precards01').checklists[0]!.items[0]!.id],
      ]);
    });

    it('S34 a storage from before items kept who wrote their text migrates: each item’s textBy is the author its log names (null once pruned), and the snapshot is the fold', async () => {
      await boards.store.close();
      await fixture.cleanup();
      boards.store = await fixture.openLegacy(preItemAuthorsRows(OWNER, ANA), 7);
      expect(await boards.store.migrate()).toEqual({ created: false });
      const initial = emptyBoard({ ...PRE_ITEM_AUTHORS_BOARD, visibility: 'public_edit', listed: true });
      const parsed = (await boards.store.readEvents(PRE_ITEM_AUTHORS_BOARD.id, 0, 100)).map(
        (logged) => JSON.parse(logged.json) as BoardEvent,
      );
      // The log is never rewritten: its items still carry no author.
      expect(parsed).toEqual(preItemAuthorsEvents(OWNER, ANA));
      const snapshot = (await boards.store.getBoard(PRE_ITEM_AUTHORS_BOARD.id))!;
      expect(snapshot).toEqual(applyEvents(initial, parsed));
      const items = taskOf(snapshot, 'task-preauth01').checklists[0]!.items;
      expect(items.map((item) => [item.text, item.done, item.textBy])).toEqual([
        ['write', true, ANA],
        ['proofread', false, OWNER],
        ['ship it', false, null],
      ]);
      const pruned = (await boards.store.getBoard(PRE_ITEM_AUTHORS_PRUNED_BOARD.id))!;
      expect(
        taskOf(pruned, 'task-preauth02').checklists[0]!.items.map((item) => [item.id, item.textBy]),
      ).toEqual([
        ['item-pruned01', null],
        ['item-pruned02', ANA],
      ]);

      // A stale edit now names who wrote the text; new writes go on from the migrated rows.
      const stale = await errorFrom(
        boards.store.execute(
          PRE_ITEM_AUTHORS_BOARD.id,
          { type: 'update_item', itemId: 'item-preauth02', text: 'mine', version: 1 },
          at(ANA),
        ),
      );
      expect([stale.code, stale.details?.conflicts]).toEqual([
        'version_conflict',
        [{ field: 'text', value: 'proofread', version: 2, by: OWNER }],
      ]);
      await boards.store.execute(
        PRE_ITEM_AUTHORS_BOARD.id,
        { type: 'update_item', itemId: 'item-preauth03', text: 'ship it today', version: 2 },
        at(ANA),
      );
      const all = (await boards.store.readEvents(PRE_ITEM_AUTHORS_BOARD.id, 0, 100)).map(
        (logged) => JSON.parse(logged.json) as BoardEvent,
      );
      const after = (await boards.store.getBoard(PRE_ITEM_AUTHORS_BOARD.id))!;
      expect(after).toEqual(applyEvents(initial, all));
      expect(taskOf(after, 'task-preauth01').checklists[0]!.items[2]!.textBy).toEqual(ANA);
    });
  });
}
