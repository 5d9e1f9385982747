// The servers under test and their stores: a Liveboard build (dist/main.js, or dist/cluster.js
// for several processes) on a fresh SQLite file or a fresh PostgreSQL schema, on 127.0.0.1; and
// the boards each point writes to, made through the REST API as a client would make them.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { boardMaker } from '../lib/accounts.js';
import { send, waitHealthy } from '../lib/http.js';
import { familyCpuSeconds, processFamily } from '../lib/procfs.js';

const ROOT = new URL('../..', import.meta.url).pathname;

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A copy of the build that `main` belongs to (its dist/, beside its package.json and node_modules),
 * so that a rebuild of the work tree during the run does not change the build under test between
 * two servers. Returns {main, dir, builtAt}; remove `dir` afterwards.
 */
export function snapshotBuild(main) {
  const root = join(main, '../..');
  const dir = mkdtempSync(join(tmpdir(), 'liveboard-writes-build-'));
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return {
    main: join(dir, 'dist', main.slice(join(root, 'dist').length + 1)),
    dir,
    builtAt: statSync(main).mtime.toISOString(),
  };
}

/** A fresh store for one server: `{kind, databaseUrl, dispose()}`; `tag` names its file or schema. */
export function freshStore(kind, { postgresUrl, tag }) {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'liveboard-writes-'));
    return {
      kind,
      dir,
      databaseUrl: `file:${join(dir, 'liveboard.db')}`,
      async dispose() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_writes_${process.pid}_${tag}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const url = new URL(postgresUrl);
  url.searchParams.set('schema', schema);
  return {
    kind,
    schema,
    databaseUrl: url.toString(),
    async dispose() {
      await dropSchema(postgresUrl, schema);
    },
  };
}

export async function dropSchema(postgresUrl, schema) {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Is PostgreSQL there? `null` if so, else why not. */
export async function postgresProblem(postgresUrl) {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error.message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A Liveboard build on `store`: `main` is its dist/main.js; `processes` > 1 runs its dist/cluster.js. */
export function liveboardServer({ name, main, processes = 1, store, port, env = {} }) {
  let child = null;
  let output = '';
  const exited = () => !child || child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    async start() {
      const entry = processes > 1 ? [join(main, '../cluster.js'), '--processes', String(processes)] : [main];
      // A new server on a port an earlier one had knows nothing of its bench user.
      makers.delete(this.url);
      child = spawn(process.execPath, entry, {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          HOST: '127.0.0.1',
          PORT: String(port),
          DATABASE_URL: store.databaseUrl,
          LOG_LEVEL: 'warn',
          NODE_ENV: 'production',
          LIVEBOARD_SEED: '0',
          // The load comes from one address: the per-address limit would measure itself.
          LIVEBOARD_WRITE_RATE_LIMIT: '0',
          ...env,
        },
      });
      const keep = (chunk) => (output = (output + chunk).slice(-4000));
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      try {
        await waitHealthy(`${this.url}/healthz`, 30_000, () => !exited());
        // A cluster answers /healthz from its first process: wait a moment for the others.
        if (processes > 1) await new Promise((resolve) => setTimeout(resolve, 1500));
      } catch (error) {
        throw new Error(`${name}: ${error.message}\n${output}`, { cause: error });
      }
    },
    /** The server's CPU seconds: the process and, for a cluster, its workers. */
    cpuSeconds() {
      return child && !exited() ? familyCpuSeconds(child.pid) : 0;
    },
    output: () => output,
    /** SIGTERM, then SIGKILL to it and its workers after 5 s. */
    async stop() {
      if (exited()) return;
      const family = processFamily(child.pid);
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          for (const pid of family) {
            try {
              process.kill(pid, 'SIGKILL');
            } catch {
              // gone already
            }
          }
        }, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
      // A worker the primary did not take with it.
      for (const pid of family.slice(1)) {
        try {
          process.kill(pid, 0);
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone, as it should be
        }
      }
    },
    /** Last resort (the time limit, a crash of the orchestrator): SIGKILL, no wait. */
    kill() {
      if (exited()) return;
      for (const pid of processFamily(child.pid).reverse()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    },
  };
}

async function postJson(url, agent, body, headers = {}) {
  const res = await send(url, {
    method: 'POST',
    agent,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
    timeoutMs: 30_000,
  });
  if (res.status !== 201) throw new Error(`POST ${url}: ${res.status} ${res.body.slice(0, 200)}`);
  return JSON.parse(res.body);
}

/**
 * The bench user of each server, signed up (or in) once: every point makes its boards, and sign-ins
 * are throttled per address (a whole grid, 15 points × 3 rounds, would be refused 429 part way).
 */
const makers = new Map();
function makerOf(baseUrl, agent) {
  if (!makers.has(baseUrl)) {
    const made = boardMaker(baseUrl, { agent });
    made.catch(() => makers.delete(baseUrl));
    makers.set(baseUrl, made);
  }
  return makers.get(baseUrl);
}

/**
 * `count` new boards with one list each, `concurrency` at a time: [{boardId, listId}]. Made by a
 * bench user and open to everyone (see boardMaker): the writes stay anonymous, as they were.
 */
export async function createBoards(baseUrl, agent, count, { concurrency = 8, tag = 'w' } = {}) {
  const maker = await makerOf(baseUrl, agent);
  const boards = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const k = next++;
      const board = await postJson(
        `${baseUrl}/boards`,
        agent,
        { title: `Bench ${tag} ${k}`, ...maker.fields },
        maker.headers,
      );
      const list = await postJson(`${baseUrl}/boards/${board.id}/lists`, agent, { title: 'To do' });
      boards[k] = { boardId: board.id, listId: list.id };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return boards;
}

/** The board's seq now, as its snapshot says. */
export async function boardSeq(baseUrl, boardId) {
  const res = await send(`${baseUrl}/boards/${boardId}`);
  return JSON.parse(res.body).seq;
}
