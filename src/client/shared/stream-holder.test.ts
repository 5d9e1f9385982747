import { describe, expect, it } from 'vitest';
import type { StreamMessage } from '../../domain/index.js';
import type { ConnectionStatus } from '../types.js';
import type { BoardPosition } from './board-positions.js';
import type { BoardSetConnection, ConnectionEvents, ConnectionOpener } from './board-set-connection.js';
import { StreamHolder } from './stream-holder.js';

/** A connection the test drives: it opens, delivers and fails when told. */
class FakeConnection implements BoardSetConnection {
  status: ConnectionStatus = 'connecting';
  live = false;
  closed = false;

  constructor(
    readonly start: readonly BoardPosition[],
    readonly events: ConnectionEvents,
  ) {}

  open(): void {
    this.live = true;
    this.status = 'live';
    this.events.onOpen();
  }

  deliver(boardId: string, seq: number): void {
    this.events.onMessage(boardId, event(seq));
  }

  close(): void {
    this.closed = true;
    this.live = false;
  }
}

function event(seq: number): StreamMessage {
  return { type: 'task_deleted', seq, at: 't', taskId: `task-${seq}` };
}

const SETTLE_MS = 5;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS * 3));

function holder(options: { fallback?: boolean } = {}) {
  const opened: FakeConnection[] = [];
  const polls: FakeConnection[] = [];
  const relayed: Array<{ boardId: string; seqs: number[] }> = [];
  const unavailable: string[] = [];
  const open: ConnectionOpener = (start, events) => {
    const connection = new FakeConnection(start, events);
    opened.push(connection);
    return connection;
  };
  const fallback: ConnectionOpener = (start, events) => {
    const connection = new FakeConnection(start, events);
    polls.push(connection);
    return connection;
  };
  const streamHolder = new StreamHolder(
    open,
    options.fallback ? fallback : undefined,
    {
      relay: (boardId, messages) => relayed.push({ boardId, seqs: messages.map((m) => m.seq) }),
      unavailable: (boardId) => unavailable.push(boardId),
      changed: () => undefined,
    },
    SETTLE_MS,
  );
  const open$ = () => opened.filter((connection) => !connection.closed);
  return { holder: streamHolder, opened, polls, relayed, unavailable, open: open$ };
}

const at = (boardId: string, seq: number): BoardPosition => ({ boardId, seq });

