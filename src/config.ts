import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { createSecureContext } from 'node:tls';

/** The one place configuration is read: environment in, a typed, validated Config out. */
export interface Config {
  host: string;
  port: number;
  /** `file:<path>` (SQLite) or `postgres://…`. */
  databaseUrl: string;
  logLevel: string;
  /** The `retry:` the SSE stream advises, before per-connection jitter. */
  retryMs: number;
  /** Keep-alive comment period for idle streams (the contract asks for at most 15 s). */
  heartbeatMs: number;
  /** Open streams one process serves; past it, a stream is answered with a long `retry:` and closed. */
  maxStreams: number;
  /** Unsent bytes a stream may hold before the reader counts as too slow and is dropped. */
  streamBufferBytes: number;
  bodyLimitBytes: number;
  /** Writes one client address may make per minute (429 past it); 0 turns the limit off. */
  writeRateLimitPerMinute: number;
  /** Writes one transaction of the group commit takes at most (on SQLite, of every board waiting). */
  writeBatchLimit: number;
  /** Writes one board may have waiting for its next transaction; past it, 503 with Retry-After. */
  writeQueueLimit: number;
  /**
   * Events kept in each board's log (older ones are pruned; a client behind them gets `reset`); 0 keeps
   * all. 100,000: a card's history (read from the log) reaches back that far; docs/API.md has its disk cost.
   */
  eventRetention: number;
  /** Seed the demo board on a store's first start. */
  seedDemo: boolean;
  /** Serve the web app from this folder (the Vite build). */
  webRoot: string | undefined;
  /**
   * The certificate chain and private key (PEM, read from LIVEBOARD_TLS_CERT and LIVEBOARD_TLS_KEY):
   * serve https, HTTP/2 and HTTP/1.1 (ALPN) on the one port. Undefined: plain HTTP/1.1.
   */
  tls: { cert: Buffer; key: Buffer } | undefined;
  /**
   * The proxies whose `X-Forwarded-For/-Proto/-Host` are believed (addresses and CIDR ranges, as
   * Fastify's `trustProxy` takes them); false: believe no one, the peer's address is the client's.
   */
  trustProxy: string[] | false;
  /**
   * The origin browsers reach this server at (LIVEBOARD_PUBLIC_URL, http or https, no path): its
   * host is allowed in `Host`, its origin is this server's own for the cross-origin check, and
   * https makes the session cookie `Secure` with the `__Host-` name. Undefined: not behind a name.
   */
  publicUrl: URL | undefined;
  /**
   * The host names a request's `Host` may carry (LIVEBOARD_ALLOWED_HOSTS), lower-cased, without
   * port (a port in `Host` is ignored when matching); anything else is 400 `host_not_allowed`, the
   * stream's head included, which is what keeps a server on 127.0.0.1 from being read by any web
   * page through DNS rebinding. Default: the local names and the public URL's host. `['*']` allows
   * any host, and so turns that protection off.
   */
  allowedHosts: string[];
  /** Who may sign up (LIVEBOARD_SIGNUP): anyone, only with a valid invitation, or nobody. */
  signup: SignupPolicy;
  /** Session cookies are `Secure` and named `__Host-liveboard_session`: when the public URL is https. */
  secureCookies: boolean;
  /** A stream is closed after this long, and the client reconnects and is authorized afresh. */
  streamMaxAgeMs: number;
  /** Open streams one signed-in user may have (in this process); past it, a long `retry:` and a close. */
  maxStreamsPerUser: number;
  /** Open anonymous streams from one client address (in this process); past it, likewise. */
  maxStreamsPerAddress: number;
  /** A session ends this long after its last use (it slides). */
  sessionTtlMs: number;
  /**
   * How often every open stream's and waiting poll's credential is checked against the store
   * (LIVEBOARD_REVOCATION_SWEEP_MS): what bounds a revocation notice that was lost.
   */
  revocationSweepMs: number;
}

export const SIGNUP_POLICIES = ['open', 'invite', 'closed'] as const;
export type SignupPolicy = (typeof SIGNUP_POLICIES)[number];

/** The host names allowed by default, besides the public URL's: this machine's loopback names. */
export const LOCAL_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]', '::1'];

