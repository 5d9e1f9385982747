// The `multiboard` phase (issue 14): what one stream for several boards (`GET /events?boards=…`)
// costs the server, against the same clients each holding one stream per board
// (`GET /boards/:id/events`). Same boards, same followers, same writes; each mode on a fresh
// server process. Every load loop is bounded in count and time.
import { request } from 'node:http';
import { boardMaker } from './accounts.js';
import { monotonicMs } from './clock.js';
import { multiBoardPath } from './board-frame.js';
import { send } from './http.js';
import { medianBy, round, summarize } from './stats.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const MODES = ['multi', 'single'];

/**
 * Which boards each client follows: `perClient` distinct boards out of `boards`, every board
 * followed by as many clients as any other when `clients` is a multiple of `boards`. Client i
 * follows board a = i mod B, then a + o_k (mod B) for offsets o_k that change with ⌊i / B⌋:
 * within each run of B clients every offset maps the boards one to one, so each board is the
 * k-th board of exactly one client of the run, and the sets of boards differ from run to run.
 */
export function boardLayout(clients, boards, perClient) {
  if (perClient < 1 || perClient > boards) throw new Error(`${perClient} boards per client out of ${boards}`);
  const width = perClient === 1 ? 0 : Math.floor((boards - 1) / (perClient - 1));
  return Array.from({ length: clients }, (_, i) => {
    const a = i % boards;
    const turn = width ? Math.floor(i / boards) % width : 0;
    return Array.from({ length: perClient }, (_, k) =>
      k === 0 ? a : (a + 1 + (k - 1) * width + turn) % boards,
    );
  });
}

/** How many clients follow each board. */
export function followers(layout, boards) {
  const counts = new Array(boards).fill(0);
  for (const set of layout) for (const board of set) counts[board]++;
  return counts;
}

/**
 * The streams of a mode: `multi`, one stream per client naming its boards and their positions;
 * `single`, one stream per board per client, each resumed from the board's position.
 */
export function streamSpecs(layout, boardIds, positions, mode) {
  const specs = [];
  layout.forEach((set, client) => {
    const ids = set.map((b) => boardIds[b]);
    const from = set.map((b) => positions[b]);
    if (mode === 'multi')
      specs.push({ client, path: multiBoardPath(ids, from), boards: ids, from, multi: true });
    else
      ids.forEach((id, k) =>
        specs.push({ client, path: `/boards/${id}/events`, boards: [id], from: [from[k]] }),
      );
  });
  return specs;
}

function postJson(url, agent, body, headers = {}) {
  return send(url, {
    method: 'POST',
    agent,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/**
 * `count` boards made through the REST API, each with one list: [{id, listId, seq}]. Made by a bench
 * user and open to everyone (see boardMaker): the streams and writes stay anonymous.
 */
export async function createBoards(target, agent, count) {
  const maker = await boardMaker(target.url, { agent });
  const boards = [];
  for (let i = 0; i < count; i++) {
    const board = await postJson(
      `${target.url}/boards`,
      agent,
      { title: `bench board ${i + 1}`, ...maker.fields },
      maker.headers,
    );
    if (board.status !== 201)
      throw new Error(`POST /boards answered ${board.status}: ${board.body.slice(0, 200)}`);
    const { id } = JSON.parse(board.body);
    const list = await postJson(`${target.url}/boards/${id}/lists`, agent, { title: 'To do' });
    if (list.status !== 201) throw new Error(`POST /boards/${id}/lists answered ${list.status}`);
    boards.push({ id, listId: JSON.parse(list.body).id, seq: Number(list.headers['board-seq']) });
  }
  return boards;
}

/**
 * Whether the server has `GET /events?boards=…`: 200 `text/event-stream` for a board it has.
 * (A build without the route answers 404, or the web app's page.)
 */
export function probeMultiBoard(target, boardId, timeoutMs = 5000) {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      req.destroy();
      done({ ok: false, reason: `no answer in ${timeoutMs} ms` });
    }, timeoutMs);
    const req = request(`${target.url}${multiBoardPath([boardId], [0])}`, (res) => {
      const type = String(res.headers['content-type'] ?? '');
      const ok = res.statusCode === 200 && type.startsWith('text/event-stream');
      res.destroy();
      req.destroy();
      done({ ok, reason: ok ? null : `GET /events?boards=… answered ${res.statusCode} ${type}`.trim() });
    });
    req.on('error', (error) => done({ ok: false, reason: error.message }));
    req.end();
  });
}

