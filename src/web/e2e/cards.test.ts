/**
 * Cards in two real browsers (Chromium via playwright-core) against the real server: labels, dates,
 * assignees, covers, archive and WIP limits on the card face and in its dialog, each field live on
 * its own (a draft is never disturbed, a conflict is told and chosen; both over SSE and over the long
 * poll), the filter in the URL, hostile Markdown inert, the keyboard path, screenshots and an
 * axe-core check.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Board, Task } from '../../domain/index.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { sharedBoard, signInContext, signUpUser, type TestUser } from './accounts.js';
import { expectNoSeriousViolations } from './axe.js';
import { chromiumAvailable, launchChromium } from './browser.js';
import { list, task } from './board-page.js';
import { TRANSPORTS } from './transports.js';

const LIVE_WITHIN_MS = 1000;
const SCREENSHOTS = new URL('../../../test-results/screenshots/', import.meta.url).pathname;
const HOUR_MS = 60 * 60 * 1000;

// Two browsers and a dozen steps each, on a machine shared with other work: more room than the default.
describe.skipIf(!chromiumAvailable())('cards, live per field in two browsers', { timeout: 90_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  /** Ana owns the boards; Bea is an editor of each: two people, so that a notice can name who. */
  let ana: TestUser;
  let bea: TestUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    ana = await signUpUser(server.url, 'ana');
    bea = await signUpUser(server.url, 'bea');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** A board of Ana's with Bea as an editor, three lists, and a label "bug". */
  async function newBoard(title: string): Promise<{ boardId: string; lists: string[]; bug: string }> {
    const { boardId, lists } = await sharedBoard(ana, bea, title);
    const { data: bug } = await ana.api.createLabel(boardId, { name: 'bug', color: 'red' });
    return { boardId, lists, bug: bug.id };
  }

  /** One person's browser on a page of the board, live. */
  async function open(
    who: TestUser,
    path: string,
    viewport = { width: 1280, height: 800 },
  ): Promise<{ page: Page; statuses: number[]; errors: string[] }> {
    const phone = viewport.width < 600;
    const context = await browser.newContext({ viewport, isMobile: phone, hasTouch: phone });
    contexts.push(context);
    // Well inside the test's own timeout, so that a step that waits in vain names itself.
    context.setDefaultTimeout(8000);
    await signInContext(context, server.url, who.cookie);
    const page = await context.newPage();
    const statuses: number[] = [];
    const errors: string[] = [];
    page.on('response', (response) => statuses.push(response.status()));
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${server.url}${path}`);
    await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 10_000 });
    return { page, statuses, errors };
  }

  async function closeAll(): Promise<void> {
    for (const context of contexts.splice(0)) await context.close();
  }

  async function serverTask(boardId: string, taskId: string): Promise<Task> {
    const board: Board = await ana.api.getBoard(boardId);
    return board.lists.flatMap((item) => item.tasks).find((item) => item.id === taskId)!;
  }

  async function openCard(page: Page, title: string): Promise<void> {
    await task(page, title).getByTestId('task-open').click();
    await page.getByTestId('task-dialog').waitFor();
  }

  /** A datetime-local input's value for an instant, in the browser's zone (the test's, here). */
  function localInput(iso: string): string {
    const date = new Date(iso);
    const pad = (value: number) => String(value).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  }

  describe.each(TRANSPORTS)('two windows over $name', ({ query }) => {
    test('A types a description while B sets a due date and adds a label: A saves, both show all three within 1 s, no 409, A’s draft never disturbed', async () => {
      const { boardId, lists } = await newBoard('Per field');
      const { data: card } = await ana.api.createTask(boardId, { listId: lists[0]!, title: 'Launch post' });
      const a = await open(ana, `/b/${boardId}${query}`);
      const b = await open(bea, `/b/${boardId}${query}`);
      try {
        await openCard(a.page, 'Launch post');
        const draft = a.page.getByTestId('task-description-input');
        await draft.fill('Draft: link the **demo** board');
        await draft.press('End');

        await openCard(b.page, 'Launch post');
        const due = new Date(Date.now() + 3 * 24 * HOUR_MS);
        due.setSeconds(0, 0);
        await b.page.getByTestId('due-input').fill(localInput(due.toISOString()));
        await b.page.getByTestId('task-save').click();
        await openCard(b.page, 'Launch post');
        await b.page.locator('[data-testid="label-toggle"][data-label-name="bug"]').check();

        // A's dialog shows both at once, beside the untouched draft, with no notice.
        await expect
          .poll(() => a.page.getByTestId('due-input').inputValue(), { timeout: LIVE_WITHIN_MS })
          .toBe(localInput(due.toISOString()));
        await a.page
          .locator('[data-testid="label-toggle"][data-label-name="bug"]:checked')
          .waitFor({ timeout: LIVE_WITHIN_MS });
        expect(await draft.inputValue()).toBe('Draft: link the **demo** board');
        expect(await draft.evaluate((element) => element === document.activeElement)).toBe(true);
        expect(await a.page.getByTestId('conflict-notice').count()).toBe(0);

        await a.page.getByTestId('task-save').click();
        await b.page.getByTestId('task-cancel').click();
        for (const { page } of [a, b]) {
          const face = task(page, 'Launch post');
          await face.getByTestId('description-marker').waitFor({ timeout: LIVE_WITHIN_MS });
          await face
            .locator('[data-testid="label-chip"]', { hasText: 'bug' })
            .waitFor({ timeout: LIVE_WITHIN_MS });
          await face.getByTestId('due-badge').waitFor({ timeout: LIVE_WITHIN_MS });
        }
        const saved = await serverTask(boardId, card.id);
        expect(saved.description).toBe('Draft: link the **demo** board');
        expect(saved.dueAt).toBe(due.toISOString());
        expect(saved.labelIds).toHaveLength(1);
        expect([...a.statuses, ...b.statuses]).not.toContain(409);
        expect([...a.errors, ...b.errors]).toEqual([]);
      } finally {
        await closeAll();
      }
    });

    test('both edit the description: the notice names who, the choice is theirs or mine, and each outcome holds on the server and in the other window', async () => {
      const { boardId, lists } = await newBoard('Same field');
      const { data: card } = await ana.api.createTask(boardId, {
        listId: lists[0]!,
        title: 'Pricing',
        description: 'First',
      });
      const a = await open(ana, `/b/${boardId}/c/${card.id}${query}`);
      const b = await open(bea, `/b/${boardId}/c/${card.id}${query}`);
      try {
        const editA = async (text: string): Promise<void> => {
          await a.page.getByTestId('description-write').click();
          await a.page.getByTestId('task-description-input').fill(text);
        };
        const saveB = async (text: string): Promise<void> => {
          await b.page.getByTestId('description-write').click();
          await b.page.getByTestId('task-description-input').fill(text);
          await b.page.getByTestId('task-save').click();
          await b.page.goto(`${server.url}/b/${boardId}/c/${card.id}${query}`);
          await b.page.getByTestId('task-dialog').waitFor();
        };

        // Theirs.
        await editA('Mine, first try');
        await saveB('Theirs, one');
        const notice = a.page.getByTestId('conflict-notice');
        await notice.waitFor({ timeout: LIVE_WITHIN_MS });
        expect(await notice.getByTestId('conflict-by').textContent()).toBe('bea');
        expect(await notice.getByTestId('conflict-value').textContent()).toBe('Theirs, one');
        expect(await a.page.getByTestId('task-description-input').inputValue()).toBe('Mine, first try');
        // Save is held back while the choice is open: nothing is overwritten in silence.
        expect(await a.page.getByTestId('task-save').getAttribute('aria-disabled')).toBe('true');
        await notice.getByTestId('conflict-theirs').click();
        expect(await a.page.getByTestId('task-description-input').inputValue()).toBe('Theirs, one');
        expect((await serverTask(boardId, card.id)).description).toBe('Theirs, one');

        // Mine.
        await editA('Mine, second try');
        await saveB('Theirs, two');
        await notice.waitFor({ timeout: LIVE_WITHIN_MS });
        await notice.getByTestId('conflict-mine').click();
        expect(await a.page.getByTestId('task-description-input').inputValue()).toBe('Mine, second try');
        await a.page.getByTestId('task-save').click();
        await expect
          .poll(async () => (await serverTask(boardId, card.id)).description, { timeout: LIVE_WITHIN_MS })
          .toBe('Mine, second try');
        await b.page
          .locator('[data-testid="description-preview"]', { hasText: 'Mine, second try' })
          .waitFor({ timeout: LIVE_WITHIN_MS });
        expect([...a.statuses, ...b.statuses]).not.toContain(409);
      } finally {
        await closeAll();
      }
    });
  });

  test('a save the server refuses for a conflict is told, and comes back as the user’s draft with the notice once the change is seen', async () => {
    const { boardId, lists } = await newBoard('Refused');
    const { data: card } = await ana.api.createTask(boardId, { listId: lists[0]!, title: 'Original' });
    // A's window hears nothing live (its stream and poll are refused), so it cannot know of Bea's
    // change before its own save: the server's 409 is what tells it.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    await signInContext(context, server.url, ana.cookie);
    await context.route(/\/(events|poll)(\?|$)/, (route) => route.abort());
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/b/${boardId}/c/${card.id}`);
      await page.getByTestId('task-title-input').fill('Mine');
      await bea.api.updateTask(boardId, card.id, { title: 'Theirs' });
      await page.getByTestId('task-title-input').press('Enter');
      await page
        .getByTestId('notice')
        .filter({ hasText: 'bea changed the title at the same time, so yours was not saved.' })
        .waitFor({ timeout: 3000 });
      expect((await serverTask(boardId, card.id)).title).toBe('Theirs');

      // Live again: the card shows theirs, and its dialog holds mine as a draft, with the choice.
      await context.unroute(/\/(events|poll)(\?|$)/);
      await task(page, 'Theirs').waitFor({ timeout: 10_000 });
      await openCard(page, 'Theirs');
      expect(await page.getByTestId('task-title-input').inputValue()).toBe('Mine');
      const notice = page.getByTestId('conflict-notice');
      await notice.waitFor();
      expect(await notice.getByTestId('conflict-by').textContent()).toBe('bea');
      await notice.getByTestId('conflict-mine').click();
      await page.getByTestId('task-save').click();
      await expect.poll(async () => (await serverTask(boardId, card.id)).title).toBe('Mine');
    } finally {
      await closeAll();
    }
  });

  test('filter by label (any, all), "no one" and overdue; list headers say "n of m"; the filter survives a reload', async () => {
    const { boardId, lists, bug } = await newBoard('Filtered');
    const { data: ux } = await ana.api.createLabel(boardId, { name: 'ux', color: 'sky_dark' });
    const todo = lists[0]!;
    const past = new Date(Date.now() - 24 * HOUR_MS).toISOString();
    await ana.api.createTask(boardId, {
      listId: todo,
      title: 'Both labels',
      labelIds: [bug, ux.id],
      assigneeIds: [ana.user.id],
    });
    await ana.api.createTask(boardId, { listId: todo, title: 'Bug only', labelIds: [bug] });
    await ana.api.createTask(boardId, {
      listId: todo,
      title: 'Overdue ux',
      labelIds: [ux.id],
      dueAt: past,
      assigneeIds: [bea.user.id],
    });
    await ana.api.createTask(boardId, { listId: todo, title: 'Plain' });
    const a = await open(ana, `/b/${boardId}`);
    const titles = () => list(a.page, 'To do').getByTestId('task-title').allTextContents();
    try {
      expect(await list(a.page, 'To do').getByTestId('list-count').textContent()).toMatch(/^4/);
      await a.page.getByTestId('filter-toggle').click();
      await a.page.locator('[data-testid="filter-label"][data-label-name="bug"]').check();
      await expect.poll(titles).toEqual(['Both labels', 'Bug only']);
      expect(await list(a.page, 'To do').getByTestId('list-count').textContent()).toMatch(/^2 of 4/);
      await a.page.locator('[data-testid="filter-label"][data-label-name="ux"]').check();
      await expect.poll(titles).toEqual(['Both labels', 'Bug only', 'Overdue ux']);
      await a.page.getByTestId('filter-labels-all').click();
      await expect.poll(titles).toEqual(['Both labels']);
      expect(new URL(a.page.url()).searchParams.get('labels')).toBe(`all:${bug},${ux.id}`);
      await a.page.reload();
      await expect.poll(titles).toEqual(['Both labels']);

      await a.page.getByTestId('filter-toggle').click();
      await a.page.getByTestId('filter-clear').click();
      await expect.poll(titles).toEqual(['Both labels', 'Bug only', 'Overdue ux', 'Plain']);
      await a.page.getByTestId('filter-assignees-none').check();
      await expect.poll(titles).toEqual(['Bug only', 'Plain']);
      await a.page.getByTestId('filter-assignees-any').check();
      await a.page.getByTestId('filter-due-overdue').check();
      await expect.poll(titles).toEqual(['Overdue ux']);
      await a.page.reload();
      await expect.poll(titles).toEqual(['Overdue ux']);
      expect(await list(a.page, 'To do').getByTestId('list-count').textContent()).toMatch(/^1 of 4/);
      expect(await task(a.page, 'Overdue ux').getByTestId('due-badge').textContent()).toMatch(/^Overdue/);

      // A card made while filtered by a label gets it, so that it does not vanish.
      await a.page.getByTestId('filter-toggle').click();
      await a.page.getByTestId('filter-due-any').check();
      await a.page.locator('[data-testid="filter-label"][data-label-name="ux"]').check();
      await list(a.page, 'To do').getByTestId('add-task').click();
      await a.page.getByTestId('new-task-input').fill('Made while filtered');
      await a.page.keyboard.press('Enter');
      await task(a.page, 'Made while filtered').waitFor({ timeout: LIVE_WITHIN_MS });
      const made = (await ana.api.getBoard(boardId)).lists[0]!.tasks.find(
        (item) => item.title === 'Made while filtered',
      );
      expect(made?.labelIds).toEqual([ux.id]);
    } finally {
      await closeAll();
    }
  });

  test('archive hides a card; "show archived" shows it; restoring it into a full hard-limited list is refused in words; WIP shows "n / limit"', async () => {
    const { boardId, lists } = await newBoard('Archive');
    const doing = lists[1]!;
    const { data: card } = await ana.api.createTask(boardId, { listId: doing, title: 'Old work' });
    const a = await open(ana, `/b/${boardId}`);
    try {
      // The limit, set from the list's menu: one card, hard.
      await list(a.page, 'Doing').getByTestId('wip-menu-button').click();
      await a.page.getByTestId('wip-limit-input').fill('1');
      await a.page.getByTestId('wip-hard').check();
      await a.page.getByTestId('wip-save').click();
      const wip = list(a.page, 'Doing').getByTestId('wip-count');
      await expect.poll(() => wip.getAttribute('data-wip-state')).toBe('at');
      expect(await wip.textContent()).toMatch(/^1 \/ 1/);

      await openCard(a.page, 'Old work');
      await a.page.getByTestId('task-archive').click();
      await a.page.getByTestId('dialog-archived').waitFor();
      await a.page.getByTestId('task-cancel').click();
      await task(a.page, 'Old work').waitFor({ state: 'detached', timeout: LIVE_WITHIN_MS });
      await expect.poll(() => wip.textContent()).toMatch(/^0 \/ 1/);

      // The freed place is taken by someone else.
      await bea.api.createTask(boardId, { listId: doing, title: 'New work' });
      await task(a.page, 'New work').waitFor({ timeout: LIVE_WITHIN_MS });

      await a.page.getByTestId('filter-toggle').click();
      await a.page.getByTestId('filter-archived').check();
      await task(a.page, 'Old work').getByTestId('archived-badge').waitFor();
      await openCard(a.page, 'Old work');
      await a.page.getByTestId('task-restore').click();
      await a.page
        .getByTestId('notice')
        .filter({ hasText: '“Doing” is full (its limit is 1), so the card was not restored.' })
        .waitFor({ timeout: 3000 });
      expect((await serverTask(boardId, card.id)).archivedAt).not.toBeNull();
      await a.page.getByTestId('dialog-archived').waitFor();
    } finally {
      await closeAll();
    }
  });

  test('a drop into a full hard-limited list is put back and announced in words', async () => {
    const { boardId, lists } = await newBoard('Full list');
    await ana.api.updateList(boardId, lists[1]!, { wipLimit: 1, wipHard: true });
    await ana.api.createTask(boardId, { listId: lists[1]!, title: 'Busy' });
    const { data: card } = await ana.api.createTask(boardId, { listId: lists[0]!, title: 'Waiting' });
    const a = await open(ana, `/b/${boardId}`);
    try {
      const handle = task(a.page, 'Waiting').getByTestId('task-drag-handle');
      await handle.focus();
      await a.page.keyboard.press('Space');
      await a.page.waitForTimeout(150);
      await a.page.keyboard.press('ArrowRight');
      await a.page.waitForTimeout(150);
      await a.page.keyboard.press('Space');
      const words = '“Doing” is full (1 of 1, a hard limit): “Waiting” was put back.';
      await a.page.getByTestId('notice').filter({ hasText: words }).waitFor({ timeout: 2000 });
      // dnd-kit's live region says it too.
      await expect.poll(() => a.page.locator('[id^="DndLiveRegion"]').allTextContents()).toContain(words);
      expect(await list(a.page, 'To do').getByTestId('task-title').allTextContents()).toEqual(['Waiting']);
      expect((await serverTask(boardId, card.id)).listId).toBe(lists[0]);
    } finally {
      await closeAll();
    }
  });

  test('hostile Markdown renders inert: <script>, <img onerror>, javascript: links', async () => {
    const { boardId, lists } = await newBoard('XSS');
    const description = [
      '<script>window.pwned = "script"</script>',
      '<img src="x" onerror="window.pwned = \'img\'">',
      '[click me](javascript:window.pwned="link")',
      '[also](JaVaScRiPt:window.pwned="link2")',
      '**bold** stays',
    ].join('\n\n');
    const { data: card } = await ana.api.createTask(boardId, {
      listId: lists[0]!,
      title: 'Hostile',
      description,
    });
    const a = await open(ana, `/b/${boardId}/c/${card.id}`);
    try {
      const preview = a.page.getByTestId('description-preview');
      await preview.waitFor();
      expect(await preview.locator('strong').textContent()).toBe('bold');
      expect(await preview.locator('script, img, iframe').count()).toBe(0);
      expect(await preview.locator('a').count()).toBe(0);
      expect(await preview.textContent()).toContain('<script>');
      await preview.getByText('click me').click();
      await a.page.waitForTimeout(300);
      expect(await a.page.evaluate(() => (window as { pwned?: string }).pwned)).toBeUndefined();
      expect(a.errors).toEqual([]);
    } finally {
      await closeAll();
    }
  });

  test('labels and the due date by keyboard only: a label created and put on, a date typed, saved', async () => {
    const { boardId, lists } = await newBoard('Keyboard');
    const { data: card } = await ana.api.createTask(boardId, { listId: lists[0]!, title: 'Keys' });
    const a = await open(ana, `/b/${boardId}`);
    try {
      await task(a.page, 'Keys').getByTestId('task-open').focus();
      await a.page.keyboard.press('Enter');
      await a.page.getByTestId('task-dialog').waitFor();
      // Title, then the label search: type a new name, Enter creates it and puts it on the card.
      expect(await a.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'task-title-input',
      );
      await a.page.keyboard.press('Tab');
      expect(await a.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'label-search',
      );
      await a.page.keyboard.type('urgent');
      await a.page.keyboard.press('Enter');
      await a.page.locator('[data-testid="label-toggle"][data-label-name="urgent"]:checked').waitFor();
      // The existing label "bug": Tab to its box, Space ticks it.
      await a.page.keyboard.press('Tab');
      expect(await a.page.evaluate(() => document.activeElement?.getAttribute('data-label-name'))).toBe(
        'bug',
      );
      await a.page.keyboard.press('Space');
      await a.page.locator('[data-testid="label-toggle"][data-label-name="bug"]:checked').waitFor();
      // On to the due date (past the edit buttons and the start date), typed segment by segment.
      // (A date input's day, month, year and time are each a stop of their own.)
      for (let step = 0; step < 20; step += 1) {
        const focused = await a.page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
        if (focused === 'due-input') break;
        await a.page.keyboard.press('Tab');
      }
      expect(await a.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'due-input',
      );
      // Month and day move on by themselves; a year may be longer than four digits, so → leaves it.
      await a.page.keyboard.type('1203');
      await a.page.keyboard.type('2026');
      await a.page.keyboard.press('ArrowRight');
      await a.page.keyboard.type('0500P');
      const state = await a.page.evaluate(() => ({
        focused: document.activeElement?.getAttribute('data-testid'),
        value: (document.querySelector('[data-testid="due-input"]') as HTMLInputElement).value,
      }));
      expect(state).toEqual({ focused: 'due-input', value: '2026-12-03T17:00' });
      await a.page.keyboard.press('Enter');
      await a.page.getByTestId('task-dialog').waitFor({ state: 'detached' });
      const face = task(a.page, 'Keys');
      await face.getByTestId('due-badge').waitFor({ timeout: LIVE_WITHIN_MS });
      expect(await face.getByTestId('label-chip').allTextContents()).toEqual(['Label: urgent', 'Label: bug']);
      const saved = await serverTask(boardId, card.id);
      expect(new Date(saved.dueAt!).getTime()).toBe(new Date(2026, 11, 3, 17, 0).getTime());
      expect(saved.labelIds).toHaveLength(2);
    } finally {
      await closeAll();
    }
  });

  test('a busy card face and its dialog read well at desktop and phone width (screenshots), with no serious or critical axe-core violation', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const { boardId, lists, bug } = await newBoard('Busy board');
    const { data: ux } = await ana.api.createLabel(boardId, { name: 'design review', color: 'purple_light' });
    const { data: backend } = await ana.api.createLabel(boardId, { name: 'backend', color: 'green_dark' });
    const soon = new Date(Date.now() + 5 * HOUR_MS).toISOString();
    const { data: busy } = await ana.api.createTask(boardId, {
      listId: lists[0]!,
      title: 'Ship the new pricing page',
      description: '## Plan\n\n- Three tiers\n- Annual discount\n\n[Spec](https://example.com/spec)',
      labelIds: [bug, ux.id, backend.id],
      assigneeIds: [ana.user.id, bea.user.id],
      dueAt: soon,
      reminder: 60,
      coverColor: 'sky',
    });
    await bea.api.addComment(boardId, { taskId: busy.id, body: 'Annual at 20% off?' });
    await ana.api.addComment(boardId, { taskId: busy.id, body: 'Yes, and say so on the page.' });
    await ana.api.createTask(boardId, {
      listId: lists[0]!,
      title: 'Fix the signup form',
      labelIds: [bug],
      dueAt: new Date(Date.now() - 30 * HOUR_MS).toISOString(),
    });
    await ana.api.createTask(boardId, {
      listId: lists[1]!,
      title: 'Write release notes',
      description: 'Draft',
    });
    await ana.api.createTask(boardId, {
      listId: lists[2]!,
      title: 'Pick a launch date',
      dueAt: new Date(Date.now() - 2 * 24 * HOUR_MS).toISOString(),
      dueComplete: true,
    });
    await ana.api.updateList(boardId, lists[1]!, { wipLimit: 3, wipHard: false });

    const check = expectNoSeriousViolations;

    for (const [name, viewport] of [
      ['desktop', { width: 1280, height: 800 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const { page, errors } = await open(ana, `/b/${boardId}`, viewport);
      await task(page, 'Ship the new pricing page').getByTestId('card-cover').waitFor();
      expect(
        await task(page, 'Ship the new pricing page').getByTestId('comment-count').textContent(),
      ).toContain('2 comments');
      await page.screenshot({ path: `${SCREENSHOTS}cards-board-${name}.png` });
      await task(page, 'Ship the new pricing page').screenshot({
        path: `${SCREENSHOTS}cards-busy-card-${name}.png`,
      });
      // The page itself never scrolls sideways (the lists do, in their own scroller).
      const wide = await page.evaluate((width) => {
        const offenders = [...document.querySelectorAll('body *')].filter((element) => {
          const box = element.getBoundingClientRect();
          if (box.right <= width + 1) return false;
          // Inside a scroller of its own (the lists) it scrolls there, not the page.
          for (let parent = element.parentElement; parent; parent = parent.parentElement) {
            if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(parent).overflowX)) return false;
          }
          return getComputedStyle(element).position !== 'fixed';
        });
        return {
          scrollWidth: document.documentElement.scrollWidth,
          offenders: offenders.slice(0, 5).map((element) => `${element.tagName}.${element.className}`),
        };
      }, viewport.width);
      expect(wide.scrollWidth, JSON.stringify(wide.offenders)).toBeLessThanOrEqual(viewport.width);
      await check(page, `the board at ${name} width`);
      await page.getByTestId('filter-toggle').click();
      await page.screenshot({ path: `${SCREENSHOTS}cards-filter-${name}.png` });
      await page.getByTestId('filter-toggle').click();
      await page.goto(`${server.url}/b/${boardId}/c/${busy.id}`);
      await page.getByTestId('task-dialog').waitFor();
      await page.screenshot({ path: `${SCREENSHOTS}cards-dialog-${name}.png` });
      await check(page, `the dialog at ${name} width`);
      expect(errors).toEqual([]);
      await closeAll();
    }
  });
});
