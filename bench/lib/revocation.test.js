// Run with `node --test bench/`: the revocation phase's figures (lib/revocation.js) and the A/B
// table's ratios (lib/ab.js), from scripted answers and streams.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abFigures, renderAb, renderRevocation } from './ab.js';
import { revocationFigures } from './revocation.js';

describe('revocationFigures', () => {
  const answers = [
    { user: 'a', sentAt: 100, answeredAt: 110, status: 204 },
    { user: 'b', sentAt: 200, answeredAt: 205, status: 204 },
    { user: 'c', sentAt: 300, answeredAt: 301, status: 500 },
  ];

  it('times each stream end from its user’s answer, and from the request', () => {
    const watches = [
      { user: 'a', status: 200, eventAt: 111, closedAt: 112 },
      { user: 'a', status: 200, eventAt: 108, closedAt: 109 }, // ended before the answer came in
      { user: 'b', status: 200, eventAt: 210, closedAt: 215 },
    ];
    const figures = revocationFigures(answers.slice(0, 2), watches);
    assert.equal(figures.closed, 3);
    assert.equal(figures.closeMs.min, -1);
    assert.equal(figures.closeMs.max, 10);
    assert.equal(figures.closeMs.p50, 2);
    assert.equal(figures.closeFromSentMs.max, 15);
    assert.equal(figures.eventMs.min, -2);
    assert.equal(figures.eventToCloseMs.max, 5);
    assert.equal(figures.closedBeforeAnswer, 1);
    assert.equal(figures.answerMs.max, 10);
  });

  it('counts streams still open, without their event, never opened, or of a failed revocation', () => {
    const watches = [
      { user: 'a', status: 200, eventAt: null, closedAt: null },
      { user: 'a', status: 200, eventAt: null, closedAt: 130 },
      { user: 'b', status: 0, eventAt: null, closedAt: null },
      { user: 'c', status: 200, eventAt: null, closedAt: null },
    ];
    const figures = revocationFigures(answers, watches);
    assert.equal(figures.stillOpen, 1);
    assert.equal(figures.withoutEvent, 1);
    assert.equal(figures.notOpened, 1);
    assert.equal(figures.unanswered, 1);
    assert.equal(figures.failedRevocations, 1);
    assert.deepEqual(figures.failedStatuses, [500]);
    assert.equal(figures.closed, 1);
    assert.equal(figures.eventMs.count, 0);
  });
});

describe('abFigures', () => {
  const results = {
    liveboard: {
      memory: { kbPerStream: 5.1 },
      latency: { latencyMs: { p50: 50, p99: 120 } },
      burst: { deliveriesPerSecond: 900 },
      restart: { allResumedSeconds: 6 },
    },
    'liveboard-alt': {
      memory: { kbPerStream: 5 },
      latency: { latencyMs: { p50: 50, p99: 100 } },
      burst: { deliveriesPerSecond: 1000 },
      restart: { allResumedSeconds: 6.5 },
    },
  };

  it('gives this/alt, within 5% in the direction that matters', () => {
    const rows = Object.fromEntries(abFigures(results).map((row) => [row.path, row]));
    assert.equal(rows['memory.kbPerStream'].within, true); // 1.02×, lower is better
    assert.equal(rows['latency.latencyMs.p99'].within, false); // 1.2×
    assert.equal(rows['burst.deliveriesPerSecond'].within, false); // 0.9×, higher is better
    assert.equal(rows['restart.allResumedSeconds'].within, true); // faster
    assert.ok(Math.abs(rows['burst.deliveriesPerSecond'].ratio - 0.9) < 1e-9);
    assert.equal(rows['writes.latencyMs.p50'], undefined); // neither build has it
  });

  it('compares figures measured in rounds round by round: the median of the rounds’ ratios', () => {
    // The machine slowed down between rounds 2 and 3, both builds alike: the medians of the two
    // builds fall in different rounds (1,000 against 1,450: 0.69×) while each round pairs 0.95–1×.
    const paired = {
      liveboard: { burst: { deliveriesPerSecond: 1000, rounds: [1900, 2000, 1000, 950] } },
      'liveboard-alt': { burst: { deliveriesPerSecond: 1450, rounds: [2000, 2000, 1000, 1000] } },
    };
    const [row] = abFigures(paired);
    assert.equal(row.rounds, 4);
    assert.ok(Math.abs(row.ratio - 0.975) < 1e-9); // the median of 0.95, 1, 1, 0.95
    assert.equal(row.within, true);
    assert.deepEqual(row.interval, [0.95, 1]);
    assert.match(renderAb([row]), /0\.975× +4: 0\.950–1\.000 +yes/);
    // Rounds that do not pair up (a round failed on one side): the values' ratio.
    paired.liveboard.burst.rounds.pop();
    const [unpaired] = abFigures(paired);
    assert.equal(unpaired.rounds, 0);
    assert.ok(Math.abs(unpaired.ratio - 1000 / 1450) < 1e-9);
    assert.equal(unpaired.within, false);
  });

  it('pairs the writes’ p50 and p99 round by round, and the concurrent writers’ p99', () => {
    const writes = (p50s, p99s) => ({
      latencyMs: { p50: p50s[0], p99: p99s[0] },
      rounds: { p50: p50s, p99: p99s },
    });
    // The median round's p99 alone says 1.3×; round by round 1.3, 1, 1, 0.9: 1×.
    const results = {
      liveboard: { writes: writes([1, 2, 2, 3], [13, 8, 10, 9]), writesConcurrent: writes([2], [20]) },
      'liveboard-alt': {
        writes: writes([2, 2, 2, 3], [10, 8, 10, 10]),
        writesConcurrent: writes([2], [25]),
      },
    };
    const rows = Object.fromEntries(abFigures(results).map((row) => [row.path, row]));
    assert.equal(rows['writes.latencyMs.p50'].rounds, 4);
    assert.equal(rows['writes.latencyMs.p50'].ratio, 1); // the median of 0.5, 1, 1, 1
    assert.equal(rows['writes.latencyMs.p99'].rounds, 4);
    assert.ok(Math.abs(rows['writes.latencyMs.p99'].ratio - 1) < 1e-9); // the median of 0.9, 1, 1, 1.3
    assert.equal(rows['writes.latencyMs.p99'].value, 13);
    assert.equal(rows['writesConcurrent.latencyMs.p99'].rounds, 1);
    assert.equal(rows['writesConcurrent.latencyMs.p99'].ratio, 0.8);
  });

  it('is empty without both builds, and renders a row per figure', () => {
    assert.deepEqual(abFigures({ liveboard: results.liveboard }), []);
    const text = renderAb(abFigures(results));
    assert.match(text, /burst deliveries\/s .* 0\.900× +NO/);
    assert.equal(text.split('\n').length, 2 + 5);
  });
});

describe('renderRevocation', () => {
  it('has a row per store and kind, and says why a store has none', () => {
    const kind = {
      closed: 1000,
      streams: 1000,
      stillOpen: 0,
      closeMs: { p50: 0.3, p99: 9, max: 15 },
      eventMs: { p50: -0.2 },
    };
    const text = renderRevocation({
      sqlite: { kinds: { token: kind, signout: kind } },
      postgres: { skipped: 'PostgreSQL at …: refused' },
    });
    assert.match(text, /sqlite token +1000\/1000 +0\.30 +9\.00 +15\.00 +-0\.20 +0/);
    assert.match(text, /postgres: PostgreSQL at …: refused/);
  });
});
