// How many commit notices one feed carries: PostgreSQL NOTIFY on one channel (what
// src/store/postgres/commit-feed.ts listens to), against the same transactions without NOTIFY,
// and, for comparison, Redis PUBLISH and NATS PUB on one subject.
//
//   node bench/scaling/notify-rate.js [--feeds pg,pg-plain,redis,nats] [--listeners 1,2,4]
//                                     [--writers 1,4,16] [--seconds 3] [--synchronous-commit on|off]
//
// Each step: L listening processes and W writer connections (in one writer process) for S
// seconds. A PostgreSQL writer runs what a Liveboard write does around its NOTIFY, in a
// transaction: BEGIN; one statement that inserts a row and calls pg_notify('liveboard_commits',
// '<board>:<seq>:<sent at>'); COMMIT (pg-plain: the same without pg_notify). Redis and NATS
// writers publish the same payload and wait for the server's answer (PUBLISH's reply; NATS: PING
// after PUB, then PONG), one at a time per connection. Listeners count what they receive and the
// latency from the writer's statement to their callback (one system-wide monotonic clock).
// PostgreSQL runs in a fresh database, dropped at the end. Everything on 127.0.0.1.
// --synchronous-commit off: the writers' sessions do not wait for the WAL flush (NOTIFY's lock is
// held through the commit, flush included: this shows how much of its hold time the flush is).
import { fork } from 'node:child_process';
import { closeSync, fdatasyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  PG_ADMIN_URL,
  PgSampler,
  RESULTS,
  cleanup,
  cpuSeconds,
  createDatabase,
  deadline,
  loadAverage,
  machine,
  monotonicMs,
  options,
  pgQuery,
  round,
  sleep,
  summarize,
  writeReport,
} from './lib.js';

const CHANNEL = 'liveboard_commits';
const PAYLOAD = /b-[a-z0-9]+:\d+:(\d+\.\d+)/g;

// ─── Roles in child processes ──────────────────────────────────────────────────────────────────

if (process.env.SCALING_ROLE) {
  const role = process.env.SCALING_ROLE;
  const feed = process.env.SCALING_FEED;
  process.on('message', (message) => {
    if (message.type === 'start') void (role === 'listener' ? listen(feed, message) : write(feed, message));
  });
  process.on('disconnect', () => process.exit(0));
}