/** One write per board in turn, each waiting for its answer: the boards' seqs after it. */
async function writeSpread(target, agent, boards, events, positions) {
  const publishMs = [];
  let failures = 0;
  for (let i = 0; i < events; i++) {
    const board = boards[i % boards.length];
    const res = await postJson(`${target.url}/boards/${board.id}/tasks`, agent, {
      listId: board.listId,
      title: `bench@${monotonicMs().toFixed(3)}`,
    });
    if (res.status === 201) {
      positions[i % boards.length] = Number(res.headers['board-seq']);
      publishMs.push(res.ms);
    } else failures++;
  }
  return { publishMs, failures };
}

function seqsOf(boards, positions) {
  return Object.fromEntries(boards.map((board, b) => [board.id, positions[b]]));
}

/**
 * One mode on one fresh server: boards, warm-up, the writes alone (no stream), memory per
 * client, then `rounds` bursts of `events` writes spread over the boards.
 * `open()` starts a server and its load clients and resolves {target, clients, agent, close}, or
 * rejects having stopped whatever it started; `close()` stops that server and those clients.
 */
export async function runMode(mode, { open, log = () => {} }, options) {
  const { clients: clientCount, boards: boardCount, perClient, events, rounds, settleMs = 2000 } = options;
  const { target, clients, agent, close } = await open();
  try {
    const boards = await createBoards(target, agent, boardCount);
    const ids = boards.map((board) => board.id);
    const positions = boards.map((board) => board.seq);
    const layout = boardLayout(clientCount, boardCount, perClient);
    const perBoard = followers(layout, boardCount);

    if (mode === 'multi') {
      const probe = await probeMultiBoard(target, ids[0]);
      if (!probe.ok) return { mode, skipped: probe.reason };
    }

    // Warm-up: the code paths of this mode, then nothing open.
    const warm = streamSpecs(layout.slice(0, Math.min(100, clientCount)), ids, positions, mode);
    await clients.openSpecs(warm);
    await writeSpread(target, agent, boards, boardCount, positions);
    await clients.wait({ seqs: seqsOf(boards, positions), timeoutMs: 10_000 });
    await clients.closeTo(0);
    await sleep(1000);

    // The same writes with no stream at all: the write path's own CPU, to set apart from fan-out.
    const cpu0 = target.cpuSeconds();
    const alone = await writeSpread(target, agent, boards, events, positions);
    const writeOnlyCpu = target.cpuSeconds() - cpu0;
    await sleep(500);

    // Memory: RSS before and after every client has connected and sits idle.
    const rssBeforeKb = target.rssKb();
    const specs = streamSpecs(layout, ids, positions, mode);
    log(`${target.name}: multiboard ${mode}: opening ${specs.length} streams for ${clientCount} clients`);
    const opened = await clients.openSpecs(specs);
    await sleep(settleMs);
    const rssAfterKb = target.rssKb();
    const idle = await clients.stats();
    const memory = {
      connections: specs.length,
      opened: opened.opened,
      failed: opened.failed,
      connected: idle.connected,
      connectSeconds: round(opened.ms / 1000),
      rssBeforeMb: round(rssBeforeKb / 1024, 1),
      rssAfterMb: round(rssAfterKb / 1024, 1),
      kbPerClient: round((rssAfterKb - rssBeforeKb) / clientCount, 2),
      kbPerConnection: round((rssAfterKb - rssBeforeKb) / specs.length, 2),
      controls: idle.controls,
      errors: idle.errors,
    };

    const bursts = [];
    for (let r = 0; r < rounds; r++) {
      await clients.reset(false);
      const expected = perBoard.reduce(
        (sum, count, b) =>
          sum + count * (Math.floor(events / boardCount) + (b < events % boardCount ? 1 : 0)),
        0,
      );
      const serverCpu0 = target.cpuSeconds();
      const clientCpu0 = clients.cpuSeconds();
      const startedAt = monotonicMs();
      const written = await writeSpread(target, agent, boards, events, positions);
      const seen = await clients.wait({ seqs: seqsOf(boards, positions), timeoutMs: 60_000 });
      const serverCpu = target.cpuSeconds() - serverCpu0;
      const endAt = seen.timedOut ? monotonicMs() : Math.max(seen.lastAt, startedAt);
      const complete =
        !seen.timedOut &&
        written.failures === 0 &&
        seen.done === specs.length &&
        seen.events === expected &&
        seen.gaps === 0 &&
        seen.dups === 0 &&
        seen.controls === 0 &&
        seen.unexpectedCloses === 0;
      bursts.push({
        events,
        failures: written.failures,
        expected,
        delivered: seen.events,
        complete,
        streamsDone: seen.done,
        gaps: seen.gaps,
        dups: seen.dups,
        controls: seen.controls,
        unexpectedCloses: seen.unexpectedCloses,
        seconds: round((endAt - startedAt) / 1000, 3),
        publishMs: summarize(written.publishMs),
        // Socket reads at the clients per delivery: 1 when every event reached its stream in a write
        // of its own, less when the server folded several into one write.
        readsPerDelivery: seen.events ? round(seen.reads / seen.events, 3) : null,
        bytesPerDelivery: seen.events ? Math.round(seen.bytes / seen.events) : null,
        serverCpuSeconds: round(serverCpu),
        clientCpuSeconds: round(clients.cpuSeconds() - clientCpu0),
        serverCpuUsPerDelivery: seen.events ? round((serverCpu * 1e6) / seen.events, 3) : null,
        // The burst's CPU less what the same writes cost with no stream open: the fan-out's share.
        fanOutCpuUsPerDelivery: seen.events
          ? round(
              ((serverCpu - writeOnlyCpu * (events / Math.max(1, alone.publishMs.length))) * 1e6) /
                seen.events,
              3,
            )
          : null,
        errors: seen.errors,
        stuck: seen.stuck,
      });
      log(
        `${target.name}: multiboard ${mode} round ${r + 1}: ${seen.events}/${expected} deliveries, ` +
          `${round(serverCpu)} s server CPU${seen.timedOut ? ', TIMED OUT' : ''}`,
      );
      await sleep(500);
    }
    const median = medianBy(bursts, (burst) => burst.serverCpuUsPerDelivery ?? Infinity);
    return {
      mode,
      route: mode === 'multi' ? 'GET /events?boards=a:SEQ,b:SEQ,…' : 'GET /boards/:id/events',
      clients: clientCount,
      boards: boardCount,
      perClient,
      followersPerBoard: { min: Math.min(...perBoard), max: Math.max(...perBoard) },
      memory,
      writeOnly: {
        writes: alone.publishMs.length,
        serverCpuSeconds: round(writeOnlyCpu),
        cpuUsPerWrite: alone.publishMs.length
          ? round((writeOnlyCpu * 1e6) / alone.publishMs.length, 1)
          : null,
      },
      burst: { ...median, rounds: bursts.map((b) => b.serverCpuUsPerDelivery) },
      bursts,
      complete: bursts.length > 0 && bursts.every((b) => b.complete) && memory.failed === 0,
    };
  } finally {
    await close();
  }
}

