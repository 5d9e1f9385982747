import type { Board, BoardInfo, List, StreamMessage, Task } from '../domain/index.js';
import type { BackoffOptions } from './backoff.js';
import { LiveboardNetworkError, apiErrorFrom, isAbortError } from './errors.js';
import { boardsParam, type BoardPosition, type MultiBoardPollResult } from './shared/board-positions.js';
import { browserSharing, type SharingEnvironment } from './shared/sharing-environment.js';
import { TabHub } from './shared/tab-hub.js';
import { subscribe } from './subscribe.js';
import type {
  ClientOptions,
  EventSourceConstructor,
  LiveReader,
  PollResult,
  SubscribeOptions,
  Transport,
  WriteOptions,
  Written,
} from './types.js';
import { watchBoard, type WatchHandlers, type WatchOptions } from './watch-board.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * The typed client of Liveboard's HTTP API, in the browser and in Node.
 *
 * ```ts
 * const client = new LiveboardClient({ baseUrl: 'http://127.0.0.1:3000', EventSource });
 * const board = await client.getBoard('board-1');
 * for await (const event of client.subscribe('board-1', { from: board.seq })) console.log(event);
 * ```
 */
export class LiveboardClient implements LiveReader {
  readonly baseUrl: string;
  readonly backoff: BackoffOptions;
  private readonly fetchImpl: typeof fetch;
  private readonly eventSourceImpl: EventSourceConstructor | undefined;
  private readonly sharing: SharingEnvironment | undefined;
  private readonly hubs = new Map<Transport, TabHub>();

