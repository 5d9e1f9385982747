/**
 * Tabs of one browser sharing one connection, in Node: each "tab" is a LiveboardClient whose
 * sharing environment is a tab of test/support/fake-browser.ts (Node's BroadcastChannel, Web Locks
 * in memory), against the real server (dist/main.js) and the `eventsource` package. What a
 * browser adds (real tabs, real Web Locks, six connections per host) is proved in Chromium by
 * src/web/e2e/tabs.test.ts.
 */
import { EventSource } from 'eventsource';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyEvents, isBoardEvent, type Board, type StreamMessage } from '../../domain/index.js';
import { fakeBrowser, type FakeBrowser, type FakeTab } from '../../../test/support/fake-browser.js';
import { testUser } from '../../../test/support/http.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { LiveboardApiError, LiveboardClient, type ConnectionStatus, type Transport } from '../index.js';

/** Short, so that takeovers take a fraction of a second here (the defaults are 500 / 2000 / 500 ms). */
const TIMING = { heartbeatMs: 100, silenceMs: 400, probeMs: 100 };

let server: TestServer;
let api: LiveboardClient;
const tabs: Tab[] = [];

beforeAll(async () => {
  server = await startServer({ env: { LIVEBOARD_RETRY_MS: '100' } });
  // The boards are made by a user, open to anyone (`public_edit`): the tabs are anonymous, like a browser signed out.
  api = new LiveboardClient({ baseUrl: server.url, token: (await testUser(server.url)).token });
});
afterAll(async () => {
  await server?.dispose();
});
afterEach(async () => {
  for (const tab of tabs.splice(0)) tab.close();
  // Let every connection of the test end before the next counts them.
  await until(async () => (await openStreams()) === 0 && (await waitingPolls()) === 0);
});

interface Follower {
  boardId: string;
  snapshot: Board;
  seen: StreamMessage[];
  statuses: ConnectionStatus[];
  failure: unknown;
  done: Promise<void>;
}

interface Tab {
  tab: FakeTab;
  client: LiveboardClient;
  followers: Follower[];
  follow(
    boardId: string,
    options?: { transport?: Transport; share?: boolean; from?: Board },
  ): Promise<Follower>;
  close(): void;
}

function openTab(browser: FakeBrowser, options: { webLocks?: boolean } = {}): Tab {
  const { tab, sharing } = browser.tab(options);
  const client = new LiveboardClient({
    baseUrl: server.url,
    EventSource,
    backoff: { initialMs: 50, maxMs: 400 },
    sharing,
  });
  const abort = new AbortController();
  const opened: Tab = {
    tab,
    client,
    followers: [],
    async follow(boardId, { transport = 'auto', share, from } = {}) {
      const snapshot = from ?? (await client.getBoard(boardId));
      const follower: Follower = {
        boardId,
        snapshot,
        seen: [],
        statuses: [],
        failure: undefined,
        done: Promise.resolve(),
      };
      const iterator = client.subscribe(boardId, {
        from: snapshot.seq,
        transport,
        signal: abort.signal,
        pollTimeoutSeconds: 2,
        onStatus: (status) => follower.statuses.push(status),
        ...(share === undefined ? {} : { share }),
      });
      follower.done = (async () => {
        try {
          for await (const message of iterator) follower.seen.push(message);
        } catch (error) {
          follower.failure = error;
        }
      })();
      opened.followers.push(follower);
      return follower;
    },
    close() {
      abort.abort();
      client.close();
    },
  };
  tabs.push(opened);
  return opened;
}

/** What a browser does for a tab whose process died: nothing of it runs again, its locks are released. */
function crash(browser: FakeBrowser, tab: Tab): void {
  tab.tab.crashed = true;
  browser.locks.releaseAllOf(tab.tab);
  tab.close();
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
}
const openStreams = () => metric('liveboard_open_streams');
const waitingPolls = () => metric('liveboard_waiting_polls');

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<number> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - start;
}
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function newBoard(title: string): Promise<{ boardId: string; listId: string }> {
  const { data: board } = await api.createBoard({ title, visibility: 'public_edit' });
  const { data: list } = await api.createList(board.id, { title: 'To do' });
  return { boardId: board.id, listId: list.id };
}

/**
 * Every follower has exactly the events of its board after its snapshot, once each and in order:
 * folded onto its snapshot they make the board as the server holds it now (an event of another
 * board would not fold in, and would repeat or skip a seq).
 */
