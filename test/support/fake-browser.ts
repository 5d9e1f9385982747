/**
 * Tabs of one browser, in Node: each tab's BroadcastChannel is Node's own (so tabs really talk to
 * each other), and Web Locks are an in-memory lock manager with the browser's semantics (a FIFO
 * queue, `steal`, `signal`). A tab can be frozen (nothing reaches it or leaves it until it thaws,
 * its locks stay held) or crash (its locks are released by "the browser", nothing of it runs again).
 */
import type {
  BroadcastChannelConstructor,
  BroadcastChannelLike,
  LockManagerLike,
  SharingEnvironment,
  SharingTiming,
} from '../../src/client/shared/sharing-environment.js';

export class FakeTab {
  frozen = false;
  crashed = false;
  private readonly held: Array<() => void> = [];

  constructor(readonly name: string) {}

  /** Runs `work` now, or when the tab thaws; never once it crashed. */
  run(work: () => void): void {
    if (this.crashed) return;
    if (this.frozen) this.held.push(work);
    else work();
  }

  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    for (const work of this.held.splice(0)) this.run(work);
  }
}

interface LockRequest {
  tab: FakeTab;
  callback: (lock: unknown) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

function abortError(): Error {
  const error = new Error('The lock request was aborted');
  error.name = 'AbortError';
  return error;
}

/** navigator.locks for every tab of one origin (exclusive mode only, which is all the SDK asks for). */
export class FakeLockManager {
  private readonly locks = new Map<string, { held?: LockRequest; queue: LockRequest[] }>();

  forTab(tab: FakeTab): LockManagerLike {
    return {
      request: (name, options, callback) =>
        new Promise((resolve, reject) => {
          const request: LockRequest = {
            tab,
            callback,
            resolve: (value) => tab.run(() => resolve(value)),
            reject: (error) => tab.run(() => reject(error)),
          };
          const lock = this.lock(name);
          if (options.signal?.aborted) return request.reject(abortError());
          if (options.steal) {
            const victim = lock.held;
            lock.held = undefined;
            victim?.reject(abortError());
            return this.grant(name, request);
          }
          lock.queue.push(request);
          options.signal?.addEventListener('abort', () => {
            const index = lock.queue.indexOf(request);
            if (index < 0) return;
            lock.queue.splice(index, 1);
            request.reject(abortError());
          });
          this.next(name);
        }),
    };
  }

  /** Who holds `name` now. */
  holder(name: string): FakeTab | undefined {
    return this.locks.get(name)?.held?.tab;
  }

  /** What the browser does for a tab whose process died: its locks are released, its requests dropped. */
  releaseAllOf(tab: FakeTab): void {
    for (const [name, lock] of this.locks) {
      lock.queue = lock.queue.filter((request) => request.tab !== tab);
      if (lock.held?.tab === tab) {
        lock.held = undefined;
        this.next(name);
      }
    }
  }

  private lock(name: string): { held?: LockRequest; queue: LockRequest[] } {
    let lock = this.locks.get(name);
    if (!lock) this.locks.set(name, (lock = { queue: [] }));
    return lock;
  }

  private next(name: string): void {
    const lock = this.lock(name);
    if (lock.held) return;
    const request = lock.queue.shift();
    if (request) this.grant(name, request);
  }

  private grant(name: string, request: LockRequest): void {
    const lock = this.lock(name);
    lock.held = request;
    const settle = (outcome: () => void): void => {
      if (lock.held === request) {
        lock.held = undefined;
        this.next(name);
      }
      outcome();
    };
    request.tab.run(() => {
      let result: Promise<unknown>;
      try {
        result = Promise.resolve(request.callback({ name }));
      } catch (error) {
        result = Promise.reject(error);
      }
      result.then(
        (value) => settle(() => request.resolve(value)),
        (error: unknown) => settle(() => request.reject(error)),
      );
    });
  }
}

/** A BroadcastChannel class whose instances belong to one tab: frozen with it, dead with it. */
function channelOf(tab: FakeTab): BroadcastChannelConstructor {
  return class TabChannel implements BroadcastChannelLike {
    onmessage: ((event: { data: unknown }) => void) | null = null;
    private readonly inner: BroadcastChannel;

    constructor(name: string) {
      this.inner = new BroadcastChannel(name);
      this.inner.onmessage = (event) => {
        const data = (event as MessageEvent).data as unknown;
        tab.run(() => this.onmessage?.({ data }));
      };
    }

    postMessage(message: unknown): void {
      tab.run(() => this.inner.postMessage(message));
    }

    close(): void {
      this.inner.close();
    }
  };
}

export interface FakeBrowser {
  locks: FakeLockManager;
  /** A new tab: its FakeTab and the sharing environment to give its LiveboardClient. */
  tab(options?: { webLocks?: boolean }): { tab: FakeTab; sharing: SharingEnvironment };
}

export function fakeBrowser(timing: Partial<SharingTiming> = {}): FakeBrowser {
  const locks = new FakeLockManager();
  let count = 0;
  return {
    locks,
    tab({ webLocks = true } = {}) {
      const tab = new FakeTab(`tab ${++count}`);
      const sharing: SharingEnvironment = {
        BroadcastChannel: channelOf(tab),
        locks: webLocks ? locks.forTab(tab) : undefined,
        timing,
      };
      return { tab, sharing };
    },
  };
}
