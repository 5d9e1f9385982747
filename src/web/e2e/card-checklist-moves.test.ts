/**
 * Moving a card's checklists and their items, and editing its links, in two real browsers
 * (Chromium via playwright-core) against the real server, over SSE and over the long poll: a
 * checklist dragged above another and an item dragged into another checklist by mouse, an item
 * sent to another checklist by its "Move to…" menu, a link's title and URL edited in place, each
 * seen by the other window within a second; then the keyboard path with its announcements and where
 * the focus goes, the three made offline landing once each, and screenshots at desktop and phone
 * width with an axe-core check.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { Board, Task } from '../../domain/index.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { signInContext, signUpUser, type TestUser } from './accounts.js';
import { expectNoSeriousViolations } from './axe.js';
import { chromiumAvailable, launchChromium } from './browser.js';
import { afterPointerDrop } from './board-page.js';
import { TRANSPORTS } from './transports.js';

const LIVE_WITHIN_MS = 1000;
const SCREENSHOTS = new URL('../../../test-results/screenshots/', import.meta.url).pathname;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

interface Window {
  page: Page;
  errors: string[];
  statuses: number[];
  /** The bodies of the page's PATCHes, by what they change: `links`, `items`, `checklists`. */
  patches: { path: string; body: unknown }[];
}

