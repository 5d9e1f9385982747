/**
 * Many tabs of ONE browser (one Chromium context, so one pool of six HTTP/1.1 connections to the
 * server) against the real server: the tabs share one connection, elected by Web Locks and relayed
 * over BroadcastChannel, so that twelve tabs over three boards all load, writes go through at once,
 * every change reaches every tab of its board (and none of another), and nothing is lost or
 * repeated when the tab holding the connection closes or freezes, or when the server is SIGKILLed.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import type { LiveboardClient } from '../../client/index.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { signInContext, signUpUser, type TestUser } from './accounts.js';
import { chromiumAvailable, launchChromium } from './browser.js';
import { list, recordedTaskCards, recordTaskCards, shownBoard, task } from './board-page.js';

const TABS = 12;
const WRITE_WITHIN_MS = 1000;
const SCREENSHOTS = new URL('../../../test-results/screenshots/', import.meta.url).pathname;
const transports = [
  { name: 'SSE', query: '', connections: 'liveboard_open_streams', path: '/events' },
  { name: 'long poll', query: '?transport=poll', connections: 'liveboard_waiting_polls', path: '/poll' },
] as const;

interface Tab {
  page: Page;
  boardId: string;
  /** The page's requests of the shared connection (`/events?boards=` or `/poll?boards=`) still open. */
  open: Set<Request>;
  /** When the page last asked for the shared connection. */
  lastStreamAt: number;
  errors: string[];
}

