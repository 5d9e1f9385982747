// `npm run bench:cards`: the "Measured" section of issue 15 on a seeded 5,000-card board (and the
// same cards in one list): snapshot bytes and GET times warm and cold, Chromium's first render and
// one remote tick, SSE frame bytes per event type, fan-out against the demo board, REST writes with
// 1,000 subscribers, search at 50,000 cards on SQLite and PostgreSQL, card history on a
// 100,000-event board and the migration of a 50,000-card database. See bench/README.md.
// Environment:
//   BENCH_CARDS_QUICK=1          smaller sizes, a smoke run of about a minute
//   BENCH_CARDS_PHASES=snapshot,frames,chromium,fanout,writes,history,search,migration
//   BENCH_CARDS_CARDS=5000  _SEARCH_CARDS=50000  _NOISE_BOARDS=100  _HISTORY_EVENTS=100000
//   _MIGRATION_CARDS=50000  _FANOUT=1000,10000  _CLIENTS=4 (load-client processes)
//   BENCH_CARDS_MAIN=<path>/dist/main.js   the server build to measure (default: this tree's)
//   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres   BENCH_CARDS_TIMEOUT_S=1500
//   BENCH_CARDS_LOADS=3 (page loads per variant)   BENCH_CARDS_PROFILE=<dir> (CPU profiles of the ticks)
/* global document, EventSource, MutationObserver -- page functions, run in Chromium */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import {
  boardPlan,
  check,
  frameData,
  frameSplitter,
  quantiles,
  random,
  renderChecks,
  searchDifferences,
  text,
  vocabulary,
  zipfPicker,
} from './cards/corpus.js';
import { SEARCH_BOARD, seedBoard } from './cards/seed.js';
import { monotonicMs } from './lib/clock.js';
import { createAgent, send } from './lib/http.js';
import { LoadClients } from './lib/load-clients.js';
import { familyRssKb } from './lib/procfs.js';
import * as phase from './lib/scenario.js';
import { killAll, runScript } from './writes/processes.js';
import { freePort, freshStore, liveboardServer, postgresProblem } from './writes/servers.js';

const BENCH = new URL('.', import.meta.url).pathname;
const ROOT = join(BENCH, '..');
const DIST = join(ROOT, 'dist');
const env = process.env;
const quick = env.BENCH_CARDS_QUICK === '1';
const num = (name, full, small) => (env[name] ? Number(env[name]) : quick ? small : full);
const config = {
  quick,
  cards: num('BENCH_CARDS_CARDS', 5000, 1000),
  searchCards: num('BENCH_CARDS_SEARCH_CARDS', 50_000, 3000),
  noiseBoards: num('BENCH_CARDS_NOISE_BOARDS', 100, 10),
  noiseCards: 50,
  historyEvents: num('BENCH_CARDS_HISTORY_EVENTS', 100_000, 10_000),
  migrationCards: num('BENCH_CARDS_MIGRATION_CARDS', 50_000, 5000),
  fanout: (env.BENCH_CARDS_FANOUT ?? (quick ? '200' : '1000,10000')).split(',').map(Number),
  clients: num('BENCH_CARDS_CLIENTS', 4, 2),
  warmGets: quick ? 30 : 100,
  coldRestarts: quick ? 2 : 5,
  writeSamples: quick ? 50 : 300,
  searchRounds: quick ? 3 : 10,
  historySamples: quick ? 50 : 300,
  ticks: quick ? 5 : 15,
  loads: num('BENCH_CARDS_LOADS', 3, 1),
  profileDir: env.BENCH_CARDS_PROFILE,
  fanoutSamples: quick ? 5 : 10,
  fanoutRounds: 2,
  postgresUrl: env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  phases: (env.BENCH_CARDS_PHASES ?? 'snapshot,frames,chromium,fanout,writes,history,search,migration')
    .split(',')
    .map((s) => s.trim()),
  timeoutSeconds: Number(env.BENCH_CARDS_TIMEOUT_S || 1500),
};
const wants = (name) => config.phases.includes(name);
const log = (message) => console.error(`[bench:cards ${new Date().toISOString().slice(11, 19)}] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const { openStore } = await import(join(DIST, 'store/open-store.js'));
const { seedDemoBoard } = await import(join(DIST, 'writer/demo-board.js'));
const { migrate } = await import(join(DIST, 'store/sqlite/schema.js'));
const { TASK_DEFAULTS } = await import(join(DIST, 'domain/model.js'));
/** Checklists on 40% of cards, once the task model has them (issue 15); until then, said in the report. */
const CHECKLISTS = 'checklists' in TASK_DEFAULTS;

const BIG = 'board-benchcards01';
const ONE_LIST = 'board-benchcards02';
const DEMO = 'board-1';
const results = { notes: [] };
const checks = [];
const cleanups = [];
const servers = new Set();
const note = (text) => {
  results.notes.push(text);
  log(`note: ${text}`);
};
if (!CHECKLISTS)
  note('checklists not yet in the model: the seeded cards have none (bench/cards.js CHECKLISTS)');
/** The share of cards with a checklist: the 40%, once the model has them. */
const CHECKLIST_SHARE = CHECKLISTS ? 0.4 : 0;

// --- seeding, in process, through the store's write path ----------------------------------------

/** The writer's surface that seedDemoBoard uses, straight onto the store (no server is running). */
const storeWriter = (store) => ({
  createBoard: (command, options) => store.createBoard(command, options),
  execute: (boardId, command, options) => store.execute(boardId, command, options),
});

async function benchUsers(store, count = 6) {
  const users = [];
  for (let k = 1; k <= count; k++) {
    const username = `bench-card${k}`;
    const user = await store.accounts.createUser({
      username,
      displayName: `Bench ${k}`,
      passwordHash: 'not-a-password-hash',
      now: new Date(),
    });
    users.push({ id: user.id, username });
  }
  return users;
}

function serverFor(store, name, port, extraEnv = {}) {
  const server = liveboardServer({
    name,
    main: env.BENCH_CARDS_MAIN || join(DIST, 'main.js'),
    store,
    port,
    env: {
      LIVEBOARD_MAX_STREAMS_PER_ADDRESS: '1000000',
      LIVEBOARD_MAX_STREAMS: '30000',
      ...extraEnv,
    },
  });
  servers.add(server);
  return server;
}

// --- HTTP helpers --------------------------------------------------------------------------------

/**
 * GET with a chosen Accept-Encoding on a new connection (none kept from before a restart); the
 * body's bytes as sent (not decoded).
 */
function getRaw(url, encoding, headers = {}) {
  return new Promise((resolve, reject) => {
    const startedAt = monotonicMs();
    const req = request(
      url,
      { headers: { 'Accept-Encoding': encoding, ...headers }, timeout: 30_000, agent: false },
      (res) => {
        let bytes = 0;
        const parts = [];
        res.on('data', (chunk) => {
          bytes += chunk.length;
          parts.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            headers: res.headers,
            bytes,
            body: Buffer.concat(parts),
            ms: monotonicMs() - startedAt,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

async function json(url, method, body, agent) {
  const res = await send(url, {
    method,
    agent,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    timeoutMs: 30_000,
  });
  if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${res.body.slice(0, 200)}`);
  return { ...res, json: res.body ? JSON.parse(res.body) : null };
}

