// The write benchmark's pure parts: request bytes, response framing, how writers and boards are
// shared, the merged figures, the table, the checks and the chart. Run with `node --test bench/`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuBetween } from './cpu.js';
import { taskCreation, windowRecorder } from './floor-rows.js';
import { createTaskRequest, parseHead, ResponseReader } from './http1.js';
import { boardsOfWriter, dealWriters, points, rotation, writeConfig } from './plan.js';
import {
  chartSeries,
  checkWrites,
  medianRound,
  mergeRuns,
  niceCeiling,
  renderChecks,
  renderMarkdownTable,
  renderStoreTable,
  renderSvg,
} from './report.js';

describe('createTaskRequest', () => {
  it('is one keep-alive POST with an exact Content-Length', () => {
    const bytes = createTaskRequest({
      host: '127.0.0.1',
      port: 3000,
      boardId: 'board-1',
      listId: 'list-todo',
      title: 'héllo',
    });
    const text = bytes.toString('utf8');
    const [head, body] = text.split('\r\n\r\n');
    assert.equal(
      head,
      'POST /boards/board-1/tasks HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nContent-Type: application/json\r\nContent-Length: 39',
    );
    assert.deepEqual(JSON.parse(body), { listId: 'list-todo', title: 'héllo' });
    assert.equal(Buffer.byteLength(body), body.length + 1); // bytes, not characters: é is two
    assert.doesNotMatch(head, /connection: close/i);
  });
});

describe('parseHead', () => {
  it('reads the status, the body length and Connection: close', () => {
    assert.deepEqual(parseHead('HTTP/1.1 201 Created\r\ncontent-length: 12\r\nboard-seq: 3'), {
      status: 201,
      bodyLength: 12,
      close: false,
    });
    assert.deepEqual(
      parseHead('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\nConnection: close'),
      {
        status: 503,
        bodyLength: 5,
        close: true,
      },
    );
    assert.deepEqual(parseHead('HTTP/1.1 204 No Content\r\nboard-seq: 4'), {
      status: 204,
      bodyLength: 0,
      close: false,
    });
  });

  it('refuses what it cannot frame', () => {
    assert.equal(parseHead('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked'), null);
    assert.equal(parseHead('HTTP/1.1 200 OK\r\nx: y'), null); // no length: read to close
    assert.equal(parseHead('garbage'), null);
  });
});

describe('ResponseReader', () => {
  const stream =
    'HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"id":"t1"}' +
    'HTTP/1.1 204 No Content\r\nboard-seq: 9\r\n\r\n' +
    'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}';

  it('finds every response however the bytes are split', () => {
    const bytes = Buffer.from(stream, 'latin1');
    for (let cut = 1; cut <= bytes.length; cut++) {
      const seen = [];
      const reader = new ResponseReader(
        (status, close) => seen.push([status, close]),
        (message) => assert.fail(message),
      );
      for (let at = 0; at < bytes.length; at += cut) reader.push(bytes.subarray(at, at + cut));
      assert.deepEqual(
        seen,
        [
          [201, false],
          [204, false],
          [503, true],
        ],
        `cut ${cut}`,
      );
    }
  });

  it('also when split at two arbitrary places', () => {
    const bytes = Buffer.from(stream, 'latin1');
    for (let a = 1; a < bytes.length; a += 7) {
      for (let b = a + 1; b < bytes.length; b += 5) {
        const seen = [];
        const reader = new ResponseReader((status) => seen.push(status), assert.fail);
        reader.push(bytes.subarray(0, a));
        reader.push(bytes.subarray(a, b));
        reader.push(bytes.subarray(b));
        assert.deepEqual(seen, [201, 204, 503], `${a}/${b}`);
      }
    }
  });

  it('stops at a response it cannot frame', () => {
    const errors = [];
    const seen = [];
    const reader = new ResponseReader(
      (status) => seen.push(status),
      (message) => errors.push(message),
    );
    reader.push(Buffer.from('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'));
    assert.deepEqual(seen, []);
    assert.equal(errors.length, 1);
  });
});