const DAY_MS = 24 * 60 * 60 * 1000;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const config: Config = {
    host: env.HOST ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65_535),
    databaseUrl: env.DATABASE_URL ?? 'file:./data/liveboard.db',
    logLevel: env.LOG_LEVEL ?? 'info',
    retryMs: integer(env, 'LIVEBOARD_RETRY_MS', 3000, 0, 600_000),
    heartbeatMs: integer(env, 'LIVEBOARD_HEARTBEAT_MS', 15_000, 10, 15_000),
    maxStreams: integer(env, 'LIVEBOARD_MAX_STREAMS', 19_000, 0, 1_000_000),
    streamBufferBytes: integer(env, 'LIVEBOARD_STREAM_BUFFER_BYTES', 1024 * 1024, 1024, 1024 ** 3),
    bodyLimitBytes: integer(env, 'LIVEBOARD_BODY_LIMIT_BYTES', 64 * 1024, 1024, 64 * 1024 * 1024),
    writeRateLimitPerMinute: integer(env, 'LIVEBOARD_WRITE_RATE_LIMIT', 6000, 0, 10_000_000),
    writeBatchLimit: integer(env, 'LIVEBOARD_WRITE_BATCH_LIMIT', 64, 1, 10_000),
    writeQueueLimit: integer(env, 'LIVEBOARD_WRITE_QUEUE_LIMIT', 1024, 1, 1_000_000),
    eventRetention: integer(env, 'LIVEBOARD_EVENT_RETENTION', 100_000, 0, 1_000_000_000),
    seedDemo: (env.LIVEBOARD_SEED ?? '1') !== '0',
    webRoot: env.LIVEBOARD_WEB_ROOT,
    tls: tlsCredentials(env),
    trustProxy: trustedProxies(env),
    ...overrides,
    // Worked out after the overrides, from the public URL they may have given.
    ...accessSettings(env, overrides),
  };
  if (!/^(file:|postgres(ql)?:\/\/)/.test(config.databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must start with file: or postgres://, got '${config.databaseUrl}'`);
  }
  // `?schema=name` keeps a PostgreSQL store's tables in that schema; it is spliced into SQL.
  const schema = config.databaseUrl.startsWith('file:') ? null : schemaOf(config.databaseUrl);
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError(`DATABASE_URL: schema must be a plain lower-case identifier, got '${schema}'`);
  }
  return config;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

function tlsCredentials(env: Env): Config['tls'] {
  const certFile = env.LIVEBOARD_TLS_CERT || undefined;
  const keyFile = env.LIVEBOARD_TLS_KEY || undefined;
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    const [given, missing] = certFile
      ? ['LIVEBOARD_TLS_CERT', 'LIVEBOARD_TLS_KEY']
      : ['LIVEBOARD_TLS_KEY', 'LIVEBOARD_TLS_CERT'];
    throw new ConfigError(`${given} is set but ${missing} is not: https needs both (PEM files), or neither`);
  }
  const credentials = {
    cert: pemFile('LIVEBOARD_TLS_CERT', certFile),
    key: pemFile('LIVEBOARD_TLS_KEY', keyFile),
  };
  // Said now, in the variables' names, rather than later as an OpenSSL error from the server.
  try {
    createSecureContext(credentials);
  } catch (error) {
    throw new ConfigError(
      `LIVEBOARD_TLS_CERT and LIVEBOARD_TLS_KEY ('${certFile}', '${keyFile}') are not a usable certificate and key: ${(error as Error).message}`,
    );
  }
  return credentials;
}

function pemFile(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError(`${name}: cannot read '${path}': ${(error as Error).message}`);
  }
}