const ratioOf = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? round(a / b, 3) : null);

/** Both modes and their ratios (multi / single: below 1 is cheaper). */
export function compareModes(multi, single) {
  return {
    multi,
    single,
    ratios: {
      memoryPerClient: ratioOf(multi?.memory?.kbPerClient, single?.memory?.kbPerClient),
      cpuPerDelivery: ratioOf(multi?.burst?.serverCpuUsPerDelivery, single?.burst?.serverCpuUsPerDelivery),
      fanOutCpuPerDelivery: ratioOf(
        multi?.burst?.fanOutCpuUsPerDelivery,
        single?.burst?.fanOutCpuUsPerDelivery,
      ),
    },
  };
}

/**
 * Both modes, one after the other, each on a fresh server (`open` starts one); `options.order`
 * ('multi,single' by default) to see whether going first matters. A server without the route
 * (the probe fails) is skipped before its single-board streams are measured.
 */
export async function multiBoardPhase(lifecycle, options) {
  const order = String(options.order ?? 'multi,single').split(',');
  const first = order[0] === 'single' ? 'single' : 'multi';
  const results = {};
  if (first === 'single') {
    // Probe before spending the single-board run on a server that cannot do the other mode.
    const { target, agent, close } = await lifecycle.open();
    try {
      const [board] = await createBoards(target, agent, 1);
      const probe = await probeMultiBoard(target, board.id);
      if (!probe.ok) return { skipped: probe.reason };
    } finally {
      await close();
    }
  }
  for (const mode of first === 'single' ? ['single', 'multi'] : ['multi', 'single']) {
    results[mode] = await runMode(mode, lifecycle, options);
    if (results[mode].skipped) return { skipped: results[mode].skipped };
  }
  return {
    order: [first, first === 'single' ? 'multi' : 'single'],
    ...compareModes(results.multi, results.single),
  };
}
