// Run with `node --test bench/`. The load client against the node:http floor: what it counts is
// what was sent, with latencies, and it reconnects by itself and notices ids that do not follow.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { createAgent } from './lib/http.js';
import { LoadClients } from './lib/load-clients.js';
import { boardLayout, streamSpecs } from './lib/multiboard.js';
import { nodeFloorTarget } from './lib/targets.js';

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

describe('load client', () => {
  let target;
  let clients;
  const agent = createAgent(2);

  before(async () => {
    target = nodeFloorTarget(await freePort());
    await target.start();
    clients = new LoadClients(2, 40);
    await clients.configure(target);
  });

  after(async () => {
    agent.destroy();
    await clients.exit();
    await target.dispose();
  });

  it('counts every event on every stream, with publish-to-delivery latencies', async () => {
    const opened = await clients.openTo(30);
    assert.equal(opened.opened, 30);
    await clients.reset(true);
    for (let i = 0; i < 5; i++) await target.publish(agent, `bench@${Number(process.hrtime.bigint()) / 1e6}`);
    const seen = await clients.wait({ events: 5, timeoutMs: 5000 });
    assert.equal(seen.timedOut, false);
    assert.equal(seen.events, 150);
    assert.equal(seen.gaps, 0);
    assert.equal(seen.latencies.length, 150);
    assert.ok(seen.latencies.every((ms) => ms >= 0 && ms < 5000));
  });

  it('reconnects after retry: and counts ids that go backwards as duplicates', async () => {
    await clients.reset(false);
    await clients.reconnect(true);
    await target.kill();
    await target.start();
    // The floor keeps no history: wait until every stream is back (after its retry: of 3 s).
    const deadline = Date.now() + 10_000;
    while ((await clients.stats()).connected < 30 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // It numbers events from 1 again: each stream, at 5, sees one step back (5, then 1).
    for (let i = 0; i < 7; i++) await target.publish(agent, 'x');
    const seen = await clients.wait({ seq: 7, timeoutMs: 5000 });
    await clients.reconnect(false);
    assert.equal(seen.timedOut, false);
    assert.ok(seen.reconnects >= 30);
    assert.equal(seen.dups, 30);
    assert.equal(seen.gaps, 0);
  });
});

/**
 * A fake of Liveboard's streams, by docs/API.md: `GET /boards/:id/events` (ids are seqs) and
 * `GET /events?boards=a:SEQ,…` (`id: p1.p2.…`, `data: {"boardId":…,"type":…,"seq":N,…}`).
 * Its publish can skip a seq, or cut a frame in two writes, to see what the load client makes of it.
 */
function fakeBoards(ids) {
  const boards = new Map(ids.map((id) => [id, { seq: 0, sinks: new Set() }]));
  const server = createHttpServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const single = /^\/boards\/([^/]+)\/events$/.exec(url.pathname);
    let subscriptions;
    if (single) subscriptions = [[single[1], Number(req.headers['last-event-id'] ?? 0)]];
    else if (url.pathname === '/events')
      subscriptions = url.searchParams
        .get('boards')
        .split(',')
        .map((entry) => entry.split(':'))
        .map(([id, seq]) => [id, Number(seq ?? 0)]);
    if (!subscriptions || subscriptions.some(([id]) => !boards.has(id))) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.write('retry: 3000\n\n');
    const sink = {
      res,
      multi: !single,
      ids: subscriptions.map(([id]) => id),
      positions: subscriptions.map(([, seq]) => seq),
    };
    for (const id of sink.ids) boards.get(id).sinks.add(sink);
    res.on('close', () => {
      for (const id of sink.ids) boards.get(id).sinks.delete(sink);
    });
  });
  const write = (sink, text) => {
    const tail = sink.tail ?? '';
    sink.tail = '';
    if (tail || text) sink.res.write(tail + text);
  };
  const frameFor = (sink, id, message) => {
    if (!sink.multi) return `id: ${message.seq}\ndata: ${JSON.stringify(message)}\n\n`;
    const k = sink.ids.indexOf(id);
    if (message.seq !== undefined && message.type !== 'reset') sink.positions[k] = message.seq;
    return `id: ${sink.positions.join('.')}\ndata: ${JSON.stringify({ boardId: id, ...message })}\n\n`;
  };
  return {
    server,
    /** One event on board `id`; `skip` leaves a seq out, `split` cuts each frame in two writes. */
    publish(id, { skip = false, split = false } = {}) {
      const board = boards.get(id);
      board.seq += skip ? 2 : 1;
      const message = { type: 'task_created', seq: board.seq, at: 'now', task: { title: 'bench@0' } };
      for (const sink of board.sinks) {
        const frame = frameFor(sink, id, message);
        if (!split) write(sink, frame);
        else {
          // The second part goes later, alone, or just before whatever comes next on this stream.
          const cut = frame.indexOf('"seq":') + 3;
          write(sink, frame.slice(0, cut));
          sink.tail = frame.slice(cut);
          setTimeout(() => write(sink, ''), 5);
        }
      }
      return board.seq;
    },
    /** A control message to the streams for several boards only, as the server sends it. */
    control(id, message) {
      for (const sink of boards.get(id).sinks) if (sink.multi) write(sink, frameFor(sink, id, message));
    },
    seqs: () => Object.fromEntries([...boards].map(([id, board]) => [id, board.seq])),
    positions: () => ids.map((id) => boards.get(id).seq),
  };
}

