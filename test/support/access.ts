/**
 * Accounts, private boards and streams of a given user, for the suites about who may follow a board
 * (src/live/access-cut.test.ts, revocation.test.ts, …): everything over real HTTP, as a client does.
 */
import { performance } from 'node:perf_hooks';
import { EventSource } from 'eventsource';
import pg from 'pg';
import Database from 'better-sqlite3';
import { request, signUp, type ApiResponse, type RequestOptions, type TestUser } from './http.js';
import { POSTGRES_URL } from './postgres.js';
import { openRawStream, type RawStream } from './sse.js';

export type { TestUser };

/** Headers that authenticate as the user: its session cookie, or its write token. */
export const asCookie = (user: Pick<TestUser, 'cookie'>): Record<string, string> => ({ cookie: user.cookie });
export const asToken = (user: Pick<TestUser, 'token'>): Record<string, string> => ({
  authorization: `Bearer ${user.token}`,
});

/** A call that must answer `status`: setup, not the behaviour under test. */
export async function must<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  status: number,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const response = await request<T>(baseUrl, method, path, options);
  if (response.status !== status) {
    throw new Error(`${method} ${path}: expected ${status}, got ${response.status}: ${response.text}`);
  }
  return response;
}

let users = 0;

/** A new user (session cookie, write token) with a name unique to this test process. */
export function newUser(baseUrl: string, name: string): Promise<TestUser> {
  return signUp(baseUrl, `${name}-${process.pid}-${++users}`);
}

/** Another session of the user: a sign-in, which always makes a new one. Returns its cookie. */
export async function signIn(baseUrl: string, user: TestUser): Promise<string> {
  const response = await must(baseUrl, 'POST', '/auth/signin', 200, {
    json: { username: user.username, password: user.password },
  });
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** Another API token of the user (made with its session): its id and secret. */
export async function newToken(
  baseUrl: string,
  user: TestUser,
  scope: 'read' | 'write' = 'read',
): Promise<{ id: string; secret: string }> {
  const response = await must<{ token: { id: string }; secret: string }>(baseUrl, 'POST', '/me/tokens', 201, {
    json: { name: `t${++users}`, scope },
    headers: asCookie(user),
  });
  return { id: response.body.token.id, secret: response.body.secret };
}

export interface TestBoard {
  id: string;
  listId: string;
}

/** A board of `owner` (private unless said), with one list, and `members` added with their roles. */
export async function boardOf(
  baseUrl: string,
  owner: TestUser,
  members: { user: TestUser; role: 'owner' | 'editor' | 'viewer' }[] = [],
  visibility: 'private' | 'public' | 'public_edit' = 'private',
): Promise<TestBoard> {
  const board = await must<{ id: string }>(baseUrl, 'POST', '/boards', 201, {
    json: { title: 'Access', visibility },
    headers: asToken(owner),
  });
  const list = await must<{ id: string }>(baseUrl, 'POST', `/boards/${board.body.id}/lists`, 201, {
    json: { title: 'L' },
    headers: asToken(owner),
  });
  for (const { user, role } of members) {
    await must(baseUrl, 'POST', `/boards/${board.body.id}/members`, 201, {
      json: { username: user.username, role },
      headers: asToken(owner),
    });
  }
  return { id: board.body.id, listId: list.body.id };
}

/** The board's seq, as its owner sees it. */
export async function seqOf(baseUrl: string, owner: TestUser, boardId: string): Promise<number> {
  const response = await must<{ seq: number }>(baseUrl, 'GET', `/boards/${boardId}`, 200, {
    headers: asToken(owner),
  });
  return response.body.seq;
}

export async function addTask(
  baseUrl: string,
  by: TestUser,
  board: TestBoard,
  title: string,
): Promise<number> {
  const response = await must(baseUrl, 'POST', `/boards/${board.id}/tasks`, 201, {
    json: { listId: board.listId, title },
    headers: asToken(by),
  });
  return Number(response.headers.get('board-seq'));
}

/** Removes the member; resolves with the seq of its member_removed. */
export async function removeMember(
  baseUrl: string,
  owner: TestUser,
  boardId: string,
  member: TestUser,
): Promise<number> {
  const response = await must(baseUrl, 'DELETE', `/boards/${boardId}/members/${member.id}`, 204, {
    headers: asToken(owner),
  });
  return Number(response.headers.get('board-seq'));
}

export async function setVisibility(
  baseUrl: string,
  owner: TestUser,
  boardId: string,
  visibility: 'private' | 'public' | 'public_edit',
): Promise<number> {
  const response = await must(baseUrl, 'PATCH', `/boards/${boardId}/access`, 200, {
    json: { visibility },
    headers: asToken(owner),
  });
  return Number(response.headers.get('board-seq'));
}

/**
 * Writes a task to the board every `everyMs` until stopped: a writer committing continuously, so
 * that a reader cut off would see the events after its cut if it were not.
 */
export function continuousWriter(
  baseUrl: string,
  by: TestUser,
  board: TestBoard,
  everyMs = 20,
): { stop(): Promise<number> } {
  let running = true;
  let written = 0;
  const loop = (async () => {
    // Bounded: at most 2,000 writes, whatever happens to `stop`.
    while (running && written < 2000) {
      await addTask(baseUrl, by, board, `w${written}`);
      written++;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return written;
    },
  };
}

/** A stream read as bytes, with when it ended (performance.now()). */
export interface TimedStream extends RawStream {
  endedAt: Promise<number>;
}

export async function rawStream(url: string, headers: Record<string, string> = {}): Promise<TimedStream> {
  const stream = await openRawStream(url, headers);
  return Object.assign(stream, { endedAt: stream.ended.then(() => performance.now()) });
}

/** A message as a stream or poll carries it: an event or a control message, `boardId` on several boards. */
export interface WireMessage {
  type: string;
  seq?: number;
  boardId?: string;
  [field: string]: unknown;
}

/** The `data:` messages of a stream's text, in order (named events apart). */
export function dataMessages(text: string): WireMessage[] {
  return frames(text)
    .filter((frame) => !frame.event && frame.data !== undefined)
    .map((frame) => JSON.parse(frame.data!) as WireMessage);
}

export interface Frame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
}

/** A stream's text cut into its frames (comments dropped). */
export function frames(text: string): Frame[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const frame: Frame = {};
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const field = line.slice(0, colon) as keyof Frame;
        frame[field] = line.slice(colon + 2);
      }
      return frame;
    })
    .filter((frame) => Object.keys(frame).length > 0);
}

