// The measurements, in the order one target goes through them. Each phase is bounded in count
// and time, and reports what it saw rather than throwing, so one bad figure never hides the rest.
import { monotonicMs } from './clock.js';
import { send } from './http.js';
import { round, summarize } from './stats.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const marker = () => `bench@${monotonicMs().toFixed(3)}`;

/**
 * Where a new stream starts: like the web app (snapshot, then the stream from the snapshot's seq),
 * so that a stream that has not received an event yet still resumes from the right place.
 */
async function where(target) {
  return { lastEventId: await target.position?.() };
}

/**
 * Opens a few streams and makes `writes` writes to them, then closes them: the baseline is a warm
 * process, as a server that has been up a while is. V8 optimizes a function only once it has run
 * enough, and a write runs a few hundred functions: with 20 writes here, the write path of the
 * build with accounts was still being compiled (TurboFan on its background thread, the rest in
 * baseline code) through a run's bursts, 10% of its CPU in them; the rounds measured tiering.
 */
export async function warmUp(target, clients, agent, writes) {
  await clients.openTo(Math.min(100, clients.procs.length * 25), await where(target));
  for (let i = 0; i < writes; i++) await target.publish(agent, marker());
  await clients.closeTo(0);
  await sleep(1000);
}

/** Resident memory per idle stream: RSS before and after opening `n` streams that receive nothing. */
export async function idleMemory(target, clients, n, settleMs) {
  await target.collectGarbage?.();
  const rssBeforeKb = target.rssKb();
  const cpuBefore = target.cpuSeconds();
  const open = await clients.openTo(n, await where(target));
  // What opening a stream costs the server (accepting, authenticating, authorizing, the head).
  const openCpuSeconds = target.cpuSeconds() - cpuBefore;
  await sleep(settleMs);
  await target.collectGarbage?.();
  const rssAfterKb = target.rssKb();
  const stats = await clients.stats();
  return {
    streams: n,
    opened: open.opened,
    failed: open.failed,
    connected: stats.connected,
    connectSeconds: round(open.ms / 1000),
    serverCpuUsPerOpen: round((openCpuSeconds * 1e6) / n, 1),
    rssBeforeMb: round(rssBeforeKb / 1024, 1),
    rssAfterMb: round(rssAfterKb / 1024, 1),
    kbPerStream: round((rssAfterKb - rssBeforeKb) / n, 2),
    errors: stats.errors,
  };
}

export function latencyAccumulator() {
  return {
    samples: 0,
    incomplete: 0,
    pooled: [],
    lastSubscriber: [],
    firstSubscriber: [],
    publishMs: [],
    serverCpu: 0,
    clientCpu: 0,
  };
}

export function latencySummary(acc) {
  return {
    samples: acc.samples,
    incomplete: acc.incomplete,
    deliveries: acc.pooled.length,
    latencyMs: summarize(acc.pooled),
    lastSubscriberMs: summarize(acc.lastSubscriber),
    // The first delivery and the publish's round trip: how long before the fan-out began.
    firstSubscriberMs: summarize(acc.firstSubscriber),
    publishMs: summarize(acc.publishMs),
    // CPU per sample, server and load clients: where one event's fan-out spends the two cores. A
    // server's CPU per delivery times N is the least time its last subscriber can wait, on one core.
    serverCpuMsPerEvent: acc.samples ? round((acc.serverCpu * 1000) / acc.samples, 1) : null,
    clientCpuMsPerEvent: acc.samples ? round((acc.clientCpu * 1000) / acc.samples, 1) : null,
    serverCpuUsPerDelivery: acc.pooled.length ? round((acc.serverCpu * 1e6) / acc.pooled.length, 2) : null,
  };
}

/** One event at a time, each waited for at every stream: publish-to-delivery latency, pooled. */
export async function singleEventLatency(target, clients, agent, samples, acc = latencyAccumulator()) {
  for (let i = 0; i < samples; i++) {
    await clients.reset(true);
    const serverCpu0 = target.cpuSeconds();
    const clientCpu0 = clients.cpuSeconds();
    const published = await target.publish(agent, marker());
    if (!published.ok) return { error: `publish answered ${published.status}` };
    const seen = await clients.wait({ events: 1, timeoutMs: 10_000 });
    acc.serverCpu += target.cpuSeconds() - serverCpu0;
    acc.clientCpu += clients.cpuSeconds() - clientCpu0;
    acc.samples++;
    acc.publishMs.push(published.ms);
    if (seen.timedOut) acc.incomplete++;
    let first = Infinity;
    let last = 0;
    for (const latency of seen.latencies) {
      acc.pooled.push(latency);
      if (latency > last) last = latency;
      if (latency < first) first = latency;
    }
    acc.lastSubscriber.push(last);
    if (seen.latencies.length) acc.firstSubscriber.push(first);
    await sleep(50);
  }
  return latencySummary(acc);
}

