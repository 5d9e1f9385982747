import { sleep, type Backoff } from './backoff.js';
import { LiveboardApiError, LiveboardNetworkError, isAbortError, isTemporary } from './errors.js';
import type { ConnectionStatus, LiveReader } from './types.js';

/** How a subscription waits after a failed request, and what it says meanwhile. */
export interface RetryContext {
  backoff: Backoff;
  signal: AbortSignal;
  setStatus(status: ConnectionStatus): void;
}

/**
 * The subscriptions' one answer to a failed request: the server's final answers (a 4xx but 429)
 * are thrown, to end the subscription; anything else is waited out with the backoff, saying
 * `offline` once the server has been unreachable twice in a row, else `reconnecting`.
 */
export async function waitToRetry(error: unknown, context: RetryContext): Promise<void> {
  if (context.signal.aborted || isAbortError(error)) return;
  if (error instanceof LiveboardApiError && !isTemporary(error)) throw error;
  const offline = error instanceof LiveboardNetworkError && context.backoff.failures > 0;
  context.setStatus(offline ? 'offline' : 'reconnecting');
  await sleep(context.backoff.next(), context.signal);
}

/** "From now" needs a seq to resume from if the first connection drops before any event arrives. */
export async function currentSeq(
  reader: LiveReader,
  boardId: string,
  context: RetryContext,
): Promise<number> {
  for (;;) {
    try {
      return (await reader.getBoard(boardId, { signal: context.signal })).seq;
    } catch (error) {
      await waitToRetry(error, context);
      if (context.signal.aborted) return 0;
    }
  }
}
