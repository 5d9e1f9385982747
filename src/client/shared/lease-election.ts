import type { Election } from './election.js';
import type {
  BroadcastChannelConstructor,
  BroadcastChannelLike,
  SharingTiming,
} from './sharing-environment.js';

/** A claim on the role: the higher term wins, and in one term the smaller tab id. */
interface Claim {
  tabId: string;
  term: number;
}

type LeaseMessage =
  | ({ kind: 'beat' } & Claim)
  | ({ kind: 'claim' } & Claim)
  | ({ kind: 'resign' } & Claim)
  | { kind: 'who'; tabId: string; term: number };

/** How long a claimant listens for a better claim before it holds. BroadcastChannel delivers within a few ms. */
const CLAIM_WAIT_MS = 150;

/**
 * The election where Web Locks are missing: a lease over BroadcastChannel. The holder renews it
 * with a beat every `heartbeatMs`; a tab that has heard no beat for `silenceMs` claims the next
 * term, and holds it if no better claim (a higher term, or the same from a smaller tab id) is heard
 * within CLAIM_WAIT_MS. A holder that hears a better claim or beat steps down, so two holders (a
 * frozen one waking up, two claims crossing) last only until they hear each other.
 */
export class LeaseElection implements Election {
  private channel: BroadcastChannelLike | undefined;
  private onElected: ((tenure: AbortSignal) => void) | undefined;
  private role: 'waiting' | 'claiming' | 'holder' = 'waiting';
  /** The highest term heard of, ours included. */
  private term = 0;
  private mine: Claim | undefined;
  private tenure: AbortController | undefined;
  private heardAt = Number.NEGATIVE_INFINITY;
  private startedAt = 0;
  private readonly timers: Array<ReturnType<typeof setTimeout>> = [];
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly BroadcastChannel: BroadcastChannelConstructor,
    private readonly name: string,
    private readonly tabId: string,
    private readonly timing: Pick<SharingTiming, 'heartbeatMs' | 'silenceMs'>,
  ) {}

  start(onElected: (tenure: AbortSignal) => void): void {
    this.onElected = onElected;
    if (this.channel) return;
    this.channel = new this.BroadcastChannel(`${this.name}|lease`);
    this.channel.onmessage = (event) => this.receive(event.data as LeaseMessage);
    this.role = 'waiting';
    this.startedAt = Date.now();
    // A holder answers `who` at once, so a new tab need not wait a whole beat to know there is one.
    this.post({ kind: 'who', tabId: this.tabId, term: this.term });
    this.ticker = setInterval(() => this.tick(), this.timing.heartbeatMs / 2);
  }

  takeOver(): void {
    if (this.channel && this.role === 'waiting') this.claim();
  }

  stop(): void {
    if (!this.channel) return;
    if (this.role === 'holder' && this.mine) this.post({ kind: 'resign', ...this.mine });
    this.endTenure();
    clearInterval(this.ticker);
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
    this.channel.close();
    this.channel = undefined;
    this.onElected = undefined;
  }

  private tick(): void {
    const now = Date.now();
    if (this.role === 'holder') return this.beat();
    // A new tab listens for one beat's time before it claims: usually someone already holds.
    const listened = now - this.startedAt >= this.timing.heartbeatMs;
    if (this.role === 'waiting' && listened && now - this.heardAt > this.timing.silenceMs) this.claim();
  }

  private claim(): void {
    this.term += 1;
    this.mine = { tabId: this.tabId, term: this.term };
    this.role = 'claiming';
    this.post({ kind: 'claim', ...this.mine });
    this.later(CLAIM_WAIT_MS, () => {
      if (this.role !== 'claiming' || !this.onElected) return;
      this.role = 'holder';
      this.tenure = new AbortController();
      this.beat();
      this.onElected(this.tenure.signal);
    });
  }

  private receive(message: LeaseMessage): void {
    this.term = Math.max(this.term, message.term);
    switch (message.kind) {
      case 'who':
        if (this.role === 'holder') this.beat();
        return;
      case 'resign':
        // Every waiting tab claims at once: claims that cross settle by rank (term, then tab id)
        // within one claim's wait, so a random delay would only make the takeover slower.
        this.heardAt = Number.NEGATIVE_INFINITY;
        this.takeOver();
        return;
      case 'beat':
      case 'claim': {
        const better = !this.mine || outranks(message, this.mine);
        // A claim is a sign of life too: its claimant beats from the moment it holds.
        if (this.role === 'waiting') {
          this.heardAt = Date.now();
          return;
        }
        if (!better) {
          // A holder that is challenged by a weaker claim says it is here; a claimant keeps claiming.
          if (this.role === 'holder') this.beat();
          return;
        }
        if (this.role === 'holder') this.endTenure();
        this.role = 'waiting';
        this.heardAt = Date.now();
      }
    }
  }

  private beat(): void {
    if (this.mine) this.post({ kind: 'beat', ...this.mine });
  }

  private endTenure(): void {
    const tenure = this.tenure;
    this.tenure = undefined;
    if (this.role === 'holder') this.role = 'waiting';
    tenure?.abort();
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.splice(this.timers.indexOf(timer), 1);
      run();
    }, ms);
    this.timers.push(timer);
  }

  private post(message: LeaseMessage): void {
    this.channel?.postMessage(message);
  }
}

function outranks(a: Claim, b: Claim): boolean {
  return a.term > b.term || (a.term === b.term && a.tabId < b.tabId);
}
