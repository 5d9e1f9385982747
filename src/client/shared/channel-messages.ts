/**
 * What tabs say to each other on the BroadcastChannel. Every tab hears every message; each acts
 * only on what is its business (the holder on what tabs ask, a tab on its own boards' events).
 */
import type { StreamMessage } from '../../domain/index.js';
import type { ConnectionStatus } from '../types.js';
import type { BoardPosition } from './board-positions.js';

/**
 * Who holds the connection, and since when. A newer holder outranks an older one, so a tab that
 * hears a frozen holder wake up (still relaying for a moment) keeps listening to the one that took over.
 */
export interface HolderId {
  tabId: string;
  since: number;
}

/** Tab → holder. */
export type TabMessage =
  /** Every board this tab follows, with the seq after which it has everything (replaces what it said before). */
  | { kind: 'follow'; tabId: string; boards: BoardPosition[] }
  /** This tab is missing a board's events after `after` (it saw a gap, or it stopped reading for a while): send them again. */
  | { kind: 'resume'; tabId: string; boardId: string; after: number }
  /** This tab follows nothing any more, or is going away. */
  | { kind: 'leave'; tabId: string }
  /** The holder has not been heard for a while: is it there? */
  | { kind: 'probe'; tabId: string };

/** Holder → tabs. */
export type HolderMessage =
  /**
   * The heartbeat, also sent whenever the connection changes: its status, the boards it streams
   * now, the tabs the holder knows of (a tab it does not know says `follow` again), and whether
   * every tab is to say `follow` again (so that the holder forgets tabs that crashed).
   */
  | {
      kind: 'state';
      holder: HolderId;
      status: ConnectionStatus;
      live: string[];
      tabs: string[];
      rollCall: boolean;
    }
  /** A board's messages, as they came on the connection. */
  | { kind: 'relay'; holder: HolderId; boardId: string; messages: StreamMessage[] }
  /**
   * The server cannot stream this board (unknown, or deleted with nothing left to replay); with
   * `revoked`, the connection's session was revoked (the reason the server gave): final.
   */
  | { kind: 'unavailable'; holder: HolderId; boardId: string; revoked?: string };

export type ChannelMessage = TabMessage | HolderMessage;

export function outranks(a: HolderId, b: HolderId): boolean {
  return a.since > b.since || (a.since === b.since && a.tabId < b.tabId);
}