async function expectExactlyTheirBoards(followers: Follower[]): Promise<void> {
  const finals = new Map<string, Board>();
  for (const { boardId } of followers) finals.set(boardId, await api.getBoard(boardId));
  for (const follower of followers)
    await until(() => follower.seen.at(-1)?.seq === finals.get(follower.boardId)!.seq || !!follower.failure);
  await settle(300); // anything repeated or foreign would arrive now
  for (const follower of followers) {
    const final = finals.get(follower.boardId)!;
    expect(follower.failure).toBeUndefined();
    expect(follower.seen.map((message) => message.seq)).toEqual(range(follower.snapshot.seq + 1, final.seq));
    const events = follower.seen.filter(isBoardEvent);
    expect(events).toHaveLength(follower.seen.length);
    expect(applyEvents(follower.snapshot, events)).toEqual(final);
  }
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** A write every `everyMs` in the background, on each board in turn, until stopped. */
function keepWriting(boards: { boardId: string; listId: string }[], everyMs = 40) {
  let stopped = false;
  let count = 0;
  const running = (async () => {
    while (!stopped) {
      const { boardId, listId } = boards[count % boards.length]!;
      count += 1;
      await api.createTask(boardId, { listId, title: `write ${count}` }).catch(() => undefined);
      await settle(everyMs);
    }
  })();
  return {
    async stop(): Promise<void> {
      stopped = true;
      await running;
    },
  };
}

describe.each(['sse', 'poll'] as const)('tabs sharing one connection over %s', (transport) => {
  const connections = transport === 'sse' ? openStreams : waitingPolls;

  it('six tabs over three boards hold one connection, and each gets every change of its board once, in order, and nothing of another', async () => {
    const browser = fakeBrowser(TIMING);
    const boards = [await newBoard('A'), await newBoard('B'), await newBoard('C')];
    const open = Array.from({ length: 6 }, () => openTab(browser));
    const followers: Follower[] = [];
    for (const [index, tab] of open.entries())
      followers.push(await tab.follow(boards[index % 3]!.boardId, { transport }));
    // One tab follows a second board too.
    followers.push(await open[0]!.follow(boards[1]!.boardId, { transport }));
    await until(() => followers.every((follower) => follower.statuses.at(-1) === 'live'));

    for (let i = 0; i < 5; i++)
      for (const { boardId, listId } of boards) await api.createTask(boardId, { listId, title: `task ${i}` });
    await expectExactlyTheirBoards(followers);

    expect(await connections()).toBe(1);
    if (transport === 'sse') expect(await metric('liveboard_open_multi_board_streams')).toBe(1);
    else expect(await openStreams()).toBe(0);
    expect(followers.every((follower) => follower.statuses[0] === 'connecting')).toBe(true);
  });

  it('the holder closes, then the server is SIGKILLed and restarted, with writes all along: every other tab ends with every event once', async () => {
    const browser = fakeBrowser(TIMING);
    const boards = [await newBoard('A'), await newBoard('B'), await newBoard('C')];
    const open = Array.from({ length: 6 }, () => openTab(browser));
    const followers = new Map<Tab, Follower>();
    for (const [index, tab] of open.entries())
      followers.set(tab, await tab.follow(boards[index % 3]!.boardId, { transport }));
    await until(() => [...followers.values()].every((follower) => follower.statuses.at(-1) === 'live'));
    const writer = keepWriting(boards);

    // The first tab holds (it asked first): it closes.
    expect(browser.locks.holder(`liveboard|${server.url}|${transport}`)).toBe(open[0]!.tab);
    await settle(150);
    open[0]!.close();
    followers.delete(open[0]!);
    const took = await until(
      () => browser.locks.holder(`liveboard|${server.url}|${transport}`) === open[1]!.tab,
    );
    expect(took).toBeLessThan(200);

    await settle(300);
    await server.kill();
    await until(() =>
      [...followers.values()].every((f) => ['reconnecting', 'offline'].includes(f.statuses.at(-1)!)),
    );
    await settle(300);
    await server.restart();
    await until(() => [...followers.values()].every((follower) => follower.statuses.at(-1) === 'live'));
    await settle(300);
    await writer.stop();

    await expectExactlyTheirBoards([...followers.values()]);
    await until(async () => (await connections()) === 1);
  }, 60_000);

  it('a crashed holder is replaced at once, and a frozen one after its silence; the frozen one steps down when it thaws, repeating nothing', async () => {
    const browser = fakeBrowser(TIMING);
    const boards = [await newBoard('A'), await newBoard('B')];
    const open = Array.from({ length: 4 }, () => openTab(browser));
    const followers = new Map<Tab, Follower>();
    for (const [index, tab] of open.entries())
      followers.set(tab, await tab.follow(boards[index % 2]!.boardId, { transport }));
    await until(() => [...followers.values()].every((follower) => follower.statuses.at(-1) === 'live'));
    const writer = keepWriting(boards);
    const lock = `liveboard|${server.url}|${transport}`;

    crash(browser, open[0]!);
    followers.delete(open[0]!);
    await until(() => browser.locks.holder(lock) === open[1]!.tab, 200);

    await settle(300);
    const frozenAt = Date.now();
    open[1]!.tab.freeze();
    const others = [open[2]!, open[3]!];
    await until(() => others.some((tab) => browser.locks.holder(lock) === tab.tab));
    const takeover = Date.now() - frozenAt;
    expect(takeover).toBeGreaterThanOrEqual(TIMING.silenceMs);
    expect(takeover).toBeLessThan(TIMING.silenceMs + 4 * TIMING.probeMs + 500);
    await settle(500);
    open[1]!.tab.thaw();
    await settle(500);
    await writer.stop();

    await expectExactlyTheirBoards([...followers.values()]);
    // The thawed tab's old connection is closed: one again.
    await until(async () => (await connections()) === 1);
  }, 60_000);
});

describe('tabs sharing one connection', () => {
  it('elect their holder by a lease over BroadcastChannel where Web Locks are missing, and hand over when it closes', async () => {
    const browser = fakeBrowser(TIMING);
    const boards = [await newBoard('A'), await newBoard('B')];
    const open = Array.from({ length: 4 }, () => openTab(browser, { webLocks: false }));
    const followers = new Map<Tab, Follower>();
    for (const [index, tab] of open.entries())
      followers.set(tab, await tab.follow(boards[index % 2]!.boardId));
    await until(() => [...followers.values()].every((follower) => follower.statuses.at(-1) === 'live'));
    expect(await openStreams()).toBe(1);
    const writer = keepWriting(boards);
    await settle(200);
    const holder = open.find((tab) => tab.client.tabHub('auto')!.isHolder)!;
    holder.close();
    followers.delete(holder);
    await until(() => open.some((tab) => tab !== holder && tab.client.tabHub('auto')!.isHolder), 2000);
    await settle(500);
    await writer.stop();
    await expectExactlyTheirBoards([...followers.values()]);
    await until(async () => (await openStreams()) === 1);
  }, 30_000);

  it('a board deleted ends the subscriptions of that board only; a board that does not exist is a 404, as on its own stream', async () => {
    const browser = fakeBrowser(TIMING);
    const [doomed, kept] = [await newBoard('Doomed'), await newBoard('Kept')];
    const [a, b] = [openTab(browser), openTab(browser)];
    const onDoomed = [await a.follow(doomed.boardId), await b.follow(doomed.boardId)];
    const onKept = await b.follow(kept.boardId);
    await until(() => [...onDoomed, onKept].every((follower) => follower.statuses.at(-1) === 'live'));
    await api.createTask(doomed.boardId, { listId: doomed.listId, title: 'last' });
    await api.deleteBoard(doomed.boardId);
    await Promise.all(onDoomed.map((follower) => follower.done));
    for (const follower of onDoomed) {
      expect(follower.failure).toBeUndefined();
      expect(follower.seen.map((message) => message.type)).toEqual(['task_created', 'board_deleted']);
    }
    await api.createTask(kept.boardId, { listId: kept.listId, title: 'still here' });
    await expectExactlyTheirBoards([onKept]);

    const iterator = a.client.subscribe('board-missing', { from: 0 });
    const error = await iterator.next().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LiveboardApiError);
    expect(error).toMatchObject({ status: 404, code: 'board_not_found' });
    // The board that is still there kept flowing on the shared connection meanwhile.
    await api.createTask(kept.boardId, { listId: kept.listId, title: 'and still' });
    await expectExactlyTheirBoards([onKept]);
  });

  it('a second subscription of a board in one tab, from further back, gets what it missed at once, without waiting for a new event', async () => {
    const browser = fakeBrowser(TIMING);
    const board = await newBoard('Twice');
    const [holder, other] = [openTab(browser), openTab(browser)];
    const before = await api.getBoard(board.boardId);
    for (const tab of [holder, other]) {
      const first = await tab.follow(board.boardId);
      await until(() => first.statuses.at(-1) === 'live');
    }
    for (let i = 0; i < 3; i++)
      await api.createTask(board.boardId, { listId: board.listId, title: `task ${i}` });
    await expectExactlyTheirBoards([...holder.followers, ...other.followers]);
    const late = [
      await holder.follow(board.boardId, { from: before }),
      await other.follow(board.boardId, { from: before }),
    ];
    await expectExactlyTheirBoards(late);
  });

  it('`share: false` keeps a connection of its own, beside the shared one', async () => {
    const browser = fakeBrowser(TIMING);
    const board = await newBoard('Own');
    const tab = openTab(browser);
    const shared = await tab.follow(board.boardId);
    const own = await tab.follow(board.boardId, { share: false });
    await until(() => [shared, own].every((follower) => follower.statuses.at(-1) === 'live'));
    expect(await openStreams()).toBe(2);
    expect(await metric('liveboard_open_multi_board_streams')).toBe(1);
    await api.createTask(board.boardId, { listId: board.listId, title: 'both see it' });
    await expectExactlyTheirBoards([shared, own]);
  });
});
