import { EventSource } from 'eventsource';
import { LiveboardClient } from '../client/index.js';
import { colorsFor, type Colors } from './colors.js';
import { UsageError } from './exit-codes.js';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** What every command shares: the client for `--url`, how to print, and where. */
export interface CliContext {
  client: LiveboardClient;
  url: string;
  json: boolean;
  out: (line: string) => void;
  err: (line: string) => void;
  colors: Colors;
  errColors: Colors;
}

export interface GlobalOptions {
  url?: string;
  json?: boolean;
}

export function contextFor(options: GlobalOptions): CliContext {
  const url = options.url ?? process.env.LIVEBOARD_URL ?? DEFAULT_URL;
  if (!/^https?:\/\/[^/]/.test(url)) {
    throw new UsageError(`--url must be an http(s) URL such as ${DEFAULT_URL}, got '${url}'`);
  }
  return {
    client: new LiveboardClient({ baseUrl: url, EventSource }),
    url,
    json: Boolean(options.json),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    colors: colorsFor(process.stdout),
    errColors: colorsFor(process.stderr),
  };
}