async function listen(feed, { url }) {
  const latencies = [];
  let received = 0;
  const onPayload = (sentAt) => {
    received++;
    if (latencies.length < 50_000) latencies.push(monotonicMs() - sentAt);
  };
  let stop;
  if (feed === 'pg') {
    // As commit-feed.ts does: one pg.Client, LISTEN, parse the payload on 'notification'.
    const client = new pg.Client({ connectionString: url, application_name: 'scaling-listener' });
    client.on('error', () => undefined);
    client.on('notification', (message) => {
      const payload = message.payload ?? '';
      onPayload(Number(payload.slice(payload.lastIndexOf(':') + 1)));
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    stop = () => client.end();
  } else {
    const socket = await rawConnect(feed === 'redis' ? 6379 : 4222);
    let carry = '';
    socket.on('data', (chunk) => {
      const text = carry + chunk.toString('latin1');
      PAYLOAD.lastIndex = 0;
      let match;
      let last = 0;
      while ((match = PAYLOAD.exec(text)) !== null) {
        onPayload(Number(match[1]));
        last = match.index + match[0].length;
      }
      carry = text.slice(Math.max(last, text.length - 64));
      if (feed === 'nats' && text.includes('PING\r\n')) socket.write('PONG\r\n');
    });
    if (feed === 'redis') socket.write(`SUBSCRIBE ${CHANNEL}\r\n`);
    else socket.write(`CONNECT {"verbose":false,"pedantic":false}\r\nSUB ${CHANNEL} 1\r\nPING\r\n`);
    stop = async () => socket.destroy();
  }
  const cpuAtStart = process.cpuUsage();
  process.send({ type: 'ready' });
  process.on('message', async (message) => {
    if (message.type === 'reset') {
      received = 0;
      latencies.length = 0;
      Object.assign(cpuAtStart, process.cpuUsage());
      process.send({ type: 'reset' });
    } else if (message.type === 'report') {
      const cpu = process.cpuUsage(cpuAtStart);
      process.send({
        type: 'report',
        received,
        latency: summarize(latencies),
        cpuUs: cpu.user + cpu.system,
      });
    } else if (message.type === 'stop') {
      await stop();
      process.exit(0);
    }
  });
}

async function write(feed, { url, writers, seconds, id, synchronousCommit }) {
  let seq = 0;
  let commits = 0;
  let errors = 0;
  const latencies = [];
  const payload = () => `b-${id}x${(seq % 997).toString(36)}:${++seq}:${monotonicMs().toFixed(3)}`;
  const loops = [];
  const closers = [];
  for (let index = 0; index < writers; index++) {
    if (feed === 'pg' || feed === 'pg-plain') {
      const client = new pg.Client({ connectionString: url, application_name: 'scaling-writer' });
      client.on('error', () => undefined);
      await client.connect();
      if (synchronousCommit !== 'on') await client.query(`SET synchronous_commit = ${synchronousCommit}`);
      closers.push(() => client.end());
      const statement =
        feed === 'pg'
          ? 'WITH i AS (INSERT INTO feed_log (payload) VALUES ($1)) SELECT pg_notify($2, $1)'
          : 'WITH i AS (INSERT INTO feed_log (payload) VALUES ($1)) SELECT $2::text';
      loops.push(async (until) => {
        while (monotonicMs() < until) {
          const started = monotonicMs();
          try {
            await client.query('BEGIN');
            await client.query({ name: feed, text: statement, values: [payload(), CHANNEL] });
            await client.query('COMMIT');
            commits++;
            if (latencies.length < 50_000) latencies.push(monotonicMs() - started);
          } catch {
            errors++;
            await client.query('ROLLBACK').catch(() => undefined);
          }
        }
      });
    } else {
      const socket = await rawConnect(feed === 'redis' ? 6379 : 4222);
      closers.push(async () => socket.destroy());
      if (feed === 'nats') socket.write('CONNECT {"verbose":false,"pedantic":false}\r\n');
      let waiting;
      let carry = '';
      const reply = feed === 'redis' ? /:\d+\r\n/g : /PONG\r\n/g;
      socket.on('data', (chunk) => {
        const text = carry + chunk.toString('latin1');
        const replies = text.match(reply)?.length ?? 0;
        carry = text.slice(text.lastIndexOf('\n') + 1);
        for (let n = 0; n < replies; n++) waiting?.();
      });
      loops.push(async (until) => {
        while (monotonicMs() < until) {
          const started = monotonicMs();
          const body = payload();
          await new Promise((resolve) => {
            waiting = resolve;
            socket.write(
              feed === 'redis'
                ? `PUBLISH ${CHANNEL} ${body}\r\n`
                : `PUB ${CHANNEL} ${body.length}\r\n${body}\r\nPING\r\n`,
            );
          });
          commits++;
          if (latencies.length < 50_000) latencies.push(monotonicMs() - started);
        }
      });
    }
  }
  // Connected: the caller samples the database now, then says go; and after, before we close.
  await new Promise((resolve) => {
    process.on('message', (message) => message.type === 'go' && resolve());
    process.send({ type: 'connected' });
  });
  const until = monotonicMs() + seconds * 1000;
  const cpuAtStart = process.cpuUsage();
  const started = monotonicMs();
  await Promise.all(loops.map((loop) => loop(until)));
  const elapsed = (monotonicMs() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  process.on('message', async (message) => {
    if (message.type !== 'close') return;
    await Promise.all(closers.map((close) => close().catch(() => undefined)));
    process.exit(0);
  });
  process.send({
    type: 'done',
    commits,
    errors,
    seconds: elapsed,
    latency: summarize(latencies),
    cpuUs: cpu.user + cpu.system,
  });
}

function rawConnect(port) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

// ─── The run ────────────────────────────────────────────────────────────────────────────────────

function spawnRole(role, feed) {
  return fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, SCALING_ROLE: role, SCALING_FEED: feed },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function ask(child, message, answer) {
  return new Promise((resolve, reject) => {
    const onMessage = (reply) => {
      if (reply.type !== answer) return;
      child.off('message', onMessage);
      resolve(reply);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`child exited (${code})`)));
    if (message) child.send(message);
  });
}

async function step(feed, url, listenerCount, writers, seconds, sampler, synchronousCommit) {
  const listeners = [];
  if (feed !== 'pg-plain') {
    for (let index = 0; index < listenerCount; index++) {
      const child = spawnRole('listener', feed);
      listeners.push(child);
      await ask(child, { type: 'start', url }, 'ready');
    }
  }
  const writer = spawnRole('writer', feed);
  await ask(writer, { type: 'start', url, writers, seconds, id: 'w', synchronousCommit }, 'connected');
  await Promise.all(listeners.map((child) => ask(child, { type: 'reset' }, 'reset')));
  await sampler?.sample();
  const lockWaits = [];
  const pgCpuBefore = sampler ? { ...sampler.totals } : undefined;
  const engineCpuBefore = feed === 'redis' || feed === 'nats' ? engineCpu(feed) : 0;
  const load = loadAverage();
  const done = ask(writer, { type: 'go' }, 'done');
  let finished = false;
  void done.then(() => (finished = true));
  const lockProbe = feed === 'pg' ? new pg.Client({ connectionString: url }) : undefined;
  await lockProbe?.connect();
  while (!finished) {
    if (lockProbe) {
      // Transactions waiting for NOTIFY's lock (AccessExclusive on object 0 of pg_database, 1262).
      const { rows } = await lockProbe.query(
        `SELECT count(*)::int AS waiting FROM pg_locks
         WHERE locktype = 'object' AND classid = 1262 AND objid = 0 AND NOT granted`,
      );
      lockWaits.push(rows[0].waiting);
    }
    await sampler?.sample();
    await sleep(200);
  }
  await lockProbe?.end();
  const written = await done;
  await sleep(300); // the last notices in flight
  const pgSample = sampler ? await sampler.sample() : undefined;
  const writerGone = new Promise((resolve) => writer.once('exit', resolve));
  writer.send({ type: 'close' });
  await writerGone;
  const reports = await Promise.all(listeners.map((child) => ask(child, { type: 'report' }, 'report')));
  const pgCpu = sampler
    ? {
        all: sampler.totals.backendCpuS - pgCpuBefore.backendCpuS,
        listeners: sampler.totals.listenerCpuS - pgCpuBefore.listenerCpuS,
      }
    : undefined;
  await Promise.all(
    listeners.map(async (child) => {
      child.send({ type: 'stop' });
      await new Promise((resolve) => child.once('exit', resolve));
    }),
  );
  const delivered = reports.reduce((sum, report) => sum + report.received, 0);
  const result = {
    feed,
    listeners: feed === 'pg-plain' ? 0 : listenerCount,
    writers,
    seconds: round(written.seconds),
    commitsPerS: Math.round(written.commits / written.seconds),
    errors: written.errors,
    commitMs: written.latency,
    deliveredPerS: Math.round(delivered / written.seconds),
    deliveredShare: listeners.length ? round(delivered / (written.commits * listeners.length), 4) : null,
    deliveryMs: reports.map((report) => report.latency),
    listenerCpuUsPerNotice: reports.length
      ? round(reports.reduce((sum, report) => sum + report.cpuUs, 0) / Math.max(1, delivered))
      : null,
    writerCpuUsPerCommit: round(written.cpuUs / Math.max(1, written.commits)),
    // PostgreSQL's backends, per commit: the writers' (the transaction) and the listeners' (reading
    // the queue and sending each notice to its client), from /proc.
    dbWriterCpuUsPerCommit: pgCpu
      ? round(((pgCpu.all - pgCpu.listeners) * 1e6) / Math.max(1, written.commits))
      : undefined,
    dbListenerCpuUsPerNotice: pgCpu && delivered ? round((pgCpu.listeners * 1e6) / delivered) : undefined,
    engineCpuUsPerCommit:
      feed === 'redis' || feed === 'nats'
        ? round(((engineCpu(feed) - engineCpuBefore) * 1e6) / Math.max(1, written.commits))
        : undefined,
    notifyLockWaitersMean: lockWaits.length
      ? round(lockWaits.reduce((a, b) => a + b, 0) / lockWaits.length)
      : undefined,
    notifyQueueUsage: pgSample?.queueUsage,
    loadAverage: load,
  };
  return result;
}

/** CPU seconds of the Redis or NATS server process (found by its listening port's owner). */
function engineCpu(feed) {
  const pid = enginePids[feed];
  return pid ? cpuSeconds(pid) : 0;
}
const enginePids = {};

async function findEnginePid(feed) {
  // The server that owns the port: its socket inode in /proc/net/tcp, then the process holding it.
  const { readFileSync, readdirSync, readlinkSync } = await import('node:fs');
  const port = (feed === 'redis' ? 6379 : 4222).toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set();
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1]?.endsWith(`:${port}`) && fields[3] === '0A') inodes.add(fields[9]);
  }
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
        if (inode && inodes.has(inode)) return Number(pid);
      }
    } catch {
      // not ours to read, or gone
    }
  }
  return undefined;
}

