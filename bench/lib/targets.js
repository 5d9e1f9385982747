// The three servers the bench compares, behind one shape:
//   { name, eventsPath, numericIds, start(), kill(), stop(), publish(agent, title), rssKb(), cpuSeconds() }
// Liveboard is the product (dist/main.js on the embedded store); nginx + nchan is the reference;
// node-floor is the least a node:http broadcaster can do. All listen on 127.0.0.1 only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { send, waitHealthy } from './http.js';
import { familyCpuSeconds, familyRssKb, processFamily, waitQuiet } from './procfs.js';

const BENCH = new URL('..', import.meta.url).pathname;
const ROOT = join(BENCH, '..');
export const NCHAN_MODULES = '/usr/lib/nginx/modules';
const NOFILE_CAP = 20_000;
/** How the bench starts a Node server: with a full collection on SIGUSR2 (collectGarbage). */
const NODE_ARGS = ['--expose-gc', '--import', join(BENCH, 'peers/collect-on-signal.js')];

/** Starts `command` with its soft open-files limit raised to the hard limit (where allowed). */
function spawnWithFdLimit(command, args, options) {
  const script = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"';
  const child = spawn('sh', ['-c', script, 'sh', command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  child.output = '';
  const keep = (chunk) => {
    child.output = (child.output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return child;
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

function signalAndWait(child, signal, timeoutMs = 10_000) {
  if (!child || exited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** A payload shaped and sized like Liveboard's task_created event, for the peers to carry. */
function syntheticEvent(seq, title) {
  const at = new Date().toISOString();
  return JSON.stringify({
    type: 'task_created',
    seq,
    at,
    task: {
      id: `task-${seq.toString(36).padStart(10, '0')}`,
      boardId: 'board-1',
      listId: 'list-todo',
      title,
      description: '',
      position: `a${seq.toString(36)}`,
      version: 1,
      createdAt: at,
      updatedAt: at,
    },
  });
}

/** A publish: one JSON POST, timed. */
function postJson(url, agent, body, headers = {}) {
  return send(url, {
    method: 'POST',
    agent,
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });
}

/** How Liveboard and the floor answer a publish: 201 and the event's seq in `Board-Seq`. */
function createdWithSeq(res) {
  return { status: res.status, ok: res.status === 201, seq: Number(res.headers['board-seq']), ms: res.ms };
}

function baseTarget(name, port) {
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    child: null,
    get pid() {
      return this.child?.pid;
    },
    rssKb() {
      return this.pid ? familyRssKb(this.pid) : 0;
    },
    cpuSeconds() {
      return this.pid ? familyCpuSeconds(this.pid) : 0;
    },
    async kill() {
      await signalAndWait(this.child, 'SIGKILL');
    },
    async stop() {
      await signalAndWait(this.child, 'SIGTERM');
    },
    /** A Node server's processes collect their garbage (peers/collect-on-signal.js), and are idle again. */
    async collectGarbage() {
      if (!this.collects || !this.pid) return;
      for (const pid of processFamily(this.pid)) {
        try {
          process.kill(pid, 'SIGUSR2');
        } catch {
          // exited meanwhile
        }
      }
      await waitQuiet(() => this.cpuSeconds(), { windowMs: 200 });
    },
    async launch(command, args, env) {
      this.child = spawnWithFdLimit(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
      const child = this.child;
      try {
        // BENCH_START_TIMEOUT_S: a restart under 10,000 reconnecting streams on a busy machine can
        // keep /healthz waiting for its turn longer than a quiet start takes.
        const timeoutMs = Number(process.env.BENCH_START_TIMEOUT_S || 60) * 1000;
        await waitHealthy(`${this.url}/healthz`, timeoutMs, () => !exited(child));
      } catch (error) {
        throw new Error(`${name}: ${error.message}\n${child.output}`, { cause: error });
      }
    },
  };
}

/** `main`: the server to run; BENCH_LIVEBOARD_MAIN points it at a scratch build of a proposed change. */
export function liveboardTarget(port, main = join(ROOT, 'dist/main.js'), name = 'liveboard') {
  const dataDir = mkdtempSync(join(tmpdir(), 'liveboard-bench-'));
  const target = baseTarget(name, port);
  return Object.assign(target, {
    label: name === 'liveboard' ? 'Liveboard' : `Liveboard (${name})`,
    eventsPath: '/boards/board-1/events',
    numericIds: true,
    restartable: true,
    collects: true,
    databaseUrl: `file:${join(dataDir, 'liveboard.db')}`,
    async start() {
      // BENCH_LIVEBOARD_PROCESSES=2: `npm run cluster` on the same SQLite file, the cores sharing the fan-out.
      const processes = Number(process.env.BENCH_LIVEBOARD_PROCESSES ?? 1);
      const entry = processes > 1 ? [join(main, '../cluster.js'), '--processes', String(processes)] : [main];
      await this.launch(process.execPath, [...NODE_ARGS, ...entry], {
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: this.databaseUrl,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
        // The per-address write limit would measure itself: the publisher is one address.
        LIVEBOARD_WRITE_RATE_LIMIT: '0',
        // Likewise the stream caps: anonymous streams come from the load clients' few source
        // addresses (256 each by default), and the capacity run's 19,000 signed-in streams from
        // the same 200 users as the others (95 each; 64 by default). Checked all the same.
        LIVEBOARD_MAX_STREAMS_PER_ADDRESS: '1000000',
        LIVEBOARD_MAX_STREAMS_PER_USER: '1000',
      });
    },
    /** The board's seq now, as a snapshot gives it. */
    async position() {
      const res = await send(`${this.url}/boards/board-1`);
      return JSON.parse(res.body).seq;
    },
    async publish(agent, title) {
      return createdWithSeq(
        await postJson(
          `${this.url}/boards/board-1/tasks`,
          agent,
          JSON.stringify({ listId: 'list-todo', title }),
        ),
      );
    },
    async dispose() {
      await this.kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export function nodeFloorTarget(port) {
  const target = baseTarget('node-floor', port);
  let seq = 0;
  return Object.assign(target, {
    label: 'node:http floor',
    eventsPath: '/events',
    numericIds: true,
    restartable: false,
    collects: true,
    async start() {
      seq = 0;
      await this.launch(process.execPath, [...NODE_ARGS, join(BENCH, 'peers/node-floor.js')], {
        HOST: '127.0.0.1',
        PORT: String(port),
      });
    },
    async publish(agent, title) {
      seq++;
      return createdWithSeq(await postJson(`${this.url}/publish`, agent, syntheticEvent(seq, title)));
    },
    async dispose() {
      await this.kill();
    },
  });
}

export function nchanTarget(port, { workers = 1 } = {}) {
  const prefix = mkdtempSync(join(tmpdir(), 'nchan-bench-'));
  const target = baseTarget('nchan', port);
  let seq = 0;
  return Object.assign(target, {
    label: `nginx + nchan (${workers} worker${workers === 1 ? '' : 's'})`,
    eventsPath: '/events',
    numericIds: false, // nchan's ids are "<time>:<tag>"
    restartable: false,
    async start() {
      seq = 0;
      const config = readFileSync(join(BENCH, 'peers/nchan.conf'), 'utf8')
        .replaceAll('@MODULES@', NCHAN_MODULES)
        .replaceAll('@WORKERS@', String(workers))
        .replaceAll('@NOFILE@', String(NOFILE_CAP))
        // More slots than fds: with 19,900 slots nginx said "worker_connections are not enough" at
        // 18,667 open fds and turned subscribers away. The open-files limit is the real bound.
        .replaceAll('@CONNECTIONS@', String(NOFILE_CAP * 2))
        .replaceAll('@PREFIX@', prefix)
        .replaceAll('@PORT@', String(port));
      writeFileSync(join(prefix, 'nginx.conf'), config);
      await this.launch(
        nginxBinary(),
        ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', join(prefix, 'nginx.conf')],
        {},
      );
    },
    async publish(agent, title) {
      seq++;
      const res = await postJson(`${this.url}/publish`, agent, syntheticEvent(seq, title), {
        Accept: 'text/json',
      });
      return { status: res.status, ok: res.status >= 200 && res.status < 300, seq, ms: res.ms };
    },
    /** nginx's own complaints (alerts, errors), for the report. */
    logTail() {
      try {
        const lines = readFileSync(join(prefix, 'error.log'), 'utf8').split('\n');
        return lines.filter((line) => /\[(emerg|alert|crit|error)\]/.test(line)).slice(-10);
      } catch {
        return [];
      }
    },
    async dispose() {
      await this.stop();
      rmSync(prefix, { recursive: true, force: true });
    },
  });
}

function nginxBinary() {
  return existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
}

export function nginxVersion() {
  const result = spawnSync(nginxBinary(), ['-v'], { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() || null;
}
