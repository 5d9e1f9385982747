import pg from 'pg';
import type { CommitWatcher } from '../store.js';

export const COMMIT_CHANNEL = 'liveboard_commits';

/**
 * One LISTEN connection per process. A notification names the board and seq only; the events
 * themselves are always read from the log, so there is no payload limit to hit and nothing that
 * relies on a notification alone. When the connection drops (a restart, pg_terminate_backend), it
 * reconnects with backoff and asks for a resync, so subscribers catch up from the log.
 */
export class CommitFeed {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryDelayMs = 100;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly watcher: CommitWatcher,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    // Named, so that operators (and tests) can tell this process's LISTEN connection apart.
    const client = new pg.Client({ ...this.config, application_name: `liveboard-feed:${process.pid}` });
    client.on('notification', (message) => {
      if (message.channel !== COMMIT_CHANNEL || !message.payload) return;
      const separator = message.payload.lastIndexOf(':');
      const boardId = message.payload.slice(0, separator);
      const seq = Number(message.payload.slice(separator + 1));
      if (boardId && Number.isInteger(seq)) this.watcher.onCommit(boardId, seq);
    });
    client.on('error', () => this.lost(client, 'listen connection error'));
    client.on('end', () => this.lost(client, 'listen connection ended'));
    await client.connect();
    await client.query(`LISTEN ${COMMIT_CHANNEL}`);
    this.client = client;
    this.retryDelayMs = 100;
  }

  private lost(client: pg.Client, reason: string): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.reconnect(reason);
  }

  private reconnect(reason: string): void {
    if (this.stopped) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 5000);
    setTimeout(() => {
      if (this.stopped) return;
      this.connect().then(
        () => {
          // Listening again: whatever was committed while we were not is in the log.
          this.watcher.onResync(reason);
        },
        () => this.reconnect(reason),
      );
    }, delay).unref();
  }
}