// --- phases ---------------------------------------------------------------------------------------

/** Snapshot bytes raw/gzip/br as the server sends them, and GET times warm and cold (restarts). */
async function snapshotPhase(server, boards) {
  const out = {};
  for (const [variant, boardId] of Object.entries(boards)) {
    const url = `${server.url}/boards/${boardId}`;
    const raw = await getRaw(url, 'identity');
    const gz = await getRaw(url, 'gzip');
    const br = await getRaw(url, 'br');
    const agent = createAgent(1);
    const warm = [];
    for (let i = 0; i < config.warmGets; i++) {
      const res = await send(url, { agent, headers: { 'Accept-Encoding': 'br' }, timeoutMs: 30_000 });
      warm.push(res.ms);
    }
    const etag = br.headers.etag;
    const notModified = await send(url, {
      agent,
      headers: { 'If-None-Match': etag, 'Accept-Encoding': 'br' },
    });
    agent.destroy();
    out[variant] = {
      boardId,
      rawBytes: raw.bytes,
      gzipBytes: gz.headers['content-encoding'] === 'gzip' ? gz.bytes : null,
      brBytes: br.headers['content-encoding'] === 'br' ? br.bytes : null,
      // What zlib makes of the same JSON at its best, for comparison with the server's own encoding.
      zlibGzip9Bytes: gzipSync(raw.body, { level: 9 }).length,
      zlibBr11Bytes: brotliCompressSync(raw.body).length,
      warmMs: quantiles(warm),
      notModified: { status: notModified.status, ms: Math.round(notModified.ms * 100) / 100 },
      coldMs: [],
    };
  }
  for (let r = 0; r < config.coldRestarts; r++) {
    for (const [variant, boardId] of Object.entries(boards)) {
      await server.stop();
      await server.start();
      const res = await getRaw(`${server.url}/boards/${boardId}`, 'br');
      out[variant].coldMs.push(Math.round(res.ms * 100) / 100);
    }
  }
  for (const [variant, figures] of Object.entries(out)) {
    figures.cold = quantiles(figures.coldMs);
    checks.push(
      check(`snapshot br bytes (${variant})`, figures.brBytes, 1_048_576, 'B', { label: '≤ 1 MB' }),
    );
    checks.push(check(`GET snapshot warm p50 (${variant})`, figures.warmMs.p50, 20));
    checks.push(check(`GET snapshot warm p95 (${variant})`, figures.warmMs.p95, 20));
    checks.push(
      check(`GET snapshot cold, worst of ${figures.coldMs.length} (${variant})`, figures.cold.max, 500),
    );
  }
  return out;
}