describe('load client, streams for several boards (against a fake of the documented wire)', () => {
  const ids = [
    'board-aaaaaaaa',
    'board-bbbbbbbb',
    'board-cccccccc',
    'board-dddddddd',
    'board-eeeeeeee',
    'board-ffffffff',
  ];
  const layout = boardLayout(12, ids.length, 3); // each board: 6 followers
  let fake;
  let clients;
  let port;

  before(async () => {
    fake = fakeBoards(ids);
    port = await freePort();
    await new Promise((resolve) => fake.server.listen(port, '127.0.0.1', resolve));
    clients = new LoadClients(2, 41);
    await clients.configure({ port, eventsPath: '/unused', numericIds: true });
  });

  after(async () => {
    await clients.exit();
    fake.server.closeAllConnections();
    await new Promise((resolve) => fake.server.close(resolve));
  });

  async function run(mode, publish) {
    await clients.closeTo(0);
    const specs = streamSpecs(layout, ids, fake.positions(), mode);
    const opened = await clients.openSpecs(specs);
    assert.equal(opened.opened, specs.length);
    await clients.reset(false);
    publish();
    return clients.wait({ seqs: fake.seqs(), timeoutMs: 5000 });
  }

  it('counts each board event once per follower, with per-board seqs, frames cut anywhere', async () => {
    for (const mode of ['multi', 'single']) {
      const seen = await run(mode, () => {
        for (let i = 0; i < 30; i++) fake.publish(ids[i % ids.length], { split: i % 4 === 0 });
      });
      assert.equal(
        seen.timedOut,
        false,
        `${mode} ${JSON.stringify(seen.stuck)} ${seen.events} ${seen.errors}`,
      );
      assert.equal(seen.done, mode === 'multi' ? 12 : 36, mode);
      assert.equal(seen.events, 30 * 6, mode); // 5 events per board × 6 followers each
      assert.deepEqual([seen.gaps, seen.dups, seen.controls], [0, 0, 0], mode);
    }
  });

  it('counts a skipped seq of one board as a gap at each of its followers, and a reset as no delivery', async () => {
    const seen = await run('multi', () => {
      fake.publish(ids[0]);
      fake.publish(ids[0], { skip: true });
      fake.publish(ids[1]);
      // Then an event of that board: the wait for it sees the reset before it.
      fake.control(ids[2], { type: 'reset', seq: fake.seqs()[ids[2]] });
      fake.publish(ids[2]);
    });
    assert.equal(seen.timedOut, false);
    assert.equal(seen.events, 4 * 6);
    assert.equal(seen.gaps, 6);
    assert.equal(seen.dups, 0);
    assert.equal(seen.controls, 6);
  });

  it('waits for every board of a stream, not just the one that moved', async () => {
    const seen = await run('multi', () => fake.publish(ids[0]));
    const later = await clients.wait({
      seqs: { ...fake.seqs(), [ids[1]]: fake.seqs()[ids[1]] + 1 },
      timeoutMs: 300,
    });
    assert.equal(seen.timedOut, false);
    assert.equal(later.timedOut, true);
    assert.equal(later.done, 12 - 6); // the 6 followers of board b wait for an event that never comes
  });
});
