/**
 * The cut at the event that takes a reader's access away, without the timing of a server: the pure
 * fold (reader-access.ts), the broadcaster's delivery of it live and replayed from the log, and that
 * an ordinary batch costs a subscriber nothing but its flag.
 */
import { describe, expect, it, vi } from 'vitest';
import { ACCESS_EVENT_TYPES, type BoardEventType, type Role, type Visibility } from '../domain/index.js';
import { createMetrics } from '../metrics.js';
import type { BoardHead, LoggedEvent, Store } from '../store/store.js';
import { Broadcaster, type CloseReason, type SendResult, type Sink } from './broadcaster.js';
import { EventBatch } from './event-batch.js';
import { followAccess, readableEvents, readerAccessAt, type ReaderAccess } from './reader-access.js';

const BOARD = 'board-a';
const ME = 'usr_me';
const OTHER = 'usr_other';

let nextSeq = 1;
function event(type: BoardEventType, body: object = {}, seq = nextSeq++): LoggedEvent {
  return { boardId: BOARD, seq, type, json: JSON.stringify({ type, seq, ...body }) };
}
const task = (seq?: number): LoggedEvent => event('task_created', { task: { id: 't' } }, seq);
const removed = (userId: string, seq?: number): LoggedEvent =>
  event('member_removed', { userId, username: userId }, seq);
const added = (userId: string, role: Role, seq?: number): LoggedEvent =>
  event('member_added', { member: { userId, username: userId, role } }, seq);
const visibility = (to: Visibility, seq?: number): LoggedEvent =>
  event('visibility_changed', { visibility: to, listed: false }, seq);

function head(
  seq: number,
  members: { userId: string; role: Role }[],
  vis: Visibility = 'private',
): BoardHead {
  return {
    boardId: BOARD,
    seq,
    deleted: false,
    firstRetainedSeq: 1,
    visibility: vis,
    members: members.map((member) => ({ ...member, username: member.userId })),
  };
}

