import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser, type FakeTab } from '../../../test/support/fake-browser.js';
import { WebLocksElection, type Election } from './election.js';
import { LeaseElection } from './lease-election.js';

const NAME = 'liveboard|election-test';

interface Candidate {
  tab: FakeTab;
  election: Election;
  /** How many times it was elected, and whether it holds now. */
  terms: number;
  holding: boolean;
}

const started: Candidate[] = [];
afterEach(() => {
  for (const candidate of started.splice(0)) candidate.election.stop();
});

function run(tab: FakeTab, election: Election): Candidate {
  const candidate: Candidate = { tab, election, terms: 0, holding: false };
  election.start((tenure) => {
    candidate.terms += 1;
    candidate.holding = true;
    tenure.addEventListener('abort', () => (candidate.holding = false));
  });
  started.push(candidate);
  return candidate;
}

const settle = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
const holders = (candidates: Candidate[]) => candidates.filter((candidate) => candidate.holding);

async function until(condition: () => boolean, timeoutMs = 5000): Promise<number> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await settle(5);
  }
  return Date.now() - start;
}

describe('the election by Web Locks', () => {
  function candidates(count: number) {
    const browser = fakeBrowser();
    return Array.from({ length: count }, () => {
      const { tab, sharing } = browser.tab();
      return run(tab, new WebLocksElection(sharing.locks!, NAME));
    });
  }

  it('elects the first tab, and the next in line the moment the holder leaves', async () => {
    const [a, b, c] = candidates(3);
    await settle();
    expect(holders([a!, b!, c!])).toEqual([a]);
    a!.election.stop();
    await settle();
    expect(holders([a!, b!, c!])).toEqual([b]);
  });

  it('elects the next in line when the holder crashes (the browser releases its lock)', async () => {
    const browser = fakeBrowser();
    const tabs = Array.from({ length: 2 }, () => browser.tab());
    const [a, b] = tabs.map(({ tab, sharing }) => run(tab, new WebLocksElection(sharing.locks!, NAME)));
    await settle();
    expect(a!.holding).toBe(true);
    a!.tab.crashed = true;
    browser.locks.releaseAllOf(a!.tab);
    await settle();
    expect(b!.holding).toBe(true);
  });

  it('takes over from a frozen holder, which steps down when it thaws and waits in line again', async () => {
    const [a, b, c] = candidates(3);
    await settle();
    a!.tab.freeze();
    b!.election.takeOver();
    await settle();
    expect(b!.holding).toBe(true);
    expect(c!.holding).toBe(false);
    // Frozen, it cannot know yet; once it thaws, it learns the lock was stolen.
    expect(a!.holding).toBe(true);
    a!.tab.thaw();
    await settle();
    expect(holders([a!, b!, c!])).toEqual([b]);
    // In line behind c, which was queued first.
    b!.election.stop();
    await settle();
    expect(holders([a!, b!, c!])).toEqual([c]);
    c!.election.stop();
    await settle();
    expect(holders([a!, b!, c!])).toEqual([a]);
    expect(a!.terms).toBe(2);
  });

  it('takeOver by the holder itself changes nothing', async () => {
    const [a, b] = candidates(2);
    await settle();
    a!.election.takeOver();
    await settle();
    expect(holders([a!, b!])).toEqual([a]);
    expect(a!.terms).toBe(1);
  });
});

describe('the election by lease, where Web Locks are missing', () => {
  const timing = { heartbeatMs: 40, silenceMs: 200 };

  function candidates(count: number) {
    const browser = fakeBrowser();
    return Array.from({ length: count }, () => {
      const { tab, sharing } = browser.tab({ webLocks: false });
      const election = new LeaseElection(sharing.BroadcastChannel, NAME, tab.name, timing);
      return run(tab, election);
    });
  }

  it('elects exactly one of the tabs that start together, and keeps it', async () => {
    const all = candidates(4);
    await until(() => holders(all).length === 1);
    const [holder] = holders(all);
    await settle(600);
    expect(holders(all)).toEqual([holder]);
    expect(holder!.terms).toBe(1);
  });

  it('elects another within a claim when the holder leaves (it resigns)', async () => {
    const all = candidates(3);
    await until(() => holders(all).length === 1);
    const [holder] = holders(all);
    holder!.election.stop();
    holder!.holding = false;
    const took = await until(() => holders(all).length === 1);
    expect(took).toBeLessThan(timing.silenceMs);
    await settle(300);
    expect(holders(all)).toHaveLength(1);
  });

  it('takes over from a frozen holder once its lease runs out; the holder steps down when it thaws', async () => {
    const all = candidates(3);
    await until(() => holders(all).length === 1);
    const [frozen] = holders(all);
    frozen!.tab.freeze();
    const others = all.filter((candidate) => candidate !== frozen);
    const took = await until(() => holders(others).length === 1);
    expect(took).toBeGreaterThanOrEqual(timing.silenceMs - timing.heartbeatMs);
    frozen!.tab.thaw();
    await until(() => !frozen!.holding);
    await settle(300);
    expect(holders(all)).toHaveLength(1);
  });
});