describe.skipIf(!chromiumAvailable())('twelve tabs of one browser share one connection', () => {
  let server: TestServer;
  let browser: Browser;
  let api: LiveboardClient;
  /** Makes the boards, and every window is signed in as them (new boards are private to their owner). */
  let owner: TestUser;

  beforeAll(async () => {
    // A short `retry:` so that the restart test does not wait out the default 3 s.
    server = await startServer({ env: { LIVEBOARD_RETRY_MS: '300' } });
    browser = await launchChromium();
    owner = await signUpUser(server.url, 'e2e-owner');
    api = owner.api;
    mkdirSync(SCREENSHOTS, { recursive: true });
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

  async function metric(name: string): Promise<number> {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  }

  /** The most of `name` seen until stopped, sampled every 25 ms. */
  function watchMetric(name: string): { stop(): Promise<number> } {
    let most = 0;
    let running = true;
    const sampling = (async () => {
      while (running) {
        most = Math.max(most, await metric(name).catch(() => 0));
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    return {
      async stop() {
        running = false;
        await sampling;
        return most;
      },
    };
  }

  async function openTab(
    context: BrowserContext,
    boardId: string,
    query: string,
    path: string,
  ): Promise<Tab> {
    const page = await context.newPage();
    const tab: Tab = { page, boardId, open: new Set(), lastStreamAt: 0, errors: [] };
    const isShared = (request: Request): boolean => new URL(request.url()).pathname === path;
    page.on('request', (request) => {
      if (!isShared(request)) return;
      tab.open.add(request);
      tab.lastStreamAt = Date.now();
    });
    const done = (request: Request): void => void tab.open.delete(request);
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    page.on('pageerror', (error) => tab.errors.push(String(error)));
    await page.goto(`${server.url}/b/${boardId}${query}`);
    return tab;
  }

  const connection = (page: Page) => page.getByTestId('connection');
  const waitLive = (tab: Tab, timeout = 15_000) =>
    tab.page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout });

  /** The tab that asked for the shared connection last: the holder. */
  function holderOf(tabs: Tab[]): Tab {
    return tabs.reduce((latest, tab) => (tab.lastStreamAt > latest.lastStreamAt ? tab : latest));
  }

  /** Every tab shows exactly its board as the server has it: all of its changes, none of another board's. */
  async function expectEveryTabMatchesTheServer(tabs: Tab[], timeout = 15_000): Promise<void> {
    const snapshots = new Map<string, ReturnType<typeof toShown>>();
    for (const boardId of new Set(tabs.map((tab) => tab.boardId)))
      snapshots.set(boardId, toShown(await api.getBoard(boardId)));
    for (const tab of tabs)
      await expect.poll(() => shownBoard(tab.page), { timeout }).toEqual(snapshots.get(tab.boardId));
  }

  /** No tab ever showed a card twice, or a card of another board, or lost one it had shown (but the ones deleted). */
  async function expectNoCardEverDoubledOrForeign(tabs: Tab[]): Promise<void> {
    const idsOf = new Map<string, string[]>();
    for (const boardId of new Set(tabs.map((tab) => tab.boardId)))
      idsOf.set(
        boardId,
        (await api.getBoard(boardId)).lists.flatMap((shown) => shown.tasks.map((item) => item.id)),
      );
    for (const tab of tabs) {
      const ids = idsOf.get(tab.boardId)!;
      const seen = await recordedTaskCards(tab.page);
      for (const [index, cards] of seen.entries()) {
        expect(new Set(cards).size).toBe(cards.length);
        expect(cards.filter((id) => !ids.includes(id))).toEqual([]);
        if (index > 0) expect(seen[index - 1]!.filter((id) => !cards.includes(id))).toEqual([]);
      }
      expect(tab.errors).toEqual([]);
    }
  }

  /** Adds a task from a tab's own UI; resolves with the ms until it is saved and shown in every other tab of its board. */
  async function addTask(tab: Tab, tabs: Tab[], title: string): Promise<number> {
    await list(tab.page, 'To do').getByTestId('add-task').click();
    await tab.page.getByTestId('new-task-input').fill(title);
    const start = Date.now();
    await tab.page.keyboard.press('Enter');
    await tab.page.keyboard.press('Escape');
    await expect
      .poll(() => tab.page.getByTestId('pending-count').getAttribute('data-count'), {
        timeout: 10_000,
        interval: 10,
      })
      .toBe('0');
    const saved = Date.now() - start;
    for (const other of tabs.filter((candidate) => candidate.boardId === tab.boardId))
      await task(other.page, title).waitFor({ timeout: 10_000 });
    return Math.max(saved, Date.now() - start);
  }

  for (const transport of transports) {
    test(`all twelve load and stay live on one connection; writes from any tab take under 1 s; the holder closing and a SIGKILL of the server lose and repeat nothing (${transport.name})`, async () => {
      const boards = [await newBoard('Alpha'), await newBoard('Beta'), await newBoard('Gamma')];
      const listIds = new Map<string, string>();
      for (const boardId of boards) listIds.set(boardId, (await api.getBoard(boardId)).lists[0]!.id);
      const rest = (boardId: string, title: string) =>
        api.createTask(boardId, { listId: listIds.get(boardId)!, title });
      const context = await signedInContext({ viewport: { width: 1000, height: 640 } });
      const most = watchMetric(transport.connections);
      try {
        // ── Twelve tabs, four per board, all load and go live.
        const loading = Date.now();
        const tabs: Tab[] = [];
        for (let i = 0; i < TABS; i++)
          tabs.push(await openTab(context, boards[i % 3]!, transport.query, transport.path));
        for (const tab of tabs) await waitLive(tab);
        const loadedInMs = Date.now() - loading;
        for (const tab of tabs) await recordTaskCards(tab.page);
        await expect.poll(() => metric(transport.connections), { timeout: 5000 }).toBe(1);
        if (transport.path === '/poll') expect(await metric('liveboard_open_streams')).toBe(0);

        // ── A write from every tab, each done (answered, and back through the stream) within 1 s.
        const latencies: number[] = [];
        for (const [index, tab] of tabs.entries())
          latencies.push(await addTask(tab, tabs, `From tab ${index + 1}`));
        expect(Math.max(...latencies)).toBeLessThan(WRITE_WITHIN_MS);

        // ── Changes made elsewhere reach every tab of their board, and no tab of another.
        for (const boardId of boards) await rest(boardId, `Made elsewhere on ${boardId}`);
        await expectEveryTabMatchesTheServer(tabs);
        await tabs[0]!.page.screenshot({ path: `${SCREENSHOTS}tabs-${transport.name}-tab1.png` });

        // ── The holder closes; another tab takes over; writes made meanwhile arrive once everywhere.
        const holder = holderOf(tabs);
        const remaining = tabs.filter((tab) => tab !== holder);
        const closedAt = Date.now();
        await holder.page.close();
        const writes = Promise.all(
          boards.map((boardId) => rest(boardId, `During the takeover on ${boardId}`)),
        );
        await expect
          .poll(() => remaining.some((tab) => tab.open.size > 0 && tab.lastStreamAt > closedAt), {
            timeout: 10_000,
            interval: 10,
          })
          .toBe(true);
        const takeoverMs = Date.now() - closedAt;
        await writes;
        for (const tab of remaining) await waitLive(tab);
        await expectEveryTabMatchesTheServer(remaining);

        // ── The server is SIGKILLed: every tab says so (not only the holder); a write is queued.
        await server.kill();
        for (const tab of remaining)
          await tab.page
            .locator('[data-testid="connection"]:not([data-status="live"])')
            .waitFor({ timeout: 10_000 });
        const notHolder = remaining.find((tab) => tab !== holderOf(remaining))!;
        await list(notHolder.page, 'To do').getByTestId('add-task').click();
        await notHolder.page.getByTestId('new-task-input').fill('Made while the server was down');
        await notHolder.page.keyboard.press('Enter');
        await notHolder.page.keyboard.press('Escape');
        await notHolder.page.screenshot({ path: `${SCREENSHOTS}tabs-${transport.name}-server-down.png` });
        const statusesDown = await Promise.all(
          remaining.map((tab) => connection(tab.page).getAttribute('data-status')),
        );

        // ── Restarted: written before the tabs are back, they get it by replay; the queued write goes.
        await server.restart();
        for (const boardId of boards) await rest(boardId, `Right after the restart on ${boardId}`);
        await expect
          .poll(() => notHolder.page.getByTestId('pending-count').getAttribute('data-count'), {
            timeout: 15_000,
          })
          .toBe('0');
        for (const tab of remaining) await waitLive(tab);
        await expectEveryTabMatchesTheServer(remaining);
        await expectNoCardEverDoubledOrForeign(remaining);
        await remaining[0]!.page.screenshot({
          path: `${SCREENSHOTS}tabs-${transport.name}-after-restart.png`,
        });

        // ── Still one connection at rest, and never more than two (while a new set replaces an old one).
        await expect.poll(() => metric(transport.connections), { timeout: 5000 }).toBe(1);
        const mostConnections = await most.stop();
        expect(mostConnections).toBeLessThanOrEqual(2);
        console.log(
          `[tabs ${transport.name}] ${TABS} tabs live in ${loadedInMs} ms; writes: max ${Math.max(...latencies)} ms, ` +
            `median ${latencies.toSorted((a, b) => a - b)[latencies.length >> 1]} ms; takeover after the holder closed: ` +
            `${takeoverMs} ms; most ${transport.connections}: ${mostConnections}; statuses while down: ${statusesDown.join(',')}`,
        );
      } finally {
        await most.stop();
        await context.close();
      }
    }, 180_000);
  }

  test('a holder about to be frozen hands over at once; one that hangs is taken over within a few seconds and steps down when it wakes; nothing lost or repeated', async () => {
    const boards = [await newBoard('Frozen A'), await newBoard('Frozen B')];
    const listIds = await Promise.all(
      boards.map(async (boardId) => (await api.getBoard(boardId)).lists[0]!.id),
    );
    const writeAll = (title: string) =>
      Promise.all(boards.map((boardId, i) => api.createTask(boardId, { listId: listIds[i]!, title })));
    const context = await signedInContext({ viewport: { width: 1000, height: 640 } });
    try {
      const tabs: Tab[] = [];
      for (let i = 0; i < 4; i++) tabs.push(await openTab(context, boards[i % 2]!, '', '/events'));
      for (const tab of tabs) await waitLive(tab);
      for (const tab of tabs) await recordTaskCards(tab.page);
      const takenOverFrom = async (from: Tab, since: number): Promise<number> => {
        await expect
          .poll(() => tabs.some((tab) => tab !== from && tab.open.size > 0 && tab.lastStreamAt > since), {
            timeout: 10_000,
            interval: 10,
          })
          .toBe(true);
        return Date.now() - since;
      };

      // Chromium fires `freeze` before it freezes a background tab: the holder gives the lock up then.
      // (A headless page is never hidden, so the test fires the event; what follows is the SDK's.)
      const freezing = holderOf(tabs);
      const freezeAt = Date.now();
      await freezing.page.evaluate(() => document.dispatchEvent(new Event('freeze')));
      const handoverMs = await takenOverFrom(freezing, freezeAt);
      await writeAll('While one was frozen');
      await freezing.page.evaluate(() => document.dispatchEvent(new Event('resume')));
      await expectEveryTabMatchesTheServer(tabs);

      // A holder whose page hangs (its main thread busy for 6 s: no heartbeat, no answer, its lock
      // still held, like a tab frozen without warning) is probed after 2 s of silence, then its lock is stolen.
      const hung = holderOf(tabs);
      const hangAt = Date.now();
      const hanging = hung.page
        .evaluate(() => {
          const until = Date.now() + 6000;
          while (Date.now() < until);
        })
        .catch(() => undefined);
      const takeoverMs = await takenOverFrom(hung, hangAt);
      await writeAll('While one hung');
      await expectEveryTabMatchesTheServer(tabs.filter((tab) => tab !== hung));
      await hanging;
      await waitLive(hung);
      await writeAll('After it woke');
      await expectEveryTabMatchesTheServer(tabs);
      await expectNoCardEverDoubledOrForeign(tabs);
      // The woken tab gave its connection up: one again.
      await expect.poll(() => metric('liveboard_open_streams'), { timeout: 10_000 }).toBe(1);
      console.log(
        `[tabs frozen holder] handed over on freeze after ${handoverMs} ms; hung holder taken over after ${takeoverMs} ms`,
      );
      expect(handoverMs).toBeLessThan(1000);
      expect(takeoverMs).toBeGreaterThan(2000);
      expect(takeoverMs).toBeLessThan(4000);
    } finally {
      await context.close();
    }
  }, 60_000);

  test('the control: without sharing (`?share=0`) the same browser loads six tabs and not the seventh', async () => {
    const boardId = await newBoard('Control');
    const context = await signedInContext({ viewport: { width: 1000, height: 640 } });
    try {
      const path = `/boards/${boardId}/events`;
      for (let i = 0; i < 6; i++) await waitLive(await openTab(context, boardId, '?share=0', path), 5000);
      // Its HTML waits for one of the six connections, which the streams never give back.
      const seventh = await context.newPage();
      const loading = await seventh
        .goto(`${server.url}/b/${boardId}?share=0`, { timeout: 3000 })
        .then(() => 'loaded')
        .catch((error: Error) => error.name);
      expect(loading).toBe('TimeoutError');
    } finally {
      await context.close();
    }
  });

  test('without Web Locks, a lease over BroadcastChannel elects the holder: one stream, and a takeover when it closes', async () => {
    const boards = [await newBoard('Lease A'), await newBoard('Lease B')];
    const context = await signedInContext({ viewport: { width: 1000, height: 640 } });
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined, configurable: true });
    });
    try {
      const tabs: Tab[] = [];
      for (let i = 0; i < 4; i++) tabs.push(await openTab(context, boards[i % 2]!, '', '/events'));
      for (const tab of tabs) await waitLive(tab);
      expect(await tabs[0]!.page.evaluate(() => 'locks' in navigator && navigator.locks !== undefined)).toBe(
        false,
      );
      await expect.poll(() => metric('liveboard_open_streams'), { timeout: 5000 }).toBe(1);
      const holder = holderOf(tabs);
      const remaining = tabs.filter((tab) => tab !== holder);
      const closedAt = Date.now();
      await holder.page.close();
      await Promise.all(
        boards.map(async (boardId) =>
          api.createTask(boardId, {
            listId: (await api.getBoard(boardId)).lists[0]!.id,
            title: 'Lease handover',
          }),
        ),
      );
      await expect
        .poll(() => remaining.some((tab) => tab.open.size > 0 && tab.lastStreamAt > closedAt), {
          timeout: 10_000,
        })
        .toBe(true);
      console.log(`[tabs lease] taken over after ${Date.now() - closedAt} ms`);
      for (const tab of remaining) await waitLive(tab);
      await expectEveryTabMatchesTheServer(remaining);
      await expect.poll(() => metric('liveboard_open_streams'), { timeout: 5000 }).toBe(1);
    } finally {
      await context.close();
    }
  });

  test('without BroadcastChannel, each tab falls back to a stream of its own, and stays live', async () => {
    const boardId = await newBoard('No channel');
    const context = await signedInContext({ viewport: { width: 1000, height: 640 } });
    await context.addInitScript(() => {
      delete (globalThis as { BroadcastChannel?: unknown }).BroadcastChannel;
    });
    try {
      const path = `/boards/${boardId}/events`;
      const tabs = [await openTab(context, boardId, '', path), await openTab(context, boardId, '', path)];
      for (const tab of tabs) await waitLive(tab);
      await expect.poll(() => metric('liveboard_open_streams'), { timeout: 5000 }).toBe(2);
      expect(await metric('liveboard_open_multi_board_streams')).toBe(0);
      await api.createTask(boardId, {
        listId: (await api.getBoard(boardId)).lists[0]!.id,
        title: 'Seen by both',
      });
      await expectEveryTabMatchesTheServer(tabs);
    } finally {
      await context.close();
    }
  });

  test('`?share=0` gives each tab a stream of its own (as before sharing)', async () => {
    const boardId = await newBoard('Own streams');
    const context = await signedInContext({ viewport: { width: 1000, height: 640 } });
    try {
      const tabs = [
        await openTab(context, boardId, '?share=0', `/boards/${boardId}/events`),
        await openTab(context, boardId, '?share=0', `/boards/${boardId}/events`),
      ];
      for (const tab of tabs) await waitLive(tab);
      await expect.poll(() => metric('liveboard_open_streams'), { timeout: 5000 }).toBe(2);
      expect(await metric('liveboard_open_multi_board_streams')).toBe(0);
      expect(tabs.every((tab) => tab.open.size === 1)).toBe(true);
    } finally {
      await context.close();
    }
  });
});

function toShown(board: { lists: { title: string; tasks: { title: string }[] }[] }) {
  return board.lists.map((item) => ({ title: item.title, tasks: item.tasks.map((entry) => entry.title) }));
}
