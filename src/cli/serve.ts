import { fileURLToPath } from 'node:url';
import { UsageError } from './exit-codes.js';

export interface ServeOptions {
  port?: string;
  host?: string;
  db?: string;
}

/**
 * `liveboard serve`: the same server as `npm start`, through the composition root's
 * `startLiveboard`. Imported lazily so that the other commands do not load the server.
 * Resolves once the server has stopped (SIGINT/SIGTERM), with the exit code.
 */
export async function serve(options: ServeOptions): Promise<number> {
  const overrides: { port?: number; host?: string; databaseUrl?: string } = {};
  if (options.port !== undefined) {
    if (!/^\d{1,5}$/.test(options.port) || Number(options.port) > 65_535) {
      throw new UsageError(`--port takes a port number (0-65535), got '${options.port}'`);
    }
    overrides.port = Number(options.port);
  }
  if (options.host !== undefined) overrides.host = options.host;
  if (options.db !== undefined) overrides.databaseUrl = databaseUrl(options.db);

  const [{ loadConfig, ConfigError }, { startLiveboard }] = await Promise.all([
    import('../config.js'),
    import('../main.js'),
  ]);
  let config;
  try {
    const webRoot = process.env.LIVEBOARD_WEB_ROOT ?? fileURLToPath(new URL('../web', import.meta.url));
    config = loadConfig(process.env, { webRoot, ...overrides });
  } catch (error) {
    throw error instanceof ConfigError ? new UsageError(error.message) : error;
  }
  const liveboard = await startLiveboard(config);
  process.stderr.write(`liveboard: serving ${liveboard.url} (Ctrl-C to stop)\n`);

  // As `npm start` does: stop taking connections, close streams (clients resume), finish writes.
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  liveboard.app.log.info({ signal }, 'stopping: closing streams, finishing writes in flight');
  await liveboard.stop();
  return 0;
}

/** `--db` takes a URL (file:…, postgres://…) or, for convenience, a plain path to a SQLite file. */
export function databaseUrl(db: string): string {
  return /^(file:|postgres(ql)?:\/\/)/.test(db) ? db : `file:${db}`;
}
