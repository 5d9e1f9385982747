/**
 * Accounts and sharing in real Chromium against the real server: sign up, make a board, share it
 * with a second person in another browser, both live; a viewer's page is read-only; a member
 * removed while looking is told within 2 s and sees nothing after; signing out in one tab ends
 * live updates in the others; an invitation link taken by someone signed out; settings; and an
 * anonymous visitor still edits the demo board. Screenshots (desktop and phone) of the board, the
 * share dialog and the settings page go to test-results/screenshots.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { PASSWORD, signInContext, signInCookie, signUpUser, type TestUser } from './accounts.js';
import { dragTo, list, shownBoard, task } from './board-page.js';
import { chromiumAvailable, launchChromium } from './browser.js';

const LIVE_WITHIN_MS = 1000;
const NOTICE_WITHIN_MS = 2000;
const SCREENSHOTS = new URL('../../../test-results/screenshots/', import.meta.url).pathname;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe.skipIf(!chromiumAvailable())('accounts and sharing in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer({ env: { LIVEBOARD_RETRY_MS: '300' } });
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  interface Window {
    page: Page;
    context: BrowserContext;
    errors: string[];
  }

  async function open(
    path: string,
    options: {
      as?: { name: string; value: string };
      viewport?: typeof DESKTOP;
      context?: BrowserContext;
    } = {},
  ): Promise<Window> {
    const viewport = options.viewport ?? DESKTOP;
    const phone = viewport.width < 600;
    const context =
      options.context ?? (await browser.newContext({ viewport, isMobile: phone, hasTouch: phone }));
    if (!options.context) contexts.push(context);
    if (options.as) await signInContext(context, server.url, options.as);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${server.url}${path}`);
    return { page, context, errors };
  }

  async function closeAll(): Promise<void> {
    for (const context of contexts.splice(0)) await context.close();
  }

  const waitLive = (page: Page) =>
    page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 10_000 });

  async function addTask(page: Page, listTitle: string, title: string): Promise<void> {
    await list(page, listTitle).getByTestId('add-task').click();
    await page.getByTestId('new-task-input').fill(title);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
  }

  async function addList(page: Page, title: string): Promise<void> {
    await page.getByTestId('add-list').click();
    await page.getByTestId('new-list-input').fill(title);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
  }

  /** How many of each edit affordance the page shows. */
  async function affordances(page: Page): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const id of [
      'add-task',
      'add-list',
      'task-drag-handle',
      'list-drag-handle',
      'list-delete',
      'move-menu-button',
    ])
      counts[id] = await page.getByTestId(id).count();
    return counts;
  }

  async function memberBoard(owner: TestUser, title: string): Promise<string> {
    const { data: board } = await owner.api.createBoard({ title });
    for (const name of ['To do', 'Doing', 'Done']) await owner.api.createList(board.id, { title: name });
    return board.id;
  }

  test('sign up, make a board, share it with a second person: both live; a viewer is read-only; removed, they are told within 2 s and see nothing after', async () => {
    try {
      // ── Ana signs up on the page, and makes a board with two lists.
      const ana = await open('/');
      await ana.page.getByTestId('sign-up-link').click();
      await ana.page.getByTestId('username-input').fill('ana');
      await ana.page.getByTestId('display-name-input').fill('Ana Lima');
      await ana.page.getByTestId('password-input').fill(PASSWORD);
      await ana.page.getByTestId('auth-submit').click();
      await expect.poll(() => new URL(ana.page.url()).pathname).toBe('/');
      expect(await ana.page.getByTestId('user-name').textContent()).toBe('Ana Lima');
      await ana.page.getByTestId('new-board-input').fill('Launch plan');
      await ana.page.getByTestId('create-board').click();
      await waitLive(ana.page);
      const boardId = decodeURIComponent(new URL(ana.page.url()).pathname.split('/')[2]!);
      await addList(ana.page, 'To do');
      await addList(ana.page, 'Done');
      await list(ana.page, 'Done').waitFor();

      // ── Ben, signed out, opens it: private, so it is not there for him, with a way to sign in.
      const ben = await open(`/b/${boardId}`, { viewport: DESKTOP });
      await ben.page.getByTestId('board-missing').waitFor();
      expect(await ben.page.getByTestId('board-missing').textContent()).toMatch(
        /doesn’t exist, or it is private: sign in/,
      );
      await ben.page.getByTestId('board-sign-in').click();
      expect(new URL(ben.page.url()).searchParams.get('next')).toBe(`/b/${boardId}`);
      // He has no account yet: sign up instead, still coming back to the board.
      await ben.page.getByTestId('signup-switch').click();
      await ben.page.getByTestId('username-input').fill('ben');
      await ben.page.getByTestId('password-input').fill(PASSWORD);
      await ben.page.getByTestId('auth-submit').click();
      await expect.poll(() => new URL(ben.page.url()).pathname).toBe(`/b/${boardId}`);
      await ben.page.getByTestId('board-missing').waitFor();
      expect(await ben.page.getByTestId('board-missing').textContent()).toMatch(/don’t have access/);

      // ── Ana adds him as an editor, in the share dialog.
      await ana.page.getByTestId('share-button').click();
      const dialog = ana.page.getByTestId('share-dialog');
      await dialog.waitFor();
      // Focus starts in the dialog, on the first thing to do there.
      expect(await ana.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'add-member-username',
      );
      await dialog.getByTestId('add-member-username').fill('nobody-here');
      await dialog.getByTestId('add-member').click();
      await expect
        .poll(() => dialog.getByTestId('add-member-username-error').textContent())
        .toMatch(/no user/i);
      await dialog.getByTestId('add-member-username').fill('ben');
      await dialog.getByTestId('add-member').click();
      await dialog
        .locator('[data-testid="member-row"][data-username="ben"]')
        .waitFor({ timeout: LIVE_WITHIN_MS });
      await ana.page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      // Focus goes back to the button that opened it.
      expect(await ana.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'share-button',
      );

      // ── Ben's page, reloaded, is the board, editable; both see each other's changes live.
      await ben.page.reload();
      await waitLive(ben.page);
      expect(await ben.page.getByTestId('read-only-banner').count()).toBe(0);
      await addTask(ana.page, 'To do', 'Draft the announcement');
      await task(ben.page, 'Draft the announcement').waitFor({ timeout: LIVE_WITHIN_MS });
      await addTask(ben.page, 'Done', 'Pick the date');
      await task(ana.page, 'Pick the date').waitFor({ timeout: LIVE_WITHIN_MS });
      await dragTo(
        ben.page,
        task(ben.page, 'Draft the announcement'),
        list(ben.page, 'Done').getByTestId('task-list'),
      );
      // Moved by Ben, seen by Ana (where in the list depends on where it was dropped).
      await expect
        .poll(async () => (await shownBoard(ana.page)).map((shown) => shown.tasks.toSorted()), {
          timeout: LIVE_WITHIN_MS,
        })
        .toEqual([[], ['Draft the announcement', 'Pick the date']]);

      // ── Ana makes him a viewer: his page turns read-only at once, no reload.
      await ana.page.getByTestId('share-button').click();
      await dialog
        .locator('[data-testid="member-row"][data-username="ben"]')
        .getByTestId('member-role')
        .selectOption('viewer');
      await ben.page.getByTestId('read-only-banner').waitFor({ timeout: LIVE_WITHIN_MS });
      await ana.page.keyboard.press('Escape');
      expect(await ben.page.getByTestId('read-only-banner').textContent()).toBe(
        'You can view this board. Ask an owner to edit.',
      );
      expect(await affordances(ben.page)).toEqual({
        'add-task': 0,
        'add-list': 0,
        'task-drag-handle': 0,
        'list-drag-handle': 0,
        'list-delete': 0,
        'move-menu-button': 0,
      });
      // Dragging does nothing, by mouse or keyboard: nothing moves on his page or on the server.
      const before = await shownBoard(ben.page);
      await dragTo(
        ben.page,
        task(ben.page, 'Pick the date'),
        list(ben.page, 'To do').getByTestId('task-list'),
      );
      // With no grip to lift it by, Space on a card opens it (read-only) instead.
      await task(ben.page, 'Pick the date').getByTestId('task-open').focus();
      await ben.page.keyboard.press('Space');
      await ben.page.getByTestId('task-dialog').waitFor();
      expect(await ben.page.getByTestId('task-title-input').getAttribute('readonly')).not.toBeNull();
      expect(await ben.page.getByTestId('task-save').count()).toBe(0);
      expect(await ben.page.getByTestId('task-delete').count()).toBe(0);
      await ben.page.keyboard.press('Escape');
      expect(await shownBoard(ben.page)).toEqual(before);
      expect(await shownBoard(ana.page)).toEqual(before);
      // He still sees Ana's changes live.
      await addTask(ana.page, 'To do', 'Seen by the viewer');
      await task(ben.page, 'Seen by the viewer').waitFor({ timeout: LIVE_WITHIN_MS });
      // His share button shows the members, read-only.
      await ben.page.getByTestId('share-button').click();
      const benDialog = ben.page.getByTestId('share-dialog');
      await benDialog.waitFor();
      expect(await benDialog.getByTestId('member-role').count()).toBe(0);
      expect(await benDialog.getByTestId('member-role-text').allTextContents()).toEqual(['Owner', 'Viewer']);
      await ben.page.screenshot({ path: `${SCREENSHOTS}accounts-members-viewer-desktop.png` });
      await ben.page.keyboard.press('Escape');
      await ben.page.screenshot({ path: `${SCREENSHOTS}accounts-board-viewer-desktop.png` });

      // The last owner cannot leave: the server's 409 is said next to the button.
      await ana.page.getByTestId('share-button').click();
      await dialog.getByTestId('leave-board').click();
      await dialog.getByTestId('leave-board').click();
      await expect.poll(() => dialog.getByTestId('leave-error').textContent()).toMatch(/at least one owner/);
      await ana.page.screenshot({ path: `${SCREENSHOTS}accounts-share-dialog-desktop.png` });

      // ── Ana removes him: his page says so within 2 s, and shows nothing after.
      const row = dialog.locator('[data-testid="member-row"][data-username="ben"]');
      await row.getByTestId('remove-member').click();
      const removedAt = Date.now();
      await row.getByTestId('remove-member').click();
      await ben.page.getByTestId('access-lost').waitFor({ timeout: NOTICE_WITHIN_MS });
      const noticeMs = Date.now() - removedAt;
      expect(noticeMs).toBeLessThan(NOTICE_WITHIN_MS);
      expect(await ben.page.getByTestId('access-lost').textContent()).toMatch(
        /You no longer have access to this board/,
      );
      const frozen = await shownBoard(ben.page);
      await ana.page.keyboard.press('Escape');
      await addTask(ana.page, 'To do', 'After he left');
      await task(ana.page, 'After he left').waitFor();
      await ben.page.waitForTimeout(1500);
      expect(await shownBoard(ben.page)).toEqual(frozen);
      expect(await task(ben.page, 'After he left').count()).toBe(0);
      await ben.page.screenshot({ path: `${SCREENSHOTS}accounts-access-lost-desktop.png` });
      expect([...ana.errors, ...ben.errors]).toEqual([]);
      console.log(`[accounts] removed member told in ${noticeMs} ms`);
    } finally {
      await closeAll();
    }
  }, 90_000);

  test('an invitation link: someone signed out previews it, signs up from it and lands on the board; someone signed in joins with one click; the owner sees both live', async () => {
    const owner = await signUpUser(server.url, 'olga', 'Olga');
    const dan = await signUpUser(server.url, 'dan', 'Dan');
    const boardId = await memberBoard(owner, 'Invited board');
    try {
      const olga = await open(`/b/${boardId}`, { as: owner.cookie });
      await waitLive(olga.page);
      await olga.page.getByTestId('share-button').click();
      const dialog = olga.page.getByTestId('share-dialog');
      await dialog.getByTestId('invite-role').selectOption('editor');
      await dialog.getByTestId('invite-uses').fill('2');
      await dialog.getByTestId('invite-label').fill('the design team');
      await dialog.getByTestId('create-invitation').click();
      const link = await dialog.getByTestId('invite-link').inputValue();
      expect(link).toMatch(new RegExp(`^${server.url}/invite#.+`));
      const row = dialog.locator('[data-testid="invitation-row"]', { hasText: 'the design team' });
      await row.waitFor();
      expect(await row.textContent()).toMatch(/0 of 2 uses/);
      const path = new URL(link).pathname + new URL(link).hash;

      // Cleo, signed out: the preview, then sign up from it (the token stays in the fragment).
      const cleo = await open(path);
      await cleo.page.getByTestId('invite-board-title').waitFor();
      expect(await cleo.page.getByTestId('invite-board-title').textContent()).toBe('Invited board');
      expect(await cleo.page.getByTestId('invite-summary').textContent()).toMatch(
        /@olga invites you to this board as editor/,
      );
      await cleo.page.screenshot({ path: `${SCREENSHOTS}accounts-invitation-desktop.png` });
      await cleo.page.getByTestId('invite-sign-up').click();
      expect(new URL(cleo.page.url()).search).toBe('?next=%2Finvite');
      expect(new URL(cleo.page.url()).hash).toBe(new URL(link).hash);
      await cleo.page.getByTestId('username-input').fill('cleo');
      await cleo.page.getByTestId('password-input').fill(PASSWORD);
      await cleo.page.getByTestId('auth-submit').click();
      await expect.poll(() => new URL(cleo.page.url()).pathname).toBe(`/b/${boardId}`);
      await waitLive(cleo.page);
      expect(await cleo.page.getByTestId('read-only-banner').count()).toBe(0);

      // Dan, signed in: the preview, and one click to join.
      const danWindow = await open(path, { as: dan.cookie });
      await danWindow.page.getByTestId('accept-invitation').click();
      await expect.poll(() => new URL(danWindow.page.url()).pathname).toBe(`/b/${boardId}`);
      await waitLive(danWindow.page);
      await addTask(danWindow.page, 'To do', 'From Dan');
      await task(cleo.page, 'From Dan').waitFor({ timeout: LIVE_WITHIN_MS });

      for (const username of ['cleo', 'dan'])
        await dialog
          .locator(`[data-testid="member-row"][data-username="${username}"]`)
          .waitFor({ timeout: LIVE_WITHIN_MS });
      expect([...olga.errors, ...cleo.errors, ...danWindow.errors]).toEqual([]);
    } finally {
      await closeAll();
    }
  }, 60_000);

  test('signing out in one tab ends live updates in the other tabs; signing out everywhere ends them in every tab of another browser', async () => {
    const user = await signUpUser(server.url, 'dora', 'Dora');
    const boardId = await memberBoard(user, 'Two tabs');
    const listId = (await user.api.getBoard(boardId)).lists[0]!.id;
    try {
      // One browser, two tabs of the board (sharing one stream), and a second browser.
      const first = await open(`/b/${boardId}`, { as: await signInCookie(server.url, 'dora') });
      const second = await open(`/b/${boardId}`, { context: first.context });
      const elsewhere = await open(`/b/${boardId}`, { as: await signInCookie(server.url, 'dora') });
      const elsewhereToo = await open(`/b/${boardId}`, { context: elsewhere.context });
      for (const window of [first, second, elsewhere, elsewhereToo]) await waitLive(window.page);
      await user.api.createTask(boardId, { listId, title: 'Seen by all' });
      for (const window of [first, second, elsewhere])
        await task(window.page, 'Seen by all').waitFor({ timeout: LIVE_WITHIN_MS });

      // Signed out in the first tab: the second tab says so, and takes no more changes.
      // (A click in a tab in the background waits on its throttled frames: bring it forward.)
      await first.page.bringToFront();
      await first.page.getByTestId('user-menu-button').click();
      let signedOutAt = Number.NaN;
      first.page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/auth/signout') signedOutAt = Date.now();
      });
      await first.page.getByTestId('sign-out').click();
      await second.page.getByTestId('signed-out').waitFor({ timeout: NOTICE_WITHIN_MS });
      const toldInMs = Date.now() - signedOutAt;
      expect(toldInMs).toBeLessThan(NOTICE_WITHIN_MS);
      expect(await second.page.getByTestId('signed-out').textContent()).toMatch(/You were signed out/);
      await expect.poll(() => new URL(first.page.url()).pathname).toBe('/');
      await user.api.createTask(boardId, { listId, title: 'After signing out' });
      await task(elsewhere.page, 'After signing out').waitFor({ timeout: LIVE_WITHIN_MS });
      await second.page.waitForTimeout(1000);
      expect(await task(second.page, 'After signing out').count()).toBe(0);
      // Its sign-in link comes back to the board.
      const signIn = second.page.getByTestId('banner-sign-in');
      expect(new URL((await signIn.getAttribute('href'))!, server.url).searchParams.get('next')).toBe(
        `/b/${boardId}`,
      );

      // Signed out everywhere from the settings of yet another browser: the other browser's stream
      // is ended by the server (its `revoked`), and its page says so.
      const settings = await open('/settings', { as: await signInCookie(server.url, 'dora') });
      await settings.page.bringToFront();
      await settings.page.getByTestId('sign-out-everywhere').click();
      const everywhereAt = Date.now();
      await settings.page.getByTestId('sign-out-everywhere').click();
      for (const window of [elsewhere, elsewhereToo])
        await window.page.getByTestId('signed-out').waitFor({ timeout: NOTICE_WITHIN_MS });
      expect(Date.now() - everywhereAt).toBeLessThan(NOTICE_WITHIN_MS);
      await expect.poll(() => new URL(settings.page.url()).pathname).toBe('/signin');
      await user.api.createTask(boardId, { listId, title: 'After everywhere' });
      await elsewhere.page.waitForTimeout(1000);
      for (const window of [elsewhere, elsewhereToo])
        expect(await task(window.page, 'After everywhere').count()).toBe(0);
      await second.page.screenshot({ path: `${SCREENSHOTS}accounts-signed-out-desktop.png` });
      console.log(`[accounts] the other tab told of the sign-out in ${toldInMs} ms`);
      expect([first, second, elsewhere, elsewhereToo, settings].flatMap((window) => window.errors)).toEqual(
        [],
      );
    } finally {
      await closeAll();
    }
  }, 60_000);

  test('an anonymous visitor edits the demo board exactly as before', async () => {
    try {
      const [a, b] = [await open('/b/board-1'), await open('/b/board-1')];
      for (const window of [a, b]) await waitLive(window.page);
      expect(await a.page.getByTestId('read-only-banner').count()).toBe(0);
      expect(await a.page.getByTestId('sign-in-link').count()).toBe(1);
      const first = (await shownBoard(a.page))[0]!.title;
      await addTask(a.page, first, 'Anonymous task');
      await task(b.page, 'Anonymous task').waitFor({ timeout: LIVE_WITHIN_MS });
      await dragTo(
        a.page,
        task(a.page, 'Anonymous task'),
        list(a.page, (await shownBoard(a.page))[1]!.title).getByTestId('task-list'),
      );
      await expect
        .poll(async () => (await shownBoard(b.page))[1]!.tasks.includes('Anonymous task'), {
          timeout: LIVE_WITHIN_MS,
        })
        .toBe(true);
      expect([...a.errors, ...b.errors]).toEqual([]);
    } finally {
      await closeAll();
    }
  });

  test('settings: display name, a token shown once and revoked, a password change; sign-in refuses to go off-site', async () => {
    await signUpUser(server.url, 'eve', 'Eve');
    try {
      // Sign-in page with a `next` that leaves the site: it lands home instead.
      const eve = await open(`/signin?next=${encodeURIComponent('//evil.example/x')}`);
      await eve.page.getByTestId('username-input').fill('eve');
      await eve.page.getByTestId('password-input').fill('not the password');
      await eve.page.getByTestId('auth-submit').click();
      await expect
        .poll(() => eve.page.getByTestId('auth-error').textContent())
        .toBe('Wrong username or password.');
      await eve.page.getByTestId('password-input').fill(PASSWORD);
      await eve.page.getByTestId('auth-submit').click();
      await expect.poll(() => eve.page.url()).toBe(`${server.url}/`);

      await eve.page.getByTestId('user-menu-button').click();
      await eve.page.getByTestId('settings-link').click();
      await eve.page.getByTestId('settings-display-name').fill('Eve Adams');
      await eve.page.getByTestId('save-display-name').click();
      await expect.poll(() => eve.page.getByTestId('user-name').textContent()).toBe('Eve Adams');

      // Listed: the sign-up made one token ("e2e"); a new one shows its secret once.
      await eve.page.getByTestId('token-row').first().waitFor();
      await eve.page.getByTestId('token-name').fill('laptop CLI');
      await eve.page.getByTestId('token-scope').selectOption('read');
      await eve.page.getByTestId('create-token').click();
      const secret = await eve.page.getByTestId('token-secret').inputValue();
      expect(secret).toMatch(/^lbp_[A-Za-z0-9]{36}$/);
      await eve.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await eve.page.getByTestId('copy-token').click();
      await expect.poll(() => eve.page.getByTestId('copy-token').textContent()).toBe('Copied');
      expect(await eve.page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      const me = await fetch(`${server.url}/me`, { headers: { authorization: `Bearer ${secret}` } });
      expect(me.status).toBe(200);
      await eve.page.screenshot({ path: `${SCREENSHOTS}accounts-settings-desktop.png`, fullPage: true });
      await eve.page.getByRole('button', { name: 'Revoke token “laptop CLI”' }).click();
      await expect.poll(() => eve.page.getByTestId('token-row').count()).toBe(1);
      expect(
        (await fetch(`${server.url}/me`, { headers: { authorization: `Bearer ${secret}` } })).status,
      ).toBe(401);

      // A wrong current password is said at that field; the right one changes it.
      await eve.page.getByTestId('current-password').fill('wrong password');
      await eve.page.getByTestId('new-password').fill('another long password');
      await eve.page.getByTestId('change-password').click();
      await eve.page.getByTestId('current-password-error').waitFor();
      await eve.page.getByTestId('current-password').fill(PASSWORD);
      await eve.page.getByTestId('change-password').click();
      await eve.page.getByTestId('password-changed').waitFor();
      expect(eve.errors).toEqual([]);
    } finally {
      await closeAll();
    }
  }, 60_000);

  test('the accounts pages read well at phone width (screenshots), and never scroll sideways', async () => {
    const owner = await signUpUser(server.url, 'fay', 'Fay');
    const viewer = await signUpUser(server.url, 'gus', 'Gus');
    await signUpUser(server.url, 'hal');
    const boardId = await memberBoard(owner, 'Phone board');
    await owner.api.addMember(boardId, { username: 'gus', role: 'viewer' });
    await owner.api.addMember(boardId, { username: 'hal', role: 'editor' });
    const board = await owner.api.getBoard(boardId);
    for (const [index, title] of ['Call the venue', 'Order the banners', 'Book the photographer'].entries())
      await owner.api.createTask(boardId, { listId: board.lists[index % 2]!.id, title });
    try {
      const widthOf = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

      const fay = await open(`/b/${boardId}`, { as: owner.cookie, viewport: PHONE });
      await waitLive(fay.page);
      await fay.page.screenshot({ path: `${SCREENSHOTS}accounts-board-phone.png` });
      expect(await widthOf(fay.page)).toBeLessThanOrEqual(PHONE.width);
      await fay.page.getByTestId('share-button').click();
      await fay.page.getByTestId('share-dialog').waitFor();
      await fay.page.getByTestId('create-invitation').click();
      await fay.page.getByTestId('invite-link').waitFor();
      await fay.page.screenshot({ path: `${SCREENSHOTS}accounts-share-dialog-phone.png` });
      expect(await widthOf(fay.page)).toBeLessThanOrEqual(PHONE.width);
      const box = (await fay.page.getByTestId('share-dialog').boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);

      const gus = await open(`/b/${boardId}`, { as: viewer.cookie, viewport: PHONE });
      await waitLive(gus.page);
      await gus.page.getByTestId('read-only-banner').waitFor();
      await gus.page.screenshot({ path: `${SCREENSHOTS}accounts-board-viewer-phone.png` });
      expect(await widthOf(gus.page)).toBeLessThanOrEqual(PHONE.width);

      await fay.page.goto(`${server.url}/settings`);
      await fay.page.getByTestId('token-row').first().waitFor();
      await fay.page.screenshot({ path: `${SCREENSHOTS}accounts-settings-phone.png`, fullPage: true });
      expect(await widthOf(fay.page)).toBeLessThanOrEqual(PHONE.width);

      await fay.page.goto(`${server.url}/`);
      await fay.page.getByTestId('board-link').first().waitFor();
      await fay.page.screenshot({ path: `${SCREENSHOTS}accounts-home-phone.png` });
      const demo = await open('/b/board-1', { viewport: PHONE });
      await waitLive(demo.page);
      await demo.page.getByTestId('sign-up-link').waitFor();
      await demo.page.screenshot({ path: `${SCREENSHOTS}accounts-demo-board-anonymous-phone.png` });
      expect(await widthOf(demo.page)).toBeLessThanOrEqual(PHONE.width);
      // Two rows at most: the board's title whole on the first, the tools under it.
      const header = (await demo.page.locator('.board-header').boundingBox())!;
      expect(header.height).toBeLessThan(100);
      expect(
        await demo.page
          .getByTestId('board-title')
          .evaluate((title) => title.scrollWidth <= title.clientWidth),
      ).toBe(true);
      const anonymous = await open(`/signin?next=${encodeURIComponent(`/b/${boardId}`)}`, {
        viewport: PHONE,
      });
      await anonymous.page.getByTestId('signin-form').waitFor();
      await anonymous.page.screenshot({ path: `${SCREENSHOTS}accounts-signin-phone.png` });
      expect(await widthOf(anonymous.page)).toBeLessThanOrEqual(PHONE.width);
      expect([...fay.errors, ...gus.errors, ...anonymous.errors]).toEqual([]);
    } finally {
      await closeAll();
    }
  }, 60_000);
});
