import type { StreamMessage } from '../../domain/index.js';
import type { ConnectionStatus } from '../types.js';
import { MAX_BOARDS_PER_STREAM, type BoardPosition } from './board-positions.js';
import {
  ConnectionInParts,
  type BoardSetConnection,
  type ConnectionEvents,
  type ConnectionOpener,
} from './board-set-connection.js';

/** What the holder hands to the tabs (the hub relays it over the BroadcastChannel). */
export interface HolderOutput {
  relay(boardId: string, messages: StreamMessage[]): void;
  /** `revoked`: the connection's session or token was revoked (the server's reason): final for the tabs too. */
  unavailable(boardId: string, revoked?: string): void;
  /** The status, the live boards or the known tabs changed. */
  changed(): void;
}

interface Opened {
  connection: BoardSetConnection;
  /** The position each board was opened from. */
  start: Map<string, number>;
}

/**
 * The holder's side of sharing: it follows the union of the boards its browser's tabs follow on
 * one connection. When that set changes, it opens a new connection with the new set and closes the
 * old one only once the new one delivers, so nothing is lost across the switch (the tabs drop what
 * they see twice, by seq).
 *
 * Positions: a board starts where the holder has relayed it up to (every tab of the board has
 * received that much: BroadcastChannel delivers every message, in order), unless a tab needs it
 * from earlier — a tab that just began following it, or one that missed events (a gap, or a full
 * queue) — in which case the new connection starts there. Such a need stays until a connection
 * opened from at or before it delivers; only then is it met.
 */
export class StreamHolder {
  private readonly interests = new Map<string, { boards: Map<string, number>; heardAt: number }>();
  /** The last seq relayed, per board. */
  private readonly relayed = new Map<string, number>();
  /** Per board, the seq a tab needs it replayed from. */
  private readonly needs = new Map<string, number>();
  /** Boards the server said it cannot stream: left out until a tab asks for one again. */
  private readonly unavailable = new Set<string>();
  private current: Opened | undefined;
  private next: Opened | undefined;
  private pendingRelays = new Map<string, StreamMessage[]>();
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;
  private mustReopen = false;
  private stopped = false;

  constructor(
    private open: ConnectionOpener,
    private readonly fallback: ConnectionOpener | undefined,
    private readonly output: HolderOutput,
    private readonly settleMs: number,
  ) {}

  /** How the connection is: the current one's status, else the one being opened's. */
  get status(): ConnectionStatus {
    return (this.current ?? this.next)?.connection.status ?? 'connecting';
  }

  /** The boards the connection delivers now. */
  get liveBoards(): string[] {
    if (!this.current?.connection.live) return [];
    return [...this.current.start.keys()].filter((boardId) => !this.unavailable.has(boardId));
  }

  get tabs(): string[] {
    return [...this.interests.keys()];
  }

  /** Everything a tab follows, from where (replaces what it said before). */
  setInterest(tabId: string, boards: readonly BoardPosition[], now = Date.now()): void {
    const before = this.interests.get(tabId)?.boards;
    for (const { boardId, seq } of boards) {
      // Only a board the tab did not follow yet may need replaying: for the others, a position
      // behind the holder's is the relay still on its way to the tab.
      if (!before?.has(boardId)) this.startFollowing(boardId, seq);
    }
    this.interests.set(tabId, { boards: new Map(boards.map((b) => [b.boardId, b.seq])), heardAt: now });
    if (!before || !sameKeys(before, boards)) this.changed();
  }

  /** A tab misses a board's events after `after`. */
  resume(boardId: string, after: number): void {
    if (!this.wants(boardId)) return;
    this.unavailable.delete(boardId);
    this.needs.set(boardId, Math.min(after, this.needs.get(boardId) ?? after));
    this.scheduleReopen();
  }

  dropTab(tabId: string): void {
    if (this.interests.delete(tabId)) this.changed();
  }

