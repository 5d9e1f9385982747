/**
 * docs/DEPLOY.md, proved: Debian's nginx with deploy/nginx/liveboard.conf (as shipped, its
 * placeholders filled) in front of a real Liveboard, HTTP/2 and TLS to the browser. The stream
 * comes through unbuffered and uncompressed; Liveboard believes X-Forwarded-For from nginx and
 * from no one else; and one Chromium with 12 tabs over 3 boards has every tab live, because HTTP/2
 * carries all their streams on one connection where HTTP/1.1 would stop at six per origin.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Board, List } from '../../domain/index.js';
import { apiClient } from '../../../test/support/http.js';
import { fillTemplate, nginxAvailable, startNginx, type RunningNginx } from '../../../test/support/nginx.js';
import { freePort, startServer, type TestServer } from '../../../test/support/server.js';
import {
  connectH2,
  makeSelfSignedCertificate,
  type H2Client,
  type TestCertificate,
} from '../../../test/support/tls.js';
import { list, task } from './board-page.js';
import { signUpUser, type TestUser } from './accounts.js';
import { chromiumAvailable, launchChromium } from './browser.js';

const LIVE_WITHIN_MS = 1000;
const TABS = 12;
const BOARDS = 3;
const TEMPLATE = new URL('../../../deploy/nginx/liveboard.conf', import.meta.url);
/** nginx connects to Liveboard from this address, and only it is trusted (LIVEBOARD_TRUST_PROXY). */
const PROXY_ADDRESS = '127.0.0.2';
/** A browser that is not on the proxy's address, so its writes count as its own. */
const CLIENT_ADDRESS = '127.0.0.3';

