// One write-load process: holds its share of the writers, each an HTTP/1.1 keep-alive connection
// on a raw node:net socket, and answers bench/writes.js over IPC. Raw sockets and request bytes
// built before the point (http1.js) because it shares two cores with the server under test: per
// write it does one socket write, one read into a reused buffer and a scan for the head's end.
//
// Commands (parent → child), each answered by one message with the same `id`:
//   open {host, port, localAddress, writers: [[requestBytes…]…]}
//        one connection per writer; a writer sends its requests in turn (its boards, round-robin)
//   run {startAt, warmupMs, measureMs, maxWrites}
//        closed loop: from `startAt` (shared CLOCK_MONOTONIC), each writer sends its next request
//        as soon as the answer to the last is in, until the window ends; answers the latencies
//        and statuses of the writes completed inside [startAt + warmupMs, + measureMs)
//   pace {host, port, rate, requests: [bytes…], connections, maxMs}
//        open loop: `rate` writes/s on schedule over up to `connections` connections, whatever
//        the answers; a write whose slot finds no idle connection waits for one, its latency
//        counted from its slot. Runs until `stop` (or `maxMs`); answers then
//   stop, close (reset every connection), exit
import { connect } from 'node:net';
import { monotonicMs } from '../lib/clock.js';
import { ResponseReader } from './http1.js';

const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const MAX_SAMPLES = 2_000_000;

let target = { host: '127.0.0.1', port: 0, localAddress: undefined };
let connections = [];
let pacing = null;
const errors = [];

function noteError(message) {
  if (errors.length < 20) errors.push(message);
}

class Connection {
  constructor(requests) {
    this.requests = requests.map((bytes) => Buffer.from(bytes));
    this.next = 0;
    this.socket = null;
    this.sentAt = 0;
    this.busy = false;
    this.onAnswer = null; // (status, now) => void, set by the mode that drives it
    this.reader = null;
  }

  open() {
    return new Promise((resolve) => {
      this.reader = new ResponseReader(
        (status, close) => {
          const now = monotonicMs();
          this.busy = false;
          if (close) this.reopenLater = true;
          this.onAnswer?.(status, now);
        },
        (message) => {
          noteError(message);
          this.busy = false;
          this.socket?.destroy();
        },
      );
      const socket = connect({
        host: target.host,
        port: target.port,
        localAddress: target.localAddress,
        noDelay: true,
        onread: { buffer: READ_BUFFER, callback: (n, buffer) => this.reader.push(buffer.subarray(0, n)) },
      });
      this.socket = socket;
      socket.once('connect', () => resolve(true));
      socket.on('error', (error) => {
        noteError(error.code ?? error.message);
        resolve(false);
      });
      socket.on('close', () => {
        if (this.socket === socket) this.socket = null;
        if (this.busy) {
          // The answer will not come: count it, and let the writer go on on a new connection.
          this.busy = false;
          this.onAnswer?.(0, monotonicMs());
        }
      });
    });
  }

  /** Sends the next request; false if the connection is gone (the caller reopens it). */
  send(now, bytes = this.requests[this.next++ % this.requests.length]) {
    if (!this.socket || this.socket.destroyed) return false;
    this.busy = true;
    this.sentAt = now;
    this.socket.write(bytes);
    return true;
  }

  reset() {
    this.onAnswer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket && !socket.destroyed) socket.resetAndDestroy();
  }
}

async function openAll(message) {
  closeAll();
  target = { host: message.host, port: message.port, localAddress: message.localAddress };
  connections = message.writers.map((requests) => new Connection(requests));
  const opened = [];
  // A few at a time: 128 connects at once is what the server's accept loop takes without a queue.
  for (let i = 0; i < connections.length; i += 32) {
    opened.push(...(await Promise.all(connections.slice(i, i + 32).map((c) => c.open()))));
  }
  return { opened: opened.filter(Boolean).length };
}

/** Sends on `connection`, reopening it once if the server closed it meanwhile. */
async function sendOrReopen(connection, now) {
  if (connection.send(now)) return true;
  if (!(await connection.open())) return false;
  return connection.send(monotonicMs());
}