describe('sharing writers and boards', () => {
  it('writes every board when there are more boards than writers, each by one writer', () => {
    for (const [w, b] of [
      [1, 1],
      [1, 64],
      [4, 64],
      [16, 1000],
      [64, 1000],
      [3, 10],
    ]) {
      const seen = Array.from({ length: w }, (_, i) => boardsOfWriter(i, w, b))
        .flat()
        .sort((x, y) => x - y);
      assert.deepEqual(
        seen,
        Array.from({ length: b }, (_, k) => k),
        `${w} × ${b}`,
      );
    }
  });

  it('spreads writers evenly when there are more writers than boards', () => {
    for (const [w, b] of [
      [64, 1],
      [256, 64],
      [64, 64],
      [10, 3],
    ]) {
      const load = new Array(b).fill(0);
      for (let i = 0; i < w; i++) {
        const mine = boardsOfWriter(i, w, b);
        assert.equal(mine.length, 1);
        load[mine[0]]++;
      }
      assert.ok(Math.max(...load) - Math.min(...load) <= 1, `${w} × ${b}: ${load}`);
    }
  });

  it('deals writers to load processes evenly, never an empty process', () => {
    assert.deepEqual(dealWriters(1, 2), [[0]]);
    assert.deepEqual(dealWriters(5, 2), [
      [0, 2, 4],
      [1, 3],
    ]);
    assert.equal(dealWriters(256, 2)[0].length, 128);
  });

  it('rotates the runners from point to point', () => {
    const runners = ['liveboard', 'liveboard-alt', 'floor'];
    assert.deepEqual(rotation(runners, 0), runners);
    assert.deepEqual(rotation(runners, 1), ['liveboard-alt', 'floor', 'liveboard']);
    assert.deepEqual(rotation(runners, 3), runners);
  });
});

describe('writeConfig', () => {
  it('measures every writers × boards point by default', () => {
    const config = writeConfig({}, { altExists: () => true });
    assert.deepEqual(config.writers, [1, 4, 16, 64, 256]);
    assert.deepEqual(config.boards, [1, 64, 1000]);
    assert.equal(config.points.length, 15);
    assert.deepEqual(config.stores, ['sqlite', 'postgres', 'postgres-cluster']);
    assert.equal(config.altMain, '/tmp/liveboard-alt/dist/main.js');
  });

  it('keeps, in a quick run, the points the checks need', () => {
    const config = writeConfig({ BENCH_QUICK: '1' }, { altExists: () => false });
    assert.deepEqual(config.points, [
      { writers: 1, boards: 1 },
      { writers: 64, boards: 1 },
      { writers: 64, boards: 64 },
    ]);
    assert.equal(config.altMain, null);
    assert.deepEqual(points([2], [3], true), [{ writers: 2, boards: 3 }]);
  });

  it('refuses unknown stores and silly counts', () => {
    assert.throws(() => writeConfig({ BENCH_WRITE_STORES: 'mysql' }), /unknown store/);
    assert.throws(() => writeConfig({ BENCH_WRITERS: '0' }), /1\.\.10000/);
  });
});

describe('mergeRuns', () => {
  it('counts 201s as writes, the rest as failures, over the window', () => {
    const merged = mergeRuns(
      [
        { latencies: Float64Array.from([1, 2, 3]), statuses: { 201: 3 }, errors: [] },
        { latencies: Float64Array.from([4, 100]), statuses: { 201: 2, 503: 1 }, errors: ['x'] },
      ],
      2,
    );
    assert.equal(merged.writes, 5);
    assert.equal(merged.failures, 1);
    assert.equal(merged.writesPerSecond, 3); // 5 / 2 s, rounded
    assert.equal(merged.latencyMs.p50, 3);
    assert.equal(merged.latencyMs.max, 100);
    assert.deepEqual(merged.statuses, { 201: 5, 503: 1 });
    assert.deepEqual(merged.errors, ['x']);
  });
});

