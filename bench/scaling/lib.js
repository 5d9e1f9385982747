// Shared by the scaling scripts: reports, the machine, servers and databases they start and always
// clean up, a keep-alive HTTP client on raw sockets, SSE streams, and samplers of /proc and
// PostgreSQL. Self-contained (no import from bench/lib, which the fan-out bench owns).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RESULTS = `${ROOT}bench/results/`;
export const PG_ADMIN_URL = process.env.SCALING_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** One clock for every process of a run: CLOCK_MONOTONIC is system-wide on Linux. */
export function monotonicMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function round(value, digits = 2) {
  if (!Number.isFinite(value)) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  const at = (q) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
  return {
    count: sorted.length,
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : NaN),
  };
}

export function loadAverage() {
  return loadavg().map((value) => round(value));
}

export function machine() {
  const cores = cpus();
  return {
    cores: cores.length,
    cpu: cores[0]?.model,
    memoryGb: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    loadAverage: loadAverage(),
  };
}

/** Writes bench/results/scaling-<name>-<time>.json (git-ignored) and returns its path. */
export function writeReport(name, report) {
  mkdirSync(RESULTS, { recursive: true });
  const path = `${RESULTS}scaling-${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(path, `${JSON.stringify({ name, at: new Date().toISOString(), ...report }, null, 2)}\n`);
  return path;
}

/** The newest report of that name that `accept` takes, or undefined. */
export function latestReport(name, accept = () => true) {
  let files;
  try {
    files = readdirSync(RESULTS).filter(
      (file) => file.startsWith(`scaling-${name}-`) && file.endsWith('.json'),
    );
  } catch {
    return undefined;
  }
  for (const file of files.sort().reverse()) {
    const report = JSON.parse(readFileSync(`${RESULTS}${file}`, 'utf8'));
    if (accept(report)) return { ...report, file };
  }
  return undefined;
}

/** `--name value` and `--flag` from argv, with defaults. */
export function options(defaults) {
  const values = { ...defaults };
  const argv = process.argv.slice(2);
  for (let index = 0; index < argv.length; index++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[index]);
    if (!match) throw new Error(`unknown argument ${argv[index]}`);
    const key = match[1].replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
    if (!(key in defaults)) throw new Error(`unknown option --${match[1]}`);
    let raw = match[2];
    if (raw === undefined) {
      const boolean = typeof defaults[key] === 'boolean';
      raw = boolean && !/^(true|false)$/.test(argv[index + 1] ?? '') ? 'true' : argv[++index];
    }
    values[key] =
      typeof defaults[key] === 'number'
        ? Number(raw)
        : typeof defaults[key] === 'boolean'
          ? raw !== 'false'
          : raw;
  }
  return values;
}

// ─── Processes ──────────────────────────────────────────────────────────────────────────────────

const started = new Set();
const cleanups = [];

/** Runs at exit, on a signal and at the deadline: servers, children, databases. */
export function onCleanup(step) {
  cleanups.push(step);
}

let cleaning;
export function cleanup() {
  cleaning ??= (async () => {
    for (const pid of started) killGroup(pid, 'SIGTERM');
    const until = Date.now() + 3000;
    while ([...started].some(alive) && Date.now() < until) await sleep(50);
    for (const pid of started) if (alive(pid)) killGroup(pid, 'SIGKILL');
    started.clear();
    for (const step of cleanups.reverse())
      await step().catch((error) => console.error('cleanup:', error.message));
  })();
  return cleaning;
}

/** The whole script ends by `ms` whatever happens, cleaning up first. */
export function deadline(ms) {
  const timer = setTimeout(() => {
    console.error(`deadline of ${ms / 1000} s reached: stopping`);
    void cleanup().finally(() => process.exit(2));
  }, ms);
  timer.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signals the process group we started (its leader's pid), never anything else. */
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Starts a child in its own process group, tracked for cleanup. */
export function startChild(
  command,
  args,
  { env = {}, stdio = ['ignore', 'pipe', 'pipe'], ipc = false } = {},
) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ipc ? [...stdio, 'ipc'] : stdio,
    detached: true,
  });
  started.add(child.pid);
  child.once('exit', () => started.delete(child.pid));
  return child;
}

export function stopChild(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    killGroup(child.pid, signal);
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** User + system CPU seconds of a process so far (0 when gone). */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

export function rssKb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export function childrenOf(pid) {
  const children = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return children;
}

/**
 * The built server (dist/, as `npm start` and `npm run cluster` run it), on 127.0.0.1: one process
 * (dist/main.js), or `processes` of them (dist/cluster.js --processes N, what `npm run cluster`
 * runs after its build check). `probePort`: each process reports its event-loop delay, CPU and
 * memory there (bench/scaling/probe.js, preloaded; the server's code is not touched).
 */
export async function startLiveboard({ databaseUrl, processes = 1, env = {}, probePort } = {}) {
  const port = await freePort();
  const args = processes > 1 ? ['dist/cluster.js', '--processes', String(processes)] : ['dist/main.js'];
  const probe = probePort
    ? { NODE_OPTIONS: `--import=${ROOT}bench/scaling/probe.js`, SCALING_PROBE_PORT: String(probePort) }
    : {};
  const child = startChild(process.execPath, args, {
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      LIVEBOARD_WRITE_RATE_LIMIT: '0',
      LIVEBOARD_SEED: '0',
      ...probe,
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (part) => (output = (output + part).slice(-4000)));
  child.stderr.on('data', (part) => (output = (output + part).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`liveboard exited: ${output}`);
    const ok = await httpGetStatus(port, '/healthz').catch(() => 0);
    if (ok === 200) break;
    if (Date.now() > until) throw new Error(`liveboard not healthy in 30 s: ${output}`);
    await sleep(50);
  }
  // A cluster is healthy once one process is: wait for all of them.
  if (processes > 1) {
    const until2 = Date.now() + 20_000;
    while (childrenOf(child.pid).length < processes && Date.now() < until2) await sleep(50);
    await sleep(1000);
  }
  return {
    url,
    port,
    pid: child.pid,
    /** The processes that serve (the workers of a cluster, else the one process). */
    servers: () => (processes > 1 ? childrenOf(child.pid) : [child.pid]),
    output: () => output,
    stop: () => stopChild(child),
  };
}

function httpGetStatus(port, path) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1000, () => socket.destroy(new Error('timeout')));
    socket.once('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    socket.once('data', (data) => {
      resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(String(data))?.[1] ?? 0));
      socket.destroy();
    });
  });
}

// ─── PostgreSQL ─────────────────────────────────────────────────────────────────────────────────

export async function pgQuery(url, sql, params = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** A fresh database for this run, dropped at cleanup; returns its URL. */
export async function createDatabase(prefix) {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  await pgQuery(PG_ADMIN_URL, `CREATE DATABASE ${name}`);
  onCleanup(() => pgQuery(PG_ADMIN_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/**
 * What PostgreSQL spends on one database: CPU seconds of its backends (from /proc, sampled each
 * second, so a backend that exits between samples loses its last second), commits and rollbacks,
 * WAL bytes (cluster-wide), and the NOTIFY queue's use. Backends whose application_name starts with
 * `listenPrefix` are the LISTEN connections, counted apart.
 */
export class PgSampler {
  constructor(adminUrl, database, listenPrefix = 'liveboard-feed:') {
    this.database = database;
    this.listenPrefix = listenPrefix;
    this.client = new pg.Client({ connectionString: adminUrl, application_name: 'scaling-sampler' });
    this.lastCpu = new Map();
    this.totals = { backendCpuS: 0, listenerCpuS: 0 };
  }

  async start() {
    await this.client.connect();
    this.first = await this.read();
    this.previous = this.first;
  }

  async read() {
    const { rows } = await this.client.query(
      `SELECT (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1)::float8 AS xacts,
              pg_current_wal_lsn() - '0/0'::pg_lsn AS wal,
              pg_notification_queue_usage() AS queue,
              (SELECT json_agg(json_build_array(pid, application_name)) FROM pg_stat_activity
                 WHERE datname = $1 AND backend_type = 'client backend') AS backends`,
      [this.database],
    );
    const row = rows[0];
    let cpuDelta = 0;
    let listenerDelta = 0;
    for (const [pid, name] of row.backends ?? []) {
      const cpu = cpuSeconds(pid);
      const last = this.lastCpu.get(pid);
      this.lastCpu.set(pid, cpu);
      if (last === undefined) continue;
      cpuDelta += cpu - last;
      if (name.startsWith(this.listenPrefix)) listenerDelta += cpu - last;
    }
    this.totals.backendCpuS += cpuDelta;
    this.totals.listenerCpuS += listenerDelta;
    return {
      at: monotonicMs(),
      xacts: Number(row.xacts),
      walBytes: Number(row.wal),
      queueUsage: Number(row.queue),
      backends: (row.backends ?? []).length,
      cpuDeltaS: cpuDelta,
      listenerCpuDeltaS: listenerDelta,
    };
  }

  /** A sample, with rates since the previous one. */
  async sample() {
    const now = await this.read();
    const seconds = (now.at - this.previous.at) / 1000;
    const rate = {
      xactsPerS: (now.xacts - this.previous.xacts) / seconds,
      walBytesPerS: (now.walBytes - this.previous.walBytes) / seconds,
      backendCpu: now.cpuDeltaS / seconds,
      listenerCpu: now.listenerCpuDeltaS / seconds,
      queueUsage: now.queueUsage,
      backends: now.backends,
    };
    this.previous = now;
    return rate;
  }

  async totalsSinceStart() {
    const now = await this.read();
    this.previous = now;
    return {
      seconds: (now.at - this.first.at) / 1000,
      xacts: now.xacts - this.first.xacts,
      walBytes: now.walBytes - this.first.walBytes,
      backendCpuS: this.totals.backendCpuS,
      listenerCpuS: this.totals.listenerCpuS,
    };
  }

  async stop() {
    await this.client.end().catch(() => undefined);
  }
}

/**
 * A TCP proxy in front of PostgreSQL that counts, from the server's side of each connection,
 * ReadyForQuery messages (one per round trip: a simple query, or an extended-protocol Sync) and
 * NotificationResponse messages (one per NOTIFY delivered to a listener); and, from the client's
 * side, statements by `classify(sql)` (a Query's or a Parse's text; node-postgres sends one per
 * query and does not pipeline, so each is a round trip).
 */
export async function startPgProxy(targetPort = 5432, classify = () => 'other') {
  const counts = { roundTrips: 0, notifications: 0, connections: 0, statements: {} };
  const sockets = new Set();
  const server = createServer((client) => {
    counts.connections++;
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const fromServer = messageCounter((type) => {
      if (type === 0x5a) counts.roundTrips++;
      else if (type === 0x41) counts.notifications++;
    });
    // The client's first message (startup) has no type byte; then typed messages, whose bodies are
    // only looked at for Query ('Q') and Parse ('P').
    const fromClient = messageReader(
      (type, body) => {
        let sql;
        if (type === 0x51) sql = body.toString('utf8', 0, body.length - 1);
        else if (type === 0x50) {
          const nameEnd = body.indexOf(0);
          sql = body.toString('utf8', nameEnd + 1, body.indexOf(0, nameEnd + 1));
        } else return;
        const kind = classify(sql);
        counts.statements[kind] = (counts.statements[kind] ?? 0) + 1;
      },
      [0x51, 0x50],
    );
    upstream.on('data', (chunk) => {
      fromServer(chunk);
      if (!client.write(chunk)) upstream.pause();
    });
    client.on('drain', () => upstream.resume());
    client.on('data', (chunk) => {
      fromClient(chunk);
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on('error', close);
      socket.on('close', close);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    counts,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Client-side messages: an untyped startup message, then typed ones; bodies of `wanted` types. */
function messageReader(onMessage, wanted) {
  let pending = Buffer.alloc(0);
  let started = false;
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      if (!started) {
        if (pending.length < 4) return;
        const length = pending.readInt32BE(0);
        if (pending.length < length) return;
        pending = pending.subarray(length);
        started = true;
        continue;
      }
      if (pending.length < 5) return;
      const type = pending[0];
      const length = pending.readInt32BE(1);
      if (wanted.includes(type)) {
        if (pending.length < 1 + length) return;
        onMessage(type, pending.subarray(5, 1 + length));
        pending = pending.subarray(1 + length);
      } else {
        if (pending.length < 1 + length) return;
        pending = pending.subarray(1 + length);
      }
    }
  };
}

/** Walks a stream of typed protocol messages (type byte, int32 length) across chunk boundaries. */
export function messageCounter(onType) {
  let skip = 0;
  const header = Buffer.alloc(5);
  let headerBytes = 0;
  return (chunk) => {
    let index = 0;
    while (index < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - index);
        skip -= n;
        index += n;
        continue;
      }
      const n = Math.min(5 - headerBytes, chunk.length - index);
      chunk.copy(header, headerBytes, index, index + n);
      headerBytes += n;
      index += n;
      if (headerBytes < 5) break;
      onType(header[0]);
      skip = header.readInt32BE(1) - 4;
      headerBytes = 0;
    }
  };
}

// ─── HTTP on raw sockets ────────────────────────────────────────────────────────────────────────

/**
 * Keep-alive HTTP/1.1 on `size` raw connections, one request in flight on each, the rest queued:
 * the cheapest load generator that still waits for every answer, since it shares the cores.
 */
export class HttpPool {
  constructor(port, size) {
    this.port = port;
    this.queue = [];
    this.connections = Array.from({ length: size }, () => this.open());
  }

  open() {
    const connection = {
      socket: connect(this.port, '127.0.0.1'),
      current: undefined,
      buffer: Buffer.alloc(0),
    };
    connection.socket.setNoDelay(true);
    connection.socket.on('data', (chunk) => this.onData(connection, chunk));
    const fail = (error) => {
      const current = connection.current;
      connection.current = undefined;
      connection.dead = true;
      current?.reject(error ?? new Error('connection closed'));
      const index = this.connections.indexOf(connection);
      if (index >= 0 && !this.closed) {
        this.connections[index] = this.open();
        this.next(this.connections[index]);
      }
    };
    connection.socket.on('error', fail);
    connection.socket.on('close', () => fail());
    return connection;
  }

  /**
   * Resolves { status, ms, head, body } (as strings; ms from the moment it is sent); never rejects
   * on an HTTP status. `body`: a value to send as JSON, or a function that makes it at sending time;
   * `headers`: more header fields ({name: value}).
   */
  request(method, path, body, headers = {}) {
    return new Promise((resolve, reject) => {
      // A body given as a function is made when the request is sent, not when it is queued.
      const bytes = () => {
        const value = typeof body === 'function' ? body() : body;
        const payload = value === undefined ? '' : JSON.stringify(value);
        const type = payload
          ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n`
          : '';
        const extra = Object.entries(headers)
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('');
        return `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}${type}\r\n${payload}`;
      };
      this.queue.push({ bytes, resolve, reject });
      const idle = this.connections.find((connection) => !connection.current && !connection.dead);
      if (idle) this.next(idle);
    });
  }

  next(connection) {
    if (connection.current || this.queue.length === 0) return;
    const item = this.queue.shift();
    connection.current = item;
    item.started = monotonicMs();
    connection.socket.write(item.bytes());
  }

  onData(connection, chunk) {
    connection.buffer = connection.buffer.length ? Buffer.concat([connection.buffer, chunk]) : chunk;
    for (;;) {
      const current = connection.current;
      if (!current) return;
      const end = connection.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = connection.buffer.subarray(0, end).toString('latin1');
      const status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      let bodyEnd;
      let body;
      if (length) {
        bodyEnd = end + 4 + Number(length[1]);
        if (connection.buffer.length < bodyEnd) return;
        body = connection.buffer.subarray(end + 4, bodyEnd);
      } else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
        const terminator = connection.buffer.indexOf('\r\n0\r\n\r\n', end + 2);
        if (terminator < 0) return;
        bodyEnd = terminator + 7;
        body = dechunk(connection.buffer.subarray(end + 4, bodyEnd));
      } else {
        bodyEnd = end + 4;
        body = Buffer.alloc(0);
      }
      connection.buffer = connection.buffer.subarray(bodyEnd);
      connection.current = undefined;
      current.resolve({ status, ms: monotonicMs() - current.started, head, body: body.toString() });
      this.next(connection);
    }
  }

  close() {
    this.closed = true;
    for (const connection of this.connections) connection.socket.destroy();
    for (const item of this.queue.splice(0)) item.reject(new Error('pool closed'));
  }
}