/** `events` sequential publishes; deliveries/s from the first publish to the last delivery. */
export async function burst(target, clients, agent, events, streams) {
  await clients.reset(false);
  const serverCpu0 = target.cpuSeconds();
  const clientCpu0 = clients.cpuSeconds();
  const publishMs = [];
  const startedAt = monotonicMs();
  for (let i = 0; i < events; i++) {
    const published = await target.publish(agent, marker());
    if (!published.ok) return { error: `publish answered ${published.status}` };
    publishMs.push(published.ms);
  }
  const publishedAt = monotonicMs();
  const seen = await clients.wait({ events, timeoutMs: 60_000 });
  const endAt = seen.timedOut ? monotonicMs() : seen.lastAt;
  const seconds = (endAt - startedAt) / 1000;
  return {
    events,
    streams,
    expected: events * streams,
    delivered: seen.events,
    complete: !seen.timedOut && seen.events === events * streams,
    seconds: round(seconds, 3),
    deliveriesPerSecond: Math.round(seen.events / seconds),
    publishSeconds: round((publishedAt - startedAt) / 1000, 3),
    publishMs: summarize(publishMs),
    bytesPerEvent: seen.events ? Math.round(seen.bytes / seen.events) : null,
    // How many events a socket read brought, inverted: the fewer events each of the server's
    // writes carries, the more reads (and CPU) the load clients spend on the same deliveries.
    readsPerDelivery: seen.events ? round(seen.reads / seen.events, 3) : null,
    serverCpuSeconds: round(target.cpuSeconds() - serverCpu0),
    clientCpuSeconds: round(clients.cpuSeconds() - clientCpu0),
    gaps: seen.gaps,
    dups: seen.dups,
  };
}

/** Closed-loop writers against the write API while `streams` subscribers listen. */
export async function writes(target, clients, agent, { streams, concurrency, seconds, maxWrites }) {
  await clients.closeTo(streams);
  await sleep(500);
  await clients.reset(false);
  const latencies = [];
  let failures = 0;
  let issued = 0;
  const startedAt = monotonicMs();
  const cpu0 = target.cpuSeconds();
  const deadline = startedAt + seconds * 1000;
  const writer = async () => {
    while (issued < maxWrites && monotonicMs() < deadline) {
      issued++;
      const published = await target.publish(agent, marker());
      if (published.ok) latencies.push(published.ms);
      else failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, writer));
  const elapsed = (monotonicMs() - startedAt) / 1000;
  const seen = await clients.wait({ events: latencies.length, timeoutMs: 30_000 });
  // The server's CPU for each write and its fan-out to every stream: unlike the latencies, hardly
  // moved by whatever else shares the machine (whose disk writes stretch every fsync).
  const cpuSeconds = target.cpuSeconds() - cpu0;
  return {
    streams,
    concurrency,
    writes: latencies.length,
    serverCpuUsPerWrite: latencies.length ? Math.round((cpuSeconds * 1e6) / latencies.length) : null,
    failures,
    writesPerSecond: Math.round(latencies.length / elapsed),
    latencyMs: summarize(latencies),
    deliveredToAll: !seen.timedOut,
    lost: latencies.length * streams - seen.events,
  };
}

/** Holds `streams` open at once, then checks one event reaches every one of them. */
export async function capacity(target, clients, agent, streams) {
  await clients.reset(false);
  // What the process holds before (the streams left open by the writes phase, and everything the
  // phases before wrote: a build that wrote faster holds a larger board), and what the streams add.
  const openBefore = clients.total;
  await target.collectGarbage?.();
  const rssBeforeKb = target.rssKb();
  const open = await clients.openTo(streams, await where(target));
  await sleep(1000);
  const published = await target.publish(agent, marker());
  const seen = await clients.wait({ events: 1, timeoutMs: 20_000 });
  let healthy;
  try {
    healthy = (await send(`${target.url}/healthz`, { timeoutMs: 5000 })).status === 200;
  } catch {
    healthy = false;
  }
  await target.collectGarbage?.();
  const rssKb = target.rssKb();
  return {
    streams,
    opened: clients.total,
    failed: open.failed,
    connectSeconds: round(open.ms / 1000),
    publishStatus: published.status,
    connected: seen.connected,
    delivered: seen.events,
    healthyAfter: healthy,
    ok:
      healthy && published.ok && open.failed === 0 && seen.events === streams && seen.unexpectedCloses === 0,
    unexpectedCloses: seen.unexpectedCloses,
    rssMb: round(rssKb / 1024, 1),
    rssBeforeMb: round(rssBeforeKb / 1024, 1),
    kbPerAddedStream:
      clients.total > openBefore ? round((rssKb - rssBeforeKb) / (clients.total - openBefore), 2) : null,
    errors: seen.errors,
  };
}

/**
 * SIGKILL with `streams` subscribers, with events written just before the kill (their fan-out
 * cut short) and just after the restart (while the subscribers are still away), then the time
 * until every subscriber is back and has every one of those events, in order, exactly once.
 */
export async function restart(
  target,
  clients,
  agent,
  streams,
  { before = 5, after = 5, timeoutMs = 60_000 } = {},
) {
  await clients.closeTo(streams);
  if (clients.total < streams) await clients.openTo(streams, await where(target));
  await sleep(1000);
  await clients.reset(false);
  await clients.reconnect(true);
  for (let i = 0; i < before; i++) await target.publish(agent, marker());
  const killedAt = monotonicMs();
  await target.kill();
  await target.start();
  const upAt = monotonicMs();
  let lastSeq = 0;
  for (let i = 0; i < after; i++) lastSeq = (await target.publish(agent, marker())).seq;
  const seen = await clients.wait({ seq: lastSeq, timeoutMs });
  await clients.reconnect(false);
  const expected = (before + after) * streams;
  return {
    streams,
    eventsDuringOutage: before + after,
    serverBackSeconds: round((upAt - killedAt) / 1000, 3),
    allResumedSeconds: seen.timedOut ? null : round((seen.lastAt - killedAt) / 1000, 3),
    resumed: seen.done,
    reconnects: seen.reconnects,
    delivered: seen.events,
    expected,
    missing: Math.max(0, expected - seen.events),
    gaps: seen.gaps,
    dups: seen.dups,
    badStatus: seen.badStatus,
    ok: !seen.timedOut && seen.gaps === 0 && seen.dups === 0 && seen.events === expected,
    errors: seen.errors,
    stuck: seen.stuck,
  };
}
