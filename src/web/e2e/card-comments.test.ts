/**
 * A card's comments, its history and the board's search in two real browsers (Chromium via
 * playwright-core) against the real server, over SSE and over the long poll: a comment from one
 * window appears in the other within a second while a half-typed one waits untouched; edit and
 * delete one's own and nothing of anyone else's; comments written, edited and deleted offline
 * land once each when the network is back; an archived card found by search, opened and
 * restored; a word said only in a comment finds its card; open results follow the board's
 * changes; hostile Markdown in a comment inert; anonymous comments on the public demo board;
 * screenshots and an axe-core check.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Board } from '../../domain/index.js';
import { LiveboardApiError, LiveboardClient } from '../../client/index.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { sharedBoard, signInContext, signUpUser, type TestUser } from './accounts.js';
import { expectNoSeriousViolations } from './axe.js';
import { list, task } from './board-page.js';
import { chromiumAvailable, launchChromium } from './browser.js';
import { TRANSPORTS } from './transports.js';

const LIVE_WITHIN_MS = 1000;
const SCREENSHOTS = new URL('../../../test-results/screenshots/', import.meta.url).pathname;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

interface Window {
  page: Page;
  errors: string[];
  /** Paths of the page's requests to the server's streams and polls. */
  streams: string[];
}

