// The orchestrator's handles on its child processes: the write-load processes (loader.js), the SSE
// load clients (../load-client.js, driven over its IPC protocol as bench/lib/load-clients.js does),
// and one-shot scripts that print a JSON result (the floors). Every child is killed on exit.
import { fork } from 'node:child_process';
import { cpuSeconds } from '../lib/procfs.js';

const HERE = new URL('.', import.meta.url).pathname;
const LOADER = `${HERE}loader.js`;
const LOAD_CLIENT = new URL('../load-client.js', import.meta.url).pathname;

/** Every child this run started and has not seen exit: `killAll` ends them, by pid. */
const children = new Set();

export function killAll() {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Several processes that answer `{id, cmd, …}` messages with `{id, …}`. */
class Pool {
  constructor(script, count) {
    this.nextId = 1;
    this.pending = new Map();
    this.procs = Array.from({ length: count }, (_, index) => {
      const proc = track(
        fork(script, [], {
          serialization: 'advanced',
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          execArgv: ['--max-old-space-size=1024'],
        }),
      );
      proc.on('message', (message) => {
        const entry = this.pending.get(message.id);
        if (!entry) return;
        this.pending.delete(message.id);
        if (message.error) entry.reject(new Error(`${script}: ${message.error}`));
        else entry.resolve(message);
      });
      proc.on('exit', (code, signal) => {
        for (const [id, entry] of this.pending) {
          if (entry.proc !== proc) continue;
          this.pending.delete(id);
          entry.reject(new Error(`child ${index} exited (${code ?? signal})`));
        }
      });
      return proc;
    });
  }

  call(index, message) {
    const proc = this.procs[index];
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, proc });
      proc.send({ ...message, id });
    });
  }

  each(makeMessage) {
    return Promise.all(this.procs.map((_, index) => this.call(index, makeMessage(index))));
  }

  cpuSeconds() {
    return this.procs.reduce((sum, proc) => sum + cpuSeconds(proc.pid), 0);
  }

  async exit() {
    await Promise.race([
      Promise.allSettled(this.procs.map((_, index) => this.call(index, { cmd: 'exit' }))),
      new Promise((resolve) => setTimeout(resolve, 2000)),
    ]);
    for (const proc of this.procs) if (proc.exitCode === null) proc.kill('SIGKILL');
  }
}

export class Loaders extends Pool {
  constructor(count) {
    super(LOADER, count);
  }
}

/** The SSE load clients of bench/load-client.js, each on its own loopback source addresses. */
export class SseClients extends Pool {
  constructor(count, block) {
    super(LOAD_CLIENT, count);
    this.block = block;
  }

  configure({ port, path }) {
    return this.each((index) => ({
      cmd: 'config',
      target: {
        host: '127.0.0.1',
        port,
        path,
        numericIds: true,
        localAddresses: [`127.0.${this.block}.${2 + 2 * index}`, `127.0.${this.block}.${3 + 2 * index}`],
      },
    }));
  }

  async open(total, lastEventId) {
    const n = this.procs.length;
    const replies = await this.each((index) => ({
      cmd: 'open',
      count: Math.floor(total / n) + (index < total % n ? 1 : 0),
      lastEventId,
    }));
    return {
      opened: replies.reduce((sum, r) => sum + r.opened, 0),
      failed: replies.reduce((s, r) => s + r.failed, 0),
    };
  }

  reset(record) {
    return this.each(() => ({ cmd: 'reset', record }));
  }

  /** Waits until every stream got `events` since the reset; merges the answers. */
  async wait(events, timeoutMs) {
    const replies = await this.each(() => ({ cmd: 'wait', events, timeoutMs }));
    return {
      timedOut: replies.some((r) => r.timedOut),
      streams: replies.reduce((sum, r) => sum + r.streams, 0),
      events: replies.reduce((sum, r) => sum + r.events, 0),
      gaps: replies.reduce((sum, r) => sum + r.gaps, 0),
      dups: replies.reduce((sum, r) => sum + r.dups, 0),
      latencies: replies.flatMap((r) => Array.from(r.latencies ?? [])),
    };
  }
}

/** Runs `node script` with `input` as JSON in argv; resolves the JSON it prints last on stdout. */
export function runScript(script, input, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = track(fork(script, [JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }));
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err = (err + chunk).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').at(-1);
      try {
        if (code !== 0) throw new Error(`exited ${code ?? signal}`);
        resolve(JSON.parse(last));
      } catch (error) {
        reject(new Error(`${script}: ${error.message}\n${err}`));
      }
    });
  });
}