describe('the holder', () => {
  it("follows every tab's boards on one connection, each from the lowest position a tab gave", async () => {
    const { holder: h, opened } = holder();
    h.setInterest('tab-1', [at('a', 5), at('b', 2)]);
    h.setInterest('tab-2', [at('a', 3)]);
    await settle();
    expect(opened).toHaveLength(1);
    expect(opened[0]!.start).toEqual([at('a', 3), at('b', 2)]);
  });

  it('opens the new set before it closes the old, relaying from both meanwhile, and ends with one', async () => {
    const { holder: h, opened, relayed, open } = holder();
    h.setInterest('tab-1', [at('a', 0)]);
    await settle();
    opened[0]!.open();
    opened[0]!.deliver('a', 1);
    h.setInterest('tab-2', [at('b', 4)]);
    await settle();
    expect(opened).toHaveLength(2);
    expect(opened[1]!.start).toEqual([at('a', 1), at('b', 4)]);
    expect(open()).toHaveLength(2);
    opened[0]!.deliver('a', 2);
    expect(opened[0]!.closed).toBe(false);
    opened[1]!.open();
    expect(opened[0]!.closed).toBe(true);
    opened[1]!.deliver('a', 2);
    opened[1]!.deliver('b', 5);
    await settle();
    // Relayed once per board per turn of the event loop.
    expect(relayed).toEqual([
      { boardId: 'a', seqs: [1] },
      { boardId: 'a', seqs: [2, 2] },
      { boardId: 'b', seqs: [5] },
    ]);
    expect(h.liveBoards).toEqual(['a', 'b']);
    expect(open()).toHaveLength(1);
  });

  it('replays a board from where a tab that starts to follow it stands, but not for a tab that only says again what it follows', async () => {
    const { holder: h, opened } = holder();
    h.setInterest('tab-1', [at('a', 0)]);
    await settle();
    opened[0]!.open();
    for (const seq of [1, 2, 3]) opened[0]!.deliver('a', seq);
    // A roll-call answer that left before seq 3 reached the tab: no reopen.
    h.setInterest('tab-1', [at('a', 2)]);
    await settle();
    expect(opened).toHaveLength(1);
    // A new tab whose snapshot was at 1.
    h.setInterest('tab-2', [at('a', 1)]);
    await settle();
    expect(opened).toHaveLength(2);
    expect(opened[1]!.start).toEqual([at('a', 1)]);
  });

  it('keeps a replay that a tab asked for until a connection that starts early enough delivers', async () => {
    const { holder: h, opened } = holder();
    h.setInterest('tab-1', [at('a', 0)]);
    h.setInterest('tab-2', [at('a', 0)]);
    await settle();
    opened[0]!.open();
    for (const seq of [1, 2, 3, 4]) opened[0]!.deliver('a', seq);
    h.resume('a', 2);
    await settle();
    expect(opened[1]!.start).toEqual([at('a', 2)]);
    // Before it opens, another board comes: the replacement still starts a at 2, though 5 was relayed since.
    opened[0]!.deliver('a', 5);
    h.setInterest('tab-2', [at('a', 0), at('b', 0)]);
    await settle();
    expect(opened[1]!.closed).toBe(true);
    expect(opened[2]!.start).toEqual([at('a', 2), at('b', 0)]);
    opened[2]!.open();
    // Met: a later change starts a where it was relayed up to.
    opened[2]!.deliver('a', 6);
    h.dropTab('tab-2');
    await settle();
    expect(opened[3]!.start).toEqual([at('a', 6)]);
  });

  it('closes a connection that is down at once when a new set comes, rather than keep two that deliver nothing', async () => {
    const { holder: h, opened, open } = holder();
    h.setInterest('tab-1', [at('a', 0)]);
    await settle();
    opened[0]!.open();
    opened[0]!.live = false;
    opened[0]!.status = 'reconnecting';
    h.setInterest('tab-2', [at('b', 0)]);
    await settle();
    expect(open()).toEqual([opened[1]]);
    expect(h.status).toBe('connecting');
  });

  it('tells the tabs of a board the server cannot stream, leaves it out of the next set, and takes it back when asked', async () => {
    const { holder: h, opened, unavailable } = holder();
    h.setInterest('tab-1', [at('a', 0), at('gone', 0)]);
    await settle();
    opened[0]!.open();
    opened[0]!.events.onUnavailable('gone');
    expect(unavailable).toEqual(['gone']);
    expect(h.liveBoards).toEqual(['a']);
    h.setInterest('tab-2', [at('b', 0)]);
    await settle();
    expect(opened[1]!.start.map((position) => position.boardId)).toEqual(['a', 'b']);
    h.resume('gone', 0);
    await settle();
    expect(opened[2]!.start.map((position) => position.boardId)).toEqual(['a', 'b', 'gone']);
  });

  it('does not relay a board no tab follows any more', async () => {
    const { holder: h, opened, relayed } = holder();
    h.setInterest('tab-1', [at('a', 0)]);
    h.setInterest('tab-2', [at('b', 0)]);
    await settle();
    opened[0]!.open();
    h.dropTab('tab-2');
    opened[0]!.deliver('b', 1);
    opened[0]!.deliver('a', 1);
    await settle();
    expect(relayed).toEqual([{ boardId: 'a', seqs: [1] }]);
  });

  it('closes everything when the last tab leaves', async () => {
    const { holder: h, opened, open } = holder();
    h.setInterest('tab-1', [at('a', 0)]);
    await settle();
    opened[0]!.open();
    h.dropTab('tab-1');
    await settle();
    expect(open()).toEqual([]);
  });

  it('switches to the long poll when the stream cannot open but HTTP works', async () => {
    const { holder: h, opened, polls } = holder({ fallback: true });
    h.setInterest('tab-1', [at('a', 3)]);
    await settle();
    opened[0]!.close();
    opened[0]!.events.onFallback();
    await settle();
    expect(polls).toHaveLength(1);
    expect(polls[0]!.start).toEqual([at('a', 3)]);
  });

  it('spreads more than 32 boards over streams of at most 32, and opens when all of them have', async () => {
    const { holder: h, opened } = holder();
    const boards = Array.from({ length: 40 }, (_, i) => at(`board-${String(i).padStart(2, '0')}`, i));
    h.setInterest('tab-1', boards);
    await settle();
    expect(opened.map((connection) => connection.start.length)).toEqual([32, 8]);
    opened[0]!.open();
    expect(h.liveBoards).toEqual([]);
    opened[1]!.open();
    expect(h.liveBoards).toHaveLength(40);
  });
});
