// Run with `node --test bench/`: who follows which board in the multiboard phase, and its streams.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boardLayout, compareModes, followers, streamSpecs } from './multiboard.js';

describe('boardLayout', () => {
  it('gives every client 3 distinct boards and every board the same number of followers', () => {
    for (const [clients, boards] of [
      [3000, 30],
      [300, 30],
      [90, 10],
    ]) {
      const layout = boardLayout(clients, boards, 3);
      assert.equal(layout.length, clients);
      for (const set of layout) {
        assert.equal(new Set(set).size, 3);
        assert.ok(set.every((b) => Number.isInteger(b) && b >= 0 && b < boards));
      }
      assert.deepEqual(followers(layout, boards), new Array(boards).fill((clients * 3) / boards));
    }
  });

  it('varies the sets of boards, rather than repeating a few', () => {
    const sets = new Set(boardLayout(3000, 30, 3).map((set) => [...set].sort((a, b) => a - b).join(',')));
    assert.ok(sets.size > 300, `${sets.size} distinct sets`);
  });

  it('works for 1 board per client and for every board per client', () => {
    assert.deepEqual(followers(boardLayout(20, 10, 1), 10), new Array(10).fill(2));
    const all = boardLayout(8, 4, 4);
    for (const set of all) assert.deepEqual([...set].sort(), [0, 1, 2, 3]);
    assert.throws(() => boardLayout(10, 2, 3));
  });
});

describe('streamSpecs', () => {
  const layout = [
    [0, 1, 2],
    [1, 2, 0],
  ];
  const ids = ['board-a', 'board-b', 'board-c'];
  const positions = [4, 7, 1];

  it('multi: one stream per client, its boards at their positions in the path', () => {
    assert.deepEqual(streamSpecs(layout, ids, positions, 'multi'), [
      {
        client: 0,
        path: '/events?boards=board-a:4,board-b:7,board-c:1',
        boards: ids,
        from: [4, 7, 1],
        multi: true,
      },
      {
        client: 1,
        path: '/events?boards=board-b:7,board-c:1,board-a:4',
        boards: ['board-b', 'board-c', 'board-a'],
        from: [7, 1, 4],
        multi: true,
      },
    ]);
  });

  it('single: one stream per board per client, each resumed from its board position', () => {
    const specs = streamSpecs(layout, ids, positions, 'single');
    assert.equal(specs.length, 6);
    assert.deepEqual(specs[0], { client: 0, path: '/boards/board-a/events', boards: ['board-a'], from: [4] });
    assert.deepEqual(specs[3], { client: 1, path: '/boards/board-b/events', boards: ['board-b'], from: [7] });
  });
});

describe('compareModes', () => {
  it('gives multi / single for memory per client and CPU per delivery', () => {
    const mode = (kb, us) => ({ memory: { kbPerClient: kb }, burst: { serverCpuUsPerDelivery: us } });
    const { ratios } = compareModes(mode(5, 2), mode(10, 4));
    assert.equal(ratios.memoryPerClient, 0.5);
    assert.equal(ratios.cpuPerDelivery, 0.5);
    assert.equal(compareModes(mode(5, 2), mode(0, null)).ratios.cpuPerDelivery, null);
  });
});

describe('multiBoardPhase on a server without GET /events?boards=', () => {
  it('is skipped with the reason, in either order, and stops every server it started', async () => {
    const { createServer } = await import('node:http');
    const { multiBoardPhase } = await import('./multiboard.js');
    // Boards and lists as the REST API makes them; no route for several boards.
    const server = createServer((req, res) => {
      if (req.method === 'POST' && req.url === '/boards') {
        res.writeHead(201, { 'Board-Seq': '0' }).end('{"id":"board-aaaaaaaa"}');
      } else if (req.method === 'POST' && req.url.endsWith('/lists')) {
        res.writeHead(201, { 'Board-Seq': '1' }).end('{"id":"list-aaaaaaaa"}');
      } else res.writeHead(404, { 'Content-Type': 'application/json' }).end('{}');
      req.resume();
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${server.address().port}`;
    let open = 0;
    const lifecycle = {
      async open() {
        open++;
        return { target: { url, name: 'fake' }, clients: null, agent: undefined, close: async () => open-- };
      },
    };
    try {
      for (const order of ['multi,single', 'single,multi']) {
        const result = await multiBoardPhase(lifecycle, {
          clients: 30,
          boards: 3,
          perClient: 3,
          events: 3,
          rounds: 1,
          order,
        });
        assert.match(result.skipped, /404/);
        assert.equal(open, 0, order);
      }
    } finally {
      server.close();
    }
  });
});