function run({ startAt, warmupMs, measureMs, maxWrites }) {
  const measureFrom = startAt + warmupMs;
  const measureTo = measureFrom + measureMs;
  const latencies = new Float64Array(Math.min(MAX_SAMPLES, Math.max(1024, maxWrites)));
  const statuses = {};
  let samples = 0;
  let sent = 0;
  let active = connections.length;
  let outside = 0; // answers outside the window (warm-up, or after it closed)
  return new Promise((resolve) => {
    let finished = false;
    const finish = (timedOut) => {
      if (finished) return;
      finished = true;
      clearTimeout(guard);
      for (const connection of connections) connection.onAnswer = null;
      resolve({
        latencies: latencies.slice(0, samples),
        statuses,
        sent,
        outside,
        timedOut,
        stillBusy: connections.filter((c) => c.busy).length,
        errors: [...errors],
      });
    };
    // Every loop is bounded in time: whatever the server does, the answer comes by then.
    const guard = setTimeout(() => finish(true), startAt - monotonicMs() + warmupMs + measureMs + 15_000);
    const done = () => {
      active--;
      if (active === 0) finish(false);
    };
    const next = async (connection, now) => {
      if (now >= measureTo || sent >= maxWrites) return done();
      sent++;
      if (!(await sendOrReopen(connection, now))) {
        statuses[0] = (statuses[0] ?? 0) + 1;
        return done();
      }
    };
    for (const connection of connections) {
      connection.onAnswer = (status, now) => {
        if (connection.reopenLater) {
          connection.reopenLater = false;
          connection.socket?.destroy();
        }
        if (now >= measureFrom && now < measureTo) {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === 201 && samples < latencies.length) latencies[samples++] = now - connection.sentAt;
        } else outside++;
        void next(connection, now);
      };
    }
    if (connections.length === 0) return finish(false);
    const begin = () => {
      const now = monotonicMs();
      for (const connection of connections) void next(connection, now);
    };
    setTimeout(begin, Math.max(0, startAt - monotonicMs()));
  });
}

/** Open loop at `rate` writes/s; resolves when stopped (or after `maxMs`). */
async function pace({ host, port, rate, requests, connections: size, maxMs }) {
  target = { host, port, localAddress: undefined };
  const pool = Array.from({ length: size }, () => new Connection([]));
  for (const connection of pool) await connection.open();
  const bytes = requests.map((request) => Buffer.from(request));
  const idle = [...pool];
  const backlog = []; // slots (scheduled times) that found no idle connection
  const latencies = [];
  const statuses = {};
  let issued = 0;
  let late = 0;
  const startAt = monotonicMs() + 20;
  const interval = 1000 / rate;
  const dispatch = (connection, slot) => {
    connection.slot = slot;
    if (!connection.send(monotonicMs(), bytes[issued % bytes.length])) {
      statuses[0] = (statuses[0] ?? 0) + 1;
      return;
    }
  };
  for (const connection of pool) {
    connection.onAnswer = (status, now) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 201 && latencies.length < MAX_SAMPLES) latencies.push(now - connection.slot);
      if (connection.reopenLater || !connection.socket) {
        connection.reopenLater = false;
        connection.socket?.destroy();
        void connection.open().then(() => take(connection));
      } else take(connection);
    };
  }
  const take = (connection) => {
    if (!pacing || pacing.stopped) return;
    if (backlog.length > 0) dispatch(connection, backlog.shift());
    else idle.push(connection);
  };
  return new Promise((resolve) => {
    const state = { stopped: false };
    pacing = state;
    const tick = () => {
      const now = monotonicMs();
      const due = Math.floor((now - startAt) / interval) + 1;
      while (issued < due) {
        const slot = startAt + issued * interval;
        issued++;
        const connection = idle.pop();
        if (connection) dispatch(connection, slot);
        else {
          late++;
          if (backlog.length < 10_000) backlog.push(slot);
        }
      }
    };
    const timer = setInterval(tick, Math.max(1, Math.floor(interval / 2)));
    const stop = () => {
      if (state.stopped) return;
      state.stopped = true;
      clearInterval(timer);
      clearTimeout(guard);
      const elapsed = (monotonicMs() - startAt) / 1000;
      for (const connection of pool) connection.reset();
      pacing = null;
      resolve({
        issued,
        late,
        seconds: elapsed,
        latencies: Float64Array.from(latencies),
        statuses,
        errors: [...errors],
      });
    };
    state.stop = stop;
    const guard = setTimeout(stop, maxMs);
  });
}

function closeAll() {
  for (const connection of connections) connection.reset();
  connections = [];
}

process.on('message', async (message) => {
  const { id, cmd } = message;
  try {
    switch (cmd) {
      case 'open':
        errors.length = 0;
        process.send({ id, ...(await openAll(message)) });
        break;
      case 'run':
        errors.length = 0;
        process.send({ id, ...(await run(message)) });
        break;
      case 'pace':
        errors.length = 0;
        process.send({ id, ...(await pace(message)) });
        break;
      case 'stop':
        pacing?.stop?.();
        process.send({ id, ok: true });
        break;
      case 'close':
        closeAll();
        process.send({ id, ok: true });
        break;
      case 'exit':
        closeAll();
        pacing?.stop?.();
        process.send({ id, ok: true });
        setTimeout(() => process.exit(0), 20);
        break;
      default:
        process.send({ id, error: `unknown command ${cmd}` });
    }
  } catch (error) {
    process.send({ id, error: error.stack ?? String(error) });
  }
});

// Never outlive the orchestrator.
process.on('disconnect', () => process.exit(0));
