// The orchestrator's handle on the load-client processes: spreads streams across them evenly
// and merges their answers. Each process gets its own loopback source addresses (127.0.0.x), so
// the bench never runs out of ephemeral ports however many streams it opens and closes.
import { fork } from 'node:child_process';
import { shareOf } from './accounts.js';
import { cpuSeconds } from './procfs.js';

const CLIENT = new URL('../load-client.js', import.meta.url).pathname;
const ADDRESSES_PER_CLIENT = 2;

export class LoadClients {
  /** `block` picks this pool's source addresses (127.0.<block + 1>.x), apart from other pools'. */
  constructor(count, block = 0) {
    this.block = block;
    this.nextId = 1;
    this.pending = new Map();
    this.counts = new Array(count).fill(0);
    this.procs = Array.from({ length: count }, (_, index) => {
      const proc = fork(CLIENT, [], {
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execArgv: ['--max-old-space-size=1024'],
      });
      proc.index = index;
      proc.on('message', (message) => {
        const entry = this.pending.get(message.id);
        if (!entry) return;
        this.pending.delete(message.id);
        entry.resolve(message);
      });
      proc.on('exit', (code, signal) => {
        for (const [id, entry] of this.pending) {
          if (entry.proc === proc) {
            this.pending.delete(id);
            entry.reject(new Error(`load client ${index} exited (${code ?? signal})`));
          }
        }
      });
      return proc;
    });
  }

  call(index, message) {
    const proc = this.procs[index];
    const id = this.nextId++;
    if (!proc.connected)
      return Promise.reject(new Error(`load client ${index} is gone (${proc.exitCode ?? proc.signalCode})`));
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, proc });
      proc.send({ ...message, id });
    });
  }

  each(makeMessage) {
    return Promise.all(this.procs.map((_, index) => this.call(index, makeMessage(index))));
  }

  get total() {
    return this.counts.reduce((a, b) => a + b, 0);
  }

  cpuSeconds() {
    return this.procs.reduce((sum, proc) => sum + cpuSeconds(proc.pid), 0);
  }

  configure(target) {
    this.counts.fill(0);
    return this.each((index) => ({
      cmd: 'config',
      target: {
        host: '127.0.0.1',
        port: target.port,
        path: target.eventsPath,
        numericIds: target.numericIds,
        // A signed-in user's streams (lib/accounts.js): each process holds its own users' cookies.
        credentials: target.credentials ? shareOf(target.credentials, index, this.procs.length) : null,
        perCredential: target.perCredential ?? null,
        localAddresses: Array.from(
          { length: ADDRESSES_PER_CLIENT },
          (_, k) => `127.0.${this.block + 1}.${2 + index * ADDRESSES_PER_CLIENT + k}`,
        ),
      },
    }));
  }

  share(total, index) {
    const n = this.procs.length;
    return Math.floor(total / n) + (index < total % n ? 1 : 0);
  }

  /** Opens streams until `total` are held in all; resolves {opened, failed, ms}. */
  async openTo(total, { lastEventId, inFlight } = {}) {
    const replies = await this.each((index) => ({
      cmd: 'open',
      count: Math.max(0, this.share(total, index) - this.counts[index]),
      lastEventId,
      inFlight,
    }));
    replies.forEach((reply, index) => (this.counts[index] += reply.opened));
    return {
      opened: replies.reduce((sum, r) => sum + r.opened, 0),
      failed: replies.reduce((sum, r) => sum + r.failed, 0),
      ms: Math.max(...replies.map((r) => r.ms)),
    };
  }

  /**
   * Opens one stream per spec ({client, path, boards, from, multi}: see load-client.js), each on
   * process `client % count`, so that the streams of one simulated client share a process.
   */
  async openSpecs(specs, { inFlight } = {}) {
    const shares = this.procs.map(() => []);
    for (const spec of specs) shares[spec.client % shares.length].push(spec);
    const replies = await this.each((index) => ({
      cmd: 'open',
      specs: shares[index].map(({ path, boards, from, multi }) => ({ path, boards, from, multi })),
      inFlight,
    }));
    replies.forEach((reply, index) => (this.counts[index] += reply.opened));
    return {
      opened: replies.reduce((sum, r) => sum + r.opened, 0),
      failed: replies.reduce((sum, r) => sum + r.failed, 0),
      ms: Math.max(...replies.map((r) => r.ms)),
    };
  }

  /** Closes streams until `total` are left. */
  async closeTo(total) {
    const replies = await this.each((index) => ({
      cmd: 'close',
      count: Math.max(0, this.counts[index] - this.share(total, index)),
    }));
    replies.forEach((reply, index) => (this.counts[index] = reply.streams));
  }

  reset(record = false) {
    return this.each(() => ({ cmd: 'reset', record }));
  }

  reconnect(on) {
    return this.each(() => ({ cmd: 'reconnect', on }));
  }

  /**
   * Waits until every stream got `events` since the reset, or reached id `seq`, or reached on each
   * of its boards that board's seq in `seqs` ({boardId: seq}); merges the answers.
   */
  async wait({ events, seq, seqs, timeoutMs }) {
    return merge(await this.each(() => ({ cmd: 'wait', events, seq, seqs, timeoutMs })));
  }

  async stats() {
    return merge(await this.each(() => ({ cmd: 'stats' })));
  }

  async exit() {
    await Promise.race([
      this.each(() => ({ cmd: 'exit' })).catch(() => {}),
      new Promise((r) => setTimeout(r, 2000)),
    ]);
    for (const proc of this.procs) if (proc.exitCode === null) proc.kill('SIGKILL');
  }

  kill() {
    for (const proc of this.procs) if (proc.exitCode === null) proc.kill('SIGKILL');
  }
}

function merge(replies) {
  const sum = (key) => replies.reduce((total, r) => total + (r[key] ?? 0), 0);
  const all = replies.flatMap((r) => (r.latencies ? Array.from(r.latencies) : []));
  return {
    timedOut: replies.some((r) => r.timedOut),
    done: sum('done'),
    streams: sum('streams'),
    connected: sum('connected'),
    events: sum('events'),
    bytes: sum('bytes'),
    reads: sum('reads'),
    gaps: sum('gaps'),
    dups: sum('dups'),
    controls: sum('controls'),
    minEvents: Math.min(...replies.map((r) => r.minEvents)),
    lastAt: Math.max(...replies.map((r) => r.lastAt ?? 0)),
    reconnects: sum('reconnects'),
    badStatus: sum('badStatus'),
    unexpectedCloses: sum('unexpectedCloses'),
    failedOpens: sum('failedOpens'),
    errors: replies.flatMap((r) => r.errors ?? []).slice(0, 20),
    stuck: replies.flatMap((r) => r.stuck ?? []).slice(0, 6),
    latencies: all,
  };
}
