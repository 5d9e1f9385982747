/**
 * The store contract's rules for comments, a task's history from the log, and search (SPEC.md,
 * S24–S29), run on every backend beside the rest of the contract. Every expected list here is
 * written out, so both backends passing means both give the same results in the same order.
 */
import { describe, expect, it } from 'vitest';
import { LiveboardError, queryTerms, type Author, type Comment } from '../../domain/index.js';
import { LEGACY_BOARD, legacyRows } from './legacy-storage.js';
import { ANA, OWNER, useContractBoards } from './contract-boards.js';
import type { StoreFixture } from './store-contract.js';
import type { SearchPage, WriteOptions } from '../store.js';

type Hit = [taskId: string, field: string];
const hits = (page: SearchPage): Hit[] => page.results.map((result) => [result.taskId, result.field]);

export function defineCommentsAndSearchContract(
  name: string,
  fixture: StoreFixture,
  options: { skip?: boolean } = {},
): void {
  describe.skipIf(options.skip ?? false)(`Store contract (comments, history, search): ${name}`, () => {
    // Writes at known, increasing times: search orders each kind of field by its last change.
    const boards = useContractBoards(fixture, '2026-03-01T00:00:00.000Z');
    const { at, write, newBoard, allEvents, expectSnapshotIsFold } = boards;
    async function newList(boardId: string, title = 'To do'): Promise<string> {
      return ((await write(boardId, { type: 'create_list', title })).entity as { id: string }).id;
    }
    async function newTask(
      boardId: string,
      listId: string,
      title: string,
      description = '',
    ): Promise<string> {
      const outcome = await write(boardId, { type: 'create_task', listId, title, description });
      return (outcome.entity as { id: string }).id;
    }
    async function comment(
      boardId: string,
      taskId: string,
      body: string,
      by: Author = ANA,
    ): Promise<Comment> {
      return (await write(boardId, { type: 'add_comment', taskId, body }, by)).entity as Comment;
    }
    const search = (boardId: string, query: string, limit = 50, after?: SearchPage['next']) =>
      boards.store.search(boardId, { terms: queryTerms(query), limit, after: after ?? undefined });

    it('S24 a comment is one event (seq + 1) and a row of its own: paged newest first, counted on its task, kept through pruning', async () => {
      const boardId = await newBoard();
      const taskId = await newTask(boardId, await newList(boardId), 'Card');
      const seqBefore = (await boards.store.boardHead(boardId))!.seq;
      const first = await comment(boardId, taskId, 'first');
      expect((await boards.store.boardHead(boardId))!.seq).toBe(seqBefore + 1);
      const second = await comment(boardId, taskId, 'second');
      const third = await comment(boardId, taskId, 'third');
      expect(first).toMatchObject({ boardId, taskId, body: 'first', by: ANA, editedAt: null });

      const page1 = await boards.store.listComments(boardId, taskId, { limit: 2 });
      expect(page1.comments.map((c) => c.body)).toEqual(['third', 'second']);
      const page2 = await boards.store.listComments(boardId, taskId, { limit: 2, before: page1.nextBefore! });
      expect(page2).toEqual({ comments: [first], nextBefore: null });

      const edited = await write(
        boardId,
        { type: 'edit_comment', commentId: second.id, body: 'second, better' },
        ANA,
      );
      expect(edited).toMatchObject({ change: 'changed', entity: { id: second.id, body: 'second, better' } });
      await write(boardId, { type: 'delete_comment', commentId: third.id }, ANA);
      expect((await boards.store.listComments(boardId, taskId, { limit: 10 })).comments).toEqual([
        { ...second, body: 'second, better', editedAt: (edited.entity as Comment).editedAt },
        first,
      ]);
      expect((await boards.store.getBoard(boardId))!.lists[0]!.tasks[0]!.commentCount).toBe(2);
      await expectSnapshotIsFold(boardId);

      expect(await boards.store.pruneEvents(1)).toBeGreaterThan(0);
      expect((await boards.store.listComments(boardId, taskId, { limit: 10 })).comments).toHaveLength(2);
      expect((await boards.store.getBoard(boardId))!.lists[0]!.tasks[0]!.commentCount).toBe(2);
    });

    it("S24 someone else's comment is refused and changes nothing; a comment of another board is comment_not_found", async () => {
      const boardId = await newBoard();
      const taskId = await newTask(boardId, await newList(boardId), 'Card');
      const mine = await comment(boardId, taskId, 'by ana', ANA);
      const seq = (await boards.store.boardHead(boardId))!.seq;
      await expect(
        write(boardId, { type: 'edit_comment', commentId: mine.id, body: 'x' }, OWNER),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });
      const other = await newBoard();
      await expect(write(other, { type: 'delete_comment', commentId: mine.id })).rejects.toMatchObject({
        code: 'comment_not_found',
      });
      await expect(write(boardId, { type: 'add_comment', taskId, body: '  ' }, ANA)).rejects.toBeInstanceOf(
        LiveboardError,
      );
      expect((await boards.store.boardHead(boardId))!.seq).toBe(seq);
      expect((await boards.store.listComments(boardId, taskId, { limit: 10 })).comments).toEqual([mine]);
    });

    it('S24 in one batch a comment is added, edited and deleted in turn; a deleted task takes its comments with it', async () => {
      const boardId = await newBoard();
      const listId = await newList(boardId);
      const taskId = await newTask(boardId, listId, 'Card');
      const results = await boards.store.executeBatch(boardId, [
        { command: { type: 'add_comment', taskId, body: 'a', id: 'comment-batch0001' }, options: at(ANA) },
        { command: { type: 'edit_comment', commentId: 'comment-batch0001', body: 'a2' }, options: at(ANA) },
        { command: { type: 'add_comment', taskId, body: 'b', id: 'comment-batch0002' }, options: at(ANA) },
        { command: { type: 'delete_comment', commentId: 'comment-batch0002' }, options: at(ANA) },
        { command: { type: 'add_comment', taskId, body: 'b', id: 'comment-batch0002' }, options: at(ANA) },
      ]);
      expect(results.map((result) => result.ok)).toEqual([true, true, true, true, false]);
      const listed = await boards.store.listComments(boardId, taskId, { limit: 10 });
      expect(listed.comments.map((c) => [c.id, c.body])).toEqual([['comment-batch0001', 'a2']]);
      await expectSnapshotIsFold(boardId);
      await comment(boardId, taskId, 'about to go');
      await write(boardId, { type: 'delete_task', taskId });
      expect((await boards.store.listComments(boardId, taskId, { limit: 10 })).comments).toEqual([]);
      expect(await search(boardId, 'about')).toEqual({ results: [], next: null });
    });

    it('S24 forty comments sent at once on one card all land, one event each, seqs gapless', async () => {
      const boardId = await newBoard();
      const taskId = await newTask(boardId, await newList(boardId), 'Busy card');
      const start = (await boards.store.boardHead(boardId))!.seq;
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          write(boardId, { type: 'add_comment', taskId, body: `note ${i}` }, ANA),
        ),
      );
      expect(outcomes.map((outcome) => outcome.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 40 }, (_, i) => start + 1 + i),
      );
      const listed = await boards.store.listComments(boardId, taskId, { limit: 100 });
      expect(listed.comments).toHaveLength(40);
      expect((await boards.store.getBoard(boardId))!.lists[0]!.tasks[0]!.commentCount).toBe(40);
      expect(hits(await search(boardId, 'note', 50))).toHaveLength(40);
      await expectSnapshotIsFold(boardId);
    });

    it("S25 a task's history is read from the log by its task_id, newest first, in pages; historyStartsAt once pruned", async () => {
      const boardId = await newBoard();
      const listId = await newList(boardId);
      const taskId = await newTask(boardId, listId, 'Card');
      const otherId = await newTask(boardId, listId, 'Other');
      await write(boardId, { type: 'update_task', taskId, title: 'Card 2' });
      await comment(boardId, taskId, 'note');
      await write(boardId, { type: 'update_task', taskId: otherId, title: 'Other 2' });
      await write(boardId, { type: 'delete_task', taskId });

      const history = await boards.store.readActivity(boardId, taskId, { limit: 10 });
      expect(history.events.map((event) => event.type)).toEqual([
        'task_deleted',
        'comment_added',
        'task_updated',
        'task_created',
      ]);
      expect(history.historyStartsAt).toBeNull();
      const page1 = await boards.store.readActivity(boardId, taskId, { limit: 3 });
      expect(page1.nextBefore).toBe(page1.events[2]!.seq);
      const page2 = await boards.store.readActivity(boardId, taskId, { limit: 3, before: page1.nextBefore! });
      expect([...page1.events, ...page2.events]).toEqual(history.events);
      expect(page2.nextBefore).toBeNull();

      const all = await boards.store.readActivity(boardId, undefined, { limit: 100 });
      expect(all.events.map((event) => event.seq)).toEqual(
        [...(await allEvents(boardId))].map((e) => e.seq).reverse(),
      );
      expect(await boards.store.taskInLog(boardId, taskId)).toBe(true);
      expect(await boards.store.taskInLog(await newBoard(), taskId)).toBe(false);

      const head = (await boards.store.boardHead(boardId))!;
      await boards.store.pruneEvents(3);
      const pruned = await boards.store.readActivity(boardId, taskId, { limit: 10 });
      expect(pruned.historyStartsAt).toBe(head.seq - 2);
      expect(pruned.events.map((event) => event.type)).toEqual(['task_deleted', 'comment_added']);
    });

    it('S26 search: the same results in the same order on every store, over accents, ß, Cyrillic, CJK, emoji and hyphens', async () => {
      const boardId = await newBoard();
      const listId = await newList(boardId);
      const t1 = await newTask(boardId, listId, 'Café crème brûlée', 'Order from the boulangerie');
      const t2 = await newTask(boardId, listId, 'Straße sperren', 'Die Hauptstraße ist gesperrt');
      const t3 = await newTask(boardId, listId, 'Привет мир', 'Ёлка на площади');
      const t4 = await newTask(boardId, listId, '東京都に住んでいます');
      const t5 = await newTask(boardId, listId, 'Ship it 🚀', 'e-mail the team about the café');
      const t6 = await newTask(boardId, listId, 'Re-release the CAFE app', 'half-baked');
      await comment(boardId, t3, 'Кафе открыто');
      const c1 = await comment(boardId, t1, 'Le café est fermé 😢');
      // Another board's words are never found from this one.
      const elsewhere = await newBoard();
      await newTask(elsewhere, await newList(elsewhere), 'Café elsewhere');

      const cafe: Hit[] = [
        [t6, 'title'],
        [t1, 'title'],
        [t5, 'description'],
        [t1, 'comment'],
      ];
      expect(hits(await search(boardId, 'cafe'))).toEqual(cafe);
      expect(hits(await search(boardId, 'CAF'))).toEqual(cafe);
      expect(hits(await search(boardId, 'café'))).toEqual(cafe);
      expect(hits(await search(boardId, 'strasse'))).toEqual([[t2, 'title']]);
      expect(hits(await search(boardId, 'Straße'))).toEqual([[t2, 'title']]);
      expect(hits(await search(boardId, 'haupt'))).toEqual([[t2, 'description']]);
      expect(hits(await search(boardId, 'елка'))).toEqual([[t3, 'description']]);
      expect(hits(await search(boardId, 'прив'))).toEqual([[t3, 'title']]);
      expect(hits(await search(boardId, 'кафе'))).toEqual([[t3, 'comment']]);
      expect(hits(await search(boardId, '東京'))).toEqual([[t4, 'title']]);
      expect(hits(await search(boardId, 'e-mail'))).toEqual([[t5, 'description']]);
      expect(hits(await search(boardId, 'release'))).toEqual([[t6, 'title']]);
      expect(hits(await search(boardId, '🚀 ship'))).toEqual([[t5, 'title']]);
      expect(hits(await search(boardId, 'cafe fermé'))).toEqual([[t1, 'comment']]);

      const page = await search(boardId, 'cafe');
      expect(page.results[0]).toEqual({
        taskId: t6,
        field: 'title',
        text: 'Re-release the CAFE app',
        offset: 0,
        highlights: [{ start: 15, end: 19 }],
      });
      expect(page.results[3]).toMatchObject({ commentId: c1.id, highlights: [{ start: 3, end: 7 }] });

      // Pages follow on from a position, with nothing skipped or repeated.
      const first = await search(boardId, 'cafe', 3);
      expect(first.next).not.toBeNull();
      const second = await search(boardId, 'cafe', 3, first.next);
      expect(second.next).toBeNull();
      expect([...hits(first), ...hits(second)]).toEqual(cafe);
    });

    it('S26 many matches, several of a kind in one second and some at the very same instant: page after page follows on, every match once, in order (kind, newest first, key), whatever the page size', async () => {
      const boardId = await newBoard();
      const listId = await newList(boardId);
      const start = Date.parse('2026-03-02T10:00:00.000Z');
      // Milliseconds from `start`: a day before, three at one instant, others in the same second,
      // two at the next second's very start, and later ones.
      const offsets = [-86_400_000, 0, 0, 0, 250, 999, 1000, 1000, 1001, 5000, 5000, 3_600_000];
      const created = await boards.store.executeBatch(
        boardId,
        offsets.map((offset, k) => ({
          command: {
            type: 'create_task' as const,
            listId,
            title: `Note ${k}`,
            description: k % 3 === 0 ? `A note about ${k}` : 'Other words',
          },
          options: { by: OWNER, now: new Date(start + offset) },
        })),
      );
      const taskIds = created.map((result) =>
        result.ok ? (result.outcome.entity as { id: string }).id : '',
      );
      const commented = await boards.store.executeBatch(
        boardId,
        taskIds.slice(0, 5).map((taskId, k) => ({
          command: { type: 'add_comment' as const, taskId, body: `noted ${k}` },
          options: { by: ANA, now: new Date(start + 7000 + (k < 3 ? 0 : k)) },
        })),
      );
      const rows: { hit: Hit; rank: number; at: string; key: string }[] = [
        ...taskIds.map((taskId, k) => ({
          hit: [taskId, 'title'] as Hit,
          rank: 0,
          at: new Date(start + offsets[k]!).toISOString(),
          key: `${taskId}/title`,
        })),
        ...taskIds.flatMap((taskId, k) =>
          k % 3 === 0
            ? [
                {
                  hit: [taskId, 'description'] as Hit,
                  rank: 1,
                  at: new Date(start + offsets[k]!).toISOString(),
                  key: `${taskId}/description`,
                },
              ]
            : [],
        ),
        ...commented.map((result) => {
          const made = (result.ok ? result.outcome.entity : null) as Comment;
          return { hit: [made.taskId, 'comment'] as Hit, rank: 2, at: made.createdAt, key: made.id };
        }),
      ];
      rows.sort((a, b) => a.rank - b.rank || (a.at > b.at ? -1 : a.at < b.at ? 1 : a.key < b.key ? -1 : 1));
      const expected = rows.map((row) => row.hit);
      expect(expected).toHaveLength(12 + 4 + 5);
      expect(hits(await search(boardId, 'not'))).toEqual(expected);
      for (const limit of [1, 4, 7]) {
        const paged: Hit[] = [];
        let next: SearchPage['next'] = null;
        do {
          const page: SearchPage = await search(boardId, 'not', limit, next);
          expect(page.results.length).toBeLessThanOrEqual(limit);
          paged.push(...hits(page));
          next = page.next;
        } while (next !== null && paged.length <= expected.length);
        expect(paged).toEqual(expected);
      }
    });

    it('S27 hostile queries are words like any other: answered, never an error', async () => {
      const boardId = await newBoard();
      const listId = await newList(boardId);
      const t1 = await newTask(boardId, listId, 'Re-release the app', 'about abstract things');
      expect(hits(await search(boardId, '" OR NEAR('))).toEqual([]);
      expect(hits(await search(boardId, 'a:*&'))).toEqual([
        [t1, 'title'],
        [t1, 'description'],
      ]);
      expect(hits(await search(boardId, "'abs"))).toEqual([[t1, 'description']]);
      for (const query of [
        'NOT AND OR',
        'x* OR y:*',
        "'); DROP TABLE tasks; --",
        '\\ \' " ` ^ $ {}',
        'NEAR/3 col:',
      ]) {
        await expect(search(boardId, query)).resolves.toBeDefined();
      }
    });

    it('S28 no ghosts: an edit, a deleted comment, task, list or board leave no result behind, at once; archived cards stay found', async () => {
      const boardId = await newBoard();
      const listId = await newList(boardId);
      const t1 = await newTask(boardId, listId, 'Gamma ray', 'gamma notes');
      const t2 = await newTask(boardId, listId, 'Gamma two');
      const note = await comment(boardId, t2, 'gamma comment');
      expect(hits(await search(boardId, 'gamma'))).toHaveLength(4);

      await write(boardId, { type: 'update_task', taskId: t1, title: 'Delta ray', description: '' });
      expect(hits(await search(boardId, 'gamma'))).toEqual([
        [t2, 'title'],
        [t2, 'comment'],
      ]);
      expect(hits(await search(boardId, 'delta'))).toEqual([[t1, 'title']]);
      await write(boardId, { type: 'edit_comment', commentId: note.id, body: 'epsilon' }, ANA);
      expect(hits(await search(boardId, 'gamma'))).toEqual([[t2, 'title']]);
      expect(hits(await search(boardId, 'epsilon'))).toEqual([[t2, 'comment']]);
      await write(boardId, { type: 'delete_comment', commentId: note.id }, ANA);
      expect(hits(await search(boardId, 'epsilon'))).toEqual([]);
      // Archived cards are found by search (issue 15): archiving changes no words, restoring neither.
      await write(boardId, { type: 'update_task', taskId: t2, archived: true });
      expect(hits(await search(boardId, 'gamma'))).toEqual([[t2, 'title']]);
      await write(boardId, { type: 'update_task', taskId: t2, archived: false });
      expect(hits(await search(boardId, 'gamma'))).toEqual([[t2, 'title']]);
      // A move changes no words: the row stays.
      const done = await newList(boardId, 'Done');
      await write(boardId, { type: 'update_task', taskId: t2, listId: done });
      expect(hits(await search(boardId, 'gamma'))).toEqual([[t2, 'title']]);
      await write(boardId, { type: 'delete_task', taskId: t2 });
      expect(hits(await search(boardId, 'gamma'))).toEqual([]);

      const t3 = await newTask(boardId, listId, 'Zeta');
      await comment(boardId, t3, 'zeta talk');
      await write(boardId, { type: 'delete_list', listId });
      expect(hits(await search(boardId, 'zeta'))).toEqual([]);
      expect(hits(await search(boardId, 'delta'))).toEqual([]);

      const t4 = await newTask(boardId, done, 'Omega');
      expect(hits(await search(boardId, 'omega'))).toEqual([[t4, 'title']]);
      await write(boardId, { type: 'delete_board' });
      expect(hits(await search(boardId, 'omega'))).toEqual([]);
    });

    it("S29 a storage from before comments migrates: the log's task_id and the search rows are filled from what it holds", async () => {
      await boards.store.close();
      await fixture.cleanup();
      // The legacy boards' rows on the schema as it was before this one (its Idempotency-Key row is of the first schema's shape).
      const rows = legacyRows().filter((sql) => !sql.includes('idempotency_keys'));
      boards.store = await fixture.openLegacy(rows, 5);
      await boards.store.migrate();
      expect(hits(await search(LEGACY_BOARD.id, 'kep'))).toEqual([['task-legacy001', 'title']]);
      const history = await boards.store.readActivity(LEGACY_BOARD.id, 'task-legacygone', { limit: 10 });
      expect(history.events.map((event) => event.type)).toEqual(['task_deleted', 'task_created']);
      const board = await boards.store.getBoard(LEGACY_BOARD.id);
      expect(board!.lists[0]!.tasks[0]!.commentCount).toBe(0);
      // It takes comments and new words like any board.
      const author: WriteOptions = { by: null };
      await boards.store.execute(
        LEGACY_BOARD.id,
        { type: 'add_comment', taskId: 'task-legacy001', body: 'still here' },
        author,
      );
      expect(hits(await search(LEGACY_BOARD.id, 'still'))).toEqual([['task-legacy001', 'comment']]);
      expect((await boards.store.getBoard(LEGACY_BOARD.id))!.lists[0]!.tasks[0]!.commentCount).toBe(1);
    });
  });
}
