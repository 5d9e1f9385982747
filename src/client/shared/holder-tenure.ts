import type { StreamMessage } from '../../domain/index.js';
import type { Transport } from '../types.js';
import type { BoardPosition } from './board-positions.js';
import type { BoardSetReader, ConnectionOpener } from './board-set-connection.js';
import type { HolderId, HolderMessage } from './channel-messages.js';
import { MultiBoardPoll } from './multi-board-poll.js';
import { MultiBoardSse } from './multi-board-sse.js';
import type { SharingTiming } from './sharing-environment.js';
import { StreamHolder } from './stream-holder.js';

const DEFAULT_POLL_TIMEOUT_SECONDS = 25;

export interface TenureOptions {
  tabId: string;
  reader: BoardSetReader;
  transport: Transport;
  pollTimeoutSeconds?: number | undefined;
  timing: SharingTiming;
  /** Says something to every other tab. */
  post(message: HolderMessage): void;
  /** Hands a board's messages to this tab's own subscriptions of it. */
  deliver(boardId: string, messages: readonly StreamMessage[]): void;
  /** Tells this tab's own subscriptions of a board that the server cannot stream it (`revoked`: the session ended, why). */
  unavailable(boardId: string, revoked?: string): void;
  /** The connection's status or its live boards changed. */
  changed(): void;
}

/**
 * What a tab does while it holds the connection: it runs the StreamHolder (with the transport the
 * tabs asked for: SSE, falling back to the long poll for `auto`), relays what comes to the other
 * tabs and to its own, and says every `heartbeatMs` that it is alive and how the connection is.
 */
export class HolderTenure {
  readonly id: HolderId;
  readonly holder: StreamHolder;
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private beats = 0;
  private readonly beatsPerRollCall: number;

  constructor(private readonly options: TenureOptions) {
    const { reader, transport, timing } = options;
    const timeout = options.pollTimeoutSeconds ?? DEFAULT_POLL_TIMEOUT_SECONDS;
    const poll: ConnectionOpener = (start, events) => new MultiBoardPoll(reader, start, events, timeout);
    const sse: ConnectionOpener = (start, events) =>
      new MultiBoardSse(reader, start, events, transport === 'auto');
    const primary = transport === 'poll' || !reader.EventSource ? poll : sse;
    const fallback = transport === 'auto' ? poll : undefined;

    // Newer holders outrank older ones: a tab that wakes up still holding in its own eyes is ignored.
    const id: HolderId = { tabId: options.tabId, since: Date.now() };
    this.id = id;
    this.holder = new StreamHolder(
      primary,
      fallback,
      {
        relay: (boardId, messages) => {
          options.post({ kind: 'relay', holder: id, boardId, messages });
          options.deliver(boardId, messages);
        },
        unavailable: (boardId, revoked) => {
          options.post({ kind: 'unavailable', holder: id, boardId, ...(revoked ? { revoked } : {}) });
          options.unavailable(boardId, revoked);
        },
        changed: () => {
          this.postState(false);
          options.changed();
        },
      },
      timing.settleMs,
    );
    this.beatsPerRollCall = Math.max(1, Math.round(timing.rollCallMs / timing.heartbeatMs));
    this.heartbeat = setInterval(() => this.beat(), timing.heartbeatMs);
  }

  /** Starts with this tab's own boards, and asks every other tab to say what it follows, and from where. */
  begin(ownBoards: BoardPosition[]): void {
    this.holder.setInterest(this.options.tabId, ownBoards);
    this.postState(true);
  }

  /** Says how the connection is now (a heartbeat; also the answer to a probe). */
  postState(rollCall: boolean): void {
    this.options.post({
      kind: 'state',
      holder: this.id,
      status: this.holder.status,
      live: this.holder.liveBoards,
      tabs: this.holder.tabs,
      rollCall,
    });
  }

  end(): void {
    clearInterval(this.heartbeat);
    this.holder.stop();
  }

  private beat(): void {
    this.beats += 1;
    // Every so often every tab says again what it follows; a tab silent for three of these crashed.
    const rollCall = this.beats % this.beatsPerRollCall === 0;
    if (rollCall)
      this.holder.dropTabsSilentSince(Date.now() - 3 * this.options.timing.rollCallMs, this.options.tabId);
    this.postState(rollCall);
  }
}
