/**
 * The board live in two real browsers (Chromium via playwright-core) against the real server
 * (dist/main.js via test/support/server.ts): every change made in one window shows in the other
 * within a second, by SSE and by the long poll, and both windows ride out a SIGKILL of the server.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LiveboardClient } from '../../client/index.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { signInContext, signUpUser, type TestUser } from './accounts.js';
import { chromiumAvailable, launchChromium } from './browser.js';
import {
  dragTo,
  keyboardMove,
  list,
  recordedTaskCards,
  recordTaskCards,
  shownBoard,
  task,
} from './board-page.js';

const LIVE_WITHIN_MS = 1000;
const SCREENSHOTS = new URL('../../../test-results/screenshots/', import.meta.url).pathname;
const transports = [
  { name: 'SSE', query: '', stream: '/events' },
  { name: 'long poll', query: '?transport=poll', stream: '/poll' },
] as const;

describe.skipIf(!chromiumAvailable())('the board, live in two browsers', () => {
  let server: TestServer;
  let browser: Browser;
  let api: LiveboardClient;
  /** Makes the boards, and every window is signed in as them (new boards are private to their owner). */
  let owner: TestUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // A short `retry:` so that the restart test does not wait out the default 3 s.
    server = await startServer({ env: { LIVEBOARD_RETRY_MS: '300' } });
    browser = await launchChromium();
    owner = await signUpUser(server.url, 'e2e-owner');
    api = owner.api;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** A browser context (one person's browser) signed in as the boards' owner. */
  async function signedInContext(options: Parameters<Browser['newContext']>[0]): Promise<BrowserContext> {
    const context = await browser.newContext(options);
    await signInContext(context, server.url, owner.cookie);
    return context;
  }

  async function newBoard(title: string): Promise<string> {
    const { data: board } = await api.createBoard({ title });
    for (const name of ['To do', 'Doing', 'Done']) await api.createList(board.id, { title: name });
    return board.id;
  }

  /** Two windows (separate browser contexts, as two people) on one board, both live. */
  async function twoWindows(boardId: string, query: string, viewport = { width: 1280, height: 800 }) {
    const open = async (): Promise<{ page: Page; streams: string[]; errors: string[] }> => {
      // A phone-sized window is a phone: touch, no hover (so the CSS for touch screens is what shows).
      const phone = viewport.width < 600;
      const context = await signedInContext({ viewport, isMobile: phone, hasTouch: phone });
      contexts.push(context);
      const page = await context.newPage();
      const streams: string[] = [];
      const errors: string[] = [];
      page.on('request', (request) => streams.push(new URL(request.url()).pathname));
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${server.url}/b/${boardId}${query}`);
      await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 10_000 });
      return { page, streams, errors };
    };
    return [await open(), await open()] as const;
  }

  async function closeWindows(): Promise<void> {
    for (const context of contexts.splice(0)) await context.close();
  }

  for (const transport of transports) {
    test(`a task created, renamed, moved by mouse and keyboard, and deleted in one window shows in the other within 1 s (${transport.name})`, async () => {
      const boardId = await newBoard(`Live ${transport.name}`);
      const [a, b] = await twoWindows(boardId, transport.query);
      try {
        // Created
        await list(a.page, 'To do').getByTestId('add-task').click();
        await a.page.getByTestId('new-task-input').fill('Write the launch post');
        await a.page.keyboard.press('Enter');
        await a.page.keyboard.press('Escape');
        await task(b.page, 'Write the launch post').waitFor({ timeout: LIVE_WITHIN_MS });

        // Renamed, in the task's dialog
        await task(a.page, 'Write the launch post').getByTestId('task-open').click();
        await a.page.getByTestId('task-title-input').fill('Publish the launch post');
        await a.page.getByTestId('task-description-input').fill('Link the demo board.');
        await a.page.getByTestId('task-save').click();
        await task(b.page, 'Publish the launch post').waitFor({ timeout: LIVE_WITHIN_MS });

        // Moved by mouse, into another list
        await dragTo(
          a.page,
          task(a.page, 'Publish the launch post'),
          list(a.page, 'Doing').getByTestId('task-list'),
        );
        await expect
          .poll(() => shownBoard(a.page), { timeout: LIVE_WITHIN_MS })
          .toEqual(boardOf([], ['Publish the launch post'], []));
        await expect
          .poll(() => shownBoard(b.page), { timeout: LIVE_WITHIN_MS })
          .toEqual(boardOf([], ['Publish the launch post'], []));

        // Moved by keyboard: lift, one list to the right, drop
        await keyboardMove(a.page, task(a.page, 'Publish the launch post').getByTestId('task-drag-handle'), [
          'ArrowRight',
        ]);
        await expect
          .poll(() => shownBoard(a.page), { timeout: LIVE_WITHIN_MS })
          .toEqual(boardOf([], [], ['Publish the launch post']));
        await expect
          .poll(() => shownBoard(b.page), { timeout: LIVE_WITHIN_MS })
          .toEqual(boardOf([], [], ['Publish the launch post']));

        // Moved with the "Move to…" menu, from the other window this time
        await task(b.page, 'Publish the launch post').getByTestId('move-menu-button').click();
        await b.page.getByRole('menuitem', { name: 'Move to To do' }).click();
        await expect
          .poll(() => shownBoard(a.page), { timeout: LIVE_WITHIN_MS })
          .toEqual(boardOf(['Publish the launch post'], [], []));

        // Deleted
        await task(a.page, 'Publish the launch post').getByTestId('task-open').click();
        await a.page.getByTestId('task-delete').click();
        await a.page.getByTestId('task-delete').click();
        await expect.poll(() => shownBoard(b.page), { timeout: LIVE_WITHIN_MS }).toEqual(boardOf([], [], []));

        // The server agrees with both windows, and each window used the transport under test.
        expect(toShown(await api.getBoard(boardId))).toEqual(await shownBoard(b.page));
        for (const { streams, errors } of [a, b]) {
          expect(streams.some((path) => path.endsWith(transport.stream))).toBe(true);
          if (transport.stream === '/poll')
            expect(streams.some((path) => path.endsWith('/events'))).toBe(false);
          expect(errors).toEqual([]);
        }
      } finally {
        await closeWindows();
      }
    });

    test(`both windows catch up after the server is SIGKILLed and restarted, with no reload and no duplicates (${transport.name})`, async () => {
      const boardId = await newBoard(`Crash ${transport.name}`);
      const listId = (await api.getBoard(boardId)).lists[0]!.id;
      await api.createTask(boardId, { listId, title: 'Before the crash' });
      const [a, b] = await twoWindows(boardId, transport.query);
      try {
        await task(b.page, 'Before the crash').waitFor({ timeout: LIVE_WITHIN_MS });
        for (const { page } of [a, b])
          await page.evaluate(() => ((globalThis as { sameDocument?: boolean }).sameDocument = true));

        await server.kill();
        await a.page
          .locator('[data-testid="connection"]:not([data-status="live"])')
          .waitFor({ timeout: 10_000 });

        // Made while the server is down: shown at once, kept in the outbox, sent when it is back.
        await list(a.page, 'To do').getByTestId('add-task').click();
        await a.page.getByTestId('new-task-input').fill('Made while offline');
        await a.page.keyboard.press('Enter');
        await a.page.keyboard.press('Escape');
        await task(a.page, 'Made while offline').waitFor({ timeout: LIVE_WITHIN_MS });
        await expect.poll(() => a.page.getByTestId('pending-count').getAttribute('data-count')).toBe('1');

        await server.restart();
        // The queued write goes first (it was made first); then a change from elsewhere.
        await expect
          .poll(() => a.page.getByTestId('pending-count').getAttribute('data-count'), { timeout: 15_000 })
          .toBe('0');
        await api.createTask(boardId, { listId, title: 'Made after the restart' });

        const expected = boardOf(
          ['Before the crash', 'Made while offline', 'Made after the restart'],
          [],
          [],
        );
        for (const { page } of [a, b])
          await expect.poll(() => shownBoard(page), { timeout: 15_000 }).toEqual(expected);
        expect(toShown(await api.getBoard(boardId))).toEqual(expected);
        for (const { page, errors } of [a, b]) {
          await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 10_000 });
          expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(
            true,
          );
          expect(errors).toEqual([]);
        }
        expect(await a.page.getByTestId('pending-count').getAttribute('data-count')).toBe('0');

        // Still live after the restart, both ways.
        await list(b.page, 'Doing').getByTestId('add-task').click();
        await b.page.getByTestId('new-task-input').fill('After it all');
        await b.page.keyboard.press('Enter');
        await task(a.page, 'After it all').waitFor({ timeout: LIVE_WITHIN_MS });
      } finally {
        await closeWindows();
      }
    }, 60_000);
  }

  test('two tasks of one title added quickly, and a third of it by someone else at once, are exactly three cards in both windows, none ever doubled or dropped', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const boardId = await newBoard('Same title');
    const [a, b] = await twoWindows(boardId, '');
    try {
      for (const { page } of [a, b]) await recordTaskCards(page);
      await list(a.page, 'To do').getByTestId('add-task').click();
      await list(b.page, 'To do').getByTestId('add-task').click();
      const addFix = async (page: Page, times: number): Promise<void> => {
        for (let i = 0; i < times; i++) {
          await page.getByTestId('new-task-input').fill('Fix');
          await page.keyboard.press('Enter');
        }
      };
      await Promise.all([addFix(a.page, 2), addFix(b.page, 1)]);

      const expected = boardOf(['Fix', 'Fix', 'Fix'], [], []);
      for (const { page } of [a, b])
        await expect.poll(() => shownBoard(page), { timeout: 2 * LIVE_WITHIN_MS }).toEqual(expected);
      // Let every late event and answer arrive: still three.
      await a.page.waitForTimeout(500);
      for (const { page } of [a, b]) expect(await shownBoard(page)).toEqual(expected);
      const board = await api.getBoard(boardId);
      expect(toShown(board)).toEqual(expected);
      expect(board.seq).toBe(3 + 3);

      const ids = board.lists[0]!.tasks.map((item) => item.id);
      for (const { page, errors } of [a, b]) {
        const seen = await recordedTaskCards(page);
        expect(seen.at(-1)!.toSorted()).toEqual(ids.toSorted());
        for (const [index, cards] of seen.entries()) {
          // Never the same card twice, never a card the server does not end with (a stand-in, a double).
          expect(new Set(cards).size).toBe(cards.length);
          expect(cards.filter((id) => !ids.includes(id))).toEqual([]);
          // Never a card gone once shown (hidden, even for a moment).
          if (index > 0) expect(seen[index - 1]!.filter((id) => !cards.includes(id))).toEqual([]);
        }
        expect(errors).toEqual([]);
      }
      await a.page.keyboard.press('Escape');
      await a.page.screenshot({ path: `${SCREENSHOTS}same-title-tasks.png` });
    } finally {
      await closeWindows();
    }
  });

  test('a task created, moved and renamed while the server is down ends in its new list with its new title, once, in both windows', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const boardId = await newBoard('Offline edits');
    const [a, b] = await twoWindows(boardId, '');
    try {
      await server.kill();
      await a.page
        .locator('[data-testid="connection"]:not([data-status="live"])')
        .waitFor({ timeout: 10_000 });

      await list(a.page, 'To do').getByTestId('add-task').click();
      await a.page.getByTestId('new-task-input').fill('Draft the post');
      await a.page.keyboard.press('Enter');
      await a.page.keyboard.press('Escape');
      await task(a.page, 'Draft the post').getByTestId('move-menu-button').click();
      await a.page.getByRole('menuitem', { name: 'Move to Doing' }).click();
      await expect.poll(() => shownBoard(a.page)).toEqual(boardOf([], ['Draft the post'], []));
      await task(a.page, 'Draft the post').getByTestId('task-open').click();
      await a.page.getByTestId('task-title-input').fill('Publish the post');
      await a.page.getByTestId('task-save').click();

      const expected = boardOf([], ['Publish the post'], []);
      await expect.poll(() => shownBoard(a.page)).toEqual(expected);
      await expect.poll(() => a.page.getByTestId('pending-count').getAttribute('data-count')).toBe('3');
      expect(await shownBoard(b.page)).toEqual(boardOf([], [], []));
      await a.page.screenshot({ path: `${SCREENSHOTS}offline-edits-pending.png` });

      await server.restart();
      await expect
        .poll(() => a.page.getByTestId('pending-count').getAttribute('data-count'), { timeout: 15_000 })
        .toBe('0');
      for (const { page } of [a, b])
        await expect.poll(() => shownBoard(page), { timeout: 15_000 }).toEqual(expected);

      // The server made it once, moved it once, renamed it once: three events, version 3.
      const board = await api.getBoard(boardId);
      expect(toShown(board)).toEqual(expected);
      expect(board.seq).toBe(3 + 3);
      const saved = board.lists[1]!.tasks[0]!;
      expect(saved.version).toBe(3);
      for (const { page, errors } of [a, b]) {
        await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 10_000 });
        expect(await task(page, 'Publish the post').getAttribute('data-task-id')).toBe(saved.id);
        expect(errors).toEqual([]);
      }
      await b.page.screenshot({ path: `${SCREENSHOTS}offline-edits-reconciled.png` });
    } finally {
      await closeWindows();
    }
  }, 60_000);

  test('a board made on the home page has the id the page proposed, and opens at it', async () => {
    const context = await signedInContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    const proposed: unknown[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/boards')
        proposed.push((request.postDataJSON() as { id?: unknown }).id);
    });
    try {
      await page.goto(`${server.url}/`);
      await page.getByTestId('new-board-input').fill('Proposed');
      await page.getByTestId('create-board').click();
      await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 10_000 });

      expect(proposed).toHaveLength(1);
      expect(proposed[0]).toMatch(/^board-[a-z0-9]{8,40}$/);
      expect(new URL(page.url()).pathname).toBe(`/b/${proposed[0] as string}`);
      expect((await api.getBoard(proposed[0] as string)).title).toBe('Proposed');
      expect(await page.getByTestId('board-title').textContent()).toBe('Proposed');
    } finally {
      await closeWindows();
    }
  });

  test('a browser without EventSource falls back to the long poll by itself, and stays live', async () => {
    const boardId = await newBoard('No EventSource');
    const listId = (await api.getBoard(boardId)).lists[0]!.id;
    const context = await signedInContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    await context.addInitScript(() => {
      delete (globalThis as { EventSource?: unknown }).EventSource;
    });
    const page = await context.newPage();
    const paths: string[] = [];
    page.on('request', (request) => paths.push(new URL(request.url()).pathname));
    try {
      await page.goto(`${server.url}/b/${boardId}`);
      await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 10_000 });
      await api.createTask(boardId, { listId, title: 'Seen through the poll' });
      await task(page, 'Seen through the poll').waitFor({ timeout: LIVE_WITHIN_MS });
      expect(paths.some((path) => path.endsWith('/poll'))).toBe(true);
      expect(paths.some((path) => path.endsWith('/events'))).toBe(false);
    } finally {
      await closeWindows();
    }
  });

  test('a list created, renamed, moved by keyboard and deleted in one window shows in the other within 1 s', async () => {
    const boardId = await newBoard('Lists');
    const [a, b] = await twoWindows(boardId, '');
    const titles = async (page: Page) => (await shownBoard(page)).map((shown) => shown.title);
    try {
      await a.page.getByTestId('add-list').click();
      await a.page.getByTestId('new-list-input').fill('Blocked');
      await a.page.keyboard.press('Enter');
      await a.page.keyboard.press('Escape');
      await list(b.page, 'Blocked').waitFor({ timeout: LIVE_WITHIN_MS });

      await list(a.page, 'Blocked').getByTestId('list-title').click();
      await a.page.getByTestId('list-title-input').fill('Waiting');
      await a.page.keyboard.press('Enter');
      await list(b.page, 'Waiting').waitFor({ timeout: LIVE_WITHIN_MS });

      // Lift the list by its grip, one place to the left, drop.
      await keyboardMove(a.page, list(a.page, 'Waiting').getByTestId('list-drag-handle'), ['ArrowLeft']);
      for (const page of [a.page, b.page]) {
        await expect
          .poll(() => titles(page), { timeout: LIVE_WITHIN_MS })
          .toEqual(['To do', 'Doing', 'Waiting', 'Done']);
      }

      // Delete asks once more before it deletes.
      await list(a.page, 'Waiting').getByTestId('list-delete').click();
      await list(a.page, 'Waiting').getByTestId('list-delete').click();
      for (const page of [a.page, b.page]) {
        await expect
          .poll(() => titles(page), { timeout: LIVE_WITHIN_MS })
          .toEqual(['To do', 'Doing', 'Done']);
      }
      expect((await api.getBoard(boardId)).lists.map((shown) => shown.title)).toEqual([
        'To do',
        'Doing',
        'Done',
      ]);
      expect([...a.errors, ...b.errors]).toEqual([]);
    } finally {
      await closeWindows();
    }
  });

  test('a title someone else changes while it is edited is told in the dialog and never silently overwritten; the true state shows', async () => {
    const boardId = await newBoard('Conflict');
    const listId = (await api.getBoard(boardId)).lists[0]!.id;
    const { data: created } = await api.createTask(boardId, { listId, title: 'Shared task' });
    const [a] = await twoWindows(boardId, '');
    try {
      await task(a.page, 'Shared task').getByTestId('task-open').click();
      await a.page.getByTestId('task-title-input').fill('My title');
      await api.updateTask(boardId, created.id, { title: 'Their title' });

      const notice = a.page.getByTestId('conflict-notice');
      await notice.waitFor({ timeout: LIVE_WITHIN_MS });
      expect(await notice.getByTestId('conflict-value').textContent()).toBe('Their title');
      expect(await a.page.getByTestId('task-title-input').inputValue()).toBe('My title');
      // Save waits for the choice: nothing is written over theirs unseen.
      expect(await a.page.getByTestId('task-save').getAttribute('aria-disabled')).toBe('true');
      await a.page.getByTestId('task-title-input').press('Enter');
      expect(await a.page.getByTestId('task-dialog').isVisible()).toBe(true);
      await notice.getByTestId('conflict-theirs').click();
      await a.page.getByTestId('task-save').click();
      await task(a.page, 'Their title').waitFor({ timeout: LIVE_WITHIN_MS });
      expect((await api.getBoard(boardId)).lists[0]!.tasks.map((item) => item.title)).toEqual([
        'Their title',
      ]);
    } finally {
      await closeWindows();
    }
  });

  test('the board reads well at desktop and phone width (screenshots in test-results/screenshots)', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const boardId = await newBoard('Product launch');
    const board = await api.getBoard(boardId);
    const [todo, doing, done] = board.lists;
    const tasks: [string, string, string][] = [
      [todo!.id, 'Draft the pricing page', 'Three tiers, annual discount.'],
      [todo!.id, 'Record a two-minute demo video', ''],
      [todo!.id, 'Ask five customers for a quote', ''],
      [doing!.id, 'Fix the onboarding checklist', 'Step 3 never completes on Safari.'],
      [doing!.id, 'Write the launch announcement for the blog and the newsletter', ''],
      [done!.id, 'Pick a launch date', ''],
    ];
    for (const [listId, title, description] of tasks)
      await api.createTask(boardId, { listId, title, description });

    const [desktop] = await twoWindows(boardId, '');
    await desktop.page.screenshot({ path: `${SCREENSHOTS}board-desktop.png` });
    await desktop.page.goto(`${server.url}/`);
    await desktop.page.getByTestId('board-link').first().waitFor();
    await desktop.page.screenshot({ path: `${SCREENSHOTS}boards-desktop.png` });
    await closeWindows();

    const [phone] = await twoWindows(boardId, '', { width: 390, height: 844 });
    await phone.page.screenshot({ path: `${SCREENSHOTS}board-phone.png` });
    // At phone width the page itself never scrolls sideways; the lists do, one column at a time.
    const widths = await phone.page.evaluate(() => {
      const lists = document.querySelector('[data-testid="board-lists"]')!;
      return {
        page: document.documentElement.scrollWidth,
        lists: lists.scrollWidth,
        visible: lists.clientWidth,
      };
    });
    expect(widths.page).toBeLessThanOrEqual(390);
    expect(widths.lists).toBeGreaterThan(widths.visible);
    await task(phone.page, 'Draft the pricing page').getByTestId('task-open').click();
    await phone.page.getByTestId('task-dialog').waitFor();
    await phone.page.screenshot({ path: `${SCREENSHOTS}task-dialog-phone.png` });
    await closeWindows();
  });
});

function boardOf(todo: string[], doing: string[], done: string[]) {
  return [
    { title: 'To do', tasks: todo },
    { title: 'Doing', tasks: doing },
    { title: 'Done', tasks: done },
  ];
}

function toShown(board: { lists: { title: string; tasks: { title: string }[] }[] }) {
  return board.lists.map((item) => ({ title: item.title, tasks: item.tasks.map((entry) => entry.title) }));
}
