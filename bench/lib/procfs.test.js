// Run with `node --test bench/`: waiting for the machine to be idle before a measurement (lib/procfs.js).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuSeconds, waitQuiet } from './procfs.js';

describe('waitQuiet', () => {
  it('returns once a window passes with less than its share of a core used', async () => {
    // 50 ms of CPU in each of the first three windows of 20 ms, then none.
    let calls = 0;
    const cpu = () => 0.05 * Math.min(3, calls++);
    assert.equal(await waitQuiet(cpu, { windowMs: 20, share: 0.1, timeoutMs: 2000 }), true);
    assert.equal(calls, 5);
  });

  it('gives up after its time limit while the processes keep busy', async () => {
    let calls = 0;
    const cpu = () => 0.05 * calls++;
    const started = Date.now();
    assert.equal(await waitQuiet(cpu, { windowMs: 20, share: 0.1, timeoutMs: 150 }), false);
    assert.ok(Date.now() - started < 1000);
  });

  it('reads this process’s CPU time from /proc', () => {
    const before = cpuSeconds(process.pid);
    const until = Date.now() + 60;
    while (Date.now() < until); // busy on purpose: 60 ms of CPU
    assert.ok(cpuSeconds(process.pid) - before >= 0.03);
  });
});
