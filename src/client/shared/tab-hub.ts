import type { StreamMessage } from '../../domain/index.js';
import type { ConnectionStatus, Transport } from '../types.js';
import type { BoardPosition } from './board-positions.js';
import type { BoardSetReader } from './board-set-connection.js';
import {
  outranks,
  type ChannelMessage,
  type HolderId,
  type HolderMessage,
  type TabMessage,
} from './channel-messages.js';
import { WebLocksElection, type Election } from './election.js';
import { HolderTenure } from './holder-tenure.js';
import { LeaseElection } from './lease-election.js';
import {
  DEFAULT_TIMING,
  type BroadcastChannelLike,
  type SharingEnvironment,
  type SharingTiming,
} from './sharing-environment.js';

/** A subscription of this tab, as the hub sees it. */
export interface LocalFollower {
  readonly boardId: string;
  /** The seq after which it has everything. */
  position(): number;
  /** Its board's messages, as the connection delivered them (it drops what it has, by seq). */
  receive(messages: readonly StreamMessage[]): void;
  /** The server cannot stream its board; `revoked`: because the session or token was revoked (the server's reason). */
  unavailable(revoked?: string): void;
  /** How the shared connection is for its board. */
  status(status: ConnectionStatus): void;
}

export interface FollowHandle {
  /** Asks for the board's events after the follower's position again (it missed some). */
  resume(): void;
  unfollow(): void;
}

export interface TabHubOptions {
  /** Tabs share with the tabs whose hub has the same name (the client makes it of its base URL and transport). */
  name: string;
  reader: BoardSetReader;
  transport: Transport;
  pollTimeoutSeconds?: number;
}

/**
 * This tab's end of the browser's one connection (one hub per client and transport). All tabs are
 * equal: each joins the election while it follows a board, and the one elected runs the
 * StreamHolder, which follows every tab's boards on one server connection and relays what comes
 * to the tabs over a BroadcastChannel. The others say what they follow (`follow`), hand each
 * relayed message to their own subscriptions of its board (never to another board's), and watch
 * the holder's heartbeat: a holder unheard for `silenceMs` and deaf to a probe is taken over.
 *
 * A takeover loses nothing and repeats nothing: the new holder asks every tab what it follows and
 * from which seq, opens its connection from the lowest, and each tab's own StreamSequencer drops
 * what it already has.
 */