function dechunk(buffer) {
  const parts = [];
  let index = 0;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', index);
    const size = parseInt(buffer.subarray(index, lineEnd).toString(), 16);
    if (!size) break;
    parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
    index = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * An SSE stream on its own new connection (as a browser's EventSource opens one, so the server
 * serves it on the bare socket). Calls onEvent(seq, dataLine) per event; counts gaps and repeats.
 */
export function openStream(port, path, lastEventId, onEvent) {
  const stream = { lastSeq: lastEventId, gaps: 0, repeats: 0, events: 0, open: false, closed: false };
  const socket = connect(port, '127.0.0.1');
  stream.socket = socket;
  let carry = '';
  let seq;
  let headDone = false;
  socket.on('connect', () => {
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n` +
        `Last-Event-ID: ${lastEventId}\r\n\r\n`,
    );
  });
  socket.on('data', (chunk) => {
    let text = carry + chunk.toString();
    if (!headDone) {
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) {
        carry = text;
        return;
      }
      stream.status = Number(text.slice(9, 12));
      stream.open = stream.status === 200;
      headDone = true;
      text = text.slice(end + 4);
    }
    const lastNewline = text.lastIndexOf('\n');
    carry = text.slice(lastNewline + 1);
    if (lastNewline < 0) return;
    for (const line of text.slice(0, lastNewline).split('\n')) {
      if (line.startsWith('id: ')) seq = Number(line.slice(4));
      else if (line.startsWith('data: ') && seq !== undefined) {
        if (seq === stream.lastSeq + 1) stream.lastSeq = seq;
        else if (seq <= stream.lastSeq) stream.repeats++;
        else {
          stream.gaps++;
          stream.lastSeq = seq;
        }
        stream.events++;
        onEvent(seq, line);
        seq = undefined;
      }
    }
  });
  const done = () => {
    stream.open = false;
    stream.closed = true;
  };
  socket.on('error', done);
  socket.on('close', done);
  stream.close = () => socket.resetAndDestroy();
  return stream;
}