/** One raw SSE stream on the board; each write's frame, its bytes. */
async function framesPhase(server, plan) {
  const frames = [];
  let resolveNext = null;
  const split = frameSplitter((frame, bytes) => {
    const data = frameData(frame);
    if (!data?.type) return;
    frames.push({ type: data.type, bytes, data });
    resolveNext?.();
  });
  const stream = await new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/boards/${BIG}/events`,
      { headers: { Accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`events: ${res.statusCode}`));
        res.on('data', split);
        resolve(req);
      },
    );
    req.on('error', reject);
    req.end();
  });
  await sleep(300);
  const base = `${server.url}/boards/${BIG}`;
  const task = (k) => plan.tasks[k];
  const live = plan.tasks.filter((id) => !plan.archived.includes(id));
  const dueTask = plan.withDue.find((id) => !plan.archived.includes(id));
  // Two cards of one list that no other write here touches (cards k and k + lists share a list); the
  // second is moved before the first (before the card after it would be where it is: no event).
  const inList = (id) => Number(id.slice(-6)) % plan.lists.length;
  const sameList = live
    .slice(40)
    .filter((id) => inList(id) === inList(live[40]))
    .slice(0, 2);
  const writes = [
    [
      'task_created',
      () => json(`${base}/tasks`, 'POST', { listId: plan.lists[0], title: 'A new card from the bench' }),
    ],
    [
      'task_created (labels, due, description)',
      () =>
        json(`${base}/tasks`, 'POST', {
          listId: plan.lists[1],
          title: 'A busier new card',
          description: 'Three sentences of description. Like most cards have. Roughly.',
          labelIds: plan.labels.slice(0, 2),
          dueAt: '2026-12-03T17:00:00Z',
        }),
    ],
    [
      'task_updated (dueComplete tick)',
      () => json(`${base}/tasks/${dueTask}`, 'PATCH', { dueComplete: true }),
    ],
    [
      'task_updated (label add)',
      () => json(`${base}/tasks/${live[1]}`, 'PATCH', { labels: { add: [plan.labels[11]] } }),
    ],
    [
      'task_updated (title)',
      () => json(`${base}/tasks/${live[2]}`, 'PATCH', { title: 'Renamed by the bench' }),
    ],
    [
      'task_updated (description)',
      () =>
        json(`${base}/tasks/${live[3]}`, 'PATCH', {
          description: 'A new description of about a hundred characters, as people write them on cards.',
        }),
    ],
    ['task_updated (archive)', () => json(`${base}/tasks/${live[4]}`, 'PATCH', { archived: true })],
    ['task_moved (other list)', () => json(`${base}/tasks/${live[5]}`, 'PATCH', { listId: plan.lists[3] })],
    [
      'task_moved (same list, before a card)',
      () => json(`${base}/tasks/${sameList[1]}`, 'PATCH', { beforeId: sameList[0] }),
    ],
    [
      'comment_added',
      () =>
        json(`${base}/comments`, 'POST', {
          taskId: task(7),
          body: 'Looks good to me, shipping it after lunch.',
        }),
    ],
    ['label_created', () => json(`${base}/labels`, 'POST', { name: 'Bench label', color: 'sky' })],
    ['label_updated', () => json(`${base}/labels/${plan.labels[0]}`, 'PATCH', { name: 'Renamed label' })],
    ['task_deleted', () => json(`${base}/tasks/${live[8]}`, 'DELETE')],
  ];
  if (CHECKLISTS) {
    // An undone item of a card with a checklist, as the snapshot has it when the tick is sent (the
    // writes above archived and deleted cards).
    const undoneItem = async () =>
      (await json(base, 'GET')).json.lists
        .flatMap((list) => list.tasks)
        .filter((t) => !t.archivedAt)
        .flatMap((t) => t.checklists.flatMap((c) => c.items))
        .find((i) => !i.done);
    writes.push(
      [
        'checklist_added (3 items)',
        () =>
          json(`${base}/checklists`, 'POST', {
            taskId: live[9],
            title: 'Before release',
            items: [{ text: 'Write the notes' }, { text: 'Tag the build' }, { text: 'Tell support' }],
          }),
      ],
      [
        'checklist_item_updated (tick)',
        async () => json(`${base}/items/${(await undoneItem()).id}`, 'PATCH', { done: true }),
      ],
    );
  }
  const out = {};
  for (const [name, write] of writes) {
    const before = frames.length;
    const seen = new Promise((resolve) => (resolveNext = resolve));
    await write();
    await Promise.race([seen, sleep(3000)]);
    const frame = frames[before];
    out[name] = frame ? { type: frame.type, frameBytes: frame.bytes } : { error: 'no frame within 3 s' };
  }
  stream.destroy();
  for (const [name, figures] of Object.entries(out)) {
    if (/tick|label add|moved/.test(name) && figures.frameBytes)
      checks.push(check(`frame bytes: ${name}`, figures.frameBytes, 400, 'B'));
  }
  return out;
}

/**
 * Chromium on /b/:board: navigation to every list and every card in it shown; then, on the first
 * load of each variant, remote ticks from this process (another client): a checklist item ticked
 * (the tick) and a card's `dueComplete` (the tick of the earlier runs), each timed from the
 * page's SSE message handler to the DOM change of that card (a MutationObserver callback, just after
 * React's commit), with the long tasks (> 50 ms) the Long Tasks API saw meanwhile and the board's
 * components that rendered for it (src/web/board/render-probe.ts).
 */
async function chromiumPhase(server, plan, boards) {
  const { existsSync } = await import('node:fs');
  if (!existsSync('/usr/bin/chromium')) return { skipped: '/usr/bin/chromium missing' };
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  cleanups.push(() => browser.close().catch(() => {}));
  const out = {};
  try {
    for (const [variant, boardId] of Object.entries(boards)) {
      const visible = plan[variant].tasks.length - plan[variant].archived.length;
      const lists = plan[variant].lists.length;
      const figures = (out[variant] = { lists, cards: visible, loads: [] });
      for (let load = 0; load < config.loads; load++) {
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        await page.addInitScript(instrument);
        await page.goto(`${server.url}/b/${boardId}`, { waitUntil: 'commit' });
        const rendered = await page.waitForFunction(
          ({ lists, visible }) => {
            const shownLists = document.querySelectorAll('[data-testid="list"]').length;
            const shownCards = document.querySelectorAll('[data-testid="task"]').length;
            return shownLists >= lists && shownCards >= visible ? performance.now() : false;
          },
          { lists, visible },
          { polling: 'raf', timeout: 60_000 },
        );
        figures.loads.push(Math.round(await rendered.jsonValue()));
        figures.shownCards = await page.$$eval('[data-testid="task"]', (cards) => cards.length);
        if (load === 0) {
          const items = await undoneItems(server, boardId);
          const dueCards = plan[variant].withDue
            .filter((id) => !plan[variant].archived.includes(id))
            .slice(20, 20 + config.ticks);
          figures.ticks = await profiled(page, `${variant}-item`, () =>
            ticks(page, items, (item) =>
              json(`${server.url}/boards/${boardId}/items/${item.id}`, 'PATCH', { done: true }),
            ),
          );
          figures.dueTicks = await profiled(page, `${variant}-due`, () =>
            ticks(
              page,
              dueCards.map((taskId) => ({ taskId })),
              ({ taskId }) =>
                json(`${server.url}/boards/${boardId}/tasks/${taskId}`, 'PATCH', { dueComplete: true }),
            ),
          );
        }
        await context.close();
      }
      figures.firstRenderMs = quantiles(figures.loads);
      checks.push(
        check(
          `Chromium: every list rendered, median of ${figures.loads.length} (${variant})`,
          figures.firstRenderMs.p50,
          2500,
        ),
      );
      const tick = figures.ticks?.applyMs;
      if (tick?.count) {
        checks.push(check(`Chromium: one remote tick applied, p50 (${variant})`, tick.p50, 16));
        checks.push(
          check(`Chromium: one remote tick applied, worst of ${tick.count} (${variant})`, tick.max, 16),
        );
        checks.push(
          check(
            `Chromium: cards rendered by one remote tick, most (${variant})`,
            figures.ticks.cardsRendered.max,
            1,
            'cards',
          ),
        );
      }
    }
  } finally {
    await browser.close().catch(() => {});
  }
  return out;
}

/**
 * Undone checklist items of unarchived cards, as the board has them now, taken across the whole
 * board (every k-th), so that the ticks land in every list and far down the long one.
 */
async function undoneItems(server, boardId) {
  const board = (await json(`${server.url}/boards/${boardId}`, 'GET')).json;
  const items = board.lists
    .flatMap((list) => list.tasks)
    .filter((task) => !task.archivedAt)
    .flatMap((task) =>
      task.checklists.flatMap((checklist) =>
        checklist.items
          .filter((item) => !item.done)
          .slice(0, 1)
          .map((item) => ({ taskId: task.id, id: item.id })),
      ),
    );
  const every = Math.max(1, Math.floor(items.length / config.ticks));
  return items.filter((_, k) => k % every === every >> 1).slice(0, config.ticks);
}

/** With BENCH_CARDS_PROFILE=<dir>: Chrome's CPU profile of the page over `run`, to <dir>/ticks-<name>.cpuprofile. */
async function profiled(page, name, run) {
  if (!config.profileDir) return run();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await cdp.send('Profiler.stop');
    mkdirSync(config.profileDir, { recursive: true });
    const file = join(config.profileDir, `ticks-${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    log(`profile: ${file}`);
    await cdp.detach();
  }
}

