/**
 * What tabs need from their browser to share one connection, as small interfaces: the browser's
 * own objects fit them, and tests (in Node, which has BroadcastChannel but no Web Locks) pass
 * their own.
 */

/** The part of BroadcastChannel the SDK uses (the browser's and Node's both fit). */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export type BroadcastChannelConstructor = new (name: string) => BroadcastChannelLike;

/** The part of the Web Locks API (`navigator.locks`) the SDK uses. */
export interface LockManagerLike {
  request(
    name: string,
    options: { steal?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<unknown>,
  ): Promise<unknown>;
}

/** How long the parts of the sharing wait for each other (tests shorten them). */
export interface SharingTiming {
  /** The holder says it is alive (and how its connection is) this often. */
  heartbeatMs: number;
  /** A holder unheard for this long is asked whether it is there… */
  silenceMs: number;
  /** …and taken over when it does not answer within this. */
  probeMs: number;
  /** The holder waits this long after a change of the set of boards, to open one stream for a burst of them. */
  settleMs: number;
  /** A tab that follows nothing any more leaves the election after this (a page switching boards does not). */
  leaveGraceMs: number;
  /** The holder asks every tab to say again what it follows this often, and forgets a tab silent for three times as long. */
  rollCallMs: number;
}

export const DEFAULT_TIMING: SharingTiming = {
  heartbeatMs: 500,
  silenceMs: 2000,
  probeMs: 500,
  settleMs: 20,
  leaveGraceMs: 1000,
  rollCallMs: 10_000,
};

export interface SharingEnvironment {
  BroadcastChannel: BroadcastChannelConstructor;
  /** `navigator.locks`; where it is missing, a lease over BroadcastChannel elects the holder. */
  locks?: LockManagerLike | undefined;
  /**
   * Calls `listener` when the page goes away (closed, put in the back/forward cache) or is about
   * to be frozen: it hands the connection on at once rather than leave the others to wait out its
   * silence, as the Page Lifecycle asks of a page that holds a Web Lock.
   */
  onAway?(listener: () => void): void;
  /** Calls `listener` when the page is back (from the back/forward cache, or resumed from frozen). */
  onBack?(listener: () => void): void;
  timing?: Partial<SharingTiming>;
}

type Listen = (type: string, listener: (event: { persisted?: boolean }) => void) => void;

type BrowserScope = {
  document?: { addEventListener?: Listen };
  BroadcastChannel?: BroadcastChannelConstructor;
  navigator?: { locks?: LockManagerLike };
  addEventListener?: Listen;
};

/**
 * The browser's own objects, when this is a page that can share (it has BroadcastChannel);
 * undefined elsewhere: in Node (which has a BroadcastChannel, but no tabs to share with) every
 * subscription keeps its own connection, as before.
 */
export function browserSharing(): SharingEnvironment | undefined {
  const scope = globalThis as unknown as BrowserScope;
  const document = scope.document;
  if (document === undefined || typeof scope.BroadcastChannel !== 'function') return undefined;
  const locks = scope.navigator?.locks;
  return {
    BroadcastChannel: scope.BroadcastChannel,
    locks: locks && typeof locks.request === 'function' ? locks : undefined,
    onAway: (listener) => {
      scope.addEventListener?.('pagehide', () => listener());
      document.addEventListener?.('freeze', () => listener());
    },
    onBack: (listener) => {
      scope.addEventListener?.('pageshow', (event) => {
        if (event.persisted) listener();
      });
      document.addEventListener?.('resume', () => listener());
    },
  };
}
