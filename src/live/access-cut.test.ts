/**
 * A reader cut off at the event that takes its access away (docs/ACCOUNTS.md, "Access is in the
 * board's log"), over real HTTP: a member removed from a private board, or a board turned private
 * under its guests, gets that event and nothing after it, on a board's stream, a stream of several
 * boards and both polls; its reconnect or next poll is 404 with nothing replayed. Others flow on.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  addTask,
  asCookie,
  asToken,
  boardOf,
  continuousWriter,
  dataMessages,
  newUser,
  rawStream,
  removeMember,
  seqOf,
  setVisibility,
  summary,
  userStream,
  type TestUser,
  type TimedStream,
  type UserStream,
  type WireMessage,
} from '../../test/support/access.js';
import { request } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';

const live = useServer({
  env: { LIVEBOARD_HEARTBEAT_MS: '200', LIVEBOARD_RETRY_MS: '200', LIVEBOARD_WRITE_RATE_LIMIT: '0' },
});
const open: { close(): void }[] = [];
const latencies: number[] = [];

afterEach(() => {
  for (const stream of open.splice(0)) stream.close();
});
afterAll(() => {
  console.log(`access cut, write → stream closed: ${summary(latencies)}`);
});

const url = (path: string): string => `${live.server.url}${path}`;

/** One owner for every board of the file: sign-ups are throttled per address (20 an hour). */
let theOwner: Promise<TestUser> | undefined;
const theOwnerOf = (): Promise<TestUser> => (theOwner ??= newUser(live.server.url, 'owner'));

async function raw(path: string, headers: Record<string, string>): Promise<TimedStream> {
  const stream = await rawStream(url(path), headers);
  open.push(stream);
  return stream;
}

function es(path: string, headers: Record<string, string>, lastEventId?: string): UserStream {
  const stream = userStream(url(path), headers, lastEventId === undefined ? {} : { lastEventId });
  open.push(stream);
  return stream;
}

const typeAndSeq = (message: WireMessage): string =>
  message.seq === undefined ? message.type : `${message.type}@${message.seq}`;

/** Waits until the raw stream's text holds a data message with this seq (the stream is live). */
async function seen(stream: TimedStream, seq: number): Promise<void> {
  await stream.waitForText((text) => dataMessages(text).some((message) => message.seq === seq));
}