  constructor(options: ClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    // Bound so that a browser's fetch is not called with the client as `this` ("Illegal invocation").
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.eventSourceImpl =
      options.EventSource ?? (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
    this.backoff = options.backoff ?? {};
    this.sharing = options.sharing === false ? undefined : (options.sharing ?? browserSharing());
  }

  /** The EventSource constructor in use, if any (none in Node unless passed in the options). */
  get EventSource(): EventSourceConstructor | undefined {
    return this.eventSourceImpl;
  }

  async listBoards(): Promise<BoardInfo[]> {
    const { body } = await this.request<{ boards: BoardInfo[] }>('GET', '/boards');
    return body.boards;
  }

  async getBoard(boardId: string, options: { signal?: AbortSignal } = {}): Promise<Board> {
    return (await this.request<Board>('GET', boardPath(boardId), undefined, options)).body;
  }

  createBoard(input: { title: string; id?: string }, options?: WriteOptions): Promise<Written<Board>> {
    return this.write('POST', '/boards', input, options);
  }

  updateBoard(boardId: string, patch: { title: string }, options?: WriteOptions): Promise<Written<Board>> {
    return this.write('PATCH', boardPath(boardId), patch, options);
  }

  deleteBoard(boardId: string, options?: WriteOptions): Promise<Written<null>> {
    return this.write('DELETE', boardPath(boardId), undefined, options);
  }

  createList(
    boardId: string,
    input: { title: string; id?: string; beforeId?: string; afterId?: string },
    options?: WriteOptions,
  ): Promise<Written<List>> {
    return this.write('POST', `${boardPath(boardId)}/lists`, input, options);
  }

  updateList(
    boardId: string,
    listId: string,
    patch: { title?: string; beforeId?: string; afterId?: string },
    options?: WriteOptions,
  ): Promise<Written<List>> {
    return this.write('PATCH', `${boardPath(boardId)}/lists/${encodeURIComponent(listId)}`, patch, options);
  }

  deleteList(boardId: string, listId: string, options?: WriteOptions): Promise<Written<null>> {
    return this.write(
      'DELETE',
      `${boardPath(boardId)}/lists/${encodeURIComponent(listId)}`,
      undefined,
      options,
    );
  }

  createTask(
    boardId: string,
    input: {
      listId: string;
      title: string;
      id?: string;
      description?: string;
      beforeId?: string;
      afterId?: string;
    },
    options?: WriteOptions,
  ): Promise<Written<Task>> {
    return this.write('POST', `${boardPath(boardId)}/tasks`, input, options);
  }

  updateTask(
    boardId: string,
    taskId: string,
    patch: {
      title?: string;
      description?: string;
      listId?: string;
      beforeId?: string;
      afterId?: string;
      version?: number;
    },
    options?: WriteOptions,
  ): Promise<Written<Task>> {
    return this.write('PATCH', `${boardPath(boardId)}/tasks/${encodeURIComponent(taskId)}`, patch, options);
  }

  deleteTask(boardId: string, taskId: string, options?: WriteOptions): Promise<Written<null>> {
    return this.write(
      'DELETE',
      `${boardPath(boardId)}/tasks/${encodeURIComponent(taskId)}`,
      undefined,
      options,
    );
  }

  /** One long-poll request: events after `after` (or, without it, the next one), at most `timeoutSeconds` of waiting. */
  async poll(
    boardId: string,
    options: { after?: number; timeoutSeconds?: number; signal?: AbortSignal } = {},
  ): Promise<PollResult> {
    const query = new URLSearchParams();
    if (options.after !== undefined) query.set('after', String(options.after));
    if (options.timeoutSeconds !== undefined) query.set('timeout', String(options.timeoutSeconds));
    const suffix = query.size > 0 ? `?${query}` : '';
    const init = options.signal ? { signal: options.signal } : {};
    return (await this.request<PollResult>('GET', `${boardPath(boardId)}/poll${suffix}`, undefined, init))
      .body;
  }

  /**
   * One long-poll request for several boards (at most 32), each after its seq: at once when any has
   * something to say, else after up to `timeoutSeconds`.
   */
  async pollBoards(
    boards: readonly BoardPosition[],
    options: { timeoutSeconds?: number; signal?: AbortSignal } = {},
  ): Promise<MultiBoardPollResult> {
    const timeout = options.timeoutSeconds === undefined ? '' : `&timeout=${options.timeoutSeconds}`;
    const init = options.signal ? { signal: options.signal } : {};
    const path = `/poll?boards=${boardsParam(boards)}${timeout}`;
    return (await this.request<MultiBoardPollResult>('GET', path, undefined, init)).body;
  }

  /** The URL of the SSE stream of several boards (at most 32), each resumed after its seq. */
  boardsEventsUrl(boards: readonly BoardPosition[]): string {
    return `${this.baseUrl}/events?boards=${boardsParam(boards)}`;
  }

  /**
   * This tab's share of the browser's one connection for `transport` (made on first use), or
   * undefined where tabs do not share: subscribe() uses it by itself.
   */
  tabHub(transport: Transport): TabHub | undefined {
    if (!this.sharing) return undefined;
    let hub = this.hubs.get(transport);
    if (!hub) {
      const name = `liveboard|${this.baseUrl}|${transport}`;
      hub = new TabHub(this.sharing, { name, reader: this, transport });
      this.hubs.set(transport, hub);
    }
    return hub;
  }

  /**
   * Hands this tab's part in sharing on (the connection, if it holds it) and leaves the channel.
   * A browser does this by itself when the page goes away; call it when a client is done with
   * before its page is (tests do).
   */
  close(): void {
    for (const hub of this.hubs.values()) hub.close();
    this.hubs.clear();
  }

  /** The URL of a board's SSE stream, resuming after `lastEventId` when given. */
  eventsUrl(boardId: string, lastEventId?: number): string {
    const suffix = lastEventId === undefined ? '' : `?lastEventId=${lastEventId}`;
    return `${this.baseUrl}${boardPath(boardId)}/events${suffix}`;
  }

  /**
   * Events of a board as an async iterator: reconnects by itself (honours `retry:`, backoff with
   * jitter), resumes from the last seq it yielded, never yields a seq twice or skips one; yields a
   * `{type:'reset'}` message when the server cannot replay (the caller refetches the snapshot; the
   * iterator continues from the reset's seq). `from`: resume after this seq (e.g. the snapshot's
   * seq); omitted = from now. Ends when `signal` aborts or after `board_deleted`.
   */
  subscribe(boardId: string, options: SubscribeOptions = {}): AsyncIterableIterator<StreamMessage> {
    return subscribe(this, boardId, options);
  }

  /**
   * Snapshot + live, the usual way to follow a board: calls onBoard with each new Board state
   * (fetches the snapshot, subscribes from its seq, folds events with the shared applyEvent,
   * refetches on reset). Returns a stop function.
   */
  watchBoard(boardId: string, handlers: WatchHandlers, options: WatchOptions = {}): () => void {
    return watchBoard(this, boardId, handlers, options);
  }

  private async write<T>(
    method: Method,
    path: string,
    body: unknown,
    options: WriteOptions = {},
  ): Promise<Written<T>> {
    const response = await this.request<T>(method, path, body, options);
    return { data: response.body, seq: response.seq, replayed: response.replayed };
  }

  private async request<T>(
    method: Method,
    path: string,
    body?: unknown,
    options: WriteOptions = {},
  ): Promise<{ body: T; seq: number; replayed: boolean }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (options.signal) init.signal = options.signal;

    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, init);
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new LiveboardNetworkError(
        `cannot reach Liveboard at ${this.baseUrl || 'this origin'}: ${describe(error)}`,
        {
          cause: error,
        },
      );
    }
    if (!response.ok) throw await apiErrorFrom(response);
    const seq = Number(response.headers.get('board-seq') ?? Number.NaN);
    const replayed = response.headers.get('idempotent-replayed') === 'true';
    let parsed: unknown = null;
    if (response.status !== 204) {
      const text = await response.text();
      parsed = text ? JSON.parse(text) : null;
    }
    return { body: parsed as T, seq, replayed };
  }
}

function boardPath(boardId: string): string {
  return `/boards/${encodeURIComponent(boardId)}`;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}