describe.skipIf(!nginxAvailable() || !chromiumAvailable())('Liveboard behind nginx (docs/DEPLOY.md)', () => {
  let certificate: TestCertificate;
  let server: TestServer;
  let proxy: RunningNginx;
  let browser: Browser;
  let h2: H2Client;
  let owner: TestUser;

  beforeAll(async () => {
    certificate = makeSelfSignedCertificate();
    server = await startServer({ env: { LIVEBOARD_TRUST_PROXY: PROXY_ADDRESS } });
    owner = await signUpUser(server.url, 'proxy-owner');
    const port = await freePort();
    const httpConfig = fillTemplate(readFileSync(TEMPLATE, 'utf8'), {
      UPSTREAM: `127.0.0.1:${server.port}`,
      LISTEN: `127.0.0.1:${port}`,
      SERVER_NAME: 'localhost',
      TLS_CERT: certificate.certFile,
      TLS_KEY: certificate.keyFile,
      PROXY_BIND: PROXY_ADDRESS,
    });
    proxy = await startNginx({ httpConfig, port, ca: certificate.cert });
    h2 = await connectH2(proxy.url, { ca: certificate.cert });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await h2?.close();
    await browser?.close();
    await proxy?.stop();
    await server?.dispose();
    certificate?.dispose();
  });

  /**
   * A board made by a user (a new board is its owner's, private), then opened to anyone, as the
   * demo board is: the anonymous requests and browsers of these tests read and write it.
   */
  async function newBoard(client: H2Client, title: string): Promise<{ board: Board; list: List }> {
    const { data: board } = await owner.api.createBoard({ title });
    await owner.api.setAccess(board.id, { visibility: 'public_edit' });
    const created = await client.request('POST', `/boards/${board.id}/lists`, { json: { title: 'To do' } });
    expect(created.status, created.text).toBe(201);
    return { board, list: created.body as List };
  }

  // First, while the write rate limit's counts are fresh: it counts per client address.
  test('Liveboard believes X-Forwarded-For from nginx, and not the same header sent to it directly', async () => {
    const { board } = await newBoard(h2, 'Who is asking');
    const direct = apiClient(server.url);
    let limit = 0;
    /** Writes straight to Liveboard; answers how many writes its rate limit has left for the writer. */
    const writeDirectly = async (headers: Record<string, string>): Promise<number> => {
      const response = await direct.post(`/boards/${board.id}/lists`, { title: 'direct' }, { headers });
      expect(response.status).toBe(201);
      limit = Number(response.headers.get('x-ratelimit-limit'));
      return Number(response.headers.get('x-ratelimit-remaining'));
    };

    // Sent straight to Liveboard (from 127.0.0.1, not the proxy), the header changes nothing: both
    // writes count against the same client, 127.0.0.1.
    const spoofed = await writeDirectly({ 'x-forwarded-for': '198.51.100.7' });
    const plain = await writeDirectly({});
    expect(plain).toBe(spoofed - 1);
    expect(limit).toBeGreaterThan(2);

    // Through nginx from another address: nginx names it in X-Forwarded-For, Liveboard believes it,
    // so this client's count starts afresh. A header the client sends itself is replaced by nginx.
    const elsewhere = await connectH2(proxy.url, { ca: certificate.cert, localAddress: CLIENT_ADDRESS });
    try {
      const counts: number[] = [];
      const asSent: Record<string, string>[] = [{}, { 'x-forwarded-for': '198.51.100.7' }];
      for (const headers of asSent) {
        const response = await elsewhere.request('POST', `/boards/${board.id}/lists`, {
          json: { title: 'proxied' },
          headers,
        });
        expect(response.status).toBe(201);
        counts.push(Number(response.headers['x-ratelimit-remaining']));
      }
      expect(counts).toEqual([limit - 1, limit - 2]);
    } finally {
      await elsewhere.close();
    }
    // And 127.0.0.1's count went on where it was.
    expect(await writeDirectly({})).toBe(plain - 1);
  });

  test('streams come through nginx over HTTP/2 unbuffered (an event within 1 s) and uncompressed', async () => {
    expect(h2.session.alpnProtocol).toBe('h2');
    const { board, list: toDo } = await newBoard(h2, 'Unbuffered');
    // Several at once, so that nginx opens new connections to Liveboard for some (answered on the
    // bare socket, the body running until the connection closes) and may reuse an idle one for
    // another (chunked): nginx buffers the first kind if it is let to, so both must come through.
    const streams = await Promise.all(
      Array.from({ length: 4 }, () =>
        h2.openStream(`/boards/${board.id}/events`, { 'accept-encoding': 'gzip, deflate, br' }),
      ),
    );
    try {
      for (const stream of streams) {
        expect(stream.status).toBe(200);
        expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        expect(stream.headers['content-encoding']).toBeUndefined();
        await stream.waitForText((text) => text.startsWith('retry: '), LIVE_WITHIN_MS);
      }
      for (const title of ['First through nginx', 'Second through nginx']) {
        const startedAt = Date.now();
        const created = await h2.request('POST', `/boards/${board.id}/tasks`, {
          json: { listId: toDo.id, title },
        });
        expect(created.status).toBe(201);
        await Promise.all(
          streams.map((stream) =>
            stream.waitForText((text) => text.includes(`"title":"${title}"`), LIVE_WITHIN_MS),
          ),
        );
        expect(Date.now() - startedAt).toBeLessThan(LIVE_WITHIN_MS);
      }
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  test(`one browser, ${TABS} tabs over ${BOARDS} boards through nginx over HTTP/2: all load, all live, and a write from a tab completes within 1 s`, async () => {
    const boards = await Promise.all(
      Array.from({ length: BOARDS }, (_, index) => newBoard(h2, `Tabs ${index + 1}`)),
    );
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 1024, height: 700 },
    });
    const tabs: { page: Page; boardIndex: number; errors: string[] }[] = [];
    try {
      for (let index = 0; index < TABS; index++) {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(String(error)));
        tabs.push({ page, boardIndex: index % BOARDS, errors });
      }
      // All at once, as a browser restoring its tabs would.
      await Promise.all(
        tabs.map(async ({ page, boardIndex }) => {
          // ?share=0: each tab its own stream, not one shared between tabs (the web app's option).
          await page.goto(`${proxy.url}/b/${boards[boardIndex]!.board.id}?share=0`);
          await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 15_000 });
        }),
      );
      for (const { page } of tabs) {
        const protocol = await page.evaluate(
          () =>
            (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).nextHopProtocol,
        );
        expect(protocol).toBe('h2');
      }

      // A change made through REST reaches every tab of its board.
      await Promise.all(
        boards.map(({ board, list: toDo }, boardIndex) =>
          h2.request('POST', `/boards/${board.id}/tasks`, {
            json: { listId: toDo.id, title: `From REST ${boardIndex + 1}` },
          }),
        ),
      );
      await Promise.all(
        tabs.map(({ page, boardIndex }) =>
          task(page, `From REST ${boardIndex + 1}`).waitFor({ timeout: LIVE_WITHIN_MS }),
        ),
      );

      // A write from a tab: its request completes within 1 s, and its board's other tabs show it.
      const writer = tabs[0]!;
      await list(writer.page, 'To do').getByTestId('add-task').click();
      await writer.page.getByTestId('new-task-input').fill('From a tab');
      const answered = writer.page.waitForResponse(
        (response) =>
          response.request().method() === 'POST' && new URL(response.url()).pathname.endsWith('/tasks'),
      );
      const startedAt = Date.now();
      await writer.page.keyboard.press('Enter');
      const response = await answered;
      const writeMs = Date.now() - startedAt;
      expect(response.status()).toBe(201);
      expect(writeMs, `the write took ${writeMs} ms`).toBeLessThan(LIVE_WITHIN_MS);
      await Promise.all(
        tabs
          .filter(({ boardIndex }) => boardIndex === writer.boardIndex)
          .map(({ page }) => task(page, 'From a tab').waitFor({ timeout: LIVE_WITHIN_MS })),
      );
      for (const { errors } of tabs) expect(errors).toEqual([]);
    } finally {
      await context.close();
    }

    // nginx logs a request when it ends: now every tab's stream has. All 12 were HTTP/2, on ONE
    // connection, where HTTP/1.1 would have needed one each (and Chromium allows six).
    const tabStream = new RegExp(` GET /boards/(${boards.map(({ board }) => board.id).join('|')})/events `);
    const streamLines = await pollFor(
      () => proxy.accessLog().filter((line) => tabStream.test(line)),
      (lines) => lines.length >= TABS,
    );
    expect(streamLines).toHaveLength(TABS);
    expect(streamLines.every((line) => line.includes(' HTTP/2.0 '))).toBe(true);
    expect(new Set(streamLines.map((line) => line.split(' ')[0])).size).toBe(1);
  }, 60_000);
});

async function pollFor<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