describe('a member removed from a private board while following it', () => {
  it('gets its own member_removed last on its SSE stream, which closes within 1 s; Last-Event-ID and ?lastEventId= then get 404', async () => {
    const owner = await theOwnerOf();
    const member = await newUser(live.server.url, 'member');
    const board = await boardOf(live.server.url, owner, [{ user: member, role: 'editor' }]);
    const seq = await addTask(live.server.url, owner, board, 'before');
    const removed = await raw(`/boards/${board.id}/events`, asCookie(member));
    const kept = await raw(`/boards/${board.id}/events`, asToken(owner));
    expect(removed.status).toBe(200);
    const writer = continuousWriter(live.server.url, owner, board);
    try {
      await seen(removed, seq + 1);
      const before = performance.now();
      const removedSeq = await removeMember(live.server.url, owner, board.id, member);
      const endedAt = await removed.endedAt;
      latencies.push(endedAt - before);
      expect(endedAt - before).toBeLessThan(1000);
      // Its own removal is its last event: nothing after it, though the writer went on.
      const messages = dataMessages(removed.text());
      expect(messages.at(-1)).toMatchObject({ type: 'member_removed', seq: removedSeq, userId: member.id });
      expect(messages.every((message) => message.seq === undefined || message.seq <= removedSeq)).toBe(true);
      // The owner's stream goes on past it.
      await seen(kept, removedSeq + 1);
    } finally {
      await writer.stop();
    }

    const removedSeq = (dataMessages(removed.text()).at(-1) as { seq: number }).seq;
    for (const [path, headers] of [
      [`/boards/${board.id}/events`, { ...asCookie(member), 'Last-Event-ID': String(removedSeq) }],
      [`/boards/${board.id}/events?lastEventId=${removedSeq - 1}`, asCookie(member)],
      [`/boards/${board.id}/events?lastEventId=0`, asToken(member)],
    ] as const) {
      const again = await request(live.server.url, 'GET', path, { headers });
      expect(again.status, path).toBe(404);
      expect(again.body).toMatchObject({ error: { code: 'board_not_found' } });
      expect(again.text).not.toContain('data:');
    }
  });

  it('gets it last through the eventsource package too, which then stops on the 404 of its reconnect', async () => {
    const owner = await theOwnerOf();
    const member = await newUser(live.server.url, 'member');
    const board = await boardOf(live.server.url, owner, [{ user: member, role: 'viewer' }]);
    const stream = es(`/boards/${board.id}/events`, asToken(member));
    await stream.until(() => stream.opens === 1, 5000, 'the stream to open');
    const writer = continuousWriter(live.server.url, owner, board);
    let removedSeq: number | undefined;
    try {
      await stream.until(() => stream.messages.length >= 2, 5000, 'two tasks');
      removedSeq = await removeMember(live.server.url, owner, board.id, member);
      // EventSource reconnects with the member_removed's id as Last-Event-ID: 404, and it stops.
      await stream.until(() => stream.errors.some((error) => error.code === 404), 5000, 'the 404');
    } finally {
      await writer.stop();
    }
    expect(stream.source.readyState).toBe(stream.source.CLOSED);
    expect(stream.opens).toBe(1);
    expect(stream.messages.at(-1)).toMatchObject({
      type: 'member_removed',
      seq: removedSeq,
      userId: member.id,
    });
    expect(stream.messages.filter((message) => (message.seq ?? 0) > removedSeq!)).toEqual([]);
  });

  it('gets every event up to its removal on a stream resumed from far behind, then the stream ends', async () => {
    const owner = await theOwnerOf();
    const member = await newUser(live.server.url, 'member');
    const board = await boardOf(live.server.url, owner, [{ user: member, role: 'editor' }]);
    const start = await seqOf(live.server.url, owner, board.id);
    // A stream resumed from far behind replays from the log (500 events a page); the removal comes
    // after its start was authorized. (That a replay from the log is cut like a live batch is shown
    // without the timing of a server in reader-access.test.ts.)
    for (let index = 0; index < 600; index++) await addTask(live.server.url, owner, board, `t${index}`);
    const resumed = await raw(`/boards/${board.id}/events?lastEventId=${start}`, asToken(member));
    const removedSeq = await removeMember(live.server.url, owner, board.id, member);
    await addTask(live.server.url, owner, board, 'after');
    await resumed.endedAt;
    const messages = dataMessages(resumed.text());
    expect(messages.map((message) => message.seq ?? -1)).toEqual(
      Array.from({ length: removedSeq - start }, (_, index) => start + 1 + index),
    );
    expect(messages.at(-1)).toMatchObject({ type: 'member_removed', userId: member.id });
  });

  it('on a stream of several boards: that board gets member_removed then `unavailable`, and the others flow', async () => {
    const owner = await theOwnerOf();
    const member = await newUser(live.server.url, 'member');
    const privateBoard = await boardOf(live.server.url, owner, [{ user: member, role: 'editor' }]);
    const other = await boardOf(live.server.url, owner, [{ user: member, role: 'viewer' }]);
    const [a, b] = [
      await seqOf(live.server.url, owner, privateBoard.id),
      await seqOf(live.server.url, owner, other.id),
    ];
    const path = `/events?boards=${privateBoard.id}:${a},${other.id}:${b}`;
    const stream = await raw(path, asCookie(member));
    const writer = continuousWriter(live.server.url, owner, privateBoard);
    let removedSeq: number | undefined;
    try {
      await stream.waitForText((text) => dataMessages(text).length >= 2);
      const before = performance.now();
      removedSeq = await removeMember(live.server.url, owner, privateBoard.id, member);
      await stream.waitForText((text) => text.includes('"type":"unavailable"'), 1000);
      latencies.push(performance.now() - before);
    } finally {
      await writer.stop();
    }
    const otherSeq = await addTask(live.server.url, owner, other, 'still flowing');
    await stream.waitForText((text) =>
      dataMessages(text).some((message) => message.boardId === other.id && message.seq === otherSeq),
    );
    const ofPrivate = dataMessages(stream.text()).filter((message) => message.boardId === privateBoard.id);
    expect(ofPrivate.slice(-2).map(typeAndSeq)).toEqual([`member_removed@${removedSeq}`, 'unavailable']);
    expect(ofPrivate.every((message) => message.seq === undefined || message.seq <= removedSeq)).toBe(true);
    // The `unavailable` carries the position of that board at its member_removed.
    expect(stream.text()).toMatch(
      new RegExp(`id: ${removedSeq}\\.\\d+\\ndata: \\{"boardId":"${privateBoard.id}","type":"unavailable"`),
    );

    // Resumed with its Last-Event-ID: the board it lost is unavailable, nothing of it replayed.
    const lastId = [...stream.text().matchAll(/^id: (.*)$/gm)].at(-1)![1]!;
    stream.close();
    const resumed = await raw(path, { ...asCookie(member), 'Last-Event-ID': lastId });
    await addTask(live.server.url, owner, privateBoard, 'not for the member');
    const next = await addTask(live.server.url, owner, other, 'for the member');
    await resumed.waitForText((text) => dataMessages(text).some((message) => message.seq === next));
    const again = dataMessages(resumed.text());
    expect(again.filter((message) => message.boardId === privateBoard.id)).toEqual([
      { boardId: privateBoard.id, type: 'unavailable' },
    ]);
  });

  it('on a waiting poll: the answer ends with its member_removed, and the next poll (after=) is 404', async () => {
    const owner = await theOwnerOf();
    const member = await newUser(live.server.url, 'member');
    const board = await boardOf(live.server.url, owner, [{ user: member, role: 'editor' }]);
    const seq = await seqOf(live.server.url, owner, board.id);
    const poll = request<{ events: WireMessage[]; seq: number }>(
      live.server.url,
      'GET',
      `/boards/${board.id}/poll?after=${seq}&timeout=10`,
      { headers: asToken(member) },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = performance.now();
    const removedSeq = await removeMember(live.server.url, owner, board.id, member);
    const answer = await poll;
    latencies.push(performance.now() - before);
    expect(answer.status).toBe(200);
    expect(answer.body.events.map(typeAndSeq)).toEqual([`member_removed@${removedSeq}`]);
    expect(answer.body.seq).toBe(removedSeq);

    await addTask(live.server.url, owner, board, 'after');
    for (const after of [removedSeq, seq]) {
      const next = await request(
        live.server.url,
        'GET',
        `/boards/${board.id}/poll?after=${after}&timeout=0`,
        {
          headers: asToken(member),
        },
      );
      expect(next.status).toBe(404);
      expect(next.body).toMatchObject({ error: { code: 'board_not_found' } });
    }
  });

  it('on a waiting poll of several boards: the answer ends with it; the next one says the board is unavailable', async () => {
    const owner = await theOwnerOf();
    const member = await newUser(live.server.url, 'member');
    const privateBoard = await boardOf(live.server.url, owner, [{ user: member, role: 'editor' }]);
    const other = await boardOf(live.server.url, owner, [{ user: member, role: 'editor' }]);
    const [a, b] = [
      await seqOf(live.server.url, owner, privateBoard.id),
      await seqOf(live.server.url, owner, other.id),
    ];
    const path = `/poll?boards=${privateBoard.id}:${a},${other.id}:${b}&timeout=10`;
    const poll = request<{ events: WireMessage[]; positions: string }>(live.server.url, 'GET', path, {
      headers: asCookie(member),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const removedSeq = await removeMember(live.server.url, owner, privateBoard.id, member);
    const answer = await poll;
    expect(answer.status).toBe(200);
    expect(answer.body.events).toMatchObject([
      { boardId: privateBoard.id, type: 'member_removed', seq: removedSeq },
    ]);
    expect(answer.body.positions).toBe(`${removedSeq}.${b}`);

    await addTask(live.server.url, owner, privateBoard, 'not for the member');
    const next = await request<{ events: WireMessage[] }>(
      live.server.url,
      'GET',
      `/poll?boards=${privateBoard.id},${other.id}&positions=${answer.body.positions}&timeout=0`,
      { headers: asCookie(member) },
    );
    expect(next.status).toBe(200);
    expect(next.body.events).toEqual([{ boardId: privateBoard.id, type: 'unavailable' }]);
  });

  it('is not cut off by another member’s removal, nor by a change of its own role', async () => {
    const owner = await theOwnerOf();
    const member = await newUser(live.server.url, 'member');
    const another = await newUser(live.server.url, 'another');
    const board = await boardOf(live.server.url, owner, [
      { user: member, role: 'editor' },
      { user: another, role: 'viewer' },
    ]);
    const stream = await raw(`/boards/${board.id}/events`, asToken(member));
    await removeMember(live.server.url, owner, board.id, another);
    const response = await request(live.server.url, 'PATCH', `/boards/${board.id}/members/${member.id}`, {
      json: { role: 'viewer' },
      headers: asToken(owner),
    });
    expect(response.status).toBe(200);
    const last = await addTask(live.server.url, owner, board, 'still there');
    await seen(stream, last);
    expect(dataMessages(stream.text()).map((message) => message.type)).toEqual([
      'member_removed',
      'member_updated',
      'task_created',
    ]);
  });
});

describe('a board turned private under its guests', () => {
  async function guestsOfPublicBoard(): Promise<{
    owner: TestUser;
    member: TestUser;
    guest: TestUser;
    board: Awaited<ReturnType<typeof boardOf>>;
  }> {
    const owner = await theOwnerOf();
    const member = await newUser(live.server.url, 'member');
    const guest = await newUser(live.server.url, 'guest');
    const board = await boardOf(live.server.url, owner, [{ user: member, role: 'viewer' }], 'public');
    return { owner, member, guest, board };
  }

  it("ends a signed-in guest's and an anonymous reader's streams after visibility_changed; members flow on", async () => {
    const { owner, member, guest, board } = await guestsOfPublicBoard();
    const path = `/boards/${board.id}/events`;
    const guestStream = await raw(path, asCookie(guest));
    const anonymous = await raw(path, {});
    const memberStream = await raw(path, asCookie(member));
    const writer = continuousWriter(live.server.url, owner, board);
    let privateSeq: number | undefined;
    try {
      const first = await addTask(live.server.url, owner, board, 'seen by all');
      await Promise.all([seen(guestStream, first), seen(anonymous, first), seen(memberStream, first)]);
      const before = performance.now();
      privateSeq = await setVisibility(live.server.url, owner, board.id, 'private');
      for (const stream of [guestStream, anonymous]) {
        const endedAt = await stream.endedAt;
        latencies.push(endedAt - before);
        expect(endedAt - before).toBeLessThan(1000);
      }
    } finally {
      await writer.stop();
    }
    for (const stream of [guestStream, anonymous]) {
      const messages = dataMessages(stream.text());
      expect(messages.at(-1)).toMatchObject({
        type: 'visibility_changed',
        visibility: 'private',
        seq: privateSeq,
      });
    }
    const later = await addTask(live.server.url, owner, board, 'members only');
    await seen(memberStream, later);
    for (const headers of [asCookie(guest), {}]) {
      const again = await request(live.server.url, 'GET', path, {
        headers: { ...headers, 'Last-Event-ID': String(privateSeq) },
      });
      expect(again.status).toBe(404);
    }
  });

  it('leaves guests alone when a public board becomes public_edit, or loses a member', async () => {
    const { owner, member, guest, board } = await guestsOfPublicBoard();
    const guestStream = await raw(`/boards/${board.id}/events`, asCookie(guest));
    await setVisibility(live.server.url, owner, board.id, 'public_edit');
    await removeMember(live.server.url, owner, board.id, member);
    const last = await addTask(live.server.url, owner, board, 'for everyone');
    await seen(guestStream, last);
    expect(dataMessages(guestStream.text()).map((message) => message.type)).toEqual([
      'visibility_changed',
      'member_removed',
      'task_created',
    ]);
  });
});
