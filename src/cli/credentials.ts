import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from './exit-codes.js';

/**
 * Where `liveboard login` keeps its API tokens: `$XDG_CONFIG_HOME/liveboard/credentials.json`
 * (default `~/.config/liveboard/`), one entry per server, readable by its owner only (the file
 * 0600, its folder 0700). `LIVEBOARD_TOKEN` overrides whatever is stored.
 */
export interface StoredLogin {
  /** The API token's secret (`lbp_…`). */
  token: string;
  username: string;
  /** The token's id, to revoke it at logout; absent for a token given with `--with-token`. */
  tokenId?: string;
}

export interface Credentials {
  servers: Record<string, StoredLogin>;
}

export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'liveboard', 'credentials.json');
}

/** One key per server, however its URL was typed (`http://h:3000/` is `http://h:3000`). */
export function serverKey(url: string): string {
  return new URL(url).origin;
}

export async function readCredentials(path = credentialsPath()): Promise<Credentials> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { servers: {} };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON: fix it, or delete it and run liveboard login again`);
  }
  const servers = (parsed as { servers?: unknown } | null)?.servers;
  if (typeof servers !== 'object' || servers === null) return { servers: {} };
  const valid: Record<string, StoredLogin> = {};
  for (const [server, login] of Object.entries(servers as Record<string, unknown>)) {
    const { token, username, tokenId } = (login ?? {}) as Record<string, unknown>;
    if (typeof token !== 'string' || typeof username !== 'string') continue;
    valid[server] = { token, username, ...(typeof tokenId === 'string' ? { tokenId } : {}) };
  }
  return { servers: valid };
}

export async function storedLogin(url: string, path = credentialsPath()): Promise<StoredLogin | undefined> {
  return (await readCredentials(path)).servers[serverKey(url)];
}

/** Stores (or, with `undefined`, forgets) the login for a server, keeping the others. */
export async function saveLogin(
  url: string,
  login: StoredLogin | undefined,
  path = credentialsPath(),
): Promise<void> {
  const credentials = await readCredentials(path);
  const key = serverKey(url);
  if (login) credentials.servers[key] = login;
  else delete credentials.servers[key];
  await writePrivate(path, `${JSON.stringify(credentials, null, 2)}\n`);
}

/**
 * Writes a file only its owner can read: the folder made 0700, the file created 0600 (a temporary
 * file in the same folder, renamed over the old one, so a reader never sees half of it) and chmod
 * once more, whatever the umask or an older file's mode was.
 */
async function writePrivate(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await chmod(path, 0o600);
}
