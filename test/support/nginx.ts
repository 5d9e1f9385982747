/**
 * Debian's nginx for tests: run in the foreground on 127.0.0.1 with a temporary prefix (its own
 * config, pid, logs and temp folders), like bench/lib/ensure-nchan.js's nginx. Missing nginx (or
 * one without HTTP/2 or TLS) skips, saying why; in CI (CI=true) it is a failure: .ci/run installs it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

/** Null when nginx with HTTP/2 and TLS is here, else why not. */
function whyNoNginx(): string | null {
  const version = spawnSync(NGINX, ['-V'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return 'nginx is not installed (apt-get install nginx-light)';
  const built = `${version.stdout}${version.stderr}`;
  for (const module of ['http_v2_module', 'http_ssl_module']) {
    if (!built.includes(`--with-${module}`)) return `this nginx was built without ${module}`;
  }
  return null;
}

export function nginxAvailable(): boolean {
  const reason = whyNoNginx();
  if (reason === null) return true;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`${reason}: the reverse-proxy tests cannot run, and in CI they must`);
  }
  console.warn(`SKIPPING the reverse-proxy tests: ${reason}.`);
  return false;
}

/** Fills `${NAME}` placeholders, and refuses a template that names one not given. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for the template's \${${name}}`);
    return value;
  });
}

export interface RunningNginx {
  /** https://127.0.0.1:<port> */
  url: string;
  /** The access log so far: one line per finished request, `<connection> <protocol> <method> <uri> <status>`. */
  accessLog(): string[];
  stop(): Promise<void>;
}

/**
 * Starts nginx with `httpConfig` in its http {} context (server blocks listening on `port`), and
 * resolves once `https://127.0.0.1:<port>/healthz` answers 200 through it (trusting `ca`).
 */
export async function startNginx(options: {
  httpConfig: string;
  port: number;
  ca: Buffer;
}): Promise<RunningNginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'liveboard-nginx-'));
  // Workers run as nobody when the master is root: they must reach their temp folders in here.
  chmodSync(prefix, 0o755);
  const accessLog = join(prefix, 'access.log');
  const errorLog = join(prefix, 'error.log');
  writeFileSync(join(prefix, 'liveboard.conf'), options.httpConfig);
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${errorLog} warn;
events { worker_connections 1024; }
http {
  log_format liveboard_test '$connection $server_protocol $request_method $uri $status';
  access_log ${accessLog} liveboard_test;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  include ${prefix}/liveboard.conf;
}
`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', prefix, '-e', errorLog, '-c', join(prefix, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `https://127.0.0.1:${options.port}`;
  const readLog = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

  const started = await Promise.race([
    waitForHealth(url, options.ca).then(() => true),
    exited.then(() => false),
  ]);
  if (!started) {
    rmSync(prefix, { recursive: true, force: true });
    throw new Error(`nginx exited before it was ready:\n${stderr}${readLog(errorLog)}`);
  }
  return {
    url,
    accessLog: () => readLog(accessLog).split('\n').filter(Boolean),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

async function waitForHealth(url: string, ca: Buffer, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await new Promise<number>((resolve) => {
      httpsGet(`${url}/healthz`, { ca, agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on('error', () => resolve(0));
    });
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`nginx at ${url} did not answer /healthz with 200 (last: ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
