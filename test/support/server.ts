/**
 * The one way tests start Liveboard: a real server process (the built dist/main.js, as `npm start`
 * runs it) on 127.0.0.1, on its own data, that a test can SIGKILL and restart on the same port and data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { apiClient, type ApiClient } from './http.js';
import { dropSchema, freshSchemaName, schemaUrl } from './postgres.js';
import type { TestCertificate } from './tls.js';

export interface ServerOptions {
  /** Extra environment for the server (e.g. LIVEBOARD_RETRY_MS). */
  env?: Record<string, string>;
  /** Run `npm run cluster` with this many processes on one port, instead of one process. */
  processes?: number;
  /** A database URL; by default a fresh SQLite file in a temporary folder. */
  databaseUrl?: string;
  /** Print the server's logs (set LIVEBOARD_TEST_LOGS=1 to see them everywhere). */
  logs?: boolean;
  /** A script to run instead of dist/main.js (e.g. one that injects a fault at the write path). */
  entry?: string;
  /** Serve https (HTTP/2 and HTTP/1.1) with this certificate (see tls.ts); `url` is then https://. */
  tls?: TestCertificate;
}

export interface TestServer {
  url: string;
  port: number;
  databaseUrl: string;
  process: ChildProcess;
  /** SIGKILL: no cleanup, no flush, as in a crash. */
  kill(): Promise<void>;
  /** SIGTERM, and wait for the exit code. */
  stop(): Promise<number | null>;
  /** Start again on the same port and data (after kill or stop). */
  restart(): Promise<void>;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited(): Promise<number | null>;
  /** Stop if running, and remove the temporary data. */
  dispose(): Promise<void>;
}

const ROOT = new URL('../..', import.meta.url).pathname;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  // LIVEBOARD_TEST_STORE=postgres (the `postgres` vitest project) runs the same tests on PostgreSQL,
  // each server on a schema of its own.
  const ownSchema =
    !options.databaseUrl && process.env.LIVEBOARD_TEST_STORE === 'postgres' ? freshSchemaName() : undefined;
  const dataDir =
    options.databaseUrl || ownSchema ? undefined : mkdtempSync(join(tmpdir(), 'liveboard-test-'));
  const databaseUrl =
    options.databaseUrl ?? (ownSchema ? schemaUrl(ownSchema) : `file:${join(dataDir!, 'liveboard.db')}`);
  const port = await freePort();
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const tlsEnv = options.tls
    ? { LIVEBOARD_TLS_CERT: options.tls.certFile, LIVEBOARD_TLS_KEY: options.tls.keyFile }
    : {};
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const entry = options.processes
      ? [join(ROOT, 'dist/cluster.js'), '--processes', String(options.processes)]
      : [options.entry ?? join(ROOT, 'dist/main.js')];
    const proc = spawn(process.execPath, entry, {
      cwd: ROOT,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: options.logs || process.env.LIVEBOARD_TEST_LOGS ? 'info' : 'warn',
        ...tlsEnv,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (options.logs || process.env.LIVEBOARD_TEST_LOGS) process.stderr.write(chunk);
    };
    proc.stdout!.on('data', collect);
    proc.stderr!.on('data', collect);
    const exited = new Promise<never>((_, reject) =>
      proc.once('exit', (code) =>
        reject(new Error(`server exited (${code}) before it was ready:\n${output}`)),
      ),
    );
    await Promise.race([waitForHealth(url, options.tls?.cert), exited]);
    proc.removeAllListeners('exit');
  };

  const waitExit = (proc: ChildProcess): Promise<number | null> =>
    proc.exitCode !== null || proc.signalCode !== null
      ? Promise.resolve(proc.exitCode)
      : new Promise((resolve) => proc.once('exit', (code) => resolve(code)));

  await launch();
  return {
    url,
    port,
    databaseUrl,
    get process() {
      return child!;
    },
    async kill() {
      if (!child) return;
      const exit = waitExit(child);
      child.kill('SIGKILL');
      await exit;
    },
    async stop() {
      if (!child) return null;
      const exit = waitExit(child);
      child.kill('SIGTERM');
      return exit;
    },
    async restart() {
      await launch();
    },
    exited() {
      return child ? waitExit(child) : Promise.resolve(null);
    },
    async dispose() {
      if (child && child.exitCode === null && child.signalCode === null) {
        const exit = waitExit(child);
        child.kill('SIGKILL');
        await exit;
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (ownSchema) await dropSchema(ownSchema);
    },
  };
}

async function waitForHealth(url: string, ca: Buffer | undefined, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (ca ? await healthyOverTls(url, ca) : (await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server at ${url} not healthy within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** fetch cannot be told to trust a test's own certificate; node:https can. */
function healthyOverTls(url: string, ca: Buffer): Promise<boolean> {
  return new Promise((resolve, reject) => {
    httpsGet(`${url}/healthz`, { ca }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    }).on('error', reject);
  });
}

/**
 * One server for a test file: started before its tests, disposed after them. `server` and `api`
 * are there once the file's beforeAll has run, i.e. inside tests and later hooks.
 */
export function useServer(options: ServerOptions = {}): {
  readonly server: TestServer;
  readonly api: ApiClient;
} {
  let started: { server: TestServer; api: ApiClient } | undefined;
  beforeAll(async () => {
    const server = await startServer(options);
    started = { server, api: apiClient(server.url) };
  });
  afterAll(async () => {
    await started?.server.dispose();
  });
  const get = (): { server: TestServer; api: ApiClient } => {
    if (!started) throw new Error('useServer: the server starts in beforeAll; use it inside tests');
    return started;
  };
  return {
    get server() {
      return get().server;
    },
    get api() {
      return get().api;
    },
  };
}
