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
  /** Writes one transaction of a board's group commit takes at most. */
  writeBatchLimit: number;
  /** Writes one board may have waiting for its next transaction; past it, 503 with Retry-After. */
  writeQueueLimit: number;
  /** Events kept in each board's log (older ones are pruned; a client behind them gets `reset`); 0 keeps all. */
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
}

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
    eventRetention: integer(env, 'LIVEBOARD_EVENT_RETENTION', 10_000, 0, 1_000_000_000),
    seedDemo: (env.LIVEBOARD_SEED ?? '1') !== '0',
    webRoot: env.LIVEBOARD_WEB_ROOT,
    tls: tlsCredentials(env),
    trustProxy: trustedProxies(env),
    ...overrides,
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

function schemaOf(databaseUrl: string): string | null {
  try {
    return new URL(databaseUrl).searchParams.get('schema');
  } catch {
    throw new ConfigError(`DATABASE_URL is not a valid URL: '${databaseUrl}'`);
  }
}
