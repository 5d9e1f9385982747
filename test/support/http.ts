/**
 * A tiny JSON client for tests: real HTTP via fetch, the status, headers and parsed body of every
 * answer, and the few shapes the contract promises (Board, List, Task, error bodies, Board-Seq).
 */
import type { Board, BoardEvent, List, StreamMessage, Task } from '../../src/domain/index.js';

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  body: T;
  text: string;
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string; [key: string]: unknown };
}

export interface RequestOptions {
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as is (for malformed bodies); set the content type in `headers`. */
  raw?: string;
  headers?: Record<string, string>;
}

export interface PollBody {
  events: StreamMessage[];
  seq: number;
}

export async function request<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  } else if (options.raw !== undefined) {
    body = options.raw;
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** The `Board-Seq` header of a write's response, as a number (NaN when missing). */
export function boardSeqOf(response: { headers: Headers }): number {
  const header = response.headers.get('board-seq');
  return header === null ? Number.NaN : Number(header);
}

/** Bound helpers for one server, so tests read as the REST calls they make. */
export function apiClient(baseUrl: string) {
  const call = <T>(method: string, path: string, options?: RequestOptions) =>
    request<T>(baseUrl, method, path, options);
  return {
    baseUrl,
    call,
    get: <T = unknown>(path: string, options?: RequestOptions) => call<T>('GET', path, options),
    post: <T = unknown>(path: string, json: unknown, options: RequestOptions = {}) =>
      call<T>('POST', path, { ...options, json }),
    patch: <T = unknown>(path: string, json: unknown, options: RequestOptions = {}) =>
      call<T>('PATCH', path, { ...options, json }),
    delete: <T = unknown>(path: string, options?: RequestOptions) => call<T>('DELETE', path, options),

    /**
     * `options` with the test user's write token (see testUser): for what only a board's owner may
     * do to the boards createBoard makes (rename, delete, share), and for POST /boards itself.
     */
    async asOwner(options: RequestOptions = {}): Promise<RequestOptions> {
      const { token } = await testUser(baseUrl);
      return { ...options, headers: { ...options.headers, authorization: `Bearer ${token}` } };
    },

    /**
     * Makes a board and fails loudly if that does not work (setup, not the behaviour under test):
     * as a test user of this server (signed up on first use), open to everyone
     * (`public_edit`): as every board was before accounts, so suites about other things read, write
     * and stream it without credentials. Suites about access make their own users and boards.
     */
    async createBoard(title = 'Test board', extra: object = {}): Promise<Board> {
      const { token } = await testUser(baseUrl);
      return expectStatus(
        await call<Board>('POST', '/boards', {
          json: { title, visibility: 'public_edit', ...extra },
          headers: { authorization: `Bearer ${token}` },
        }),
        201,
      );
    },
    async createList(boardId: string, title: string, placement: object = {}): Promise<List> {
      return expectStatus(
        await call<List>('POST', `/boards/${boardId}/lists`, { json: { title, ...placement } }),
        201,
      );
    },
    async createTask(boardId: string, listId: string, title: string, extra: object = {}): Promise<Task> {
      return expectStatus(
        await call<Task>('POST', `/boards/${boardId}/tasks`, { json: { listId, title, ...extra } }),
        201,
      );
    },
    async snapshot(boardId: string): Promise<Board> {
      return expectStatus(await call<Board>('GET', `/boards/${boardId}`), 200);
    },
    /** Every event of a board after `after`, read through the long poll in pages (bounded). */
    async events(boardId: string, after = 0): Promise<BoardEvent[]> {
      const events: BoardEvent[] = [];
      let cursor = after;
      for (let page = 0; page < 100; page++) {
        const response = await call<PollBody>('GET', `/boards/${boardId}/poll?after=${cursor}&timeout=0`);
        const body = expectStatus(response, 200);
        const batch = body.events.filter((message): message is BoardEvent => message.type !== 'reset');
        if (batch.length !== body.events.length) throw new Error(`poll answered a reset: ${response.text}`);
        if (batch.length === 0) return events;
        events.push(...batch);
        cursor = body.seq;
      }
      throw new Error('more than 100 pages of events');
    },
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

export interface TestUser {
  id: string;
  username: string;
  password: string;
  /** `liveboard_session=…`, for a Cookie header. */
  cookie: string;
  /** A write-scoped API token. */
  token: string;
}

const testUsers = new Map<string, Promise<TestUser>>();
let userCount = 0;

/** The test user of a server, signed up on first use (one per server: sign-up hashes a password). */
export function testUser(baseUrl: string): Promise<TestUser> {
  let user = testUsers.get(baseUrl);
  if (!user) {
    user = signUp(baseUrl, `tester-${process.pid}-${++userCount}`);
    testUsers.set(baseUrl, user);
    user.catch(() => testUsers.delete(baseUrl));
  }
  return user;
}

/** A new user with a session cookie and a write token. */
export async function signUp(
  baseUrl: string,
  username: string,
  password = 'test password',
): Promise<TestUser> {
  const signedUp = await request<{ user: { id: string; username: string } }>(
    baseUrl,
    'POST',
    '/auth/signup',
    {
      json: { username, password },
    },
  );
  const user = expectStatus(signedUp, 201).user;
  const cookie = (signedUp.headers.get('set-cookie') ?? '').split(';')[0]!;
  const created = await request<{ secret: string }>(baseUrl, 'POST', '/me/tokens', {
    json: { name: 'tests', scope: 'write' },
    headers: { cookie },
  });
  return { id: user.id, username: user.username, password, cookie, token: expectStatus(created, 201).secret };
}

function expectStatus<T>(response: ApiResponse<T>, status: number): T {
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${response.text}`);
  }
  return response.body;
}

/** A new board with one list and `tasks` tasks in it: its seq is 1 + tasks. */
export async function boardWith(api: ApiClient, tasks: number): Promise<{ id: string; listId: string }> {
  const board = await api.createBoard();
  const list = await api.createList(board.id, 'L');
  for (let i = 0; i < tasks; i++) await api.createTask(board.id, list.id, `task ${i}`);
  return { id: board.id, listId: list.id };
}