/** Proxy-addr's names for the well-known ranges, which Fastify's `trustProxy` also takes. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function trustedProxies(env: Env): string[] | false {
  const raw = env.LIVEBOARD_TRUST_PROXY ?? '';
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return false;
  for (const entry of entries) {
    if (!NAMED_RANGES.has(entry) && !isAddressOrRange(entry)) {
      throw new ConfigError(
        `LIVEBOARD_TRUST_PROXY takes addresses and CIDR ranges separated by commas (e.g. 127.0.0.1,10.0.0.0/8), got '${entry}'`,
      );
    }
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d{1,3}$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
}

function accessSettings(
  env: Env,
  overrides: Partial<Config>,
): Pick<
  Config,
  | 'publicUrl'
  | 'allowedHosts'
  | 'signup'
  | 'secureCookies'
  | 'streamMaxAgeMs'
  | 'maxStreamsPerUser'
  | 'maxStreamsPerAddress'
  | 'sessionTtlMs'
  | 'revocationSweepMs'
> {
  const publicUrl = 'publicUrl' in overrides ? overrides.publicUrl : publicUrlOf(env);
  return {
    publicUrl,
    allowedHosts: overrides.allowedHosts ?? allowedHostsOf(env, publicUrl),
    signup: overrides.signup ?? signupOf(env),
    secureCookies: overrides.secureCookies ?? publicUrl?.protocol === 'https:',
    streamMaxAgeMs:
      overrides.streamMaxAgeMs ?? integer(env, 'LIVEBOARD_STREAM_MAX_AGE_S', 86_400, 1, 30 * 86_400) * 1000,
    maxStreamsPerUser:
      overrides.maxStreamsPerUser ?? integer(env, 'LIVEBOARD_MAX_STREAMS_PER_USER', 64, 1, 1_000_000),
    maxStreamsPerAddress:
      overrides.maxStreamsPerAddress ?? integer(env, 'LIVEBOARD_MAX_STREAMS_PER_ADDRESS', 256, 1, 1_000_000),
    sessionTtlMs: overrides.sessionTtlMs ?? 30 * DAY_MS,
    revocationSweepMs:
      overrides.revocationSweepMs ?? integer(env, 'LIVEBOARD_REVOCATION_SWEEP_MS', 30_000, 10, 3_600_000),
  };
}

function publicUrlOf(env: Env): URL | undefined {
  const raw = env.LIVEBOARD_PUBLIC_URL?.trim() ?? '';
  if (raw === '') return undefined;
  const refuse = (why: string) =>
    new ConfigError(
      `LIVEBOARD_PUBLIC_URL must be the http(s) origin browsers use, like https://board.example.com (${why}), got '${raw}'`,
    );
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('http or https only');
  if (url.username !== '' || url.password !== '') throw refuse('no user or password');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw refuse('no path, query or fragment: the app is served at the root');
  }
  return url;
}

const HOST_NAME =
  /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/;

function allowedHostsOf(env: Env, publicUrl: URL | undefined): string[] {
  const entries = (env.LIVEBOARD_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  // The public URL's own host is always allowed: refusing it would refuse every browser.
  const own = publicUrl ? [publicUrl.hostname.replace(/\.$/, '')] : [];
  if (entries.length === 0) return [...new Set([...LOCAL_HOSTS, ...own])];
  if (entries.includes('*')) return ['*'];
  const hosts = entries.map((entry) => {
    const host = hostWithoutPort(entry);
    if (host === undefined) {
      throw new ConfigError(
        `LIVEBOARD_ALLOWED_HOSTS takes host names separated by commas (e.g. board.example.com,localhost,[::1]), each optionally with :port, or * for any host; got '${entry}'`,
      );
    }
    return host;
  });
  return [...new Set([...hosts, ...own])];
}

/** `name`, `name:port`, `1.2.3.4[:port]`, `[v6][:port]` or a bare `v6`, as the host alone; else undefined. */
function hostWithoutPort(entry: string): string | undefined {
  if (isIP(entry) === 6) return entry;
  const bracketed = /^(\[[^\]]+\])(?::\d{1,5})?$/.exec(entry);
  if (bracketed) return isIP(bracketed[1]!.slice(1, -1)) === 6 ? bracketed[1] : undefined;
  const named = /^([^:]+)(?::\d{1,5})?$/.exec(entry);
  if (!named) return undefined;
  const host = named[1]!;
  return isIP(host) === 4 || HOST_NAME.test(host) ? host.replace(/\.$/, '') : undefined;
}

function signupOf(env: Env): SignupPolicy {
  const raw = (env.LIVEBOARD_SIGNUP ?? '').trim();
  if (raw === '') return 'open';
  if ((SIGNUP_POLICIES as readonly string[]).includes(raw)) return raw as SignupPolicy;
  throw new ConfigError(`LIVEBOARD_SIGNUP must be one of ${SIGNUP_POLICIES.join(', ')}, got '${raw}'`);
}

function schemaOf(databaseUrl: string): string | null {
  try {
    return new URL(databaseUrl).searchParams.get('schema');
  } catch {
    throw new ConfigError(`DATABASE_URL is not a valid URL: '${databaseUrl}'`);
  }
}
