import { applyEvent, type Board, type StreamMessage } from '../domain/index.js';
import { Backoff, sleep } from './backoff.js';
import { LiveboardApiError, isAbortError, isTemporary } from './errors.js';
import type { ConnectionStatus, LiveReader, Transport } from './types.js';

export interface WatchHandlers {
  /** Each new state of the board; `cause` is the event that made it (null for a fetched snapshot). */
  onBoard(board: Board, cause: StreamMessage | null): void;
  onStatus?(status: ConnectionStatus): void;
  /** Errors that end the watch (e.g. the board does not exist), and transient ones it retries. */
  onError?(error: unknown): void;
}

export interface WatchOptions {
  /** As subscribe's: `auto` (default), `sse` or `poll`. */
  transport?: Transport;
  /** As subscribe's: share the browser's one connection with its other tabs (default true). */
  share?: boolean;
}

/** See LiveboardClient.watchBoard. */
export function watchBoard(
  client: LiveReader,
  boardId: string,
  handlers: WatchHandlers,
  options: WatchOptions = {},
): () => void {
  const stopper = new AbortController();
  const signal = stopper.signal;
  const backoff = new Backoff(client.backoff);
  let lastStatus: ConnectionStatus | undefined;
  const setStatus = (status: ConnectionStatus): void => {
    if (status === lastStatus || signal.aborted) return;
    lastStatus = status;
    handlers.onStatus?.(status);
  };

  // Retries all but the server's final answers: a 4xx other than 429 (the board is gone) ends the watch.
  const fetchSnapshot = async (): Promise<Board | undefined> => {
    while (!signal.aborted) {
      try {
        const board = await client.getBoard(boardId, { signal });
        backoff.reset();
        return board;
      } catch (error) {
        if (signal.aborted || isAbortError(error)) return undefined;
        handlers.onError?.(error);
        if (error instanceof LiveboardApiError && !isTemporary(error)) return undefined;
        setStatus('offline');
        await sleep(backoff.next(), signal);
      }
    }
    return undefined;
  };

  const run = async (): Promise<void> => {
    setStatus('connecting');
    let board = await fetchSnapshot();
    if (!board) return;
    handlers.onBoard(board, null);
    const subscribeOptions = {
      from: board.seq,
      signal,
      onStatus: setStatus,
      ...(options.transport ? { transport: options.transport } : {}),
      ...(options.share === undefined ? {} : { share: options.share }),
    };
    for await (const message of client.subscribe(boardId, subscribeOptions)) {
      if (message.type === 'reset') {
        const fresh = await fetchSnapshot();
        if (!fresh) return;
        board = fresh;
        handlers.onBoard(board, message);
        continue;
      }
      // After a reset the refetched snapshot may already hold the next few events.
      if (message.seq <= board.seq) continue;
      board = applyEvent(board, message);
      handlers.onBoard(board, message);
      if (message.type === 'board_deleted') return;
    }
  };

  run().catch((error: unknown) => {
    if (!signal.aborted && !isAbortError(error)) handlers.onError?.(error);
  });
  return () => stopper.abort();
}