describe('followAccess (pure)', () => {
  const member: ReaderAccess = { userId: ME, role: 'editor', visibility: 'private', seq: 0 };

  it('cuts a member at its own removal from a private board, and nowhere else', () => {
    const events = [task(1), removed(OTHER, 2), task(3), removed(ME, 4), task(5)];
    expect(followAccess(member, events)).toEqual({
      access: { userId: ME, role: null, visibility: 'private', seq: 4 },
      cutSeq: 4,
    });
    expect(readableEvents(member, events).events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('does not cut a member removed from a public board (it reads on as a guest), nor a role change', () => {
    const events = [event('member_updated', { member: { userId: ME, username: ME, role: 'viewer' } }, 1)];
    expect(followAccess(member, events).cutSeq).toBeUndefined();
    expect(followAccess({ ...member, visibility: 'public' }, [removed(ME, 1)]).cutSeq).toBeUndefined();
  });

  it('cuts guests and anonymous readers when the board turns private; members read on', () => {
    const events = [task(1), visibility('public_edit', 2), visibility('private', 3), task(4)];
    const guest: ReaderAccess = { userId: ME, role: null, visibility: 'public', seq: 0 };
    const anonymous: ReaderAccess = { userId: null, role: null, visibility: 'public', seq: 0 };
    expect(followAccess(guest, events).cutSeq).toBe(3);
    expect(followAccess(anonymous, events).cutSeq).toBe(3);
    expect(followAccess({ ...member, visibility: 'public' }, events).cutSeq).toBeUndefined();
  });

  it('a guest made a member before the board turns private reads on', () => {
    const guest: ReaderAccess = { userId: ME, role: null, visibility: 'public', seq: 0 };
    expect(followAccess(guest, [added(ME, 'viewer', 1), visibility('private', 2)]).cutSeq).toBeUndefined();
  });

  it('skips events already in the head it was authorized against: a resume replays them, it is not cut by them', () => {
    // Removed at 2, added again at 3; authorized at 3 as a member, resuming from 1.
    const resumed = readerAccessAt(head(3, [{ userId: ME, role: 'viewer' }]), ME);
    expect(followAccess(resumed, [removed(ME, 2), added(ME, 'viewer', 3), task(4)]).cutSeq).toBeUndefined();
    expect(followAccess(resumed, [removed(ME, 2), added(ME, 'viewer', 3), removed(ME, 4)]).cutSeq).toBe(4);
  });
});

describe('EventBatch.changesAccess', () => {
  it('is worked out once per batch', () => {
    const ordinary = new EventBatch([task(1), task(2)]);
    expect(ordinary.changesAccess).toBe(false);
    expect(new EventBatch([task(1), removed(OTHER, 2)]).changesAccess).toBe(true);
    const has = vi.spyOn(ACCESS_EVENT_TYPES, 'has');
    expect(ordinary.changesAccess).toBe(false);
    expect(has).not.toHaveBeenCalled();
    has.mockRestore();
  });

  it('upTo keeps the events up to and including a seq', () => {
    const batch = new EventBatch([task(1), task(2), task(3)]);
    expect(batch.upTo(2).events.map((e) => e.seq)).toEqual([1, 2]);
    expect(batch.upTo(3)).toBe(batch);
  });
});

class Recorder implements Sink {
  readonly seqs: number[] = [];
  readonly calls: string[] = [];
  send(batch: EventBatch): SendResult {
    this.seqs.push(...batch.events.map((e) => e.seq));
    this.calls.push(`send ${batch.firstSeq}..${batch.lastSeq}`);
    return 'sent';
  }
  close(reason: CloseReason): void {
    this.calls.push(`close ${reason}`);
  }
}

/** A log the test writes, and the two reads the broadcaster makes of it. */
function logStore(log: LoggedEvent[], boardHead: () => BoardHead): Store {
  return {
    readEvents: (_boardId: string, afterSeq: number, limit: number) =>
      Promise.resolve(log.filter((e) => e.seq > afterSeq).slice(0, limit)),
    boardHead: () => Promise.resolve(boardHead()),
  } as unknown as Store;
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

describe('the broadcaster cuts a reader at the event', () => {
  const metrics = createMetrics();

  it('live: it is sent the batch up to its removal, then closed access_lost; others get everything', async () => {
    const log: LoggedEvent[] = [];
    const at = () =>
      head(log.length, [
        { userId: ME, role: 'editor' },
        { userId: OTHER, role: 'owner' },
      ]);
    const broadcaster = new Broadcaster(logStore(log, at), metrics);
    const cut = new Recorder();
    const owner = new Recorder();
    broadcaster.subscribe(BOARD, 0, 0, cut, readerAccessAt(at(), ME));
    broadcaster.subscribe(BOARD, 0, 0, owner, readerAccessAt(at(), OTHER));
    const batch = [task(1), task(2), removed(ME, 3), task(4)];
    log.push(...batch);
    broadcaster.publish(batch);
    await settle();
    expect(cut.calls).toEqual(['send 1..3', 'close access_lost']);
    expect(owner.seqs).toEqual([1, 2, 3, 4]);
    // Nothing more, whatever comes next.
    log.push(task(5));
    broadcaster.publish([log.at(-1)!]);
    await settle();
    expect(cut.seqs).toEqual([1, 2, 3]);
    expect(owner.seqs).toEqual([1, 2, 3, 4, 5]);
  });

  it('replayed from the log (a resuming reader): cut at the same event', async () => {
    // 1,200 events in the log, the removal at 1,100: the reader resumes from 0, authorized at 1,000
    // (before the removal was committed), so it reads the log in pages and meets the removal there.
    const log: LoggedEvent[] = [];
    for (let seq = 1; seq <= 1200; seq++) log.push(seq === 1100 ? removed(ME, seq) : task(seq));
    const authorizedAt = head(1000, [{ userId: ME, role: 'viewer' }]);
    const broadcaster = new Broadcaster(
      logStore(log, () => head(1200, [])),
      metrics,
    );
    const reader = new Recorder();
    broadcaster.subscribe(BOARD, 0, 1200, reader, readerAccessAt(authorizedAt, ME));
    await settle();
    expect(reader.seqs).toEqual(Array.from({ length: 1100 }, (_, index) => index + 1));
    expect(reader.calls.at(-1)).toBe('close access_lost');
  });

  it('an ordinary batch costs 50 subscribers one look at its events in all, not one each', async () => {
    const log: LoggedEvent[] = [];
    const at = () => head(log.length, [{ userId: ME, role: 'editor' }]);
    const broadcaster = new Broadcaster(logStore(log, at), metrics);
    const readers = Array.from({ length: 50 }, () => new Recorder());
    for (const reader of readers) broadcaster.subscribe(BOARD, 0, 0, reader, readerAccessAt(at(), ME));
    const batch = [task(1), task(2), task(3)];
    log.push(...batch);
    const has = vi.spyOn(ACCESS_EVENT_TYPES, 'has');
    broadcaster.publish(batch);
    await settle();
    expect(readers.every((reader) => reader.seqs.length === 3)).toBe(true);
    // The batch's flag, worked out once (3 events), then read by each subscriber.
    expect(has).toHaveBeenCalledTimes(3);
    has.mockRestore();
  });
});
