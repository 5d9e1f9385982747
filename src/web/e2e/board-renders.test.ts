/**
 * What a change made by someone else renders on an open board, counted in real Chromium against
 * the real server (issue 15: "a remote change re-renders that card only"). The board counts its own
 * renders into `window.__liveboardRenders` when a page sets it (src/web/board/render-probe.ts):
 * `card:<id>` for a task card, `list:<id>` for a list column, `dnd` for the drag and drop's
 * DndContext. A board of 3 lists × 30 cards is
 * enough to tell one card from all of them; bench:cards times the same on 5,000 cards.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { signInContext, signUpUser, type TestUser } from './accounts.js';
import { chromiumAvailable, launchChromium } from './browser.js';

const CARDS_PER_LIST = 30;

interface Probe {
  __liveboardRenders?: string[];
}

describe.skipIf(!chromiumAvailable())(
  'what a remote change renders on the board',
  { timeout: 90_000 },
  () => {
    let server: TestServer;
    let browser: Browser;
    let owner: TestUser;

    beforeAll(async () => {
      server = await startServer();
      browser = await launchChromium();
      owner = await signUpUser(server.url, 'renders-owner');
    });

    afterAll(async () => {
      await browser?.close();
      await server?.dispose();
    });

    /** Three lists of 30 cards; every fifth card has a checklist of three items, the first done. */
    async function busyBoard(): Promise<{
      boardId: string;
      lists: string[][];
      items: Map<string, string[]>;
    }> {
      const { data: board } = await owner.api.createBoard({ title: 'Renders' });
      const lists: string[][] = [];
      const items = new Map<string, string[]>();
      for (const title of ['To do', 'Doing', 'Done']) {
        const { data: list } = await owner.api.createList(board.id, { title });
        const cards: string[] = [];
        for (let k = 0; k < CARDS_PER_LIST; k++) {
          const { data: card } = await owner.api.createTask(board.id, {
            listId: list.id,
            title: `${title} ${k}`,
          });
          cards.push(card.id);
          if (k % 5 === 2) {
            const { data: checklist } = await owner.api.addChecklist(board.id, {
              taskId: card.id,
              title: 'Steps',
              items: [{ text: 'One', done: true }, { text: 'Two' }, { text: 'Three' }],
            });
            items.set(
              card.id,
              checklist.items.map((item) => item.id),
            );
          }
        }
        lists.push([list.id, ...cards]);
      }
      return { boardId: board.id, lists, items };
    }

    async function openBoard(boardId: string): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await signInContext(context, server.url, owner.cookie);
      const page = await context.newPage();
      await page.addInitScript(() => {
        (globalThis as Probe).__liveboardRenders = [];
      });
      await page.goto(`${server.url}/b/${boardId}`);
      await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 10_000 });
      await expect.poll(() => page.locator('[data-testid="task"]').count()).toBe(3 * CARDS_PER_LIST);
      return page;
    }

    /**
     * What rendered for `change`: the page's renders from just before it until its card shows
     * `shows`, and a quiet moment after (anything the change set off later is counted too).
     */
    async function rendersFor(page: Page, change: () => Promise<unknown>, shows: () => Promise<boolean>) {
      await page.waitForTimeout(200);
      await page.evaluate(() => void ((globalThis as Probe).__liveboardRenders!.length = 0));
      await change();
      await expect.poll(shows, { timeout: 2000 }).toBe(true);
      await page.waitForTimeout(300);
      const renders = await page.evaluate(() => (globalThis as Probe).__liveboardRenders!.slice());
      return {
        cards: renders.filter((render) => render.startsWith('card:')),
        lists: renders.filter((render) => render.startsWith('list:')),
        // DndContext's wrapper: rendered again, it would hand every card's subtree a changed context.
        dnd: renders.filter((render) => render === 'dnd').length,
      };
    }

    const face = (page: Page, taskId: string) =>
      page.locator(`[data-testid="task"][data-task-id="${taskId}"]`);

    test('a checklist item ticked, a title, a label or a due date changed by someone else renders that card once, and no other card or list', async () => {
      const { boardId, lists, items } = await busyBoard();
      const page = await openBoard(boardId);
      try {
        const cards = lists[1]!.slice(1);
        const ticked = cards.find((id) => items.has(id))!;
        const { data: label } = await owner.api.createLabel(boardId, { name: 'urgent', color: 'red' });
        // A label made is a change of the board, not of a card: it renders no card.
        await page.waitForTimeout(300);
        const changes: [string, string, () => Promise<unknown>, () => Promise<boolean>][] = [
          [
            'an item ticked',
            ticked,
            () => owner.api.updateItem(boardId, items.get(ticked)![1]!, { done: true }),
            async () =>
              (await face(page, ticked).getByTestId('checklist-badge').textContent())!.includes('2/3'),
          ],
          [
            'a title',
            cards[10]!,
            () => owner.api.updateTask(boardId, cards[10]!, { title: 'Renamed elsewhere' }),
            async () =>
              (await face(page, cards[10]!).getByTestId('task-title').textContent()) === 'Renamed elsewhere',
          ],
          [
            'a label',
            cards[20]!,
            () => owner.api.updateTask(boardId, cards[20]!, { labels: { add: [label.id] } }),
            async () => (await face(page, cards[20]!).getByTestId('label-chip').count()) === 1,
          ],
          [
            'a due date',
            lists[0]![1]!,
            () => owner.api.updateTask(boardId, lists[0]![1]!, { dueAt: '2030-01-01T12:00:00Z' }),
            async () => (await face(page, lists[0]![1]!).getByTestId('due-badge').count()) === 1,
          ],
        ];
        for (const [what, taskId, change, shows] of changes) {
          const rendered = await rendersFor(page, change, shows);
          const inList = lists.find((list) => list.includes(taskId))![0];
          expect(rendered.cards, what).toEqual([`card:${taskId}`]);
          expect(rendered.dnd, what).toBe(0);
          // The card's list may render (its tasks are a new array); no other list does.
          expect(
            rendered.lists.filter((render) => render !== `list:${inList}`),
            what,
          ).toEqual([]);
        }
      } finally {
        await page.context().close();
      }
    });

    // dnd-kit's sortable cards read their list's ids (their index in it): a card that joins or leaves
    // a list renders that list's cards again, twice (the ids, then its measuring). Never another list's.
    test('a card added or moved by someone else renders no card of a list it does not join or leave', async () => {
      const { boardId, lists } = await busyBoard();
      const page = await openBoard(boardId);
      try {
        const [todo] = lists[0]!;
        const [doing, ...doingCards] = lists[1]!;
        const [done, ...doneCards] = lists[2]!;
        const untouched = new Set(doneCards.map((id) => `card:${id}`));
        let added = '';
        const add = await rendersFor(
          page,
          async () =>
            (added = (await owner.api.createTask(boardId, { listId: todo!, title: 'Added elsewhere' })).data
              .id),
          async () =>
            (await page.locator('[data-testid="task-title"]:text-is("Added elsewhere")').count()) === 1,
        );
        expect(add.cards).toContain(`card:${added}`);
        expect(add.cards.filter((render) => untouched.has(render))).toEqual([]);
        expect(add.lists.filter((render) => render !== `list:${todo}`)).toEqual([]);
        expect(add.dnd).toBe(0);

        const moved = doingCards[3]!;
        const move = await rendersFor(
          page,
          () => owner.api.updateTask(boardId, moved, { listId: todo! }),
          async () =>
            (await page
              .locator(`[data-testid="list"][data-list-id="${todo}"] [data-task-id="${moved}"]`)
              .count()) === 1,
        );
        expect(move.cards).toContain(`card:${moved}`);
        expect(move.cards.filter((render) => untouched.has(render))).toEqual([]);
        expect(move.lists).not.toContain(`list:${done}`);
        expect(move.lists).toContain(`list:${doing}`);
      } finally {
        await page.context().close();
      }
    });
  },
);