/** What one WAL flush costs on this disk: 8 KB written and fdatasync'd, for one second. */
function fdatasyncRate() {
  const path = `${RESULTS}.fdatasync-probe-${process.pid}`;
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(8192, 1);
  let count = 0;
  const started = monotonicMs();
  try {
    while (monotonicMs() - started < 1000) {
      writeSync(fd, block, 0, block.length, 0);
      fdatasyncSync(fd);
      count++;
    }
  } finally {
    closeSync(fd);
    unlinkSync(path);
  }
  const seconds = (monotonicMs() - started) / 1000;
  return { perS: Math.round(count / seconds), usEach: round((seconds * 1e6) / count) };
}

async function main() {
  const opts = options({
    feeds: 'pg,pg-plain',
    listeners: '1,2,4',
    writers: '1,4,16',
    seconds: 3,
    synchronousCommit: 'on',
  });
  const feeds = opts.feeds.split(',');
  const listenerCounts = opts.listeners.split(',').map(Number);
  const writerCounts = opts.writers.split(',').map(Number);
  const steps = feeds.reduce(
    (sum, feed) => sum + (feed === 'pg-plain' ? 1 : listenerCounts.length) * writerCounts.length,
    0,
  );
  if (steps * (opts.seconds + 1.5) > 110)
    throw new Error(`${steps} steps of ${opts.seconds} s: over 2 minutes`);
  deadline(120_000);
  const report = { machine: machine(), options: opts, steps: [] };
  let database;
  let sampler;
  if (feeds.some((feed) => feed.startsWith('pg'))) {
    database = await createDatabase('scaling_notify');
    await pgQuery(database.url, 'CREATE TABLE feed_log (id bigserial PRIMARY KEY, payload text NOT NULL)');
    sampler = new PgSampler(PG_ADMIN_URL, database.name, 'scaling-listener');
    await sampler.start();
    const { rows } = await pgQuery(PG_ADMIN_URL, 'SHOW synchronous_commit');
    report.synchronousCommit =
      opts.synchronousCommit === 'on' ? rows[0].synchronous_commit : opts.synchronousCommit;
  }
  report.fdatasync = fdatasyncRate();
  console.log(
    `fdatasync of one 8 KB write on this disk: ${report.fdatasync.perS}/s (${report.fdatasync.usEach} µs each)`,
  );
  for (const feed of ['redis', 'nats'])
    if (feeds.includes(feed)) enginePids[feed] = await findEnginePid(feed);
  console.log(
    'feed      listeners writers  commits/s  commit p50/p99 ms  delivered/s  share  delivery p50/p99 ms  lock waiters  µs CPU/notice (listener)  load',
  );
  for (const feed of feeds) {
    for (const listenerCount of feed === 'pg-plain' ? [0] : listenerCounts) {
      for (const writers of writerCounts) {
        const url = feed.startsWith('pg') ? database.url : undefined;
        const result = await step(
          feed,
          url,
          listenerCount,
          writers,
          opts.seconds,
          feed.startsWith('pg') ? sampler : undefined,
          opts.synchronousCommit,
        );
        report.steps.push(result);
        const delivery = result.deliveryMs[0];
        console.log(
          [
            feed.padEnd(9),
            String(result.listeners).padStart(9),
            String(writers).padStart(7),
            String(result.commitsPerS).padStart(10),
            `${result.commitMs.p50}/${result.commitMs.p99}`.padStart(18),
            String(result.deliveredPerS).padStart(12),
            String(result.deliveredShare ?? '-').padStart(6),
            (delivery ? `${delivery.p50}/${delivery.p99}` : '-').padStart(20),
            String(result.notifyLockWaitersMean ?? '-').padStart(13),
            String(result.listenerCpuUsPerNotice ?? '-').padStart(26),
            `  ${result.loadAverage[0]}`,
          ].join(' '),
        );
      }
    }
  }
  await sampler?.stop();
  report.loadAverageAtEnd = loadAverage();
  console.log(`report: ${writeReport('notify-rate', report)}`);
}

if (!process.env.SCALING_ROLE) {
  main()
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => cleanup());
}
