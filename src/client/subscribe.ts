import type { StreamMessage } from '../domain/index.js';
import { AccessWatch, isTooManyStreams, revokedEventError } from './access-loss.js';
import { sleep } from './backoff.js';
import { LiveboardApiError, isTemporary } from './errors.js';
import { MessageIterator } from './message-iterator.js';
import { currentSeq, waitToRetry } from './retry.js';
import { SharedSubscription } from './shared/shared-subscription.js';
import type { TabHub } from './shared/tab-hub.js';
import { StreamSequencer } from './stream-sequencer.js';
import type { ConnectionStatus, EventSourceLike, LiveReader, SubscribeOptions } from './types.js';

const CLOSED = 2;
/** Failed native reconnects (after a drop) before the SDK takes over with its own growing backoff. */
const NATIVE_RETRIES_BEFORE_BACKOFF = 3;
const DEFAULT_POLL_TIMEOUT_SECONDS = 25;

type SseOutcome = 'end' | 'stopped' | 'reopen' | 'gap' | 'backpressure' | 'closed' | 'stalled' | 'revoked';

/** See LiveboardClient.subscribe. */
export function subscribe(
  client: LiveReader,
  boardId: string,
  options: SubscribeOptions = {},
): AsyncIterableIterator<StreamMessage> {
  const hub = sharedHub(client, options);
  const subscription = hub
    ? new SharedSubscription(client, hub, boardId, options)
    : new Subscription(client, boardId, options);
  return {
    next: () => subscription.next(),
    return: async () => {
      subscription.stop();
      return { value: undefined, done: true };
    },
    throw: async (error?: unknown) => {
      subscription.stop();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * This tab's share of the browser's one connection, unless the caller said `share: false` or tabs
 * cannot share here (Node, no BroadcastChannel, `sharing: false` on the client). Transport `sse`
 * without an EventSource stays unshared, to fail the way it always has, saying what is missing.
 */
function sharedHub(client: LiveReader, options: SubscribeOptions): TabHub | undefined {
  if (options.share === false) return undefined;
  const transport = options.transport ?? 'auto';
  if (transport === 'sse' && !client.EventSource) return undefined;
  return client.tabHub(transport);
}

/** One board on its own connection: the way in Node, and in a tab that cannot share. */
class Subscription extends MessageIterator {
  private sequencer: StreamSequencer | undefined;
  private status: ConnectionStatus | undefined;
  private readonly access: AccessWatch;

  constructor(
    private readonly client: LiveReader,
    private readonly boardId: string,
    private readonly options: SubscribeOptions,
  ) {
    super(client.backoff);
    this.access = new AccessWatch(boardId, () => client.user?.id);
    this.stopOn(options.signal);
  }

  protected async run(): Promise<void> {
    this.setStatus('connecting');
    const from = this.options.from ?? (await currentSeq(this.client, this.boardId, this.retry));
    if (this.stopped) return;
    this.sequencer = new StreamSequencer(from);
    const transport = this.options.transport ?? 'auto';
    const EventSourceImpl = this.client.EventSource;
    if (transport === 'poll' || (transport === 'auto' && !EventSourceImpl)) return this.runPoll();
    if (!EventSourceImpl) {
      throw new Error(
        'subscribe: no EventSource available; pass one in ClientOptions (in Node: the `eventsource` package)',
      );
    }
    const outcome = await this.runSse(transport === 'auto');
    if (outcome === 'fallback') await this.runPoll();
  }

  private async runSse(mayFallBack: boolean): Promise<'done' | 'fallback'> {
    let everOpened = false;
    let gaps = 0;
    while (!this.stopped) {
      const { outcome, opened, error } = await this.openEventSource();
      everOpened ||= opened;
      switch (outcome) {
        case 'end':
        case 'stopped':
          return 'done';
        case 'revoked':
          throw error;
        case 'reopen':
          continue;
        case 'gap':
          // Should not happen with a conforming server; resume from what we have, slower each time.
          if (++gaps > 1) await sleep(this.backoff.next(), this.stopper.signal);
          continue;
        case 'backpressure':
          await this.queue.drained();
          continue;
        case 'closed':
        case 'stalled': {
          // EventSource gave up (a non-200, e.g. 404) or keeps failing: ask plain HTTP what is wrong.
          const reachable = await this.probe();
          if (mayFallBack && !everOpened && reachable) return 'fallback';
          this.setStatus(reachable ? 'reconnecting' : 'offline');
          await sleep(this.backoff.next(), this.stopper.signal);
          continue;
        }
      }
    }
    return 'done';
  }

  /**
   * True when the server answers; throws the API error when the answer is final (401, 403, 404:
   * never retried), as `access_revoked` when a 404 follows an event that took this client's access away.
   */
  private async probe(): Promise<boolean> {
    try {
      await this.client.getBoard(this.boardId, { signal: this.stopper.signal });
      this.access.clear();
      return true;
    } catch (error) {
      if (error instanceof LiveboardApiError && !isTemporary(error)) throw this.access.translate(error);
      return false;
    }
  }

  /** One EventSource, from the last seq, until something calls for a new one (or an end). */
  private openEventSource(): Promise<{ outcome: SseOutcome; opened: boolean; error?: unknown }> {
    const sequencer = this.sequencer!;
    return new Promise((resolve) => {
      let opened = false;
      let failuresSinceOpen = 0;
      /** The server said it has too many of this client's streams: its close is expected, not a failure. */
      let turnedAway = false;
      const source: EventSourceLike = this.client.openEventSource(
        this.client.eventsUrl(this.boardId, sequencer.last),
      );
      const finish = (outcome: SseOutcome, error?: unknown): void => {
        source.close();
        this.stopper.signal.removeEventListener('abort', onStop);
        resolve({ outcome, opened, error });
      };
      const onStop = (): void => finish('stopped');
      this.stopper.signal.addEventListener('abort', onStop, { once: true });

      source.addEventListener('open', () => {
        opened = true;
        failuresSinceOpen = 0;
        this.access.clear();
        this.backoff.reset();
        this.setStatus('live');
      });
      source.addEventListener('error', () => {
        if (source.readyState === CLOSED) return finish('closed');
        // Cut off right after an event that may have ended our access: ask at once, rather than
        // after the server's `retry:`, whether we may still read the board.
        if (this.access.suspect) return finish('closed');
        if (turnedAway) {
          turnedAway = false;
          return;
        }
        // CONNECTING: EventSource retries by itself, after the server's `retry:`, sending Last-Event-ID.
        failuresSinceOpen += 1;
        this.setStatus(failuresSinceOpen > 1 ? 'offline' : 'reconnecting');
        if (failuresSinceOpen >= NATIVE_RETRIES_BEFORE_BACKOFF) finish('stalled');
      });
      // The session or token was revoked: final, whatever the board.
      source.addEventListener('revoked', (event) => finish('revoked', revokedEventError(event.data)));
      source.addEventListener('notice', (event) => {
        if (!isTooManyStreams(event.data)) return;
        turnedAway = true;
        this.setStatus('reconnecting');
      });
      source.addEventListener('message', (event) => {
        const message = parseMessage(event.data);
        if (!message) return;
        const verdict = sequencer.accept(message);
        if (verdict === 'deliver' || verdict === 'end') this.access.note(message);
        switch (verdict) {
          case 'duplicate':
            return;
          case 'gap':
            return finish('gap');
          case 'end':
            this.queue.push(message);
            return finish('end');
          case 'reset':
            // Reopen from the reset's seq so a native reconnect cannot send the stale Last-Event-ID.
            this.queue.push(message);
            return finish('reopen');
          case 'deliver':
            this.queue.push(message);
            if (this.queue.full) finish('backpressure');
        }
      });
    });
  }

  private async runPoll(): Promise<void> {
    const sequencer = this.sequencer!;
    const timeoutSeconds = this.options.pollTimeoutSeconds ?? DEFAULT_POLL_TIMEOUT_SECONDS;
    let first = true;
    while (!this.stopped) {
      await this.queue.drained();
      let result;
      try {
        // The first request does not wait, so that "live" means what it says from the start.
        result = await this.client.poll(this.boardId, {
          after: sequencer.last,
          timeoutSeconds: first ? 0 : timeoutSeconds,
          signal: this.stopper.signal,
        });
      } catch (error) {
        await waitToRetry(this.access.translate(error), this.retry);
        continue;
      }
      first = false;
      this.backoff.reset();
      this.access.clear();
      this.setStatus('live');
      for (const message of result.events) {
        const verdict = sequencer.accept(message);
        if (verdict === 'duplicate') continue;
        if (verdict === 'gap') break;
        this.access.note(message);
        this.queue.push(message);
        if (verdict === 'end') return;
      }
    }
  }

  protected setStatus(status: ConnectionStatus): void {
    if (status === this.status || this.stopped) return;
    this.status = status;
    this.options.onStatus?.(status);
  }
}

function parseMessage(data: unknown): StreamMessage | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const message = JSON.parse(data) as StreamMessage;
    return typeof message === 'object' && message !== null && typeof message.seq === 'number'
      ? message
      : undefined;
  } catch {
    return undefined;
  }
}