describe('medianRound', () => {
  it('reports the median round, with every round, and skips failed ones', () => {
    const picked = medianRound([
      { writesPerSecond: 900 },
      { error: 'x' },
      { writesPerSecond: 300 },
      { writesPerSecond: 500 },
    ]);
    assert.equal(picked.writesPerSecond, 500);
    assert.deepEqual(picked.roundsWritesPerSecond, [900, 300, 500]);
    assert.equal(medianRound([{ writesPerSecond: 2 }, { writesPerSecond: 1 }]).writesPerSecond, 1);
    assert.deepEqual(medianRound([{ error: 'x' }]), { error: 'x' });
  });
});

describe('cpuBetween', () => {
  it('never goes negative when processes come and go', () => {
    const before = new Map([
      [10, 5],
      [11, 100], // exits before the second reading: its share is lost, not subtracted
    ]);
    const after = new Map([
      [10, 5.5],
      [12, 0.25], // started meanwhile: counts from zero
    ]);
    assert.equal(cpuBetween(before, after), 0.75);
    assert.equal(cpuBetween(new Map([[10, 6]]), new Map([[10, 5]])), 0); // a reused pid
  });
});

describe('the floor rows', () => {
  it('shape a task creation as Liveboard writes it', () => {
    const row = taskCreation(3, 41, 7);
    const event = JSON.parse(row.event);
    assert.equal(event.type, 'task_created');
    assert.equal(event.seq, 7);
    assert.equal(event.task.boardId, 'board-floor000003');
    assert.match(event.task.id, /^task-[0-9a-f]{16}$/);
    assert.equal(row.taskValues.length, 9);
    assert.equal(row.taskValues[0], event.task.id);
    assert.ok(taskCreation(3, 42, 8).task.position > row.task.position, 'positions go up');
  });

  it('count only the writes that end inside the window', () => {
    const window = windowRecorder({ warmupMs: 0, measureMs: 60_000 }, () => ({ own: 0 }));
    const now = window.to - 60_000;
    assert.equal(window.record(now - 5, now + 1), true);
    assert.equal(window.record(now, window.to + 1), false);
    const result = window.result({});
    assert.equal(result.writes, 1);
    assert.equal(result.latencyMs.p50, 6);
  });
});

function sampleStores() {
  const run = (writesPerSecond, p99 = 10) => ({ writesPerSecond, latencyMs: { p50: p99 / 2, p99 } });
  return {
    sqlite: {
      label: 'SQLite',
      points: [
        { writers: 1, boards: 1, liveboard: run(500), 'liveboard-alt': run(600), floor: run(2000, 1) },
        {
          writers: 64,
          boards: 1,
          liveboard: run(3000, 40),
          'liveboard-alt': run(1000, 90),
          floor: run(1900, 1),
        },
        {
          writers: 256,
          boards: 1,
          liveboard: run(3100, 80),
          'liveboard-alt': run(900, 300),
          floor: run(1900, 1),
        },
        {
          writers: 64,
          boards: 64,
          liveboard: run(1500, 60),
          'liveboard-alt': run(1200, 90),
          floor: run(1700, 1),
        },
      ],
    },
    postgres: {
      label: 'PostgreSQL, 1 process',
      points: [
        { writers: 1, boards: 1, liveboard: run(400), 'liveboard-alt': run(200) },
        {
          writers: 64,
          boards: 1,
          liveboard: run(2400, 50),
          'liveboard-alt': run(240, 380),
          floor: run(430, 700),
        },
      ],
    },
  };
}