/** An EventSource (the `eventsource` package) sent `headers` on every request, and what it got. */
export interface UserStream {
  source: EventSource;
  messages: WireMessage[];
  /** Named events (`revoked`, `notice`) by name, their data parsed. */
  named: { event: string; data: unknown }[];
  opens: number;
  errors: { code?: number | undefined }[];
  /** Resolves once `predicate` holds; rejects after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): void;
}

export function userStream(
  url: string,
  headers: Record<string, string> = {},
  options: { lastEventId?: string } = {},
): UserStream {
  let first = true;
  const source = new EventSource(url, {
    fetch: (input, init) => {
      const sent = { ...(init?.headers as Record<string, string> | undefined), ...headers };
      if (first && options.lastEventId !== undefined) sent['Last-Event-ID'] = options.lastEventId;
      first = false;
      return fetch(input, { ...init, headers: sent });
    },
  });
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  const stream: UserStream = {
    source,
    messages: [],
    named: [],
    opens: 0,
    errors: [],
    until(predicate, timeoutMs = 5000, what = 'a condition on the stream') {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!predicate()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${what}: ${stream.messages.length} messages, ` +
                `opens ${stream.opens}, errors ${JSON.stringify(stream.errors)}, named ${JSON.stringify(stream.named)}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      source.close();
    },
  };
  source.addEventListener('open', () => {
    stream.opens++;
    notify();
  });
  source.addEventListener('error', (event) => {
    stream.errors.push({ code: (event as Event & { code?: number }).code });
    notify();
  });
  source.addEventListener('message', (event) => {
    stream.messages.push(JSON.parse(event.data as string) as WireMessage);
    notify();
  });
  for (const name of ['revoked', 'notice']) {
    source.addEventListener(name, (event) => {
      stream.named.push({ event: name, data: JSON.parse((event as MessageEvent).data as string) });
      notify();
    });
  }
  return stream;
}

/**
 * Ends every session of the user in the database itself, as time would (their expiry moved to the
 * past), with no revocation announced: only the sweep can find them.
 */
export async function expireSessionsInDatabase(databaseUrl: string, userId: string): Promise<void> {
  const past = '2000-01-01T00:00:00.000Z';
  if (databaseUrl.startsWith('file:')) {
    const db = new Database(databaseUrl.slice('file:'.length));
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare('UPDATE sessions SET expires_at = ? WHERE user_id = ?').run(past, userId);
    } finally {
      db.close();
    }
    return;
  }
  const schema = new URL(databaseUrl).searchParams.get('schema');
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const table = schema ? `"${schema}".sessions` : 'sessions';
    await client.query(`UPDATE ${table} SET expires_at = $1 WHERE user_id = $2`, [past, userId]);
  } finally {
    await client.end();
  }
}

/** p50 and max of some latencies, rounded to ms, for the suites' summaries. */
export function summary(latencies: readonly number[]): string {
  if (latencies.length === 0) return 'none';
  const sorted = [...latencies].sort((a, b) => a - b);
  const p50 = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return `n=${sorted.length} p50=${p50.toFixed(0)} ms max=${sorted.at(-1)!.toFixed(0)} ms`;
}
