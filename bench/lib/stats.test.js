// Run with `node --test bench/`: the order statistics the reports are made of (lib/stats.js).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median, medianBy, summarize } from './stats.js';

describe('median', () => {
  it('is the middle value of an odd count and the mean of the two middle ones of an even count', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([2.5, 4.5]), 3.5);
    assert.ok(Number.isNaN(median([])));
  });
});

describe('medianBy', () => {
  it('picks the run with the median figure, the lower middle one of an even count', () => {
    const runs = [{ rate: 30 }, { rate: 10 }, { rate: 20 }, { rate: 40 }];
    assert.equal(
      medianBy(runs, (run) => run.rate),
      runs[2],
    );
    assert.equal(
      medianBy(runs.slice(0, 3), (run) => run.rate),
      runs[2],
    );
  });
});

describe('summarize', () => {
  it('gives nearest-rank percentiles', () => {
    const s = summarize(Array.from({ length: 100 }, (_, i) => i + 1));
    assert.equal(s.p50, 50);
    assert.equal(s.p99, 99);
    assert.equal(s.max, 100);
  });
});