describe('the table and the checks', () => {
  it('renders one row per point with the ratios', () => {
    const table = renderStoreTable(sampleStores().sqlite);
    const lines = table.split('\n');
    assert.equal(lines[0], 'SQLite');
    assert.equal(lines.length, 3 + 4);
    assert.match(lines[4], /^64 × 1 .* 3,000 .* 1,000 .* 1,900 .* 3\.00× +1\.58× /);
    assert.match(renderMarkdownTable(sampleStores().sqlite), /^\| writers × boards \| this w\/s /);
  });

  it('says PASS, FAIL, or SKIP where a figure is missing', () => {
    const checks = checkWrites(sampleStores());
    const byName = Object.fromEntries(checks.map((check) => [check.name, check]));
    assert.equal(byName['SQLite, 1 board × 64 writers: this build vs alt'].pass, true); // 3.00× ≥ 2×
    assert.equal(byName['SQLite, 1 board × 64 writers: p99'].pass, true);
    assert.equal(byName['SQLite, 64 boards × 64 writers: this build vs alt'].pass, false); // 1.25×
    assert.equal(byName['SQLite, 64 boards × 64 writers: vs the floor (1,700 w/s)'].pass, false);
    assert.equal(byName['PostgreSQL, 1 process, 1 board × 64 writers: this build vs alt'].pass, true); // 10×
    assert.equal(byName['PostgreSQL, 1 process, 64 boards × 64 writers: this build vs alt'].pass, null);
    const text = renderChecks(checks);
    assert.match(text, /^PASS {2}SQLite, 1 board × 64 writers: this build vs alt: 3\.00× \(goal ≥ 2×\)$/m);
    assert.match(text, /^FAIL {2}SQLite, 64 boards × 64 writers: this build vs alt: 1\.25×/m);
    assert.match(text, /^SKIP {2}PostgreSQL, 1 process, 64 boards/m);
  });
});

describe('the chart', () => {
  it('rounds the axis up to 1, 2, 2.5 or 5 times a power of ten', () => {
    assert.equal(niceCeiling(3100), 5000);
    assert.equal(niceCeiling(1900), 2000);
    assert.equal(niceCeiling(2100), 2500);
    assert.equal(niceCeiling(0), 1);
  });

  it('has a line per store × build and boards count, PostgreSQL with one floor', () => {
    const stores = sampleStores();
    stores['postgres-cluster'] = {
      label: 'PostgreSQL, 2 processes',
      points: [{ writers: 1, boards: 1, floor: { writesPerSecond: 5 } }],
    };
    const series = chartSeries(stores);
    const names = series.map((s) => `${s.store}/${s.runner}/${s.boards}`);
    assert.ok(names.includes('sqlite/liveboard/1'));
    assert.ok(names.includes('sqlite/floor/64'));
    assert.ok(!names.some((name) => name.startsWith('postgres-cluster/floor')));
    assert.deepEqual(
      series.find((s) => s.store === 'sqlite' && s.runner === 'liveboard' && s.boards === 1).points,
      [
        [1, 500],
        [64, 3000],
        [256, 3100],
      ],
    );
  });

  it('draws writers on a log scale, in well-formed SVG', () => {
    const svg = renderSvg({ stores: sampleStores(), caption: 'a <test> & more' });
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<\/svg>\n$/);
    assert.match(svg, /a &lt;test&gt; &amp; more/);
    // Tags balance: every <g> and <path …> closes.
    assert.equal((svg.match(/<g>/g) ?? []).length, (svg.match(/<\/g>/g) ?? []).length);
    assert.equal((svg.match(/<path /g) ?? []).length, (svg.match(/<\/path>/g) ?? []).length);
    // The SQLite line of this build on 1 board: x of 64 writers is log(64)/log(256) = 3/4 across.
    const path = svg.match(/<path d="([^"]+)"[^>]*stroke="#1f6fb4" stroke-width="2.2"/)[1];
    const xs = path.split(' ').map((step) => Number(step.slice(1).split(',')[0]));
    const fraction = (xs[1] - xs[0]) / (xs[2] - xs[0]);
    assert.ok(Math.abs(fraction - 0.75) < 0.01, `${fraction}`);
  });
});