export class TabHub {
  readonly tabId = `tab-${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
  private readonly channel: BroadcastChannelLike;
  private readonly election: Election;
  private readonly timing: SharingTiming;
  private readonly followers = new Map<string, Set<LocalFollower>>();
  private holding: HolderTenure | undefined;
  private leader: { id: HolderId; status: ConnectionStatus; live: Set<string> } | undefined;
  private heardAt = Number.NEGATIVE_INFINITY;
  private probe: { sentAt: number; patienceMs: number } | undefined;
  private electing = false;
  private followQueued = false;
  private followPostedAt = Number.NEGATIVE_INFINITY;
  private leaveTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private closed = false;

  constructor(
    private readonly env: SharingEnvironment,
    private readonly options: TabHubOptions,
  ) {
    this.timing = { ...DEFAULT_TIMING, ...env.timing };
    this.channel = new env.BroadcastChannel(options.name);
    this.channel.onmessage = (event) => this.receive(event.data as ChannelMessage);
    this.election = env.locks
      ? new WebLocksElection(env.locks, options.name)
      : new LeaseElection(env.BroadcastChannel, options.name, this.tabId, this.timing);
    env.onAway?.(() => this.leave());
    env.onBack?.(() => {
      if (this.followers.size > 0) this.join();
    });
  }

  /** Whether this tab holds the connection now. */
  get isHolder(): boolean {
    return this.holding !== undefined;
  }

  follow(follower: LocalFollower): FollowHandle {
    if (this.closed) throw new Error('TabHub: closed');
    const followers = this.followers.get(follower.boardId) ?? new Set();
    // A second subscription of a board in this tab that starts further back than the first needs
    // the events in between replayed; only a new board (or a new tab) is replayed by itself.
    const behind = [...followers].some((other) => follower.position() < other.position());
    followers.add(follower);
    this.followers.set(follower.boardId, followers);
    this.join();
    this.interestChanged();
    if (behind) queueMicrotask(() => this.resume(follower));
    follower.status(this.statusFor(follower.boardId));
    return {
      resume: () => this.resume(follower),
      unfollow: () => this.unfollow(follower),
    };
  }

  /** Leaves the election and the channel: the next tab in line holds. Browsers do this on pagehide by themselves. */
  close(): void {
    if (this.closed) return;
    this.leave();
    this.closed = true;
    this.channel.close();
  }

  private join(): void {
    clearTimeout(this.leaveTimer);
    if (this.electing || this.closed) return;
    this.electing = true;
    // A new tab gives the holder a whole silence to answer before it suspects it.
    this.heardAt = Date.now();
    this.election.start((tenure) => this.elected(tenure));
    this.watchdog = setInterval(() => this.watch(), this.timing.heartbeatMs / 2);
    this.interestChanged();
  }

  private leave(): void {
    clearTimeout(this.leaveTimer);
    if (!this.electing) return;
    this.electing = false;
    clearInterval(this.watchdog);
    this.election.stop();
    this.post({ kind: 'leave', tabId: this.tabId });
  }

  private unfollow(follower: LocalFollower): void {
    const followers = this.followers.get(follower.boardId);
    if (!followers?.delete(follower)) return;
    if (followers.size === 0) this.followers.delete(follower.boardId);
    this.interestChanged();
    if (this.followers.size === 0) {
      clearTimeout(this.leaveTimer);
      this.leaveTimer = setTimeout(() => this.leave(), this.timing.leaveGraceMs);
    }
  }

  private resume(follower: LocalFollower): void {
    const after = follower.position();
    if (this.holding) this.holding.holder.resume(follower.boardId, after);
    else this.post({ kind: 'resume', tabId: this.tabId, boardId: follower.boardId, after });
  }

  /** What this tab follows: each board once, from the lowest position of its subscriptions. */
  private positions(): BoardPosition[] {
    return [...this.followers].map(([boardId, followers]) => ({
      boardId,
      seq: Math.min(...[...followers].map((follower) => follower.position())),
    }));
  }

  /** Says what this tab follows, once for a burst of changes. */
  private interestChanged(): void {
    if (this.followQueued) return;
    this.followQueued = true;
    queueMicrotask(() => {
      this.followQueued = false;
      if (this.closed) return;
      if (this.holding) this.holding.holder.setInterest(this.tabId, this.positions());
      else if (this.electing) this.postFollow();
    });
  }

  private postFollow(): void {
    this.followPostedAt = Date.now();
    this.post({ kind: 'follow', tabId: this.tabId, boards: this.positions() });
  }

  // ─── The holder's side ────────────────────────────────────────────────────────────────────────

  private elected(tenure: AbortSignal): void {
    if (tenure.aborted || this.closed) return;
    const holding: HolderTenure = new HolderTenure({
      tabId: this.tabId,
      reader: this.options.reader,
      transport: this.options.transport,
      pollTimeoutSeconds: this.options.pollTimeoutSeconds,
      timing: this.timing,
      post: (message) => this.post(message),
      deliver: (boardId, messages) => this.deliver(boardId, messages),
      unavailable: (boardId, revoked) => {
        for (const follower of this.followers.get(boardId) ?? []) follower.unavailable(revoked);
      },
      changed: () => {
        if (this.holding === holding) this.updateStatuses();
      },
    });
    this.holding = holding;
    this.leader = undefined;
    holding.begin(this.positions());
    tenure.addEventListener('abort', () => this.stepDown(holding), { once: true });
  }

  private stepDown(holding: HolderTenure): void {
    if (this.holding !== holding) return;
    holding.end();
    this.holding = undefined;
    // Until the next holder speaks: it is newer than this tab's tenure, whatever is older is stale.
    this.leader ??= { id: holding.id, status: 'reconnecting', live: new Set() };
    this.heardAt = Date.now();
    this.updateStatuses();
  }

  // ─── Every tab's side ─────────────────────────────────────────────────────────────────────────

  private receive(message: ChannelMessage): void {
    if (this.closed) return;
    if (isTabMessage(message)) return this.fromTab(message);
    // Whatever a holder older than the one this tab listens to still says (a frozen one waking) is stale.
    if (this.holding && outranks(this.holding.id, message.holder)) return;
    if (this.leader && outranks(this.leader.id, message.holder)) return;
    switch (message.kind) {
      case 'state':
        return this.fromHolder(message);
      case 'relay':
        return this.deliver(message.boardId, message.messages);
      case 'unavailable':
        for (const follower of this.followers.get(message.boardId) ?? [])
          follower.unavailable(message.revoked);
    }
  }

  private fromTab(message: TabMessage): void {
    const holder = this.holding?.holder;
    if (!holder) return;
    switch (message.kind) {
      case 'follow':
        return holder.setInterest(message.tabId, message.boards);
      case 'resume':
        return holder.resume(message.boardId, message.after);
      case 'leave':
        return holder.dropTab(message.tabId);
      case 'probe':
        return this.holding?.postState(false);
    }
  }

  private fromHolder(state: Extract<HolderMessage, { kind: 'state' }>): void {
    if (this.holding) {
      if (state.holder.tabId === this.tabId) return;
      // A newer holder took over (this tab was frozen, say): its election ends this tenure shortly.
    }
    this.leader = { id: state.holder, status: state.status, live: new Set(state.live) };
    this.heardAt = Date.now();
    this.probe = undefined;
    const unknown = !state.tabs.includes(this.tabId);
    const due = Date.now() - this.followPostedAt >= this.timing.heartbeatMs;
    if (this.electing && this.followers.size > 0 && (state.rollCall || (unknown && due))) this.postFollow();
    this.updateStatuses();
  }

  /** A board's messages go to this tab's subscriptions of that board, and to no other. */
  private deliver(boardId: string, messages: readonly StreamMessage[]): void {
    for (const follower of this.followers.get(boardId) ?? []) follower.receive(messages);
  }

  /** The holder unheard for `silenceMs`: probe it; unanswered for `probeMs` (and a random bit more, so that not every tab steals at once): take over. */
  private watch(): void {
    if (this.holding || !this.electing) return;
    const now = Date.now();
    if (now - this.heardAt < this.timing.silenceMs) return;
    this.updateStatuses();
    if (!this.probe) {
      this.probe = { sentAt: now, patienceMs: this.timing.probeMs * (1 + Math.random()) };
      this.post({ kind: 'probe', tabId: this.tabId });
      return;
    }
    if (now - this.probe.sentAt < this.probe.patienceMs) return;
    this.probe = undefined;
    // Whoever holds next says so; until then the connection is not live, as far as this tab knows.
    if (this.leader) this.leader = { ...this.leader, status: 'reconnecting', live: new Set() };
    this.heardAt = now;
    this.election.takeOver();
  }

  private statusFor(boardId: string): ConnectionStatus {
    let status: ConnectionStatus;
    let live: { has(boardId: string): boolean };
    if (this.holding) {
      status = this.holding.holder.status;
      live = new Set(this.holding.holder.liveBoards);
    } else if (this.leader && Date.now() - this.heardAt < this.timing.silenceMs) {
      ({ status, live } = this.leader);
    } else {
      return this.leader ? 'reconnecting' : 'connecting';
    }
    if (status !== 'live') return status;
    return live.has(boardId) ? 'live' : 'connecting';
  }

  private updateStatuses(): void {
    for (const [boardId, followers] of this.followers) {
      const status = this.statusFor(boardId);
      for (const follower of followers) follower.status(status);
    }
  }

  private post(message: ChannelMessage): void {
    if (!this.closed) this.channel.postMessage(message);
  }
}

function isTabMessage(message: ChannelMessage): message is TabMessage {
  return !('holder' in message);
}