  /** Forgets the tabs that have not said what they follow since `before` (crashed without a word). */
  dropTabsSilentSince(before: number, keep: string): void {
    for (const [tabId, interest] of this.interests)
      if (tabId !== keep && interest.heardAt < before) this.dropTab(tabId);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reopenTimer);
    this.pendingRelays.clear();
    this.current?.connection.close();
    this.next?.connection.close();
    this.current = this.next = undefined;
  }

  private startFollowing(boardId: string, after: number): void {
    this.unavailable.delete(boardId);
    const relayed = this.relayed.get(boardId);
    if (relayed === undefined || after < relayed)
      this.needs.set(boardId, Math.min(after, this.needs.get(boardId) ?? after));
  }

  private wants(boardId: string): boolean {
    for (const { boards } of this.interests.values()) if (boards.has(boardId)) return true;
    return false;
  }

  /** The boards to stream: every board some tab follows, but those the server cannot stream. */
  private wanted(): string[] {
    const boards = new Set<string>();
    for (const interest of this.interests.values())
      for (const boardId of interest.boards.keys()) if (!this.unavailable.has(boardId)) boards.add(boardId);
    return [...boards].sort();
  }

  private changed(): void {
    this.scheduleReopen();
    this.output.changed();
  }

  /** Waits `settleMs`, so that tabs registering in a burst (a browser restoring its tabs) share one reopen. */
  private scheduleReopen(): void {
    if (this.reopenTimer === undefined && !this.stopped)
      this.reopenTimer = setTimeout(() => this.reconcile(), this.settleMs);
  }

  private reconcile(): void {
    this.reopenTimer = undefined;
    if (this.stopped) return;
    const wanted = this.wanted();
    for (const boardId of new Set([...this.relayed.keys(), ...this.needs.keys()]))
      if (!wanted.includes(boardId)) this.forget(boardId);
    const target = this.next ?? this.current;
    const setChanged =
      !target ||
      !sameKeys(
        target.start,
        wanted.map((boardId) => ({ boardId })),
      );
    // Needs the current connection had not met when it opened are for a new one; the one being
    // opened meets those it starts early enough for.
    const needUnmet = [...this.needs].some(
      ([boardId, seq]) => !this.next || !((this.next.start.get(boardId) ?? Infinity) <= seq),
    );
    if (!setChanged && !needUnmet && !this.mustReopen) return;
    this.mustReopen = false;

    // The one being opened has delivered nothing yet: replacing it loses nothing.
    this.next?.connection.close();
    this.next = undefined;
    if (wanted.length === 0) {
      this.current?.connection.close();
      this.current = undefined;
      this.output.changed();
      return;
    }
    const positions = wanted.map((boardId) => ({ boardId, seq: this.startSeq(boardId) }));
    const start = new Map(positions.map((b) => [b.boardId, b.seq]));
    this.next = { start, connection: this.openInParts(positions, this.eventsFor(start)) };
    // A current connection that is down delivers nothing either: no reason to keep it meanwhile.
    if (this.current && !this.current.connection.live) {
      this.current.connection.close();
      this.current = undefined;
    }
    this.output.changed();
  }

  private startSeq(boardId: string): number {
    const relayed = this.relayed.get(boardId);
    const need = this.needs.get(boardId);
    if (need !== undefined && (relayed === undefined || need < relayed)) return need;
    if (relayed !== undefined) return relayed;
    let lowest = Infinity;
    for (const { boards } of this.interests.values())
      lowest = Math.min(lowest, boards.get(boardId) ?? Infinity);
    return Number.isFinite(lowest) ? lowest : 0;
  }

  private forget(boardId: string): void {
    this.relayed.delete(boardId);
    this.needs.delete(boardId);
  }

  /** A connection's events; `start` is what tells it apart (it is the connection's own map). */
  private eventsFor(start: Map<string, number>): ConnectionEvents {
    const mine = (): boolean =>
      !this.stopped && (start === this.current?.start || start === this.next?.start);
    return {
      onOpen: () => {
        if (!mine() || start !== this.next?.start) return;
        const previous = this.current;
        this.current = this.next;
        this.next = undefined;
        previous?.connection.close();
        for (const [boardId, seq] of start) {
          // Every tab of the board has everything up to where this connection started.
          if ((this.relayed.get(boardId) ?? -1) < seq) this.relayed.set(boardId, seq);
          const need = this.needs.get(boardId);
          if (need !== undefined && seq <= need) this.needs.delete(boardId);
        }
        this.output.changed();
        this.scheduleReopen();
      },
      onMessage: (boardId, message) => {
        if (!mine() || !this.wants(boardId)) return;
        const relayed = this.relayed.get(boardId);
        // A reset moves the board's position wherever it says, even back (a replaced database).
        if (message.type === 'reset' || relayed === undefined || message.seq > relayed)
          this.relayed.set(boardId, message.seq);
        this.queueRelay(boardId, message);
      },
      onUnavailable: (boardId) => {
        if (!mine()) return;
        this.flushRelays();
        this.unavailable.add(boardId);
        this.forget(boardId);
        this.output.unavailable(boardId);
        this.output.changed();
      },
      onStatus: () => {
        if (mine()) this.output.changed();
      },
      onRefused: (error) => {
        if (!mine()) return;
        const revoked =
          error.code === 'access_revoked' ? String(error.details.reason ?? 'revoked') : undefined;
        // 404: none of its boards can be followed. Each tab finds out why for its own board.
        if (start === this.current?.start) this.current = undefined;
        if (start === this.next?.start) this.next = undefined;
        for (const boardId of start.keys()) {
          this.unavailable.add(boardId);
          this.forget(boardId);
          this.output.unavailable(boardId, revoked);
        }
        this.output.changed();
        this.scheduleReopen();
      },
      onFallback: () => {
        if (!mine() || !this.fallback) return;
        this.open = this.fallback;
        this.current?.connection.close();
        this.current = undefined;
        this.mustReopen = true;
        this.scheduleReopen();
      },
    };
  }

  /** Relays go out once per board per turn of the event loop: a poll's answer is one message, not a thousand. */
  private queueRelay(boardId: string, message: StreamMessage): void {
    const queued = this.pendingRelays.get(boardId);
    if (queued) return void queued.push(message);
    if (this.pendingRelays.size === 0) queueMicrotask(() => this.flushRelays());
    this.pendingRelays.set(boardId, [message]);
  }

  private flushRelays(): void {
    const pending = this.pendingRelays;
    this.pendingRelays = new Map();
    for (const [boardId, messages] of pending) this.output.relay(boardId, messages);
  }

  /** The server takes at most MAX_BOARDS_PER_STREAM boards on one stream: more take more of them. */
  private openInParts(start: BoardPosition[], events: ConnectionEvents): BoardSetConnection {
    if (start.length <= MAX_BOARDS_PER_STREAM) return this.open(start, events);
    return new ConnectionInParts(this.open, start, events, MAX_BOARDS_PER_STREAM);
  }
}

function sameKeys(map: ReadonlyMap<string, unknown>, boards: readonly { boardId: string }[]): boolean {
  return map.size === boards.length && boards.every(({ boardId }) => map.has(boardId));
}
