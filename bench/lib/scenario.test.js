// Run with `node --test bench/`: the latency figures, computed from a scripted target and clients.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { singleEventLatency } from './scenario.js';

/** A target whose server uses `cpuPerEvent` seconds of CPU per publish, and clients that see `latencies`. */
function scripted({ cpuPerEvent, clientCpuPerEvent, latencies, publishMs = 2 }) {
  let serverCpu = 0;
  let clientCpu = 0;
  const target = {
    cpuSeconds: () => serverCpu,
    async publish() {
      serverCpu += cpuPerEvent;
      return { ok: true, status: 201, ms: publishMs };
    },
  };
  const clients = {
    cpuSeconds: () => clientCpu,
    async reset() {},
    async wait() {
      clientCpu += clientCpuPerEvent;
      return { timedOut: false, latencies };
    },
  };
  return { target, clients };
}

describe('singleEventLatency', () => {
  it('pools every delivery, and reports the first and last subscriber and the CPU per delivery', async () => {
    const latencies = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100 ms
    const { target, clients } = scripted({ cpuPerEvent: 0.001, clientCpuPerEvent: 0.0005, latencies });
    const summary = await singleEventLatency(target, clients, null, 3);
    assert.equal(summary.samples, 3);
    assert.equal(summary.deliveries, 300);
    assert.equal(summary.latencyMs.min, 1);
    assert.equal(summary.latencyMs.p50, 50);
    assert.equal(summary.latencyMs.p99, 99);
    assert.equal(summary.latencyMs.max, 100);
    assert.deepEqual([summary.firstSubscriberMs.p50, summary.lastSubscriberMs.p50], [1, 100]);
    assert.equal(summary.publishMs.p50, 2);
    assert.equal(summary.serverCpuMsPerEvent, 1);
    assert.equal(summary.clientCpuMsPerEvent, 0.5);
    // 1 ms of server CPU per event over 100 deliveries: 10 µs each.
    assert.equal(summary.serverCpuUsPerDelivery, 10);
  });

  it('counts a sample that timed out as incomplete, keeping what did arrive', async () => {
    const { target, clients } = scripted({ cpuPerEvent: 0, clientCpuPerEvent: 0, latencies: [5, 7] });
    clients.wait = async () => ({ timedOut: true, latencies: [5, 7] });
    const summary = await singleEventLatency(target, clients, null, 2);
    assert.equal(summary.incomplete, 2);
    assert.equal(summary.deliveries, 4);
  });
});