/** In the page before its scripts: time each EventSource message handler, record long tasks and renders. */
function instrument() {
  const state = (globalThis.__benchCards = { messages: [], longTasks: [] });
  globalThis.__liveboardRenders = [];
  const wrap = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (this instanceof EventSource && type === 'message' && typeof listener === 'function') {
      const original = listener;
      listener = function (event) {
        const start = performance.now();
        try {
          return original.call(this, event);
        } finally {
          state.messages.push({ start, end: performance.now() });
        }
      };
    }
    return wrap.call(this, type, listener, options);
  };
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        state.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no Long Tasks API
  }
}

/**
 * One remote write per target (`{ taskId }`, the card it changes), each timed on the page; the
 * renders it caused are read 200 ms later, when the page has long been idle again.
 */
async function ticks(page, targets, write) {
  const samples = [];
  const longTasks = [];
  const handlerMs = [];
  const cardsRendered = [];
  const listsRendered = [];
  let dndRendered = 0;
  for (const target of targets) {
    await page.evaluate((taskId) => {
      const state = globalThis.__benchCards;
      state.mutatedAt = null;
      state.messages.length = 0;
      state.longTasks.length = 0;
      globalThis.__liveboardRenders.length = 0;
      const card = document.querySelector(`[data-testid="task"][data-task-id="${taskId}"]`);
      state.observer?.disconnect();
      state.observer = new MutationObserver(() => {
        if (state.mutatedAt === null) state.mutatedAt = performance.now();
      });
      if (card)
        state.observer.observe(card, {
          subtree: true,
          childList: true,
          attributes: true,
          characterData: true,
        });
      state.cardFound = Boolean(card);
    }, target.taskId);
    await write(target);
    const figures = await page
      .waitForFunction(
        () => {
          const s = globalThis.__benchCards;
          if (s.mutatedAt === null || !s.messages.length) return false;
          const message = s.messages[0];
          return {
            applyMs: s.mutatedAt - message.start,
            handlerMs: message.end - message.start,
            longTasks: s.longTasks,
            found: s.cardFound,
          };
        },
        null,
        { timeout: 5000, polling: 16 },
      )
      .then((handle) => handle.jsonValue())
      .catch(() => null);
    await sleep(200);
    if (figures) {
      samples.push(figures.applyMs);
      handlerMs.push(figures.handlerMs);
      longTasks.push(...figures.longTasks.map((t) => t.duration));
      const renders = await page.evaluate(() => globalThis.__liveboardRenders.slice());
      cardsRendered.push(renders.filter((r) => r.startsWith('card:')).length);
      listsRendered.push(renders.filter((r) => r.startsWith('list:')).length);
      if (renders.includes('dnd')) dndRendered++;
    }
  }
  return {
    samples: samples.length,
    missed: targets.length - samples.length,
    applyMs: quantiles(samples),
    handlerMs: quantiles(handlerMs),
    longTasksMs: longTasks.map((d) => Math.round(d)),
    cardsRendered: quantiles(cardsRendered),
    listsRendered: quantiles(listsRendered),
    /** Ticks that rendered DndContext again (and so made React search every card's subtree). */
    dndRendered,
  };
}

