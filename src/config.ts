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
  /** Events kept in each board's log (older ones are pruned; a client behind them gets `reset`); 0 keeps all. */
  eventRetention: number;
  /** Seed the demo board on a store's first start. */
  seedDemo: boolean;
  /** Serve the web app from this folder (the Vite build). */
  webRoot: string | undefined;
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
    eventRetention: integer(env, 'LIVEBOARD_EVENT_RETENTION', 10_000, 0, 1_000_000_000),
    seedDemo: (env.LIVEBOARD_SEED ?? '1') !== '0',
    webRoot: env.LIVEBOARD_WEB_ROOT,
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

function schemaOf(databaseUrl: string): string | null {
  try {
    return new URL(databaseUrl).searchParams.get('schema');
  } catch {
    throw new ConfigError(`DATABASE_URL is not a valid URL: '${databaseUrl}'`);
  }
}
