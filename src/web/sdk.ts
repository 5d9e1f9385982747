/**
 * The web app's one door to the server. TEMPORARY stand-in with the agreed SDK API
 * (/tmp/sdk-api.md) until src/client/index.ts lands; then this file only re-exports it.
 */
import type { Board, BoardInfo, List, Task, StreamMessage } from '../domain/index.js';
import { applyEvent, isBoardEvent } from '../domain/index.js';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';
export interface WriteOptions {
  idempotencyKey?: string;
  signal?: AbortSignal;
}
export interface Written<T> {
  data: T;
  seq: number;
  replayed: boolean;
}

export class LiveboardApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
export class LiveboardNetworkError extends Error {}

export class LiveboardClient {
  async listBoards(): Promise<BoardInfo[]> {
    const body = (await this.request('GET', '/boards')).data as { boards: BoardInfo[] };
    return body.boards;
  }
  async getBoard(boardId: string): Promise<Board> {
    return (await this.request('GET', `/boards/${enc(boardId)}`)).data as Board;
  }
  createBoard(input: { title: string }, options?: WriteOptions): Promise<Written<Board>> {
    return this.request('POST', '/boards', input, options) as Promise<Written<Board>>;
  }
  createList(
    boardId: string,
    input: { title: string; beforeId?: string; afterId?: string },
    options?: WriteOptions,
  ) {
    return this.request('POST', `/boards/${enc(boardId)}/lists`, input, options) as Promise<Written<List>>;
  }
  updateList(
    boardId: string,
    listId: string,
    patch: { title?: string; beforeId?: string; afterId?: string },
    options?: WriteOptions,
  ) {
    return this.request('PATCH', `/boards/${enc(boardId)}/lists/${enc(listId)}`, patch, options) as Promise<
      Written<List>
    >;
  }
  deleteList(boardId: string, listId: string, options?: WriteOptions) {
    return this.request(
      'DELETE',
      `/boards/${enc(boardId)}/lists/${enc(listId)}`,
      undefined,
      options,
    ) as Promise<Written<null>>;
  }
  createTask(
    boardId: string,
    input: { listId: string; title: string; description?: string; beforeId?: string; afterId?: string },
    options?: WriteOptions,
  ) {
    return this.request('POST', `/boards/${enc(boardId)}/tasks`, input, options) as Promise<Written<Task>>;
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
  ) {
    return this.request('PATCH', `/boards/${enc(boardId)}/tasks/${enc(taskId)}`, patch, options) as Promise<
      Written<Task>
    >;
  }
  deleteTask(boardId: string, taskId: string, options?: WriteOptions) {
    return this.request(
      'DELETE',
      `/boards/${enc(boardId)}/tasks/${enc(taskId)}`,
      undefined,
      options,
    ) as Promise<Written<null>>;
  }

  watchBoard(
    boardId: string,
    handlers: {
      onBoard(board: Board, cause: StreamMessage | null): void;
      onStatus?(status: ConnectionStatus): void;
      onError?(error: unknown): void;
    },
    options: { transport?: 'sse' | 'poll' | 'auto' } = {},
  ): () => void {
    let stopped = false;
    let board: Board | undefined;
    let source: EventSource | undefined;
    const status = (s: ConnectionStatus): void => handlers.onStatus?.(s);
    const load = async (): Promise<void> => {
      board = await this.getBoard(boardId);
      if (!stopped) handlers.onBoard(board, null);
    };
    const take = async (message: StreamMessage): Promise<void> => {
      if (!board) return;
      if (!isBoardEvent(message)) return load();
      if (message.seq <= board.seq) return;
      board = applyEvent(board, message);
      handlers.onBoard(board, message);
    };
    const pollLoop = async (): Promise<void> => {
      while (!stopped) {
        try {
          const response = await fetch(`/boards/${enc(boardId)}/poll?after=${board?.seq ?? 0}&timeout=20`);
          if (!response.ok) throw new LiveboardNetworkError(String(response.status));
          status('live');
          const body = (await response.json()) as { events: StreamMessage[] };
          for (const message of body.events) await take(message);
        } catch {
          status('reconnecting');
          await new Promise((r) => setTimeout(r, 1000));
          await load().catch(() => undefined);
        }
      }
    };
    const open = (): void => {
      status('connecting');
      source = new EventSource(`/boards/${enc(boardId)}/events?lastEventId=${board?.seq ?? 0}`);
      source.onopen = () => status('live');
      source.onmessage = (event) => void take(JSON.parse(event.data as string) as StreamMessage);
      source.onerror = () => {
        status('reconnecting');
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          setTimeout(() => !stopped && load().then(open, () => setTimeout(open, 1000)), 1000);
        }
      };
    };
    load().then(
      () => (options.transport === 'poll' ? void pollLoop() : open()),
      (error: unknown) => handlers.onError?.(error),
    );
    return () => {
      stopped = true;
      source?.close();
    };
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    options: WriteOptions = {},
  ): Promise<Written<unknown>> {
    let response: Response;
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new LiveboardNetworkError(String(error));
    }
    const text = await response.text();
    const data: unknown = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const error = (data as { error?: { code: string; message: string } } | null)?.error;
      throw new LiveboardApiError(
        response.status,
        error?.code ?? 'unknown',
        error?.message ?? response.statusText,
      );
    }
    return {
      data,
      seq: Number(response.headers.get('board-seq') ?? 0),
      replayed: response.headers.has('idempotent-replayed'),
    };
  }
}

const enc = encodeURIComponent;

/** The app's one client: same origin, so `npm start` serves page and API together. */
export const client = new LiveboardClient();