describe.skipIf(!chromiumAvailable())(
  'comments, history and search in two browsers',
  { timeout: 90_000 },
  () => {
    let server: TestServer;
    let browser: Browser;
    /** Ana owns the boards; Bea is an editor of each. */
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

    const newBoard = (title: string) => sharedBoard(ana, bea, title);

    /** A browser on a page of the board, live; `who` undefined is someone not signed in. */
    async function open(who: TestUser | undefined, path: string, viewport = DESKTOP): Promise<Window> {
      const phone = viewport.width < 600;
      const context = await browser.newContext({ viewport, isMobile: phone, hasTouch: phone });
      contexts.push(context);
      context.setDefaultTimeout(8000);
      if (who) await signInContext(context, server.url, who.cookie);
      const page = await context.newPage();
      const errors: string[] = [];
      const streams: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('request', (request) => {
        const { pathname } = new URL(request.url());
        if (/\/(events|poll)$/.test(pathname)) streams.push(pathname);
      });
      await page.goto(`${server.url}${path}`);
      await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 10_000 });
      return { page, errors, streams };
    }

    async function closeAll(): Promise<void> {
      for (const context of contexts.splice(0)) await context.close();
    }

    /** The comment whose body reads `text` (as rendered: Markdown's marks are not in it). */
    const comment = (page: Page, text: string) =>
      page.getByTestId('comment').filter({
        has: page
          .getByTestId('comment-body')
          .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) }),
      });
    const isFocused = (page: Page, testId: string) =>
      page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId);

    describe.each(TRANSPORTS)('over $name', ({ name, query }) => {
      /** The window follows the board the way this case says (the long poll's `/poll`, or `/events`). */
      const expectTransport = (window: Window): void => {
        const path = name === 'SSE' ? /\/events$/ : /\/poll$/;
        expect(
          window.streams.some((each) => path.test(each)),
          JSON.stringify(window.streams),
        ).toBe(true);
      };

      test('a comment from B appears in A within 1 s while A’s half-typed comment waits untouched; edit and delete one’s own, nothing of anyone else’s', async () => {
        const { boardId, lists } = await newBoard(`Comments ${name}`);
        const { data: card } = await ana.api.createTask(boardId, {
          listId: lists[0]!,
          title: 'Release plan',
        });
        const a = await open(ana, `/b/${boardId}/c/${card.id}${query}`);
        const b = await open(bea, `/b/${boardId}/c/${card.id}${query}`);
        try {
          expectTransport(a);
          expectTransport(b);
          await a.page.getByTestId('no-comments').waitFor();
          const draft = a.page.getByTestId('comment-input');
          await draft.fill('Half-typed by An');
          await draft.press('End');

          // Bea comments: in Ana's list within a second, her composer and focus as they were.
          await b.page.getByTestId('comment-input').fill('Looks **good** to me');
          await b.page.getByTestId('comment-send').click();
          const beas = comment(a.page, 'Looks good to me');
          await beas.waitFor({ timeout: LIVE_WITHIN_MS });
          expect(await beas.getByTestId('comment-author').textContent()).toBe('bea');
          expect(await beas.locator('strong', { hasText: 'good' }).count()).toBe(1);
          expect(await draft.inputValue()).toBe('Half-typed by An');
          expect(await isFocused(a.page, 'comment-input')).toBe(true);
          // The card face counts it (behind the dialog), in both windows.
          for (const { page } of [a, b]) {
            await expect
              .poll(() => task(page, 'Release plan').getByTestId('comment-count').textContent(), {
                timeout: LIVE_WITHIN_MS,
              })
              .toContain('1 comment');
          }

          // Ana finishes hers and sends it with Ctrl+Enter: newest first in Bea's window.
          await draft.press('End');
          await a.page.keyboard.type('a');
          await draft.press('Control+Enter');
          await comment(b.page, 'Half-typed by Ana').waitFor({ timeout: LIVE_WITHIN_MS });
          expect(await draft.inputValue()).toBe('');
          expect(
            (await b.page.getByTestId('comment-body').allTextContents()).map((text) => text.trim()),
          ).toEqual(['Half-typed by Ana', 'Looks good to me']);

          // In Bea's window: her own has Edit and Delete, Ana's has neither.
          const anasInB = comment(b.page, 'Half-typed by Ana');
          expect(await anasInB.getByTestId('comment-edit').count()).toBe(0);
          expect(await anasInB.getByTestId('comment-delete').count()).toBe(0);
          const beasInB = comment(b.page, 'Looks good to me');
          expect(await beasInB.getByTestId('comment-edit').count()).toBe(1);
          // …and the server says no too.
          const anasId = (await anasInB.getAttribute('data-comment-id'))!;
          const refused = await bea.api
            .editComment(boardId, anasId, { body: 'Not mine' })
            .catch((error) => error);
          expect(refused).toBeInstanceOf(LiveboardApiError);
          expect((refused as LiveboardApiError).status).toBe(403);

          // Ana starts another comment; Bea edits hers, then deletes it: Ana sees both within a second.
          await draft.fill('Second thought');
          await beasInB.getByTestId('comment-edit').click();
          await b.page.getByTestId('comment-edit-input').fill('Looks great to me');
          await b.page.getByTestId('comment-save').click();
          const edited = comment(a.page, 'Looks great to me');
          await edited.waitFor({ timeout: LIVE_WITHIN_MS });
          await edited.getByTestId('comment-edited').waitFor();
          expect(await draft.inputValue()).toBe('Second thought');
          expect(await isFocused(a.page, 'comment-input')).toBe(true);

          const editedInB = comment(b.page, 'Looks great to me');
          await editedInB.getByTestId('comment-delete').click();
          await editedInB.getByTestId('comment-delete').click();
          await edited.waitFor({ state: 'detached', timeout: LIVE_WITHIN_MS });
          expect(await a.page.getByTestId('comment').count()).toBe(1);
          expect(await draft.inputValue()).toBe('Second thought');
          await expect
            .poll(() => task(a.page, 'Release plan').getByTestId('comment-count').textContent(), {
              timeout: LIVE_WITHIN_MS,
            })
            .toContain('1 comment');
          expect([...a.errors, ...b.errors]).toEqual([]);
        } finally {
          await closeAll();
        }
      });

      test('an archived card is found by search (marked archived), opened from the results and restored', async () => {
        const { boardId, lists } = await newBoard(`Archive search ${name}`);
        const { data: card } = await ana.api.createTask(boardId, {
          listId: lists[1]!,
          title: 'Quarterly invoice run',
        });
        await ana.api.createTask(boardId, { listId: lists[0]!, title: 'Unrelated' });
        await ana.api.updateTask(boardId, card.id, { archived: true });
        const a = await open(ana, `/b/${boardId}${query}`);
        try {
          expectTransport(a);
          expect(await task(a.page, 'Quarterly invoice run').count()).toBe(0);
          await a.page.getByTestId('search-input').fill('invoi');
          const result = a.page.getByTestId('search-result');
          await result.first().waitFor();
          expect(await result.count()).toBe(1);
          expect(await result.getAttribute('data-field')).toBe('title');
          expect(await result.locator('mark').textContent()).toBe('invoice');
          await result.getByTestId('search-archived').waitFor();
          await expect
            .poll(() => a.page.getByTestId('search-status').textContent())
            .toBe('1 result for “invoi”.');

          await result.click();
          await a.page.getByTestId('task-dialog').waitFor();
          expect(new URL(a.page.url()).pathname).toBe(`/b/${boardId}/c/${card.id}`);
          expect(new URL(a.page.url()).search).toBe(query);
          await a.page.getByTestId('dialog-archived').waitFor();
          await a.page.getByTestId('task-restore').click();
          await a.page.getByTestId('dialog-archived').waitFor({ state: 'detached', timeout: LIVE_WITHIN_MS });
          await a.page.getByTestId('task-cancel').click();
          await task(a.page, 'Quarterly invoice run').waitFor({ timeout: LIVE_WITHIN_MS });
          expect(await list(a.page, 'Doing').getByTestId('task-title').allTextContents()).toEqual([
            'Quarterly invoice run',
          ]);
          expect(a.errors).toEqual([]);
        } finally {
          await closeAll();
        }
      });

      test('a word said only in a comment finds its card: arrows and Enter open it, with the comment there', async () => {
        const { boardId, lists } = await newBoard(`Comment search ${name}`);
        const { data: card } = await ana.api.createTask(boardId, { listId: lists[0]!, title: 'Budget' });
        await ana.api.createTask(boardId, { listId: lists[0]!, title: 'Another card' });
        const a = await open(ana, `/b/${boardId}${query}`);
        const b = await open(bea, `/b/${boardId}/c/${card.id}${query}`);
        try {
          await b.page.getByTestId('comment-input').fill('We could paint the office <b>flamingo</b> pink');
          await b.page.getByTestId('comment-send').click();
          await comment(b.page, 'We could paint the office <b>flamingo</b> pink').waitFor();

          const box = a.page.getByTestId('search-input');
          await box.fill('flaming');
          const result = a.page.getByTestId('search-result');
          await result.first().waitFor();
          expect(await result.count()).toBe(1);
          expect(await result.getAttribute('data-field')).toBe('comment');
          expect(await result.locator('mark').allTextContents()).toEqual(['flamingo']);
          // The text is text: the <b> the comment holds is shown, not made bold.
          expect(await result.locator('b').count()).toBe(0);
          expect(await result.textContent()).toContain('<b>flamingo</b>');
          await expect
            .poll(() => a.page.getByTestId('search-status').textContent())
            .toBe('1 result for “flaming”.');

          await box.press('ArrowDown');
          expect(await result.getAttribute('aria-selected')).toBe('true');
          expect(await box.getAttribute('aria-activedescendant')).toBe(await result.getAttribute('id'));
          await box.press('Enter');
          await a.page.getByTestId('task-dialog').waitFor();
          expect(new URL(a.page.url()).pathname).toBe(`/b/${boardId}/c/${card.id}`);
          await comment(a.page, 'We could paint the office <b>flamingo</b> pink').waitFor();

          // Escape closes the list first, then clears the box.
          await a.page.getByTestId('task-cancel').click();
          await box.focus();
          await box.press('Escape');
          await a.page.getByTestId('search-results').waitFor({ state: 'hidden' });
          await box.press('Escape');
          expect(await box.inputValue()).toBe('');
          expect([...a.errors, ...b.errors]).toEqual([]);
        } finally {
          await closeAll();
        }
      });

      test('open search results follow the board: B archives, renames, comments and deletes, and A’s results follow within 1 s with the selection kept on its card', async () => {
        const { boardId, lists } = await newBoard(`Search follows ${name}`);
        const make = async (title: string, description = '') =>
          (await ana.api.createTask(boardId, { listId: lists[0]!, title, description })).data.id;
        const quarterly = await make('Quarterly invoice run');
        const acme = await make('Invoice for ACME');
        const party = await make('Office party', 'Remember the invoice');
        const budget = await make('Budget');
        const a = await open(ana, `/b/${boardId}${query}`);
        const b = await open(bea, `/b/${boardId}/c/${quarterly}${query}`);
        try {
          const box = a.page.getByTestId('search-input');
          await box.fill('invoice');
          const result = a.page.getByTestId('search-result');
          const found = () =>
            result.evaluateAll((items) =>
              items.map((item) => `${item.getAttribute('data-task-id')}:${item.getAttribute('data-field')}`),
            );
          await expect.poll(found).toEqual([`${acme}:title`, `${quarterly}:title`, `${party}:description`]);
          // The second result selected from the keyboard: it stays selected wherever it goes.
          await box.press('ArrowDown');
          await box.press('ArrowDown');
          const selected = a.page.locator('[data-testid="search-result"][aria-selected="true"]');
          const selectedCard = () => selected.getAttribute('data-task-id');
          expect(await selectedCard()).toBe(quarterly);

          // B archives it in the card's dialog: marked archived in A's results, still selected.
          await b.page.getByTestId('task-archive').click();
          await selected.getByTestId('search-archived').waitFor({ timeout: LIVE_WITHIN_MS });
          expect(await selectedCard()).toBe(quarterly);

          // B renames ACME's card: its result goes, the selection stays on its card.
          await b.page.getByTestId('task-cancel').click();
          await b.page.goto(`${server.url}/b/${boardId}/c/${acme}${query}`);
          await b.page.getByTestId('task-title-input').fill('Receipt for ACME');
          await b.page.getByTestId('task-save').click();
          await expect
            .poll(found, { timeout: LIVE_WITHIN_MS })
            .toEqual([`${quarterly}:title`, `${party}:description`]);
          expect(await selectedCard()).toBe(quarterly);
          expect(await box.getAttribute('aria-activedescendant')).toBe(await selected.getAttribute('id'));

          // A comment holding the word: the query is asked again, and its result comes in.
          await bea.api.addComment(boardId, { taskId: budget, body: 'The invoice is paid' });
          await expect
            .poll(found, { timeout: LIVE_WITHIN_MS })
            .toEqual([`${quarterly}:title`, `${party}:description`, `${budget}:comment`]);
          await expect
            .poll(() => a.page.getByTestId('search-status').textContent())
            .toBe('3 results for “invoice”.');

          // Renamed and still matching: the new title, highlighted; deleted: gone.
          await bea.api.updateTask(boardId, quarterly, { title: 'Quarterly invoice run, late' });
          await bea.api.deleteTask(boardId, party);
          await expect
            .poll(() => selected.locator('.search-result-text').textContent(), { timeout: LIVE_WITHIN_MS })
            .toBe('Title: Quarterly invoice run, late');
          await expect
            .poll(found, { timeout: LIVE_WITHIN_MS })
            .toEqual([`${quarterly}:title`, `${budget}:comment`]);
          expect(await selected.locator('mark').allTextContents()).toEqual(['invoice']);

          // Enter opens the card that stayed selected.
          await box.press('Enter');
          await a.page.getByTestId('task-dialog').waitFor();
          expect(new URL(a.page.url()).pathname).toBe(`/b/${boardId}/c/${quarterly}`);
          expect([...a.errors, ...b.errors]).toEqual([]);
        } finally {
          await closeAll();
        }
      });

      test('hostile Markdown in a comment renders inert: <script>, <img onerror>, javascript: links', async () => {
        const { boardId, lists } = await newBoard(`XSS comment ${name}`);
        const { data: card } = await ana.api.createTask(boardId, { listId: lists[0]!, title: 'Hostile' });
        const a = await open(ana, `/b/${boardId}/c/${card.id}${query}`);
        const b = await open(bea, `/b/${boardId}/c/${card.id}${query}`);
        try {
          const hostile = [
            '<script>window.pwned = "script"</script>',
            '<img src="x" onerror="window.pwned = \'img\'">',
            '[x](javascript:window.pwned="link")',
            '[also](JaVaScRiPt:alert(1))',
            '**bold** stays',
          ].join('\n\n');
          await b.page.getByTestId('comment-input').fill(hostile);
          // Its preview is as inert as the comment will be.
          await b.page.getByTestId('comment-preview-toggle').click();
          const preview = b.page.getByTestId('comment-preview');
          await preview.locator('strong', { hasText: 'bold' }).waitFor();
          expect(await preview.locator('script, img, iframe, a').count()).toBe(0);
          await b.page.getByTestId('comment-send').click();
          await b.page.getByTestId('comment-input').waitFor();
          const shown = a.page.getByTestId('comment-body');
          await shown.waitFor({ timeout: LIVE_WITHIN_MS });
          expect(await shown.locator('strong').textContent()).toBe('bold');
          expect(await shown.locator('script, img, iframe').count()).toBe(0);
          expect(await shown.locator('a').count()).toBe(0);
          expect(await shown.textContent()).toContain('<script>');
          await shown.getByText('[x](javascript:').click();
          await a.page.waitForTimeout(300);
          for (const { page } of [a, b]) {
            expect(await page.evaluate(() => (window as { pwned?: string }).pwned)).toBeUndefined();
          }
          expect([...a.errors, ...b.errors]).toEqual([]);
        } finally {
          await closeAll();
        }
      });

      test('on the public demo board, someone not signed in comments as “anonymous”, with no edit', async () => {
        const anonymous = new LiveboardClient({ baseUrl: server.url });
        const demo: Board = await anonymous.getBoard('board-1');
        const card = demo.lists.flatMap((each) => each.tasks)[0]!;
        const a = await open(undefined, `/b/board-1/c/${card.id}${query}`);
        const b = await open(ana, `/b/board-1/c/${card.id}${query}`);
        try {
          const body = `Hello from nobody over ${name}`;
          await a.page.getByTestId('comment-input').fill(body);
          await a.page.getByTestId('comment-send').click();
          const mine = comment(a.page, body);
          await mine.waitFor({ timeout: LIVE_WITHIN_MS });
          expect(await mine.getByTestId('comment-author').textContent()).toBe('anonymous');
          expect(await mine.getByTestId('comment-edit').count()).toBe(0);
          expect(await mine.getByTestId('comment-delete').count()).toBe(0);
          const theirs = comment(b.page, body);
          await theirs.waitFor({ timeout: LIVE_WITHIN_MS });
          expect(await theirs.getByTestId('comment-edit').count()).toBe(0);
          expect([...a.errors, ...b.errors]).toEqual([]);
        } finally {
          await closeAll();
        }
      });
    });

    test('comments written, edited and deleted offline show at once, marked, and land once each when the network is back; one whose answer was lost is sent again with its key and lands once; the other window sees each once', async () => {
      const { boardId, lists } = await newBoard('Offline comments');
      const { data: card } = await ana.api.createTask(boardId, { listId: lists[0]!, title: 'Travel plan' });
      await ana.api.addComment(boardId, { taskId: card.id, body: 'Old note' });
      await ana.api.addComment(boardId, { taskId: card.id, body: 'Typo here' });
      const a = await open(ana, `/b/${boardId}/c/${card.id}`);
      const b = await open(bea, `/b/${boardId}/c/${card.id}`);
      const bodies = async (page: Page) =>
        (await page.getByTestId('comment-body').allTextContents()).map((text) => text.trim());
      const serverBodies = async () =>
        (await ana.api.listComments(boardId, card.id)).comments.map((each) => each.body);
      const unsent = () => a.page.getByTestId('pending-count').getAttribute('data-count');
      try {
        await expect.poll(() => bodies(b.page)).toEqual(['Typo here', 'Old note']);
        await expect.poll(() => bodies(a.page)).toEqual(['Typo here', 'Old note']);
        const before = (await ana.api.getBoard(boardId)).seq;
        await a.page.context().setOffline(true);

        await a.page.getByTestId('comment-input').fill('Written on the train');
        await a.page.getByTestId('comment-send').click();
        const written = comment(a.page, 'Written on the train');
        await written.waitFor();
        expect(await a.page.getByTestId('comment-input').inputValue()).toBe('');
        expect(await written.getAttribute('data-pending')).toBe('adding');
        await expect
          .poll(() => written.getByTestId('comment-pending').textContent())
          .toContain('waiting for the connection');
        await comment(a.page, 'Typo here').getByTestId('comment-edit').click();
        await a.page.getByTestId('comment-edit-input').fill('Typo fixed');
        await a.page.getByTestId('comment-save').click();
        await comment(a.page, 'Old note').getByTestId('comment-delete').click();
        await comment(a.page, 'Old note').getByTestId('comment-delete').click();
        // All three at once, from the outbox; nothing has reached the server or the other window.
        await expect.poll(() => bodies(a.page)).toEqual(['Written on the train', 'Typo fixed']);
        expect(await comment(a.page, 'Typo fixed').getAttribute('data-pending')).toBe('editing');
        await expect.poll(unsent).toBe('3');
        mkdirSync(SCREENSHOTS, { recursive: true });
        await a.page.getByTestId('comments').screenshot({ path: `${SCREENSHOTS}cards-comments-offline.png` });
        expect(await serverBodies()).toEqual(['Typo here', 'Old note']);
        expect(await bodies(b.page)).toEqual(['Typo here', 'Old note']);

        await a.page.context().setOffline(false);
        await expect
          .poll(() => bodies(b.page), { timeout: 10_000 })
          .toEqual(['Written on the train', 'Typo fixed']);
        await expect.poll(unsent, { timeout: 10_000 }).toBe('0');
        await expect.poll(() => a.page.locator('[data-testid="comment"][data-pending]').count()).toBe(0);
        expect(await bodies(a.page)).toEqual(['Written on the train', 'Typo fixed']);
        expect((await ana.api.getBoard(boardId)).seq).toBe(before + 3);
        expect(await serverBodies()).toEqual(['Written on the train', 'Typo fixed']);

        // The server takes the next one but its answer is lost: the retry carries the same key.
        let lost = 0;
        await a.page.context().route(/\/comments$/, async (route) => {
          if (route.request().method() !== 'POST' || lost > 0) return route.continue();
          lost += 1;
          await route.fetch();
          await route.abort('connectionreset');
        });
        await a.page.getByTestId('comment-input').fill('Sent twice, kept once');
        await a.page.getByTestId('comment-send').click();
        await comment(b.page, 'Sent twice, kept once').waitFor({ timeout: 10_000 });
        await expect.poll(unsent, { timeout: 10_000 }).toBe('0');
        expect(lost).toBe(1);
        await a.page.waitForTimeout(500);
        for (const page of [a.page, b.page]) {
          expect(await bodies(page)).toEqual(['Sent twice, kept once', 'Written on the train', 'Typo fixed']);
        }
        expect((await ana.api.getBoard(boardId)).seq).toBe(before + 4);
        expect(await serverBodies()).toEqual(['Sent twice, kept once', 'Written on the train', 'Typo fixed']);
        expect([...a.errors, ...b.errors]).toEqual([]);
      } finally {
        await closeAll();
      }
    });

    test('a comment the server refuses comes back to its box, with a notice in words, and is nowhere else', async () => {
      const { boardId, lists } = await newBoard('Refused comment');
      const { data: card } = await ana.api.createTask(boardId, { listId: lists[0]!, title: 'Bells' });
      const a = await open(ana, `/b/${boardId}/c/${card.id}`);
      try {
        const input = a.page.getByTestId('comment-input');
        await input.fill('The bell \u0007 rings');
        await a.page.getByTestId('comment-send').click();
        await a.page
          .getByTestId('notice')
          .filter({ hasText: 'Your comment was not added: Body: must not contain control characters' })
          .filter({ hasText: 'It is back in the card’s comment box.' })
          .waitFor({ timeout: 5000 });
        await expect.poll(() => input.inputValue()).toBe('The bell \u0007 rings');
        await expect.poll(() => a.page.getByTestId('comment').count()).toBe(0);
        expect((await ana.api.listComments(boardId, card.id)).comments).toEqual([]);
        expect(a.errors).toEqual([]);
      } finally {
        await closeAll();
      }
    });

    test('the card’s activity tells its history newest first, and a change made elsewhere goes on top within 1 s', async () => {
      const { boardId, lists } = await newBoard('History');
      const { data: card } = await ana.api.createTask(boardId, { listId: lists[0]!, title: 'Ship it' });
      await ana.api.updateTask(boardId, card.id, { listId: lists[2]! });
      const a = await open(ana, `/b/${boardId}/c/${card.id}`);
      try {
        await a.page.getByTestId('activity-toggle').click();
        const texts = () => a.page.getByTestId('activity-text').allTextContents();
        await expect
          .poll(texts)
          .toEqual(['ana moved this card from To do to Done', 'ana added this card to To do']);
        await bea.api.updateTask(boardId, card.id, { title: 'Ship it now' });
        await expect
          .poll(async () => (await texts())[0], { timeout: LIVE_WITHIN_MS })
          .toBe('bea renamed this card to “Ship it now”');
        expect(a.errors).toEqual([]);
      } finally {
        await closeAll();
      }
    });

    test('older comments, older activity and more search results page in; once the log was pruned, the history says so and the comments are all still there; the composer shows the limit as it nears', async () => {
      // A server of its own that keeps 30 events per board, pruned as it starts.
      const pruning = await startServer({ env: { LIVEBOARD_EVENT_RETENTION: '30' } });
      try {
        const cy = await signUpUser(pruning.url, 'cy');
        const { data: board } = await cy.api.createBoard({ title: 'Long story' });
        const { data: todo } = await cy.api.createList(board.id, { title: 'To do' });
        const { data: card } = await cy.api.createTask(board.id, { listId: todo.id, title: 'Chatty' });
        for (let index = 1; index <= 25; index += 1)
          await cy.api.addComment(board.id, { taskId: card.id, body: `Comment ${index}` });
        for (let index = 1; index <= 15; index += 1)
          await cy.api.updateTask(board.id, card.id, { title: `Chatty ${index}` });
        await pruning.stop();
        await pruning.restart();

        const context = await browser.newContext({ viewport: DESKTOP });
        contexts.push(context);
        context.setDefaultTimeout(8000);
        await signInContext(context, pruning.url, cy.cookie);
        const page = await context.newPage();
        await page.goto(`${pruning.url}/b/${board.id}/c/${card.id}`);
        const bodies = async () =>
          (await page.getByTestId('comment-body').allTextContents()).map((text) => text.trim());
        await expect.poll(async () => (await bodies()).length).toBe(20);
        expect((await bodies())[0]).toBe('Comment 25');
        await page.getByTestId('comments-older').click();
        await expect.poll(async () => (await bodies()).length).toBe(25);
        expect((await bodies()).at(-1)).toBe('Comment 1');
        expect(await page.getByTestId('comments-older').count()).toBe(0);

        await page.getByTestId('activity-toggle').click();
        const items = page.getByTestId('activity-item');
        await expect.poll(() => items.count()).toBe(25);
        expect(await page.getByTestId('activity-pruned').count()).toBe(0);
        await page.getByTestId('activity-older').click();
        await page.getByTestId('activity-pruned').waitFor();
        // The 30 events the log still holds, all about this card; the first ones (its creation) are gone.
        expect(await items.count()).toBe(30);
        expect(await items.first().getByTestId('activity-text').textContent()).toBe(
          'cy renamed this card to “Chatty 15”',
        );

        // Search pages too: 20 results, then more.
        const { data: notes } = await cy.api.createBoard({ title: 'Notes' });
        const { data: inbox } = await cy.api.createList(notes.id, { title: 'Inbox' });
        for (let index = 1; index <= 23; index += 1)
          await cy.api.createTask(notes.id, { listId: inbox.id, title: `Note ${index}` });
        const search = await context.newPage();
        await search.goto(`${pruning.url}/b/${notes.id}`);
        await search.getByTestId('search-input').fill('note');
        await expect
          .poll(() => search.getByTestId('search-status').textContent())
          .toBe('20+ results for “note”.');
        await search.getByTestId('search-more').click();
        await expect.poll(() => search.getByTestId('search-result').count()).toBe(23);
        expect(await search.getByTestId('search-more').count()).toBe(0);
        expect(await search.getByTestId('search-status').textContent()).toBe('23 results for “note”.');

        // The limit is shown once a comment nears it, and typing stops at it.
        const input = page.getByTestId('comment-input');
        await input.fill('x'.repeat(15_500));
        expect(await page.getByTestId('comment-length').textContent()).toBe('884 of 16,384 characters left');
        await input.fill('y'.repeat(16_384));
        await input.press('End');
        await page.keyboard.type('zz');
        expect((await input.inputValue()).length).toBe(16_384);
        expect(await page.getByTestId('comment-length').textContent()).toBe('0 of 16,384 characters left');
      } finally {
        await closeAll();
        await pruning.dispose();
      }
    });

    test('the dialog with comments and activity, and search results, read well at desktop and phone width (screenshots), with no serious or critical axe-core violation', async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const { boardId, lists } = await newBoard('Launch board');
      const { data: label } = await ana.api.createLabel(boardId, { name: 'launch', color: 'green_dark' });
      const { data: card } = await ana.api.createTask(boardId, {
        listId: lists[0]!,
        title: 'Write the launch announcement',
        description: 'Draft for the **blog** and the newsletter.',
        labelIds: [label.id],
        assigneeIds: [ana.user.id],
      });
      await ana.api.createTask(boardId, { listId: lists[1]!, title: 'Launch checklist for support' });
      const { data: old } = await ana.api.createTask(boardId, {
        listId: lists[2]!,
        title: 'Old launch notes',
      });
      await ana.api.updateTask(boardId, old.id, { archived: true });
      await ana.api.updateTask(boardId, card.id, { listId: lists[1]! });
      await bea.api.addComment(boardId, { taskId: card.id, body: 'Can we mention the *launch* webinar?' });
      await ana.api.addComment(boardId, {
        taskId: card.id,
        body: 'Yes — added a paragraph. See [the plan](https://example.com/plan).',
      });

      for (const [size, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const a = await open(ana, `/b/${boardId}/c/${card.id}`, viewport);
        await a.page.getByTestId('comment').nth(1).waitFor();
        await a.page.getByTestId('activity-toggle').click();
        await a.page.getByTestId('activity-item').first().waitFor();
        await a.page.getByTestId('comments').scrollIntoViewIfNeeded();
        await a.page.screenshot({ path: `${SCREENSHOTS}cards-comments-${size}.png` });
        await a.page
          .getByTestId('task-dialog')
          .screenshot({ path: `${SCREENSHOTS}cards-comments-dialog-${size}.png` });
        await a.page.getByTestId('task-dialog').evaluate((dialog) => dialog.scrollTo(0, dialog.scrollHeight));
        await a.page
          .getByTestId('task-dialog')
          .screenshot({ path: `${SCREENSHOTS}cards-activity-${size}.png` });
        await expectNoSeriousViolations(a.page, `the dialog with comments and activity at ${size} width`);
        await a.page.getByTestId('task-cancel').click();
        await a.page.getByTestId('task-dialog').waitFor({ state: 'detached' });

        const header = a.page.locator('.board-header');
        const headerHeight = (await header.boundingBox())!.height;
        if (size === 'phone') await a.page.getByTestId('search-toggle').click();
        await a.page.getByTestId('search-input').fill('launch');
        await a.page.getByTestId('search-result').nth(2).waitFor();
        await a.page.screenshot({ path: `${SCREENSHOTS}cards-search-${size}.png` });
        // The header keeps its one row, and the page never scrolls sideways.
        expect((await header.boundingBox())!.height).toBe(headerHeight);
        expect(await a.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          viewport.width,
        );
        await expectNoSeriousViolations(a.page, `the search results at ${size} width`);
        await a.page.getByTestId('search-input').fill('zebra');
        await expect
          .poll(() => a.page.getByTestId('search-status').textContent())
          .toBe('No cards found for “zebra”.');
        await expectNoSeriousViolations(a.page, `no search results at ${size} width`);
        if (size === 'phone') {
          // Escape closes the list, clears the box, then hides it, focus back on the button that showed it.
          for (let press = 0; press < 3; press += 1) await a.page.getByTestId('search-input').press('Escape');
          await a.page.getByTestId('search-input').waitFor({ state: 'hidden' });
          expect(await isFocused(a.page, 'search-toggle')).toBe(true);
        }
        expect(a.errors).toEqual([]);
        await closeAll();
      }
    });
  },
);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
