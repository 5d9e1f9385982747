/**
 * A card's checklists and links in two real browsers (Chromium via playwright-core) against the
 * real server, over SSE and over the long poll: ticks from one window reach the other within a
 * second without touching a draft, an item's text edited by both is told and chosen, the card
 * face's "2/5" follows, ticks, a label, an item and a link made offline land once each; then the
 * keyboard path with dnd-kit's announcements, links (safe schemes only, the server's refusal in
 * words), screenshots and an axe-core check.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Board, Task } from '../../domain/index.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { signInContext, signUpUser, type TestUser } from './accounts.js';
import { expectNoSeriousViolations } from './axe.js';
import { dragTo, task } from './board-page.js';
import { chromiumAvailable, launchChromium } from './browser.js';
import { TRANSPORTS } from './transports.js';

const LIVE_WITHIN_MS = 1000;
const SCREENSHOTS = new URL('../../../test-results/screenshots/', import.meta.url).pathname;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const HOUR_MS = 60 * 60 * 1000;

interface Window {
  page: Page;
  errors: string[];
  statuses: number[];
  /** The bodies of the page's item PATCHes. */
  itemPatches: unknown[];
}

describe.skipIf(!chromiumAvailable())('checklists and links in two browsers', { timeout: 90_000 }, () => {
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

  /**
   * A board of Ana's with Bea as an editor, a label "bug", and a card "Launch post" with the
   * checklist "Launch": five items, the first two done.
   */
  async function newCard(
    title: string,
  ): Promise<{ boardId: string; card: Task; items: string[]; bug: string }> {
    const { data: board } = await ana.api.createBoard({ title });
    const { data: todo } = await ana.api.createList(board.id, { title: 'To do' });
    await ana.api.createList(board.id, { title: 'Done' });
    await ana.api.addMember(board.id, { username: 'bea', role: 'editor' });
    const { data: bug } = await ana.api.createLabel(board.id, { name: 'bug', color: 'red' });
    const { data: card } = await ana.api.createTask(board.id, { listId: todo.id, title: 'Launch post' });
    await ana.api.createTask(board.id, { listId: todo.id, title: 'Other card' });
    const { data: checklist } = await ana.api.addChecklist(board.id, {
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
    return { boardId: board.id, card, items: checklist.items.map((item) => item.id), bug: bug.id };
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
    const itemPatches: unknown[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('response', (response) => statuses.push(response.status()));
    page.on('request', (request) => {
      if (request.method() === 'PATCH' && /\/items\//.test(request.url()))
        itemPatches.push(request.postDataJSON());
    });
    await page.goto(`${server.url}${path}`);
    await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 10_000 });
    return { page, errors, statuses, itemPatches };
  }

  async function closeAll(): Promise<void> {
    for (const context of contexts.splice(0)) await context.close();
  }

  async function serverTask(boardId: string, taskId: string): Promise<Task> {
    const board: Board = await ana.api.getBoard(boardId);
    return board.lists.flatMap((each) => each.tasks).find((each) => each.id === taskId)!;
  }

  const item = (page: Page, itemId: string) =>
    page.locator(`[data-testid="checklist-item"][data-item-id="${itemId}"]`);
  const itemByText = (page: Page, text: string) =>
    page
      .getByTestId('checklist-item')
      .filter({ has: page.getByTestId('item-text').filter({ hasText: text }) });
  const checked = (page: Page, itemId: string) => item(page, itemId).getByTestId('item-done').isChecked();
  const focusedTestId = (page: Page) =>
    page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
  const liveRegions = (page: Page) => page.locator('[id^="DndLiveRegion"]').allTextContents();

  describe.each(TRANSPORTS)('over $name', ({ query }) => {
    test('B ticks two items while A types a description and edits an item: A’s drafts untouched, both see the ticks within 1 s; B’s new text for A’s item is told, and A keeps hers', async () => {
      const { boardId, card, items } = await newCard('Ticks');
      const a = await open(ana, `/b/${boardId}/c/${card.id}${query}`);
      const b = await open(bea, `/b/${boardId}/c/${card.id}${query}`);
      try {
        const description = a.page.getByTestId('task-description-input');
        await description.fill('Draft: thank the **translators**');
        await item(a.page, items[4]!).getByTestId('item-text').click();
        const itemInput = item(a.page, items[4]!).getByTestId('item-text-input');
        await itemInput.fill('Announce on the blog');

        await item(b.page, items[2]!).getByTestId('item-done').check();
        await item(b.page, items[3]!).getByTestId('item-done').check();
        for (const { page } of [a, b]) {
          await expect.poll(() => checked(page, items[2]!), { timeout: LIVE_WITHIN_MS }).toBe(true);
          await expect.poll(() => checked(page, items[3]!), { timeout: LIVE_WITHIN_MS }).toBe(true);
          await expect
            .poll(() => page.getByTestId('checklist-progress').textContent(), { timeout: LIVE_WITHIN_MS })
            .toBe('4 of 5');
        }
        // A's drafts are as typed, the focus where it was, and no notice: a tick is not a conflict.
        expect(await description.inputValue()).toBe('Draft: thank the **translators**');
        expect(await itemInput.inputValue()).toBe('Announce on the blog');
        expect(await focusedTestId(a.page)).toBe('item-text-input');
        expect(await a.page.getByTestId('conflict-notice').count()).toBe(0);
        // Ticks are set, never toggled.
        expect(b.itemPatches).toEqual([{ done: true }, { done: true }]);

        // Bea changes the text Ana is editing: told (who, theirs), Ana's text kept; she keeps hers.
        await item(b.page, items[4]!).getByTestId('item-text').click();
        await item(b.page, items[4]!).getByTestId('item-text-input').fill('Announce in the newsletter');
        await item(b.page, items[4]!).getByTestId('item-text-input').press('Enter');
        const notice = a.page.locator('[data-testid="conflict-notice"][data-field="itemText"]');
        await notice.waitFor({ timeout: LIVE_WITHIN_MS });
        expect(await notice.getByTestId('conflict-by').textContent()).toBe('bea');
        expect(await notice.getByTestId('conflict-value').textContent()).toBe('Announce in the newsletter');
        expect(await itemInput.inputValue()).toBe('Announce on the blog');
        await notice.getByTestId('conflict-mine').click();
        await itemInput.press('Enter');
        await item(b.page, items[4]!)
          .getByTestId('item-text')
          .filter({ hasText: 'Announce on the blog' })
          .waitFor({ timeout: LIVE_WITHIN_MS });

        await a.page.getByTestId('task-save').click();
        await expect
          .poll(async () => (await serverTask(boardId, card.id)).description)
          .toBe('Draft: thank the **translators**');
        const saved = (await serverTask(boardId, card.id)).checklists[0]!.items;
        expect(saved.map((each) => [each.text, each.done, each.version])).toEqual([
          ['Draft', true, 1],
          ['Review', true, 1],
          ['Translate', true, 1],
          ['Publish', true, 1],
          ['Announce on the blog', false, 3],
        ]);
        expect([...a.statuses, ...b.statuses]).not.toContain(409);
        expect([...a.errors, ...b.errors]).toEqual([]);
      } finally {
        await closeAll();
      }
    });

    test('"2/5" becomes "3/5" on the card face in the other window within 1 s, said in words, done when all are', async () => {
      const { boardId, card, items } = await newCard('Face');
      const a = await open(ana, `/b/${boardId}${query}`);
      const b = await open(bea, `/b/${boardId}/c/${card.id}${query}`);
      try {
        const badge = task(a.page, 'Launch post').getByTestId('checklist-badge');
        expect(await badge.textContent()).toBe('2/52 of 5 checklist items done');
        await item(b.page, items[2]!).getByTestId('item-done').check();
        await expect.poll(() => badge.getAttribute('data-done'), { timeout: LIVE_WITHIN_MS }).toBe('3');
        expect(await badge.textContent()).toBe('3/53 of 5 checklist items done');
        expect(await badge.getAttribute('class')).not.toContain('is-complete');
        // The other card has no checklist, so no badge.
        expect(await task(a.page, 'Other card').getByTestId('checklist-badge').count()).toBe(0);

        await item(b.page, items[3]!).getByTestId('item-done').check();
        await item(b.page, items[4]!).getByTestId('item-done').check();
        await expect
          .poll(() => badge.getAttribute('class'), { timeout: LIVE_WITHIN_MS })
          .toContain('is-complete');
        await item(b.page, items[0]!).getByTestId('item-done').uncheck();
        await expect.poll(() => badge.getAttribute('data-done'), { timeout: LIVE_WITHIN_MS }).toBe('4');
        expect(b.itemPatches).toEqual([{ done: true }, { done: true }, { done: true }, { done: false }]);
        expect([...a.errors, ...b.errors]).toEqual([]);
      } finally {
        await closeAll();
      }
    });

    test('offline, two ticks, a label, an item and a link show at once and land exactly once each on reconnect, in both windows', async () => {
      const { boardId, card, items, bug } = await newCard('Offline');
      const a = await open(ana, `/b/${boardId}/c/${card.id}${query}`);
      const b = await open(bea, `/b/${boardId}${query}`);
      try {
        const before = (await ana.api.getBoard(boardId)).seq;
        await server.kill();
        await a.page
          .locator('[data-testid="connection"]:not([data-status="live"])')
          .waitFor({ timeout: 10_000 });

        await item(a.page, items[2]!).getByTestId('item-done').check();
        await item(a.page, items[3]!).getByTestId('item-done').check();
        await a.page.locator('[data-testid="label-toggle"][data-label-name="bug"]').check();
        await a.page.getByTestId('item-new-input').fill('Thank the reviewers');
        await a.page.getByTestId('item-new-input').press('Enter');
        await a.page.getByTestId('link-url-input').fill('https://example.com/launch');
        await a.page.getByTestId('link-add').click();
        // Shown at once, from the outbox's overlay.
        expect(await checked(a.page, items[2]!)).toBe(true);
        expect(await a.page.getByTestId('checklist-progress').textContent()).toBe('4 of 6');
        await itemByText(a.page, 'Thank the reviewers').waitFor();
        await a.page.getByTestId('link').waitFor();
        await expect.poll(() => a.page.getByTestId('pending-count').getAttribute('data-count')).toBe('5');

        await server.restart();
        await expect
          .poll(() => a.page.getByTestId('pending-count').getAttribute('data-count'), { timeout: 15_000 })
          .toBe('0');
        const board = await ana.api.getBoard(boardId);
        expect(board.seq).toBe(before + 5);
        const saved = board.lists.flatMap((each) => each.tasks).find((each) => each.id === card.id)!;
        expect(saved.labelIds).toEqual([bug]);
        expect(saved.checklists[0]!.items.map((each) => [each.text, each.done])).toEqual([
          ['Draft', true],
          ['Review', true],
          ['Translate', true],
          ['Publish', true],
          ['Announce', false],
          ['Thank the reviewers', false],
        ]);
        expect(saved.links.map((link) => link.url)).toEqual(['https://example.com/launch']);
        const badge = task(b.page, 'Launch post').getByTestId('checklist-badge');
        await expect
          .poll(() => badge.textContent(), { timeout: 15_000 })
          .toBe('4/64 of 6 checklist items done');
        expect(await task(b.page, 'Launch post').getByTestId('link-count').textContent()).toContain('1 link');
        expect([...a.errors, ...b.errors]).toEqual([]);
      } finally {
        await closeAll();
      }
    }, 60_000);
  });

  test('an item’s text the server refuses for a conflict is told, and comes back as the user’s draft, with the notice once the change is seen', async () => {
    const { boardId, card, items } = await newCard('Refused');
    // The window hears nothing live (its stream and poll are refused), so it cannot know of Bea's
    // new text before its own save: the server's 409 is what tells it.
    const context = await browser.newContext({ viewport: DESKTOP });
    contexts.push(context);
    context.setDefaultTimeout(8000);
    await signInContext(context, server.url, ana.cookie);
    await context.route(/\/(events|poll)(\?|$)/, (route) => route.abort());
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/b/${boardId}/c/${card.id}`);
      await item(page, items[4]!).getByTestId('item-text').click();
      const input = item(page, items[4]!).getByTestId('item-text-input');
      await input.fill('Announce on the radio');
      await bea.api.updateItem(boardId, items[4]!, { text: 'Announce on TV' });
      await input.press('Enter');
      await page
        .getByTestId('notice')
        // Who, from the 409's conflict: the item keeps who wrote its text.
        .filter({ hasText: 'bea changed that checklist item at the same time, so yours was not saved.' })
        .waitFor({ timeout: 3000 });
      // Back as the draft; the choice waits for the change itself, which this window has not seen.
      expect(await input.inputValue()).toBe('Announce on the radio');
      const texts = async () =>
        (await serverTask(boardId, card.id)).checklists[0]!.items.map((each) => each.text);
      expect((await texts())[4]).toBe('Announce on TV');

      await context.unroute(/\/(events|poll)(\?|$)/);
      const notice = page.locator('[data-testid="conflict-notice"][data-field="itemText"]');
      await notice.waitFor({ timeout: 10_000 });
      expect(await notice.getByTestId('conflict-by').textContent()).toBe('bea');
      expect(await notice.getByTestId('conflict-value').textContent()).toBe('Announce on TV');
      expect(await input.inputValue()).toBe('Announce on the radio');
      await notice.getByTestId('conflict-mine').click();
      await input.press('Enter');
      await expect.poll(async () => (await texts())[4]).toBe('Announce on the radio');
    } finally {
      await closeAll();
    }
  });

  test('by keyboard only: a checklist added, items typed with Enter, one ticked, one moved to the top and one move cancelled, with the moves announced', async () => {
    const { data: board } = await ana.api.createBoard({ title: 'Keyboard' });
    const { data: todo } = await ana.api.createList(board.id, { title: 'To do' });
    const { data: card } = await ana.api.createTask(board.id, { listId: todo.id, title: 'Keys' });
    const a = await open(ana, `/b/${board.id}`);
    try {
      await task(a.page, 'Keys').getByTestId('task-open').focus();
      await a.page.keyboard.press('Enter');
      await a.page.getByTestId('task-dialog').waitFor();
      const tabTo = async (matches: () => Promise<boolean>, key = 'Tab'): Promise<void> => {
        for (let step = 0; step < 60 && !(await matches()); step += 1) await a.page.keyboard.press(key);
        expect(await matches()).toBe(true);
      };
      await tabTo(async () => (await focusedTestId(a.page)) === 'checklist-add');
      await a.page.keyboard.press('Enter');
      expect(await focusedTestId(a.page)).toBe('checklist-new-input');
      await a.page.keyboard.type('Ship it');
      await a.page.keyboard.press('Enter');
      await expect.poll(() => focusedTestId(a.page)).toBe('item-new-input');
      for (const text of ['Write', 'Review', 'Publish']) {
        await a.page.keyboard.type(text);
        await a.page.keyboard.press('Enter');
      }
      await expect
        .poll(() => a.page.getByTestId('item-text').allTextContents())
        .toEqual(['Edit: Write', 'Edit: Review', 'Edit: Publish']);
      expect(await focusedTestId(a.page)).toBe('item-new-input');

      const focusedLabel = () => a.page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
      await tabTo(async () => (await focusedLabel()) === 'Write', 'Shift+Tab');
      await a.page.keyboard.press('Space');
      await expect.poll(() => itemByText(a.page, 'Write').getAttribute('data-done')).toBe('true');

      await tabTo(async () => (await focusedLabel()) === 'Drag item “Publish”');
      await a.page.keyboard.press('Space');
      await expect
        .poll(() => liveRegions(a.page))
        .toContain('Picked up item “Publish” of “Ship it”. It is in position 3 of 3.');
      await a.page.waitForTimeout(150);
      await a.page.keyboard.press('ArrowUp');
      await expect.poll(() => liveRegions(a.page)).toContain('Item “Publish” is now in position 2 of 3.');
      await a.page.waitForTimeout(150);
      await a.page.keyboard.press('ArrowUp');
      await expect.poll(() => liveRegions(a.page)).toContain('Item “Publish” is now in position 1 of 3.');
      await a.page.waitForTimeout(150);
      await a.page.keyboard.press('Space');
      await expect.poll(() => liveRegions(a.page)).toContain('Dropped item “Publish” in position 1 of 3.');
      // The live region is inside the dialog: outside a modal dialog, a screen reader hears nothing.
      expect(await a.page.locator('dialog [id^="DndLiveRegion"]').count()).toBe(1);
      expect(await a.page.getByTestId('item-text').allTextContents()).toEqual([
        'Edit: Publish',
        'Edit: Write',
        'Edit: Review',
      ]);
      // Escape cancels a move, and only the move: the dialog stays open.
      await tabTo(async () => (await focusedLabel()) === 'Drag item “Write”');
      await a.page.keyboard.press('Space');
      await a.page.waitForTimeout(150);
      await a.page.keyboard.press('ArrowDown');
      await a.page.waitForTimeout(150);
      await a.page.keyboard.press('Escape');
      await expect
        .poll(() => liveRegions(a.page))
        .toContain('Moving item “Write” was cancelled. It is back where it was.');
      // Still open: neither Enter, Space nor Escape closed the dialog.
      expect(await a.page.getByTestId('task-dialog').count()).toBe(1);
      await expect
        .poll(async () => {
          const saved = await serverTask(board.id, card.id);
          return saved.checklists.map((each) => [each.title, each.items.map((i) => [i.text, i.done])]);
        })
        .toEqual([
          [
            'Ship it',
            [
              ['Publish', false],
              ['Write', true],
              ['Review', false],
            ],
          ],
        ]);
      expect(a.errors).toEqual([]);
    } finally {
      await closeAll();
    }
  });

  test('links open in a new tab without an opener, an unsafe URL is refused in the server’s words; checklists hide checked items (but not one being edited, whose deletion is said), rename, drag by mouse, and delete on a second click', async () => {
    const { boardId, card, items } = await newCard('Links');
    const a = await open(ana, `/b/${boardId}/c/${card.id}`);
    try {
      await a.page.getByTestId('link-url-input').fill('https://example.com/spec');
      await a.page.getByTestId('link-title-input').fill('Spec');
      await a.page.getByTestId('link-title-input').press('Enter');
      const anchor = a.page.getByTestId('link-anchor');
      await anchor.waitFor();
      expect(await anchor.getAttribute('href')).toBe('https://example.com/spec');
      expect(await anchor.getAttribute('target')).toBe('_blank');
      expect(await anchor.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await anchor.textContent()).toBe('Spec (opens in a new tab)');

      await a.page.getByTestId('link-url-input').fill('javascript:alert(1)');
      await a.page.getByTestId('link-add').click();
      await a.page
        .getByTestId('notice')
        .filter({ hasText: /That link was not added: .*http, https or mailto/ })
        .waitFor({ timeout: 3000 });
      await expect.poll(() => a.page.getByTestId('link').count()).toBe(1);
      expect((await serverTask(boardId, card.id)).links.map((link) => link.url)).toEqual([
        'https://example.com/spec',
      ]);
      await a.page.getByRole('button', { name: 'Remove link “Spec”' }).click();
      await expect.poll(async () => (await serverTask(boardId, card.id)).links).toEqual([]);

      // Hide checked items: the two done ones go, and say so.
      await a.page.getByTestId('checklist-hide-checked').click();
      expect(await a.page.getByTestId('checklist-item').count()).toBe(3);
      expect(await a.page.getByTestId('checked-hidden').textContent()).toBe('2 checked items hidden');
      // An item being edited stays in sight when someone ticks it, with its draft; deleted, it is said.
      await item(a.page, items[3]!).getByTestId('item-text').click();
      await item(a.page, items[3]!).getByTestId('item-text-input').fill('Publish on Monday');
      await bea.api.updateItem(boardId, items[3]!, { done: true });
      await expect.poll(() => item(a.page, items[3]!).getAttribute('data-done')).toBe('true');
      expect(await item(a.page, items[3]!).getByTestId('item-text-input').inputValue()).toBe(
        'Publish on Monday',
      );
      expect(await a.page.getByTestId('checklist-item').count()).toBe(3);
      await bea.api.deleteItem(boardId, items[3]!);
      await a.page
        .getByTestId('notice')
        .filter({
          hasText:
            'Someone deleted the checklist item you were editing. What you had typed: “Publish on Monday”',
        })
        .waitFor({ timeout: 3000 });
      expect(await a.page.getByTestId('checklist-item').count()).toBe(2);
      await a.page.getByTestId('checklist-hide-checked').click();
      expect(await a.page.getByTestId('checklist-item').count()).toBe(4);

      // By mouse: Announce's grip dragged onto Draft puts it first.
      await dragTo(
        a.page,
        item(a.page, items[4]!).getByTestId('item-drag-handle'),
        item(a.page, items[0]!).getByTestId('item-text'),
      );
      await expect
        .poll(async () => (await serverTask(boardId, card.id)).checklists[0]!.items.map((each) => each.id))
        .toEqual([items[4], items[0], items[1], items[2]]);
      expect(
        await a.page
          .getByTestId('checklist-item')
          .evaluateAll((rows) => rows.map((row) => row.dataset.itemId)),
      ).toEqual([items[4], items[0], items[1], items[2]]);

      await a.page.getByTestId('checklist-rename').click();
      await a.page.getByTestId('checklist-title-input').fill('Launch day');
      await a.page.getByTestId('checklist-title-input').press('Enter');
      await item(a.page, items[1]!).getByTestId('item-delete').click();
      await expect
        .poll(async () => {
          const [checklist] = (await serverTask(boardId, card.id)).checklists;
          return [checklist?.title, checklist?.items.length];
        })
        .toEqual(['Launch day', 3]);
      // Still open after Enter in the title: Enter renames, it does not save the dialog.
      const remove = a.page.getByTestId('checklist-delete');
      await remove.click();
      expect(await remove.textContent()).toBe('Really delete?');
      expect((await serverTask(boardId, card.id)).checklists).toHaveLength(1);
      await remove.click();
      await expect.poll(async () => (await serverTask(boardId, card.id)).checklists).toEqual([]);
      expect(await a.page.getByTestId('checklist').count()).toBe(0);
      expect(a.errors).toEqual([]);
    } finally {
      await closeAll();
    }
  });

  test('a busy card face and the dialog with checklists and links read well at desktop and phone width (screenshots), with no serious or critical axe-core violation', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const { boardId, card, items, bug } = await newCard('Busy checklists');
    const { data: ux } = await ana.api.createLabel(boardId, { name: 'design review', color: 'purple_light' });
    await ana.api.updateTask(boardId, card.id, {
      description: 'Post the launch on the blog, then tell everyone.',
      labels: { add: [bug, ux.id] },
      assignees: { add: [ana.user.id, bea.user.id] },
      dueAt: new Date(Date.now() + 5 * HOUR_MS).toISOString(),
      coverColor: 'sky',
    });
    await ana.api.updateItem(boardId, items[2]!, { done: true });
    await ana.api.addChecklist(boardId, {
      taskId: card.id,
      title: 'After the launch',
      items: [
        { text: 'Answer the comments on the post within a day, and thank everyone who shared it' },
        { text: 'Write up what we learned' },
      ],
    });
    await ana.api.addLink(boardId, {
      taskId: card.id,
      url: 'https://example.com/launch-plan',
      title: 'Launch plan',
    });
    await ana.api.addLink(boardId, {
      taskId: card.id,
      url: 'https://docs.example.com/a/very/long/path/to/the/style-guide-for-posts?section=tone',
    });
    await bea.api.addComment(boardId, { taskId: card.id, body: 'Translations are in.' });
    const { data: done } = await ana.api.createTask(boardId, {
      listId: card.listId,
      title: 'Pick a launch date',
    });
    await ana.api.addChecklist(boardId, {
      taskId: done.id,
      title: 'Dates',
      items: [
        { text: 'Ask sales', done: true },
        { text: 'Ask support', done: true },
      ],
    });

    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { page, errors } = await open(ana, `/b/${boardId}`, viewport);
      const face = task(page, 'Launch post');
      expect(await face.getByTestId('checklist-badge').textContent()).toContain(
        '3 of 7 checklist items done',
      );
      expect(
        await task(page, 'Pick a launch date').getByTestId('checklist-badge').getAttribute('class'),
      ).toContain('is-complete');
      await face.screenshot({ path: `${SCREENSHOTS}checklists-busy-card-${name}.png` });
      await page.screenshot({ path: `${SCREENSHOTS}checklists-board-${name}.png` });
      await page.goto(`${server.url}/b/${boardId}/c/${card.id}`);
      await page.getByTestId('task-dialog').waitFor();
      // The checklists at the top of the dialog's view, so that the shot shows them rather than what is above.
      await page
        .getByTestId('checklists-section')
        .evaluate((section) => section.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: `${SCREENSHOTS}checklists-dialog-${name}.png` });
      await page.getByTestId('link-add').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOTS}checklists-dialog-links-${name}.png` });
      await expectNoSeriousViolations(page, `the dialog with checklists and links at ${name} width`);
      // Nothing in the dialog is wider than it: long item text and URLs wrap or are cut.
      const overflow = await page.evaluate(() => {
        const dialog = document.querySelector('[data-testid="task-dialog"]')!;
        return dialog.scrollWidth - dialog.clientWidth;
      });
      expect(overflow).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
      await closeAll();
    }
  });
});
