import type { StreamMessage } from '../../domain/index.js';
import { AccessWatch, accessRevoked } from '../access-loss.js';
import { sleep } from '../backoff.js';
import { LiveboardApiError, isTemporary } from '../errors.js';
import { MessageIterator } from '../message-iterator.js';
import { currentSeq } from '../retry.js';
import { StreamSequencer } from '../stream-sequencer.js';
import type { ConnectionStatus, LiveReader, SubscribeOptions } from '../types.js';
import type { FollowHandle, LocalFollower, TabHub } from './tab-hub.js';

/** A resume asked for and not yet answered is asked again after this (the holder may have changed meanwhile). */
const RESUME_AGAIN_MS = 3000;

/**
 * `subscribe()` in a tab that shares the browser's connection: the same promises as a subscription
 * of its own (every event once, in order; `reset`; ends after `board_deleted`; bounded memory),
 * kept by this tab's own StreamSequencer over whatever the holder relays. What it cannot take (a
 * gap, or a queue full because the consumer reads slowly) it leaves unread and asks the holder to
 * replay from its position, so no event is lost and none is held twice.
 */
export class SharedSubscription extends MessageIterator implements LocalFollower {
  private sequencer: StreamSequencer | undefined;
  private handle: FollowHandle | undefined;
  private lastStatus: ConnectionStatus | undefined;
  private everLive = false;
  /** Stopped reading until the consumer catches up. */
  private paused = false;
  private probing = false;
  private resumeAsked: { after: number; at: number } | undefined;
  private finish: (error?: unknown) => void = () => undefined;
  private readonly access: AccessWatch;

  constructor(
    private readonly reader: LiveReader,
    private readonly hub: TabHub,
    readonly boardId: string,
    private readonly options: SubscribeOptions,
  ) {
    super(reader.backoff);
    this.access = new AccessWatch(boardId, () => reader.user?.id);
    this.stopOn(options.signal);
  }

  override stop(): void {
    super.stop();
    this.finish();
  }

  position(): number {
    return this.sequencer?.last ?? 0;
  }

  receive(messages: readonly StreamMessage[]): void {
    const sequencer = this.sequencer;
    if (!sequencer || this.stopped || this.paused) return;
    for (const message of messages) {
      switch (sequencer.accept(message)) {
        case 'duplicate':
          continue;
        case 'gap':
          return this.askResume(false);
        case 'end':
          this.queue.push(message);
          return this.finish();
        case 'reset':
        case 'deliver':
          this.access.note(message);
          this.queue.push(message);
          this.resumeAsked = undefined;
          if (this.queue.full) return this.pause();
      }
    }
  }

  /**
   * The server says it cannot stream the board: a 404 of the board's own ends the subscription, as
   * on a stream of its own (`access_revoked` right after this client's removal); a revoked session ends it at once.
   */
  unavailable(revoked?: string): void {
    if (this.stopped) return;
    if (revoked !== undefined) return this.finish(accessRevoked(revoked, this.boardId));
    if (this.probing) return;
    this.probing = true;
    void this.recheck().finally(() => (this.probing = false));
  }

  private async recheck(): Promise<void> {
    try {
      await this.reader.getBoard(this.boardId, { signal: this.stopper.signal });
      this.access.clear();
    } catch (error) {
      if (error instanceof LiveboardApiError && !isTemporary(error))
        return this.finish(this.access.translate(error));
    }
    // It is there after all (made on another server process a moment ago, say), or the server is
    // out of reach: ask for it again, after a while.
    await sleep(this.backoff.next(), this.stopper.signal);
    if (!this.stopped) this.askResume(true);
  }

  status(status: ConnectionStatus): void {
    // Connecting again after having been live is reconnecting, as far as this subscriber can tell.
    this.setStatus(status === 'connecting' && this.everLive ? 'reconnecting' : status);
  }

  protected async run(): Promise<void> {
    this.setStatus('connecting');
    const from = this.options.from ?? (await currentSeq(this.reader, this.boardId, this.retry));
    if (this.stopped) return;
    this.sequencer = new StreamSequencer(from);
    const ended = new Promise<void>((resolve, reject) => {
      this.finish = (error?: unknown) => (error === undefined ? resolve() : reject(error));
    });
    this.handle = this.hub.follow(this);
    try {
      await ended;
    } finally {
      this.handle.unfollow();
    }
  }

  private pause(): void {
    this.paused = true;
    void this.queue.drained().then(() => {
      this.paused = false;
      if (!this.stopped) this.askResume(true);
    });
  }

  private askResume(force: boolean): void {
    const after = this.position();
    const asked = this.resumeAsked;
    if (!force && asked?.after === after && Date.now() - asked.at < RESUME_AGAIN_MS) return;
    this.resumeAsked = { after, at: Date.now() };
    this.handle?.resume();
  }

  protected setStatus(status: ConnectionStatus): void {
    if (status === this.lastStatus || this.stopped) return;
    if (status === 'live') this.everLive = true;
    this.lastStatus = status;
    this.options.onStatus?.(status);
  }
}
