import { EventSource } from 'eventsource';
import { LiveboardClient } from '../client/index.js';
import { colorsFor, type Colors } from './colors.js';
import { credentialsPath, storedLogin, type StoredLogin } from './credentials.js';
import { UsageError } from './exit-codes.js';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** Where the token in use came from: `LIVEBOARD_TOKEN`, the credentials file, or none (anonymous). */
export type TokenSource = 'env' | 'file' | 'none';

/** What every command shares: the client for `--url`, how to print, and where. */
export interface CliContext {
  client: LiveboardClient;
  url: string;
  json: boolean;
  /** The token the client sends, if any, and where it came from. */
  token: string | undefined;
  tokenSource: TokenSource;
  /** This server's entry in the credentials file, if `liveboard login` made one. */
  login: StoredLogin | undefined;
  credentialsPath: string;
  out: (line: string) => void;
  err: (line: string) => void;
  colors: Colors;
  errColors: Colors;
}

export interface GlobalOptions {
  url?: string;
  json?: boolean;
}

export async function contextFor(options: GlobalOptions): Promise<CliContext> {
  const url = (options.url ?? process.env.LIVEBOARD_URL ?? DEFAULT_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) {
    throw new UsageError(`--url must be an http(s) URL such as ${DEFAULT_URL}, got '${url}'`);
  }
  const path = credentialsPath();
  const login = await storedLogin(url, path);
  const fromEnv = process.env.LIVEBOARD_TOKEN?.trim() || undefined;
  const token = fromEnv ?? login?.token;
  const tokenSource: TokenSource = fromEnv ? 'env' : login ? 'file' : 'none';
  return {
    client: new LiveboardClient({ baseUrl: url, EventSource, ...(token ? { token } : {}) }),
    url,
    json: Boolean(options.json),
    token,
    tokenSource,
    login,
    credentialsPath: path,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    colors: colorsFor(process.stdout),
    errColors: colorsFor(process.stderr),
  };
}