/** A target of bench/lib/scenario.js on one board: its publishes are new cards titled with the marker. */
function boardTarget(server, boardId, listId) {
  return {
    name: boardId,
    port: server.port,
    url: server.url,
    eventsPath: `/boards/${boardId}/events`,
    numericIds: true,
    cpuSeconds: () => server.cpuSeconds(),
    rssKb: () => (server.pid ? familyRssKb(server.pid) : 0),
    async position() {
      const res = await send(`${server.url}/boards/${boardId}`, { timeoutMs: 30_000 });
      return JSON.parse(res.body).seq;
    },
    async publish(agent, title) {
      const res = await send(`${server.url}/boards/${boardId}/tasks`, {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ listId, title }),
      });
      return {
        status: res.status,
        ok: res.status === 201,
        seq: Number(res.headers['board-seq']),
        ms: res.ms,
      };
    },
  };
}

/** One event to every subscriber, on the big board and the demo board in turn, at each N. */
async function fanoutPhase(server, clients, plan) {
  const targets = {
    board: boardTarget(server, BIG, plan.lists[0]),
    demo: boardTarget(server, DEMO, 'list-todo'),
  };
  const agent = createAgent(2);
  const out = {};
  for (const n of config.fanout) {
    const acc = { board: phase.latencyAccumulator(), demo: phase.latencyAccumulator() };
    for (let round = 0; round < config.fanoutRounds; round++) {
      for (const name of round % 2 ? ['demo', 'board'] : ['board', 'demo']) {
        const target = targets[name];
        await clients.closeTo(0);
        await clients.configure(target);
        log(`fan-out: ${n} streams on ${name}, round ${round + 1}`);
        const open = await clients.openTo(n, { lastEventId: await target.position() });
        if (open.failed) note(`fan-out ${name} N=${n}: ${open.failed} streams failed to open`);
        await sleep(1000);
        await phase.singleEventLatency(target, clients, agent, config.fanoutSamples, acc[name]);
      }
    }
    const board = phase.latencySummary(acc.board);
    const demo = phase.latencySummary(acc.demo);
    out[n] = { board, demo };
    for (const q of ['p50', 'p99']) {
      const ratio = board.latencyMs[q] / demo.latencyMs[q];
      out[n][`${q}Ratio`] = Math.round(ratio * 100) / 100;
      checks.push(
        check(
          `fan-out N=${n} ${q}: 5,000-card board / demo board (${board.latencyMs[q]} / ${demo.latencyMs[q]} ms)`,
          out[n][`${q}Ratio`],
          1.1,
          '×',
          { label: '≤ 1.10× (within 10%)' },
        ),
      );
    }
  }
  agent.destroy();
  await clients.closeTo(0);
  return out;
}