describe.skipIf(!chromiumAvailable())(
  'moving checklists and items, and editing links, in two browsers',
  { timeout: 90_000 },
  () => {
    let server: TestServer;
    let browser: Browser;
    /** Ana owns the boards; Bea is an editor of each. */
    let ana: TestUser;
    let bea: TestUser;
    const contexts: BrowserContext[] = [];

    beforeAll(async () => {
      // A short `retry:` so that the offline test's reconnect does not wait out the default 3 s.
      server = await startServer({ env: { LIVEBOARD_RETRY_MS: '300' } });
      browser = await launchChromium();
      ana = await signUpUser(server.url, 'ana');
      bea = await signUpUser(server.url, 'bea');
    });

    afterAll(async () => {
      await browser?.close();
      await server?.dispose();
    });

    interface Card {
      boardId: string;
      card: Task;
      launch: string;
      later: string;
      /** The items of "Launch", then of "Later", by text. */
      items: Record<string, string>;
      spec: string;
      plan: string;
    }

    /**
     * A board of Ana's with Bea as an editor, and the card "Launch post": the checklist "Launch"
     * (Draft and Review done, Translate, Publish, Announce), then "Later" (Thank the team, Write the
     * retro), and two links, "Spec" and an untitled one.
     */
    async function newCard(title: string): Promise<Card> {
      const { data: board } = await ana.api.createBoard({ title });
      const { data: todo } = await ana.api.createList(board.id, { title: 'To do' });
      await ana.api.addMember(board.id, { username: 'bea', role: 'editor' });
      const { data: card } = await ana.api.createTask(board.id, { listId: todo.id, title: 'Launch post' });
      const { data: launch } = await ana.api.addChecklist(board.id, {
        taskId: card.id,
        title: 'Launch',
        items: [
          { text: 'Draft', done: true },
          { text: 'Review', done: true },
          { text: 'Translate' },
          { text: 'Publish' },
          { text: 'Announce' },
        ],
      });
      const { data: later } = await ana.api.addChecklist(board.id, {
        taskId: card.id,
        title: 'Later',
        items: [{ text: 'Thank the team' }, { text: 'Write the retro' }],
      });
      const { data: spec } = await ana.api.addLink(board.id, {
        taskId: card.id,
        url: 'https://example.com/spec',
        title: 'Spec',
      });
      const { data: plan } = await ana.api.addLink(board.id, {
        taskId: card.id,
        url: 'https://example.com/plan',
      });
      const items = Object.fromEntries([...launch.items, ...later.items].map((item) => [item.text, item.id]));
      return {
        boardId: board.id,
        card,
        launch: launch.id,
        later: later.id,
        items,
        spec: spec.id,
        plan: plan.id,
      };
    }

    async function open(who: TestUser, path: string, viewport = DESKTOP): Promise<Window> {
      const phone = viewport.width < 600;
      const context = await browser.newContext({ viewport, isMobile: phone, hasTouch: phone });
      contexts.push(context);
      context.setDefaultTimeout(8000);
      await signInContext(context, server.url, who.cookie);
      const page = await context.newPage();
      const errors: string[] = [];
      const statuses: number[] = [];
      const patches: Window['patches'] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('response', (response) => statuses.push(response.status()));
      page.on('request', (request) => {
        if (request.method() === 'PATCH') {
          patches.push({ path: new URL(request.url()).pathname, body: request.postDataJSON() });
        }
      });
      await page.goto(`${server.url}${path}`);
      await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 10_000 });
      return { page, errors, statuses, patches };
    }

    async function closeAll(): Promise<void> {
      for (const context of contexts.splice(0)) await context.close();
    }

    async function serverTask(boardId: string, taskId: string): Promise<Task> {
      const board: Board = await ana.api.getBoard(boardId);
      return board.lists.flatMap((each) => each.tasks).find((each) => each.id === taskId)!;
    }
    /** Each checklist's title and its items' texts, as the server has them. */
    async function serverChecklists(boardId: string, taskId: string): Promise<[string, string[]][]> {
      return (await serverTask(boardId, taskId)).checklists.map((checklist) => [
        checklist.title,
        checklist.items.map((item) => item.text),
      ]);
    }
    /** The same, as a page shows them. */
    const shownChecklists = (page: Page): Promise<[string, string[]][]> =>
      page.$$eval('[data-testid="checklist"]', (checklists) =>
        checklists.map((checklist) => [
          checklist.querySelector('[data-testid="checklist-title"]')?.textContent ?? '',
          [...checklist.querySelectorAll('[data-testid="item-text"]')].map((text) =>
            (text.textContent ?? '').replace(/^Edit: /, ''),
          ),
        ]),
      );
    const checklist = (page: Page, id: string) =>
      page.locator(`[data-testid="checklist"][data-checklist-id="${id}"]`);
    const item = (page: Page, id: string) =>
      page.locator(`[data-testid="checklist-item"][data-item-id="${id}"]`);
    const link = (page: Page, id: string) => page.locator(`[data-testid="link"][data-link-id="${id}"]`);
    const focusedLabel = (page: Page) =>
      page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);
    const liveRegions = (page: Page) => page.locator('[id^="DndLiveRegion"]').allTextContents();
    const center = async (locator: Locator) => {
      const box = (await locator.boundingBox())!;
      return { x: box.x + box.width / 2, y: box.y + box.height / 2, box };
    };

    /**
     * A real mouse drag by a grip to a height: press, move past the 6 px activation distance, move in
     * steps, then `whileOver` (the drag still held), then release.
     */
    async function dragGrip(page: Page, grip: Locator, toY: number, whileOver?: () => Promise<void>) {
      const from = await center(grip);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(from.x, from.y + (toY > from.y ? 10 : -10), { steps: 3 });
      await page.mouse.move(from.x, toY, { steps: 15 });
      await page.waitForTimeout(100);
      await whileOver?.();
      await page.mouse.up();
      await afterPointerDrop(page);
    }

    describe.each(TRANSPORTS)('over $name', ({ query }) => {
      test('A drags the checklist “Later” above “Launch” and an item of “Launch” into “Later” by mouse, B moves one back with “Move to…”: each window sees the other’s within 1 s', async () => {
        const { boardId, card, launch, later, items } = await newCard('Moves');
        const a = await open(ana, `/b/${boardId}/c/${card.id}${query}`);
        const b = await open(bea, `/b/${boardId}/c/${card.id}${query}`);
        try {
          await a.page
            .getByTestId('checklists-section')
            .evaluate((section) => section.scrollIntoView({ block: 'start' }));
          // "Later" by its grip, up until its middle is nearer the middle of "Launch" than its own.
          const launchBox = (await checklist(a.page, launch).boundingBox())!;
          const laterGrip = checklist(a.page, later).getByTestId('checklist-drag-handle');
          const laterBox = (await checklist(a.page, later).boundingBox())!;
          const gripY = (await center(laterGrip)).y;
          await dragGrip(a.page, laterGrip, gripY - (laterBox.y - launchBox.y));
          const swapped: [string, string[]][] = [
            ['Later', ['Thank the team', 'Write the retro']],
            ['Launch', ['Draft', 'Review', 'Translate', 'Publish', 'Announce']],
          ];
          await expect.poll(() => shownChecklists(a.page)).toEqual(swapped);
          await expect.poll(() => shownChecklists(b.page), { timeout: LIVE_WITHIN_MS }).toEqual(swapped);

          // "Announce" by its grip onto the upper half of "Write the retro": it goes just before it.
          const retro = await center(item(a.page, items['Write the retro']!));
          await dragGrip(
            a.page,
            item(a.page, items.Announce!).getByTestId('item-drag-handle'),
            retro.box.y + retro.box.height / 4,
            async () => {
              // While held there, "Later" shows that it is where the item would land.
              expect(await checklist(a.page, later).getAttribute('class')).toContain('is-drop-target');
              expect(await checklist(a.page, launch).getAttribute('class')).not.toContain('is-drop-target');
            },
          );
          const moved: [string, string[]][] = [
            ['Later', ['Thank the team', 'Announce', 'Write the retro']],
            ['Launch', ['Draft', 'Review', 'Translate', 'Publish']],
          ];
          await expect.poll(() => shownChecklists(a.page)).toEqual(moved);
          await expect.poll(() => shownChecklists(b.page), { timeout: LIVE_WITHIN_MS }).toEqual(moved);

          // Bea sends "Thank the team" to "Launch" with its menu: at the end, ticks and all.
          await item(b.page, items['Thank the team']!).getByTestId('item-move').click();
          const choices = b.page.getByTestId('item-move-to');
          expect(await choices.allTextContents()).toEqual(['Move to “Launch”']);
          await choices.click();
          const back: [string, string[]][] = [
            ['Later', ['Announce', 'Write the retro']],
            ['Launch', ['Draft', 'Review', 'Translate', 'Publish', 'Thank the team']],
          ];
          await expect.poll(() => shownChecklists(a.page), { timeout: LIVE_WITHIN_MS }).toEqual(back);
          await expect.poll(() => serverChecklists(boardId, card.id)).toEqual(back);
          // Said the server's way: a checklist placed before its neighbour, items with their checklist.
          expect(a.patches.map((patch) => patch.body)).toEqual([
            { beforeId: launch },
            { checklistId: later, beforeId: items['Write the retro'] },
          ]);
          expect(b.patches.map((patch) => patch.body)).toEqual([{ checklistId: launch }]);
          // The ticks stayed with their items, and nothing was refused.
          const saved = await serverTask(boardId, card.id);
          expect(saved.checklists[1]!.items.filter((each) => each.done).map((each) => each.text)).toEqual([
            'Draft',
            'Review',
          ]);
          expect([...a.statuses, ...b.statuses].filter((status) => status >= 400)).toEqual([]);
          expect([...a.errors, ...b.errors]).toEqual([]);
        } finally {
          await closeAll();
        }
      });

      test('A edits a link’s title and URL in place and B sees it within 1 s, and B’s title for the untitled one reaches A; Escape leaves a link as it was; an unsafe URL is refused in words and the link comes back', async () => {
        const { boardId, card, spec, plan } = await newCard('Links');
        const a = await open(ana, `/b/${boardId}/c/${card.id}${query}`);
        const b = await open(bea, `/b/${boardId}/c/${card.id}${query}`);
        try {
          await link(a.page, spec).getByTestId('link-edit').click();
          const title = link(a.page, spec).getByTestId('link-edit-title');
          // The title is ready to be typed over.
          expect(
            await title.evaluate(
              (input: HTMLInputElement) => (input.selectionEnd ?? 0) - (input.selectionStart ?? 0),
            ),
          ).toBe(4);
          await title.fill('API spec');
          await link(a.page, spec).getByTestId('link-edit-url').fill('https://example.com/api');
          await title.press('Enter');
          const anchor = link(b.page, spec).getByTestId('link-anchor');
          await expect
            .poll(() => anchor.textContent(), { timeout: LIVE_WITHIN_MS })
            .toBe('API spec (opens in a new tab)');
          expect(await anchor.getAttribute('href')).toBe('https://example.com/api');
          expect(await anchor.getAttribute('rel')).toBe('noopener noreferrer');

          await link(b.page, plan).getByTestId('link-edit').click();
          await link(b.page, plan).getByTestId('link-edit-title').fill('Plan');
          await link(b.page, plan).getByTestId('link-save').click();
          await expect
            .poll(() => link(a.page, plan).getByTestId('link-anchor').textContent(), {
              timeout: LIVE_WITHIN_MS,
            })
            .toBe('Plan (opens in a new tab)');
          // Only what was changed is sent: a new title alone leaves someone else's new URL alone.
          expect(a.patches.map((patch) => patch.body)).toEqual([
            { url: 'https://example.com/api', title: 'API spec' },
          ]);
          expect(b.patches.map((patch) => patch.body)).toEqual([{ title: 'Plan' }]);

          // Escape: as it was, the dialog still open, the focus back on "Edit".
          await link(a.page, plan).getByTestId('link-edit').click();
          await link(a.page, plan).getByTestId('link-edit-title').fill('Something else');
          await link(a.page, plan).getByTestId('link-edit-title').press('Escape');
          expect(await link(a.page, plan).getByTestId('link-anchor').textContent()).toBe(
            'Plan (opens in a new tab)',
          );
          expect(await a.page.getByTestId('task-dialog').count()).toBe(1);
          expect(await focusedLabel(a.page)).toBe('Edit link “Plan”');

          // A URL the server refuses: said in its words, and the link shows what it is.
          await link(a.page, plan).getByTestId('link-edit').click();
          await link(a.page, plan).getByTestId('link-edit-url').fill('javascript:alert(1)');
          await link(a.page, plan).getByTestId('link-edit-url').press('Enter');
          await a.page
            .getByTestId('notice')
            .filter({ hasText: /That link was not changed: .*http, https or mailto/ })
            .waitFor({ timeout: 3000 });
          await expect
            .poll(() => link(a.page, plan).getByTestId('link-anchor').getAttribute('href'))
            .toBe('https://example.com/plan');
          expect((await serverTask(boardId, card.id)).links).toEqual([
            { id: spec, url: 'https://example.com/api', title: 'API spec' },
            { id: plan, url: 'https://example.com/plan', title: 'Plan' },
          ]);
          expect([...a.errors, ...b.errors]).toEqual([]);
        } finally {
          await closeAll();
        }
      });
    });

    test('by keyboard only: a checklist moved up with its grip and the moves announced, an item sent to another checklist by “Move to…” with the focus following it, a link retitled; Escape closes only the menu', async () => {
      const { boardId, card, later, items, spec } = await newCard('Keyboard moves');
      const a = await open(ana, `/b/${boardId}/c/${card.id}`);
      const b = await open(bea, `/b/${boardId}/c/${card.id}`);
      try {
        const tabTo = async (label: string, key = 'Tab'): Promise<void> => {
          for (let step = 0; step < 80 && (await focusedLabel(a.page)) !== label; step += 1) {
            await a.page.keyboard.press(key);
          }
          expect(await focusedLabel(a.page)).toBe(label);
        };
        await a.page.getByTestId('checklist-add').focus();
        await tabTo('Drag checklist “Later”');
        await a.page.keyboard.press('Space');
        await expect
          .poll(() => liveRegions(a.page))
          .toContain('Picked up checklist “Later”. It is in position 2 of 2.');
        await a.page.waitForTimeout(150);
        await a.page.keyboard.press('ArrowUp');
        await expect
          .poll(() => liveRegions(a.page))
          .toContain('Checklist “Later” is now in position 1 of 2.');
        await a.page.waitForTimeout(150);
        await a.page.keyboard.press('Space');
        await expect
          .poll(() => liveRegions(a.page))
          .toContain('Dropped checklist “Later” in position 1 of 2.');
        await expect
          .poll(() => serverChecklists(boardId, card.id))
          .toEqual([
            ['Later', ['Thank the team', 'Write the retro']],
            ['Launch', ['Draft', 'Review', 'Translate', 'Publish', 'Announce']],
          ]);
        // One live region, inside the dialog, for checklists and items alike.
        expect(await a.page.locator('dialog [id^="DndLiveRegion"]').count()).toBe(1);

        // An item's grip moves it within its checklist only; "Move to…" takes it to another.
        await tabTo('Move item “Translate” to another checklist');
        await a.page.keyboard.press('Enter');
        await expect.poll(() => focusedLabel(a.page)).toBe(null);
        expect(await a.page.evaluate(() => document.activeElement?.textContent)).toBe('Move to “Later”');
        // Escape closes the menu, and only it: the focus is back on its button.
        await a.page.keyboard.press('Escape');
        expect(await a.page.getByTestId('task-dialog').count()).toBe(1);
        expect(await a.page.getByRole('menu').count()).toBe(0);
        expect(await focusedLabel(a.page)).toBe('Move item “Translate” to another checklist');
        await a.page.keyboard.press('Enter');
        await a.page.keyboard.press('Enter');
        // The item is in "Later" now, and so is the focus: on its menu's button, where it was.
        await expect
          .poll(() => item(a.page, items.Translate!).evaluate((row) => row.contains(document.activeElement)))
          .toBe(true);
        expect(await checklist(a.page, later).locator(`[data-item-id="${items.Translate}"]`).count()).toBe(1);
        expect(await focusedLabel(a.page)).toBe('Move item “Translate” to another checklist');
        expect(await a.page.getByTestId('checklist-moved').textContent()).toBe(
          'Moved item “Translate” to the end of “Later”.',
        );
        const moved: [string, string[]][] = [
          ['Later', ['Thank the team', 'Write the retro', 'Translate']],
          ['Launch', ['Draft', 'Review', 'Publish', 'Announce']],
        ];
        await expect.poll(() => shownChecklists(b.page), { timeout: LIVE_WITHIN_MS }).toEqual(moved);
        await expect.poll(() => serverChecklists(boardId, card.id)).toEqual(moved);

        // A link retitled: "Edit", type, Enter; the focus comes back to its "Edit".
        await tabTo('Edit link “Spec”');
        await a.page.keyboard.press('Enter');
        await a.page.keyboard.type('Spec, second draft');
        await a.page.keyboard.press('Enter');
        await expect.poll(() => focusedLabel(a.page)).toBe('Edit link “Spec, second draft”');
        await expect
          .poll(() => link(b.page, spec).getByTestId('link-anchor').textContent(), {
            timeout: LIVE_WITHIN_MS,
          })
          .toBe('Spec, second draft (opens in a new tab)');
        expect(await a.page.getByTestId('task-dialog').count()).toBe(1);
        expect([...a.errors, ...b.errors]).toEqual([]);
      } finally {
        await closeAll();
      }
    });

    test('offline, a checklist moved, an item sent to another checklist and a link edited show at once and land exactly once each on reconnect', async () => {
      const { boardId, card, launch, later, items, plan } = await newCard('Offline moves');
      const a = await open(ana, `/b/${boardId}/c/${card.id}`);
      const b = await open(bea, `/b/${boardId}/c/${card.id}`);
      try {
        const before = (await ana.api.getBoard(boardId)).seq;
        await server.kill();
        await a.page
          .locator('[data-testid="connection"]:not([data-status="live"])')
          .waitFor({ timeout: 10_000 });

        const laterGrip = checklist(a.page, later).getByTestId('checklist-drag-handle');
        await laterGrip.focus();
        await a.page.keyboard.press('Space');
        await a.page.waitForTimeout(150);
        await a.page.keyboard.press('ArrowUp');
        await a.page.waitForTimeout(150);
        await a.page.keyboard.press('Space');
        await item(a.page, items.Publish!).getByTestId('item-move').click();
        await a.page.getByTestId('item-move-to').click();
        await link(a.page, plan).getByTestId('link-edit').click();
        await link(a.page, plan).getByTestId('link-edit-title').fill('The plan');
        await link(a.page, plan).getByTestId('link-edit-title').press('Enter');
        // Shown at once, from the outbox's overlay.
        const expected: [string, string[]][] = [
          ['Later', ['Thank the team', 'Write the retro', 'Publish']],
          ['Launch', ['Draft', 'Review', 'Translate', 'Announce']],
        ];
        expect(await shownChecklists(a.page)).toEqual(expected);
        expect(await link(a.page, plan).getByTestId('link-anchor').textContent()).toBe(
          'The plan (opens in a new tab)',
        );
        await expect.poll(() => a.page.getByTestId('pending-count').getAttribute('data-count')).toBe('3');

        await server.restart();
        await expect
          .poll(() => a.page.getByTestId('pending-count').getAttribute('data-count'), { timeout: 15_000 })
          .toBe('0');
        expect((await ana.api.getBoard(boardId)).seq).toBe(before + 3);
        expect(await serverChecklists(boardId, card.id)).toEqual(expected);
        expect((await serverTask(boardId, card.id)).links[1]).toEqual({
          id: plan,
          url: 'https://example.com/plan',
          title: 'The plan',
        });
        await expect.poll(() => shownChecklists(b.page), { timeout: 15_000 }).toEqual(expected);
        expect(await shownChecklists(a.page)).toEqual(expected);
        expect(a.patches.map((patch) => patch.path.split('/')[3])).toEqual(
          expect.arrayContaining(['checklists', 'items', 'links']),
        );
        expect(launch).not.toBe(later);
        expect([...a.errors, ...b.errors]).toEqual([]);
      } finally {
        await closeAll();
      }
    }, 60_000);

    test('the move menu, a link being edited and an item dragged over another checklist read well at desktop and phone width (screenshots), with no serious or critical axe-core violation', async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      for (const [name, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const { boardId, card, later, items, spec } = await newCard(`Moves, shown (${name})`);
        await ana.api.addLink(boardId, {
          taskId: card.id,
          url: 'https://docs.example.com/a/very/long/path/to/the/style-guide-for-posts?section=tone',
        });
        const { page, errors } = await open(ana, `/b/${boardId}/c/${card.id}`, viewport);
        await page
          .getByTestId('checklists-section')
          .evaluate((section) => section.scrollIntoView({ block: 'start' }));
        await item(page, items.Publish!).getByTestId('item-move').click();
        await page.getByRole('menu').waitFor();
        await page.screenshot({ path: `${SCREENSHOTS}checklist-move-menu-${name}.png` });
        await expectNoSeriousViolations(page, `the item's move menu at ${name} width`);
        await page.keyboard.press('Escape');

        // Held over "Later": the place it would land in is shown.
        const retro = await center(item(page, items['Write the retro']!));
        await dragGrip(
          page,
          item(page, items.Announce!).getByTestId('item-drag-handle'),
          retro.box.y + retro.box.height / 4,
          async () => {
            await page.screenshot({ path: `${SCREENSHOTS}checklist-item-drag-${name}.png` });
            expect(await checklist(page, later).getAttribute('class')).toContain('is-drop-target');
            expect(await page.getByTestId('drag-preview').textContent()).toBe('Announce');
            // The line says where: before "Write the retro".
            expect(await item(page, items['Write the retro']!).getAttribute('class')).toContain(
              'drop-before',
            );
            await page.screenshot({ path: `${SCREENSHOTS}checklist-item-drag-${name}.png` });
          },
        );
        await expect
          .poll(() => checklist(page, later).locator(`[data-item-id="${items.Announce}"]`).count())
          .toBe(1);

        await link(page, spec).getByTestId('link-edit').click();
        await link(page, spec).evaluate((row) => row.scrollIntoView({ block: 'center' }));
        await page.screenshot({ path: `${SCREENSHOTS}link-edit-${name}.png` });
        await expectNoSeriousViolations(page, `a link being edited at ${name} width`);
        // Nothing in the dialog is wider than it.
        const overflow = await page.evaluate(() => {
          const dialog = document.querySelector('[data-testid="task-dialog"]')!;
          return dialog.scrollWidth - dialog.clientWidth;
        });
        expect(overflow).toBeLessThanOrEqual(0);
        await link(page, spec).getByTestId('link-cancel').click();
        expect(errors).toEqual([]);
        await closeAll();
      }
    });
  },
);
