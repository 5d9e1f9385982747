import { describe, expect, it, vi } from 'vitest';
import { createMetrics, type Metrics } from '../metrics.js';
import type { BoardEventType } from '../domain/index.js';
import type { BoardHead, LoggedEvent, Store } from '../store/store.js';
import { Broadcaster, type CloseReason, type SendResult, type Sink } from './broadcaster.js';
import type { EventBatch } from './event-batch.js';

const BOARD = 'board-1';

function loggedEvent(seq: number, type: BoardEventType = 'task_created', boardId = BOARD): LoggedEvent {
  return { boardId, seq, type, json: JSON.stringify({ type, seq }) };
}

function seqsFrom(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

/** Records what it is sent; answers `answer` (which a test may change between sends). */
class FakeSink implements Sink {
  readonly batches: EventBatch[] = [];
  readonly closes: CloseReason[] = [];
  /** send and close in the order they happened, to prove a close comes after the last batch. */
  readonly calls: string[] = [];

  constructor(
    public answer: SendResult = 'sent',
    private readonly onSend: (sink: FakeSink) => void = () => {},
  ) {}

  send(batch: EventBatch): SendResult {
    this.batches.push(batch);
    this.calls.push(`send ${batch.firstSeq}..${batch.lastSeq}`);
    this.onSend(this);
    return this.answer;
  }

  close(reason: CloseReason): void {
    this.closes.push(reason);
    this.calls.push(`close ${reason}`);
  }

  get seqs(): number[] {
    return this.batches.flatMap((batch) => batch.events.map((event) => event.seq));
  }

  /** Each batch is consecutive events, starting right after the previous batch (the Sink contract). */
  get batchesAreContiguous(): boolean {
    let lastSeq: number | undefined;
    for (const batch of this.batches) {
      const seqs = batch.events.map((event) => event.seq);
      if (lastSeq !== undefined && seqs[0] !== lastSeq + 1) return false;
      if (seqs.some((seq, index) => seq !== seqs[0]! + index)) return false;
      lastSeq = seqs.at(-1);
    }
    return true;
  }
}

/** A read of the log the test holds open: it sees the log as it is when its snapshot is taken. */
class HeldRead {
  private snapshot: LoggedEvent[] | undefined;
  private resolvePromise!: (events: LoggedEvent[]) => void;
  readonly promise = new Promise<LoggedEvent[]>((resolve) => (this.resolvePromise = resolve));

  constructor(private readonly readNow: () => LoggedEvent[]) {}

  takeSnapshot(): void {
    this.snapshot ??= this.readNow();
  }

  resolve(): void {
    this.takeSnapshot();
    this.resolvePromise(this.snapshot!);
  }
}

/** The two store calls the broadcaster makes, over logs the test writes to directly. */
class FakeStore {
  readonly logsByBoard = new Map<string, LoggedEvent[]>();
  readonly reads: { boardId: string; afterSeq: number; limit: number }[] = [];
  readonly heldReads: HeldRead[] = [];
  private readsToHold = 0;
  /** When set, only a read from this position is held (not, say, the channel's own fetch). */
  private holdAfterSeq: number | undefined;

  /** Commits events to the log (what the store's transaction does; nobody is told). */
  commit(...events: LoggedEvent[]): LoggedEvent[] {
    for (const event of events) {
      const log = this.logsByBoard.get(event.boardId) ?? [];
      expect(event.seq).toBe((log.at(-1)?.seq ?? 0) + 1);
      log.push(event);
      this.logsByBoard.set(event.boardId, log);
    }
    return events;
  }

  /** The next `count` reads (from `afterSeq`, if given) wait until the test resolves them. */
  holdReads(count = 1, afterSeq?: number): void {
    this.readsToHold += count;
    this.holdAfterSeq = afterSeq;
  }

  readEvents(boardId: string, afterSeq: number, limit: number): Promise<LoggedEvent[]> {
    this.reads.push({ boardId, afterSeq, limit });
    const readNow = () =>
      (this.logsByBoard.get(boardId) ?? []).filter((event) => event.seq > afterSeq).slice(0, limit);
    if (this.readsToHold === 0 || (this.holdAfterSeq ?? afterSeq) !== afterSeq) {
      return Promise.resolve(readNow());
    }
    this.readsToHold--;
    const held = new HeldRead(readNow);
    this.heldReads.push(held);
    return held.promise;
  }

  boardHead(boardId: string): Promise<BoardHead | undefined> {
    const log = this.logsByBoard.get(boardId);
    const last = log?.at(-1);
    return Promise.resolve(
      log && {
        boardId,
        seq: last?.seq ?? 0,
        deleted: last?.type === 'board_deleted',
        firstRetainedSeq: 1,
        visibility: 'public_edit',
        members: [],
      },
    );
  }

  headSeq(boardId: string): number {
    return this.logsByBoard.get(boardId)?.at(-1)?.seq ?? 0;
  }
}

/** `metrics` can be shared: each createMetrics() starts an event-loop delay monitor that stays on. */
function setUp(metrics = createMetrics()) {
  const store = new FakeStore();
  const broadcaster = new Broadcaster(store as unknown as Store, metrics);
  /** Subscribes a new fake sink the way the SSE stream and the long poll do. */
  const follow = (afterSeq: number, sink = new FakeSink(), boardId = BOARD): FakeSink => {
    broadcaster.subscribe(boardId, afterSeq, store.headSeq(boardId), sink);
    return sink;
  };
  /** Commits events and publishes them, as a write does after its transaction. */
  const write = (...events: LoggedEvent[]): void => broadcaster.publish(store.commit(...events));
  return { store, metrics, broadcaster, follow, write };
}

/** One turn of the event loop: a fan-out slice (scheduled with setImmediate) runs. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await turn();
}

async function microtasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** The burnt time makes a fan-out to thousands of sinks span several 1 ms slices. */
function burn(microseconds: number): void {
  const until = performance.now() + microseconds / 1000;
  while (performance.now() < until) {
    // busy: a sink that takes a while to write
  }
}

/** Counts turns of the event loop, so a sink can tell in which fan-out slice it was reached. */
function startTurnCounter(): { turn: number; stop(): void } {
  const counter = { turn: 0, stopped: false, stop: () => (counter.stopped = true) };
  const tick = (): void => {
    if (counter.stopped) return;
    counter.turn++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return counter;
}

type HandoverStep =
  | { kind: 'commit' | 'publish'; seq: number }
  | { kind: 'subscribe' } // with the head the client read just before: the log's head now
  | { kind: 'snapshot' } // the catch-up read takes its snapshot of the log
  | { kind: 'resolve' }; // the catch-up read's answer reaches the subscriber
type Gap = 'none' | 'microtasks' | 'turn';

/**
 * Every order of the steps in which a commit precedes its own publish, commits and publishes go in
 * seq order, and the subscription, its read's snapshot and the read's answer come in that order
 * (`subscribeFirst`: the subscription before all the rest).
 */
function handoverOrders(newSeqs: number[], subscribeFirst: boolean): HandoverStep[][] {
  const orders: HandoverStep[][] = [];
  const walk = (done: HandoverStep[], committed: number, published: number): void => {
    const has = (kind: HandoverStep['kind']) => done.some((step) => step.kind === kind);
    const next: HandoverStep[] = [];
    if (!has('subscribe')) next.push({ kind: 'subscribe' });
    else if (!has('snapshot')) next.push({ kind: 'snapshot' });
    else if (!has('resolve')) next.push({ kind: 'resolve' });
    if (!subscribeFirst || has('subscribe')) {
      if (committed < newSeqs.length) next.push({ kind: 'commit', seq: newSeqs[committed]! });
      if (published < committed) next.push({ kind: 'publish', seq: newSeqs[published]! });
    }
    if (next.length === 0) orders.push(done);
    for (const step of next) {
      walk(
        [...done, step],
        committed + (step.kind === 'commit' ? 1 : 0),
        published + (step.kind === 'publish' ? 1 : 0),
      );
    }
  };
  walk([], 0, 0);
  return orders;
}

/**
 * What happens between two steps: nothing (same synchronous turn), the promise jobs only (the read's
 * answer is taken in, no fan-out runs), or a whole turn (fan-out slices run too). Promise jobs alone
 * differ from nothing only after the read resolves.
 */
function gapChoices(steps: HandoverStep[], exhaustive: boolean): Gap[][] {
  if (!exhaustive) return [steps.slice(1).map(() => 'none'), steps.slice(1).map(() => 'turn')];
  let choices: Gap[][] = [[]];
  for (const step of steps.slice(0, -1)) {
    const options: Gap[] = step.kind === 'resolve' ? ['none', 'microtasks', 'turn'] : ['none', 'turn'];
    choices = choices.flatMap((choice) => options.map((gap) => [...choice, gap]));
  }
  return choices;
}

function describeOrder(steps: HandoverStep[], gaps: Gap[]): string {
  const gapMark = { none: ' ', microtasks: ' ~ ', turn: ' | ' };
  return steps
    .map((step, index) => {
      const name = 'seq' in step ? `${step.kind}${step.seq}` : step.kind;
      return index < gaps.length ? name + gapMark[gaps[index]!] : name;
    })
    .join('');
}

/** How the board is followed when the subscriber arrives 3 or 4 events behind the head (seq 5). */
type HandoverSetup =
  'no one follows the board yet' | 'a peer follows at the head' | 'the channel holds recent events';

async function runHandover(
  setup: HandoverSetup,
  steps: HandoverStep[],
  gaps: Gap[],
  metrics: Metrics,
): Promise<string[]> {
  const { store, broadcaster, follow, write } = setUp(metrics);
  const problems: string[] = [];
  let peer: FakeSink | undefined;
  let peerFrom = 5;
  let afterSeq = 2;
  if (setup === 'the channel holds recent events') {
    // The channel starts at 3 and then holds 4 and 5 in memory; the subscriber at 1 is before them.
    store.commit(...[1, 2, 3].map((seq) => loggedEvent(seq)));
    peerFrom = 3;
    peer = follow(3);
    write(loggedEvent(4));
    write(loggedEvent(5));
    await settle(2);
    afterSeq = 1;
  } else {
    store.commit(...seqsFrom(1, 5).map((seq) => loggedEvent(seq)));
    if (setup === 'a peer follows at the head') peer = follow(5);
  }

  let subscriber: FakeSink | undefined;
  let catchUp: HeldRead | undefined;
  const published = new Map<number, LoggedEvent>();
  for (const [index, step] of steps.entries()) {
    if (step.kind === 'commit') published.set(step.seq, store.commit(loggedEvent(step.seq))[0]!);
    if (step.kind === 'publish') broadcaster.publish([published.get(step.seq)!]);
    if (step.kind === 'subscribe') {
      store.holdReads(1, afterSeq);
      subscriber = follow(afterSeq);
      catchUp = store.heldReads[0];
      if (!catchUp) return ['the subscriber did not read the log to catch up'];
    }
    if (step.kind === 'snapshot') catchUp!.takeSnapshot();
    if (step.kind === 'resolve') catchUp!.resolve();
    const gap = gaps[index];
    if (gap === 'microtasks') await microtasks();
    if (gap === 'turn') await turn();
  }
  // A fan-out takes at most two turns here (a second pass for events published during the first).
  await settle(3);

  const headSeq = store.headSeq(BOARD);
  for (const [name, sink, from] of [
    ['subscriber', subscriber!, afterSeq],
    ['peer', peer, peerFrom],
  ] as const) {
    if (!sink) continue;
    const expected = seqsFrom(from + 1, headSeq);
    if (sink.seqs.join() !== expected.join()) problems.push(`${name} got [${sink.seqs}], not [${expected}]`);
    if (!sink.batchesAreContiguous) problems.push(`${name}'s batches do not follow one another`);
    if (sink.closes.length > 0) problems.push(`${name} was closed: ${sink.closes}`);
  }
  return problems;
}

describe('Broadcaster, on its own with fake sinks and a fake log', () => {
  describe('the handover from replay to live', () => {
    const setups: HandoverSetup[] = [
      'no one follows the board yet',
      'a peer follows at the head',
      'the channel holds recent events',
    ];

    for (const setup of setups) {
      it(`gives a subscriber behind the head every later seq exactly once, in order, at every interleaving of its subscription and catch-up read with commits and publishes (${setup})`, async () => {
        const cases = [
          // Two new events after the subscription: every order of the steps, with every choice of
          // what runs between them (30 orders, 64 or 96 choices each).
          ...handoverOrders([6, 7], true).flatMap((steps) =>
            gapChoices(steps, true).map((gaps) => ({ steps, gaps })),
          ),
          // Two and three new events, the subscription anywhere among them (70 and 420 orders),
          // with nothing or a whole turn between all the steps.
          ...[
            [6, 7],
            [6, 7, 8],
          ].flatMap((newSeqs) =>
            handoverOrders(newSeqs, false).flatMap((steps) =>
              gapChoices(steps, false).map((gaps) => ({ steps, gaps })),
            ),
          ),
        ];
        expect(cases.length).toBe(10 * 64 + 20 * 96 + 2 * (70 + 420));
        const failures: string[] = [];
        const metrics = createMetrics();
        for (const { steps, gaps } of cases) {
          const problems = await runHandover(setup, steps, gaps, metrics);
          if (problems.length > 0) failures.push(`${describeOrder(steps, gaps)}: ${problems.join('; ')}`);
        }
        expect(failures.slice(0, 10), `${failures.length} of ${cases.length} interleavings failed`).toEqual(
          [],
        );
      });
    }

    it('catches up through several log pages and then from memory while more than the memory holds is published', async () => {
      const { store, follow, write } = setUp();
      store.commit(...seqsFrom(1, 1200).map((seq) => loggedEvent(seq)));
      store.holdReads(1);
      const subscriber = follow(0);
      // 1,100 events arrive while the first page is being read: more than the channel keeps (1,024).
      for (const seq of seqsFrom(1201, 2300)) write(loggedEvent(seq));
      await settle();
      store.heldReads[0]!.resolve();
      await settle();

      expect(subscriber.seqs).toEqual(seqsFrom(1, 2300));
      expect(subscriber.batchesAreContiguous).toBe(true);
      // Pages of 500 up to 1,500; the rest is in the channel's memory.
      expect(store.reads.map((read) => read.afterSeq)).toEqual([0, 500, 1000]);
    });
  });

  describe('a slow sink', () => {
    it("is closed with 'slow', counted in slowClientsDropped and removed, while the others keep receiving", async () => {
      const { store, metrics, follow, write } = setUp();
      store.commit(...seqsFrom(1, 5).map((seq) => loggedEvent(seq)));
      const before = follow(5);
      const slowLive = follow(5, new FakeSink('too_slow'));
      const slowCatchingUp = follow(2, new FakeSink('too_slow'));
      const after = follow(5);
      await settle();

      write(loggedEvent(6));
      await settle();
      write(loggedEvent(7));
      await settle();

      for (const slow of [slowLive, slowCatchingUp]) {
        expect(slow.batches).toHaveLength(1);
        expect(slow.closes).toEqual(['slow']);
      }
      // The one that fell behind while reading the log was refused its first (log) batch.
      expect(slowCatchingUp.seqs).toEqual([3, 4, 5]);
      for (const sink of [before, after]) {
        expect(sink.seqs).toEqual([6, 7]);
        expect(sink.closes).toEqual([]);
      }
      expect((await metrics.slowClientsDropped.get()).values[0]?.value).toBe(2);
    });
  });

  describe('a fan-out spanning several time slices', () => {
    it('sends an event published mid-fan-out in the same batch to subscribers not reached yet, and in a second pass to those already passed', async () => {
      const { store, follow, write } = setUp();
      store.commit(...seqsFrom(1, 5).map((seq) => loggedEvent(seq)));
      const sinks = Array.from({ length: 3000 }, () => follow(5, new FakeSink('sent', () => burn(3))));
      await settle();

      write(loggedEvent(6));
      let reachedInFirstSlice = 0;
      setImmediate(() => {
        reachedInFirstSlice = sinks.filter((sink) => sink.batches.length > 0).length;
        write(loggedEvent(7));
      });
      await vi.waitFor(() => expect(sinks.every((sink) => sink.seqs.at(-1) === 7)).toBe(true), {
        timeout: 5000,
        interval: 1,
      });

      expect(reachedInFirstSlice).toBeGreaterThan(0);
      expect(reachedInFirstSlice).toBeLessThan(sinks.length);
      const batchSeqs = sinks.map((sink) =>
        sink.batches.map((batch) => batch.events.map((event) => event.seq)),
      );
      expect(batchSeqs.slice(0, reachedInFirstSlice)).toEqual(
        batchSeqs.slice(0, reachedInFirstSlice).map(() => [[6], [7]]),
      );
      expect(batchSeqs.slice(reachedInFirstSlice)).toEqual(
        batchSeqs.slice(reachedInFirstSlice).map(() => [[6, 7]]),
      );
    });
  });

  describe('a board deleted mid-fan-out', () => {
    it("closes every subscriber with 'board_deleted' after its last batch, also those reached in a later time slice, and delivers nothing after it", async () => {
      const { store, broadcaster, follow, write } = setUp();
      store.commit(...seqsFrom(1, 5).map((seq) => loggedEvent(seq)));
      const turns = startTurnCounter();
      const reachedInTurn = new Map<FakeSink, number>();
      const sinks = Array.from({ length: 3000 }, () =>
        follow(
          5,
          new FakeSink('sent', (sink) => {
            reachedInTurn.set(sink, turns.turn);
            burn(3);
          }),
        ),
      );
      await settle();

      const six = loggedEvent(6);
      const deletion = loggedEvent(7, 'board_deleted');
      write(six, deletion);
      let closedAfterFirstSlice = 0;
      let newcomer: FakeSink | undefined;
      setImmediate(() => {
        // Runs right after the fan-out's first slice, before the next: the same events published
        // again and announced by another process's feed, and a client behind joining.
        closedAfterFirstSlice = sinks.filter((sink) => sink.closes.length > 0).length;
        broadcaster.publish([six, deletion]);
        broadcaster.notifyHead(BOARD, 7);
        newcomer = follow(5);
      });
      await vi.waitFor(() => expect(sinks.every((sink) => sink.closes.length > 0)).toBe(true), {
        timeout: 10_000,
        interval: 1,
      });
      turns.stop();

      // The fan-out spanned several slices, and the deletion reached the later ones too.
      expect(closedAfterFirstSlice).toBeGreaterThan(0);
      expect(closedAfterFirstSlice).toBeLessThan(sinks.length);
      expect(new Set(reachedInTurn.values()).size).toBeGreaterThan(1);
      for (const sink of [...sinks, newcomer!]) {
        expect(sink.calls).toEqual(['send 6..7', 'close board_deleted']);
      }

      // Every subscriber is gone, and the channel with them: a later publish reaches nobody.
      write(loggedEvent(8));
      await settle();
      expect([...sinks, newcomer!].every((sink) => sink.calls.length === 2)).toBe(true);
      expect(store.reads).toEqual([]);
    });
  });

  describe('a commit announced by another process (notifyHead)', () => {
    it('is read from the log once for all the subscribers, and every subscriber gets it', async () => {
      const { store, broadcaster, follow } = setUp();
      store.commit(...seqsFrom(1, 5).map((seq) => loggedEvent(seq)));
      const sinks = Array.from({ length: 50 }, () => follow(5));
      await settle();
      expect(store.reads).toEqual([]);

      // Another process commits 6 and 7; the first read is still out when it announces 8 and 9.
      store.commit(loggedEvent(6), loggedEvent(7));
      store.holdReads(1);
      broadcaster.notifyHead(BOARD, 7);
      store.heldReads[0]!.takeSnapshot();
      store.commit(loggedEvent(8), loggedEvent(9));
      broadcaster.notifyHead(BOARD, 8);
      broadcaster.notifyHead(BOARD, 9);
      await settle();
      store.heldReads[0]!.resolve();
      await settle();

      expect(store.reads.map((read) => read.afterSeq)).toEqual([5, 7]);
      for (const sink of sinks) {
        expect(sink.seqs).toEqual([6, 7, 8, 9]);
        expect(sink.batchesAreContiguous).toBe(true);
      }
    });

    it('that the log does not show yet (its commit not visible here yet) is delivered once the log shows it', async () => {
      const { store, broadcaster, follow } = setUp();
      store.commit(...seqsFrom(1, 5).map((seq) => loggedEvent(seq)));
      const sinks = [follow(5), follow(5), follow(3)];

      broadcaster.notifyHead(BOARD, 6);
      await settle();
      expect(sinks.map((sink) => sink.seqs)).toEqual([[], [], [4, 5]]);

      await new Promise((resolve) => setTimeout(resolve, 15));
      store.commit(loggedEvent(6));
      await vi.waitFor(() => expect(sinks.every((sink) => sink.seqs.at(-1) === 6)).toBe(true), {
        timeout: 2000,
        interval: 2,
      });
      await new Promise((resolve) => setTimeout(resolve, 50));

      expect(sinks.map((sink) => sink.seqs)).toEqual([[6], [6], [4, 5, 6]]);
      expect(sinks.every((sink) => sink.batchesAreContiguous && sink.closes.length === 0)).toBe(true);
    });

    it('reaches every subscriber when a newcomer brought the channel that head before the announcement arrived', async () => {
      const { store, broadcaster, follow } = setUp();
      store.commit(...seqsFrom(1, 5).map((seq) => loggedEvent(seq)));
      const peer = follow(5);
      await settle();

      // Another process commits 6; before its announcement arrives, a client that read the head
      // (6) subscribes here, from 4 and from now.
      store.commit(loggedEvent(6));
      const behind = follow(4);
      const fromNow = follow(6);
      await settle();
      expect(behind.seqs).toEqual([5, 6]);
      expect(peer.seqs).toEqual([6]);

      broadcaster.notifyHead(BOARD, 6);
      await settle();
      expect(behind.seqs).toEqual([5, 6]);
      expect(fromNow.seqs).toEqual([]);
      expect(peer.seqs).toEqual([6]);
    });
  });

  describe('a commit published while nobody followed the board', () => {
    it('reaches the first subscriber, who read the head before it, without waiting for the next change', async () => {
      const { store, broadcaster } = setUp();
      store.commit(loggedEvent(1));
      const headReadByTheStream = store.headSeq(BOARD);
      // Committed and published between the stream's read of the head and its subscription.
      broadcaster.publish(store.commit(loggedEvent(2)));
      const sink = new FakeSink();
      broadcaster.subscribe(BOARD, headReadByTheStream, headReadByTheStream, sink);
      await settle();
      expect(sink.seqs).toEqual([2]);
    });
  });

  describe('resync()', () => {
    it("re-reads each followed board's head and catches its subscribers up", async () => {
      const { store, broadcaster, follow } = setUp();
      store.commit(...seqsFrom(1, 5).map((seq) => loggedEvent(seq)));
      store.commit(...seqsFrom(1, 3).map((seq) => loggedEvent(seq, 'task_created', 'board-2')));
      store.commit(...seqsFrom(1, 2).map((seq) => loggedEvent(seq, 'task_created', 'board-3')));
      const first = [follow(5), follow(4)];
      const second = [follow(3, undefined, 'board-2')];
      const third = [follow(2, undefined, 'board-3')];
      await settle();

      // Commits whose notifications were lost.
      store.commit(loggedEvent(6), loggedEvent(7));
      store.commit(loggedEvent(4, 'task_created', 'board-2'));
      await settle();
      expect([...first, ...second].map((sink) => sink.seqs)).toEqual([[], [5], []]);
      const readsBefore = store.reads.length;

      await broadcaster.resync();
      await settle();

      expect(first.map((sink) => sink.seqs)).toEqual([
        [6, 7],
        [5, 6, 7],
      ]);
      expect(second.map((sink) => sink.seqs)).toEqual([[4]]);
      expect(third.map((sink) => sink.seqs)).toEqual([[]]);
      // One read per board that moved (by the channel, for all its subscribers), none for board-3.
      expect(store.reads.slice(readsBefore).map((read) => [read.boardId, read.afterSeq])).toEqual([
        [BOARD, 5],
        ['board-2', 3],
      ]);
    });
  });

  describe('closeAll()', () => {
    it("closes every subscription of every board with 'shutdown' and releases the channels", async () => {
      const { store, broadcaster, follow, write } = setUp();
      store.commit(...seqsFrom(1, 5).map((seq) => loggedEvent(seq)));
      store.commit(...seqsFrom(1, 3).map((seq) => loggedEvent(seq, 'task_created', 'board-2')));
      const sinks = [follow(5), follow(5), follow(3, undefined, 'board-2'), follow(2, undefined, 'board-2')];
      store.holdReads(1);
      const catchingUp = follow(1);
      await settle();

      broadcaster.closeAll();
      const readsAtShutdown = store.reads.length;
      expect(sinks.map((sink) => sink.closes)).toEqual(sinks.map(() => ['shutdown']));
      expect(catchingUp.closes).toEqual(['shutdown']);

      // The catch-up read answers after the shutdown; later writes on both boards.
      store.heldReads[0]!.resolve();
      write(loggedEvent(6));
      write(loggedEvent(4, 'task_created', 'board-2'));
      broadcaster.notifyHead(BOARD, 6);
      await settle();

      expect(catchingUp.batches).toEqual([]);
      expect(sinks.map((sink) => sink.seqs)).toEqual([[], [], [], [3]]);
      // No channel is left to read the announced commit for, nor to keep 6 in memory; and a stream
      // that subscribes while the server stops (it was reading its board's head) ends at once, or
      // the server's close would wait for it.
      expect(store.reads).toHaveLength(readsAtShutdown);
      const newcomer = follow(5);
      await settle();
      expect(newcomer.calls).toEqual(['close shutdown']);
      expect(store.reads).toHaveLength(readsAtShutdown);
    });
  });

  describe("a 'done' sink (a long poll)", () => {
    it("gets exactly one batch and is closed with 'done'", async () => {
      const { store, follow, write } = setUp();
      store.commit(...seqsFrom(1, 5).map((seq) => loggedEvent(seq)));
      const waiting = follow(5, new FakeSink('done'));
      const behind = follow(2, new FakeSink('done'));
      const stream = follow(5);
      await settle();

      write(loggedEvent(6), loggedEvent(7));
      await settle();
      write(loggedEvent(8));
      await settle();

      expect(waiting.calls).toEqual(['send 6..7', 'close done']);
      expect(behind.calls).toEqual(['send 3..5', 'close done']);
      expect(stream.seqs).toEqual([6, 7, 8]);
    });
  });

  describe('events published twice', () => {
    it('are not re-sent, nor make the channel forget the events it holds', async () => {
      const { store, broadcaster, follow, write } = setUp();
      store.commit(...seqsFrom(1, 3).map((seq) => loggedEvent(seq)));
      const live = follow(3);
      write(loggedEvent(4));
      write(loggedEvent(5));
      await settle();

      const six = loggedEvent(6);
      write(six);
      broadcaster.publish([six]); // the same event again, in the same turn
      await settle();
      broadcaster.notifyHead(BOARD, 6); // another process's feed announces our own commit
      broadcaster.publish([six]);
      await settle();

      // Another process's commit 7 is read by the channel; then a publish of 6 and 7 arrives late.
      store.commit(loggedEvent(7));
      broadcaster.notifyHead(BOARD, 7);
      await settle();
      broadcaster.publish([six, loggedEvent(7)]);
      await settle();

      expect(live.seqs).toEqual([4, 5, 6, 7]);
      expect(live.batchesAreContiguous).toBe(true);
      expect(store.reads.map((read) => read.afterSeq)).toEqual([6]);

      // The channel still holds 4 to 7: a newcomer at 3 is sent them without reading the log.
      const newcomer = follow(3);
      await settle();
      expect(newcomer.seqs).toEqual([4, 5, 6, 7]);
      expect(store.reads).toHaveLength(1);
      expect(live.seqs).toEqual([4, 5, 6, 7]);
    });
  });
});
