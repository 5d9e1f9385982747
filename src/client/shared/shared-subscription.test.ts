import { describe, expect, it } from 'vitest';
import type { StreamMessage } from '../../domain/index.js';
import type { LiveReader } from '../types.js';
import { SharedSubscription } from './shared-subscription.js';
import type { LocalFollower, TabHub } from './tab-hub.js';

function event(seq: number): StreamMessage {
  return { type: 'task_deleted', seq, at: 't', taskId: `task-${seq}` };
}
const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A hub that only records: what follows it, and every resume asked for (at which position). */
function recordingHub() {
  const followers: LocalFollower[] = [];
  const resumes: number[] = [];
  let unfollowed = 0;
  const hub = {
    follow(follower: LocalFollower) {
      followers.push(follower);
      return { resume: () => resumes.push(follower.position()), unfollow: () => (unfollowed += 1) };
    },
  } as unknown as TabHub;
  return { hub, followers, resumes, unfollowed: () => unfollowed };
}

const reader = { backoff: { initialMs: 10, maxMs: 20 } } as LiveReader;

async function take(subscription: SharedSubscription, count: number): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < count; i++) {
    const result = await subscription.next();
    if (result.done) break;
    seqs.push(result.value.seq);
  }
  return seqs;
}

describe('a subscription on the shared connection', () => {
  it('stops reading at 1000 buffered messages, and once its reader catches up asks the holder to replay from where it stopped', async () => {
    const { hub, followers, resumes } = recordingHub();
    const subscription = new SharedSubscription(reader, hub, 'board-1', { from: 0 });
    const first = subscription.next();
    await tick();
    const [follower] = followers;
    follower!.receive(range(1, 1500).map(event));
    // The first went straight to the waiting reader; a thousand more fill the buffer.
    expect(follower!.position()).toBe(1001);
    expect((await first).value).toMatchObject({ seq: 1 });
    const read = await take(subscription, 950);
    await tick();
    expect(resumes).toEqual([1001]);
    // The holder replays from 1001 (and a little before: dropped, by seq).
    follower!.receive(range(990, 1500).map(event));
    read.push(...(await take(subscription, 549)));
    expect([1, ...read]).toEqual(range(1, 1500));
  });

  it('asks for a replay once per gap, not once per message after it', async () => {
    const { hub, followers, resumes } = recordingHub();
    const subscription = new SharedSubscription(reader, hub, 'board-1', { from: 5 });
    void subscription.next();
    await tick();
    const [follower] = followers;
    follower!.receive([event(6)]);
    for (const seq of [8, 9, 10]) follower!.receive([event(seq)]);
    expect(resumes).toEqual([6]);
    follower!.receive([event(7), event(8)]);
    expect(follower!.position()).toBe(8);
    subscription.stop();
  });

  it('ends after board_deleted and lets go of the hub', async () => {
    const { hub, followers, unfollowed } = recordingHub();
    const subscription = new SharedSubscription(reader, hub, 'board-1', { from: 0 });
    const seen: StreamMessage[] = [];
    const done = (async () => {
      for (let result = await subscription.next(); !result.done; result = await subscription.next())
        seen.push(result.value);
    })();
    await tick();
    followers[0]!.receive([
      event(1),
      { type: 'board_deleted', seq: 2, at: 't', boardId: 'board-1' },
      event(3),
    ]);
    await done;
    expect(seen.map((message) => message.type)).toEqual(['task_deleted', 'board_deleted']);
    expect(unfollowed()).toBe(1);
  });

  it('says reconnecting, not connecting, when the shared connection is being opened again after it was live', async () => {
    const { hub, followers } = recordingHub();
    const statuses: string[] = [];
    const subscription = new SharedSubscription(reader, hub, 'board-1', {
      from: 0,
      onStatus: (status) => statuses.push(status),
    });
    void subscription.next();
    await tick();
    for (const status of ['connecting', 'live', 'connecting', 'offline', 'live'] as const)
      followers[0]!.status(status);
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'offline', 'live']);
    subscription.stop();
  });
});