/** Sequential REST writes on the big board with 1,000 subscribers: tick, label add, move. */
async function writesPhase(server, clients, plan) {
  const target = boardTarget(server, BIG, plan.lists[0]);
  await clients.closeTo(0);
  await clients.configure(target);
  const streams = Math.min(1000, Math.max(...config.fanout));
  await clients.openTo(streams, { lastEventId: await target.position() });
  await sleep(1000);
  await clients.reset(false);
  const agent = createAgent(1);
  const base = `${server.url}/boards/${BIG}`;
  const live = plan.tasks.filter((id) => !plan.archived.includes(id));
  const dated = plan.withDue.filter((id) => !plan.archived.includes(id));
  const kinds = {
    tick: (i) => ({
      path: `tasks/${dated[i % dated.length]}`,
      body: { dueComplete: Math.floor(i / dated.length) % 2 === 0 },
    }),
    'label add': (i) => ({
      path: `tasks/${live[(i * 7) % live.length]}`,
      body: { labels: { add: [plan.labels[(i % 5) + 6]] } },
    }),
    move: (i) => ({
      path: `tasks/${live[(i * 13) % live.length]}`,
      body: { listId: plan.lists[(i + 1) % plan.lists.length] },
    }),
  };
  const out = { streams };
  let written = 0;
  for (const [kind, make] of Object.entries(kinds)) {
    const latencies = [];
    let unchanged = 0; // writes that changed nothing (no event): a label the card had
    let lastSeq = NaN;
    for (let i = 0; i < config.writeSamples; i++) {
      const { path, body } = make(i);
      const res = await send(`${base}/${path}`, {
        method: 'PATCH',
        agent,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 200) throw new Error(`PATCH ${path}: ${res.status} ${res.body.slice(0, 200)}`);
      latencies.push(res.ms);
      written++;
      const seq = Number(res.headers['board-seq']);
      if (seq === lastSeq) unchanged++;
      lastSeq = seq;
    }
    out[kind] = { latencyMs: quantiles(latencies), unchanged };
    checks.push(check(`REST ${kind} p99 with ${streams} subscribers`, out[kind].latencyMs.p99, 10));
  }
  const seq = await target.position();
  const seen = await clients.wait({ seq, timeoutMs: 30_000 });
  out.deliveredToAll = !seen.timedOut;
  out.writes = written;
  agent.destroy();
  await clients.closeTo(0);
  return out;
}

/** The big board grown to `historyEvents` events (edits of its cards), then its cards' histories read. */
async function historyPhase(server, store, plan) {
  const boardId = BIG;
  const head = await store.boardHead(boardId);
  const missing = config.historyEvents - head.seq;
  const next = random(99);
  // The board's cards as they are now (the phases before wrote to it: one card is deleted).
  const snapshot = await store.getBoard(boardId);
  const live = snapshot.lists.flatMap((list) => list.tasks.filter((t) => !t.archivedAt).map((t) => t.id));
  const t0 = monotonicMs();
  let clock = plan.endMs + 10_000_000;
  for (let done = 0; done < missing;) {
    const writes = [];
    for (let k = 0; k < 1000 && done < missing; k++, done++) {
      const taskId = live[Math.floor(next() * live.length)];
      const command =
        done % 3 === 0
          ? { type: 'update_task', taskId, title: `Edited ${done}` }
          : done % 3 === 1
            ? {
                type: 'update_task',
                taskId,
                dueAt: new Date(Date.UTC(2027, 0, 1) + done * 60_000).toISOString(),
              }
            : { type: 'update_task', taskId, listId: plan.lists[done % plan.lists.length] };
      writes.push({ command, options: { operator: true, now: new Date((clock += 1000)) } });
    }
    const outcome = await store.executeBatch(boardId, writes);
    const refused = outcome.find((r) => !r.ok);
    if (refused) throw new Error(`history seeding: ${refused.error.code} ${refused.error.message}`);
  }
  const seedSeconds = (monotonicMs() - t0) / 1000;
  await store.close();
  await server.start();
  const agent = createAgent(1);
  const samples = [];
  let events = 0;
  for (let i = 0; i < config.historySamples; i++) {
    const taskId = live[Math.floor(next() * live.length)];
    const res = await send(`${server.url}/boards/${boardId}/activity?taskId=${taskId}`, {
      agent,
      timeoutMs: 30_000,
    });
    if (res.status !== 200) throw new Error(`activity: ${res.status} ${res.body.slice(0, 200)}`);
    samples.push(res.ms);
    events += JSON.parse(res.body).events.length;
  }
  agent.destroy();
  const out = {
    boardEvents: head.seq + Math.max(0, missing),
    seededEvents: missing,
    seedSeconds: Math.round(seedSeconds),
    eventsPerAnswer: Math.round(events / samples.length),
    latencyMs: quantiles(samples),
  };
  checks.push(
    check(
      `card history p95 (${config.historyEvents.toLocaleString('en-US')}-event board)`,
      out.latencyMs.p95,
      20,
    ),
  );
  return out;
}

const QUERIES = [
  'release',
  'deploy invoice',
  'café',
  'strasse',
  'ёлка',
  'rel',
  'cust rev',
  'ka',
  'lomi',
  'serta',
  'bug crash',
  'the',
  'naive',
  'payment email',
  'velpri',
  'zzzqx',
];

/** 50,000 cards on one board and 100 noise boards on each store, seeded alike; the same searches. */
async function searchPhase() {
  // Kept as it fills, so that a run stopped by its time limit still reports a store's figures.
  const out = (results.search = {});
  const kinds = ['sqlite'];
  const problem = await postgresProblem(config.postgresUrl);
  if (problem) note(`search on PostgreSQL skipped: ${problem}`);
  else kinds.push('postgres');
  const answers = {};
  // Each store seeded by a child process of its own, at once (the domain decides every write, and a
  // write to a 50,000-card board costs milliseconds of its CPU: one process would take minutes each).
  const stores = {};
  const seeded = {};
  await Promise.all(
    kinds.map(async (kind) => {
      const store = freshStore(kind, { postgresUrl: config.postgresUrl, tag: `cards_search_${kind}` });
      cleanups.push(() => store.dispose());
      stores[kind] = store;
      seeded[kind] = await runScript(
        join(BENCH, 'cards/seed-search.js'),
        {
          dist: DIST,
          databaseUrl: store.databaseUrl,
          cards: config.searchCards,
          noiseBoards: config.noiseBoards,
          noiseCards: config.noiseCards,
        },
        config.timeoutSeconds * 1000,
      );
      log(`search: ${kind} seeded in ${seeded[kind].seconds} s`);
    }),
  );
  for (const kind of kinds) {
    const store = stores[kind];
    const seedSeconds = seeded[kind].seconds;
    const server = serverFor(store, `search-${kind}`, await freePort(), { LIVEBOARD_SEED: '0' });
    await server.start();
    const agent = createAgent(1);
    const samples = [];
    const perQuery = {};
    answers[kind] = {};
    for (let round = 0; round < config.searchRounds; round++) {
      for (const q of QUERIES) {
        const res = await send(
          `${server.url}/boards/${SEARCH_BOARD}/search?q=${encodeURIComponent(q)}&limit=50`,
          { agent, timeoutMs: 30_000 },
        );
        if (res.status !== 200) throw new Error(`search ${q}: ${res.status} ${res.body.slice(0, 200)}`);
        samples.push(res.ms);
        (perQuery[q] ??= []).push(res.ms);
        if (round === 0) {
          const body = JSON.parse(res.body);
          answers[kind][q] = body.results.map((r) => [
            r.taskId,
            r.field,
            r.commentId ?? null,
            r.offset,
            r.text,
            r.highlights,
          ]);
          perQuery[`${q}#results`] = body.results.length;
        }
      }
    }
    agent.destroy();
    await server.stop();
    servers.delete(server);
    out[kind] = {
      cards: config.searchCards + config.noiseBoards * config.noiseCards,
      seedSeconds,
      latencyMs: quantiles(samples),
      perQueryP50: Object.fromEntries(
        Object.entries(perQuery).map(([q, v]) => [q, Array.isArray(v) ? quantiles(v).p50 : v]),
      ),
    };
    checks.push(
      check(
        `search p95, ${kind} (${config.searchCards.toLocaleString('en-US')} cards + ${config.noiseBoards} boards)`,
        out[kind].latencyMs.p95,
        kind === 'sqlite' ? 50 : 100,
      ),
    );
  }
  if (answers.postgres) {
    const differ = searchDifferences(answers.sqlite, answers.postgres);
    out.identical = differ.length === 0;
    out.differingQueries = differ;
    checks.push({
      name: 'search: identical result lists on both stores',
      value: differ.length,
      unit: 'queries differ',
      target: '0',
      pass: differ.length === 0,
    });
  }
  return out;
}

/** A SQLite database laid out by the schema before cards (migrate(db, 4)) with 50,000 cards; then migrated. */
async function migrationPhase() {
  const dir = mkdtempSync(join(os.tmpdir(), 'liveboard-cards-migration-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'old.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  migrate(db, 4);
  const next = random(4);
  const words = vocabulary();
  const boardId = 'board-benchmigrate01';
  const at = (s) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();
  const insertTask = db.prepare(
    'INSERT INTO tasks (id, board_id, list_id, title, description, position, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)',
  );
  const insertEvent = db.prepare('INSERT INTO events (board_id, seq, type, data) VALUES (?, ?, ?, ?)');
  const insertList = db.prepare('INSERT INTO lists (id, board_id, title, position) VALUES (?, ?, ?, ?)');
  const lists = Array.from({ length: 8 }, (_, k) => `list-benchmigrate${k}`);
  const pick = zipfPicker(words, next);
  db.transaction(() => {
    let seq = 0;
    db.prepare(
      "INSERT INTO boards (id, title, seq, created_at, updated_at, visibility) VALUES (?, 'Before cards', 0, ?, ?, 'public_edit')",
    ).run(boardId, at(0), at(0));
    lists.forEach((id, k) => {
      insertList.run(id, boardId, `List ${k + 1}`, `a${k}`);
      const list = { id, boardId, title: `List ${k + 1}`, position: `a${k}` };
      insertEvent.run(
        boardId,
        ++seq,
        'list_created',
        JSON.stringify({ type: 'list_created', seq, at: at(seq), by: null, list }),
      );
    });
    for (let k = 0; k < config.migrationCards; k++) {
      const task = {
        id: `task-benchmigrate${String(k).padStart(6, '0')}`,
        boardId,
        listId: lists[k % 8],
        title: text(pick, next, 3 + Math.floor(next() * 6)).replace(/\.$/, ''),
        description: next() < 0.2 ? '' : text(pick, next, 10 + Math.floor(next() * next() * 150)),
        position: `a${String(k).padStart(6, '0')}`,
        version: 1,
        createdAt: at(seq + 1),
        updatedAt: at(seq + 1),
      };
      insertTask.run(
        task.id,
        boardId,
        task.listId,
        task.title,
        task.description,
        task.position,
        task.createdAt,
        task.updatedAt,
      );
      insertEvent.run(
        boardId,
        ++seq,
        'task_created',
        JSON.stringify({ type: 'task_created', seq, at: task.createdAt, by: null, task }),
      );
    }
    db.prepare('UPDATE boards SET seq = ?, updated_at = ? WHERE id = ?').run(seq, at(seq), boardId);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const bytesBefore = statSync(path).size;
  const t0 = monotonicMs();
  const store = await openStore(`file:${path}`);
  await store.migrate();
  const ms = monotonicMs() - t0;
  const snapshot = await store.getBoard(boardId);
  const tasks = snapshot.lists.reduce((n, l) => n + l.tasks.length, 0);
  await store.close();
  const out = {
    cards: config.migrationCards,
    tasksAfter: tasks,
    mbBefore: Math.round(bytesBefore / 2 ** 20),
    seconds: Math.round(ms) / 1000,
  };
  checks.push({
    name: `migration of a ${config.migrationCards.toLocaleString('en-US')}-card SQLite database`,
    value: out.seconds,
    unit: 's',
    target: 'measured (no target)',
    pass: null,
  });
  note('migration on PostgreSQL not measured (SQLite only)');
  return out;
}

// --- the run --------------------------------------------------------------------------------------

function machine() {
  return {
    cpu: os.cpus()[0]?.model,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    kernel: os.release(),
    chromium: spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout?.trim() || null,
  };
}

function writeReport(finished) {
  const report = {
    date: new Date().toISOString(),
    finished,
    loadAverage: os.loadavg(),
    machine: machine(),
    config,
    checklists: CHECKLISTS,
    results,
    checks,
  };
  mkdirSync(join(BENCH, 'results'), { recursive: true });
  const file = join(BENCH, 'results', `cards-${report.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log('');
  console.log(renderChecks(checks));
  for (const line of results.notes) console.log(`note: ${line}`);
  console.log(`report: ${file}`);
}

async function step(name, run) {
  if (!wants(name)) return;
  log(`${name}…`);
  const t0 = monotonicMs();
  try {
    results[name] = await run();
  } catch (error) {
    log(`${name} failed: ${error.stack}`);
    results[name] = { error: error.message };
    note(`${name} failed: ${error.message.split('\n')[0]}`);
  }
  log(`${name} done in ${Math.round((monotonicMs() - t0) / 1000)} s`);
}

async function main() {
  log(`${config.cards} cards${quick ? ' (quick)' : ''}; phases ${config.phases.join(',')}`);
  const boardPhases = ['snapshot', 'frames', 'chromium', 'fanout', 'writes', 'history'];
  if (boardPhases.some(wants)) {
    const store = freshStore('sqlite', { tag: 'cards' });
    cleanups.push(() => store.dispose());
    const t0 = monotonicMs();
    const db = await openStore(store.databaseUrl);
    await db.migrate();
    await seedDemoBoard(storeWriter(db));
    const users = await benchUsers(db);
    const words = vocabulary();
    const plan = {
      board: boardPlan({
        prefix: 'bigcards',
        cards: config.cards,
        users,
        checklistShare: CHECKLIST_SHARE,
        seed: 1,
        words,
      }),
    };
    plan.oneList = boardPlan({
      prefix: 'onelist',
      cards: config.cards,
      lists: 1,
      users,
      checklistShare: CHECKLIST_SHARE,
      seed: 2,
      words,
    });
    await seedBoard(db, BIG, plan.board, 'Five thousand cards');
    await seedBoard(db, ONE_LIST, plan.oneList, 'Five thousand cards in one list');
    await db.close();
    results.seed = {
      how: "in process, through the store's write path (store.executeBatch, operator) — the rows and events the API makes",
      seconds: Math.round((monotonicMs() - t0) / 1000),
      board: {
        cards: config.cards,
        lists: 8,
        labels: 12,
        archived: plan.board.archived.length,
        withDue: plan.board.withDue.length,
        comments: plan.board.comments,
        members: users.length,
      },
      oneList: { cards: config.cards, lists: 1, archived: plan.oneList.archived.length },
      checklists: CHECKLISTS
        ? { board: plan.board.checklists, oneList: plan.oneList.checklists, itemsEach: '2–8' }
        : 'not yet in the model',
    };
    log(`seeded in ${results.seed.seconds} s`);
    const server = serverFor(store, 'cards', await freePort(), { LIVEBOARD_SEED: '0' });
    await server.start();
    const boards = { board: BIG, oneList: ONE_LIST };
    await step('snapshot', () => snapshotPhase(server, boards));
    await step('frames', () => framesPhase(server, plan.board));
    await step('chromium', () => chromiumPhase(server, plan, boards));
    if (wants('fanout') || wants('writes')) {
      const clients = new LoadClients(config.clients, 40);
      cleanups.push(() => clients.kill());
      await clients.configure(boardTarget(server, DEMO, 'list-todo'));
      await phase.warmUp(boardTarget(server, DEMO, 'list-todo'), clients, createAgent(1));
      await step('fanout', () => fanoutPhase(server, clients, plan.board));
      await step('writes', () => writesPhase(server, clients, plan.board));
      await clients.exit();
    }
    await server.stop();
    if (wants('history')) {
      const db2 = await openStore(store.databaseUrl);
      await step('history', () => historyPhase(server, db2, plan.board));
      await server.stop();
    }
    servers.delete(server);
  }
  await step('search', searchPhase);
  await step('migration', migrationPhase);
}

async function cleanup() {
  killAll();
  for (const server of servers) server.kill();
  for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => {});
}

const watchdog = setTimeout(async () => {
  note(`stopped by the ${config.timeoutSeconds} s time limit; figures are partial`);
  await cleanup();
  writeReport(false);
  process.exit(2);
}, config.timeoutSeconds * 1000);

main().then(
  async () => {
    clearTimeout(watchdog);
    await cleanup();
    writeReport(true);
    process.exit(0);
  },
  async (error) => {
    console.error(error);
    await cleanup();
    writeReport(false);
    process.exit(1);
  },
);
