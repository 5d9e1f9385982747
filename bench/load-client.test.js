// Run with `node --test bench/`. The load client against the node:http floor: what it counts is
// what was sent, with latencies, and it reconnects by itself and notices ids that do not follow.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer } from 'node:net';
import { createAgent } from './lib/http.js';
import { LoadClients } from './lib/load-clients.js';
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
