/**
 * Streams and polls end with their credential (docs/ACCOUNTS.md, "Sessions and tokens revoked"),
 * over real HTTP against a started server: a token revoked, a sign-out, a sign-out everywhere and a
 * password change end exactly the streams made with those credentials, within 1 s, each told
 * `event: revoked` first; a waiting poll is answered 401. A sweep finds what no notice announced (a
 * session expired in the database); a stream past its maximum age ends, and its client comes back.
 * Per-user and per-address caps: 200, a long retry:, a notice and a close, others untouched.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  addTask,
  asCookie,
  asToken,
  boardOf,
  dataMessages,
  expireSessionsInDatabase,
  frames,
  must,
  newToken,
  newUser,
  rawStream,
  signIn,
  summary,
  userStream,
  type TestBoard,
  type TestUser,
  type TimedStream,
} from '../../test/support/access.js';
import { request } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';

const RETRY_MS = 300;
const open: { close(): void }[] = [];
/** Revoke (or expiry) → stream closed, by what ended it. */
const latencies = new Map<string, number[]>();

afterEach(() => {
  for (const stream of open.splice(0)) stream.close();
});
afterAll(() => {
  for (const [what, measured] of latencies) {
    console.log(`revocation, same process, ${what}: ${summary(measured)}`);
  }
});

function measured(what: string, ms: number): void {
  latencies.set(what, [...(latencies.get(what) ?? []), ms]);
}

async function raw(baseUrl: string, path: string, headers: Record<string, string>): Promise<TimedStream> {
  const stream = await rawStream(`${baseUrl}${path}`, headers);
  open.push(stream);
  return stream;
}

/** Waits until the stream has the event of this seq: it is open and live. */
async function seen(stream: TimedStream, seq: number): Promise<void> {
  await stream.waitForText((text) => dataMessages(text).some((message) => message.seq === seq));
}

/** The stream ended within `withinMs` of `since`, its last frame `event: revoked` with `reason`. */
async function expectRevoked(
  stream: TimedStream,
  since: number,
  reason: string,
  withinMs = 1000,
): Promise<void> {
  const endedAt = await stream.endedAt;
  measured(
    withinMs > 1000 ? 'sweep, expired in the database → closed' : `${reason} → closed`,
    endedAt - since,
  );
  expect(endedAt - since).toBeLessThan(withinMs);
  const last = frames(stream.text()).at(-1);
  expect(last).toEqual({ event: 'revoked', data: JSON.stringify({ reason }) });
  expect(stream.text()).toMatch(/\n\nevent: revoked\ndata: \{"reason":"[a-z_]+"\}\n\n$/);
}

describe('a revoked credential', () => {
  const live = useServer({
    env: {
      LIVEBOARD_HEARTBEAT_MS: '200',
      LIVEBOARD_RETRY_MS: String(RETRY_MS),
      LIVEBOARD_WRITE_RATE_LIMIT: '0',
      LIVEBOARD_REVOCATION_SWEEP_MS: '250',
    },
  });
  let owner: TestUser;
  let board: TestBoard;

  const setup = async (): Promise<void> => {
    owner ??= await newUser(live.server.url, 'owner');
    board ??= await boardOf(live.server.url, owner);
  };
  /** A user who is a member of the board. */
  const member = async (): Promise<TestUser> => {
    await setup();
    const user = await newUser(live.server.url, 'reader');
    await must(live.server.url, 'POST', `/boards/${board.id}/members`, 201, {
      json: { username: user.username, role: 'viewer' },
      headers: asToken(owner),
    });
    return user;
  };
  const events = '/boards/{board}/events';
  const streamOf = (headers: Record<string, string>, path = events): Promise<TimedStream> =>
    raw(live.server.url, path.replace('{board}', board.id), headers);
  /** A write every stream of the board gets: proves the ones still open are still live. */
  const write = (): Promise<number> => addTask(live.server.url, owner, board, 'tick');

  it('token revoked: its streams (one board, several boards) get `revoked` and close within 1 s; the user’s other token flows', async () => {
    const user = await member();
    const token = await newToken(live.server.url, user);
    const bearer = { authorization: `Bearer ${token.secret}` };
    const single = await streamOf(bearer);
    const several = await streamOf(bearer, `/events?boards={board},board-1`);
    const other = await streamOf(asToken(user));
    const seq = await write();
    await Promise.all([seen(single, seq), seen(several, seq), seen(other, seq)]);

    const before = performance.now();
    await must(live.server.url, 'DELETE', `/me/tokens/${token.id}`, 204, { headers: asCookie(user) });
    await expectRevoked(single, before, 'token_revoked');
    await expectRevoked(several, before, 'token_revoked');
    await seen(other, await write());
    // Its next stream is refused: the token is no more.
    const again = await request(live.server.url, 'GET', `/boards/${board.id}/events`, { headers: bearer });
    expect(again.status).toBe(401);
  });

  it('sign-out: the streams of that session end with `revoked` signed_out; another session’s and a token’s flow', async () => {
    const user = await member();
    const second = await signIn(live.server.url, user);
    const signedOut = await streamOf(asCookie(user));
    const otherSession = await streamOf({ cookie: second });
    const token = await streamOf(asToken(user));
    const first = await write();
    await Promise.all([signedOut, otherSession, token].map((stream) => seen(stream, first)));

    const before = performance.now();
    await must(live.server.url, 'POST', '/auth/signout', 204, { headers: asCookie(user) });
    await expectRevoked(signedOut, before, 'signed_out');
    const seq = await write();
    await Promise.all([seen(otherSession, seq), seen(token, seq)]);
  });

  it('sign-out everywhere: every session’s streams end with `revoked` signed_out; token streams flow', async () => {
    const user = await member();
    const second = await signIn(live.server.url, user);
    const first = await streamOf(asCookie(user));
    const other = await streamOf({ cookie: second });
    const token = await streamOf(asToken(user));
    const seq = await write();
    await Promise.all([seen(first, seq), seen(other, seq), seen(token, seq)]);

    const before = performance.now();
    await must(live.server.url, 'POST', '/auth/signout-everywhere', 204, { headers: asCookie(user) });
    await expectRevoked(first, before, 'signed_out');
    await expectRevoked(other, before, 'signed_out');
    await seen(token, await write());
  });

  it('password change: every other session’s streams end with `revoked` password_changed; its own flows', async () => {
    const user = await member();
    const second = await signIn(live.server.url, user);
    const own = await streamOf(asCookie(user));
    const other = await streamOf({ cookie: second });
    const seq = await write();
    await Promise.all([seen(own, seq), seen(other, seq)]);

    const sent = performance.now();
    await must(live.server.url, 'POST', '/me/password', 204, {
      json: { currentPassword: user.password, newPassword: 'another test password' },
      headers: asCookie(user),
    });
    // The request hashes two passwords (Argon2id, ~0.2 s each here) before it revokes, so the
    // deadline runs from its answer, which follows the revocation (the stream may well end first).
    const answered = performance.now();
    measured('password change request (two hashes) took', answered - sent);
    await expectRevoked(other, answered, 'password_changed');
    await seen(own, await write());
  });

  it('a waiting poll (one board, several boards) is answered 401 unauthenticated within 1 s', async () => {
    const user = await member();
    const token = await newToken(live.server.url, user);
    const bearer = { authorization: `Bearer ${token.secret}` };
    const polls = [`/boards/${board.id}/poll?timeout=20`, `/poll?boards=${board.id},board-1&timeout=20`].map(
      (path) => {
        const sent = performance.now();
        return request(live.server.url, 'GET', path, { headers: bearer }).then((response) => ({
          response,
          at: performance.now(),
          sent,
        }));
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = performance.now();
    await must(live.server.url, 'DELETE', `/me/tokens/${token.id}`, 204, { headers: asCookie(user) });
    for (const { response, at } of await Promise.all(polls)) {
      measured('token revoked → waiting poll answered 401', at - before);
      expect(at - before).toBeLessThan(1000);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });

  it('the eventsource package gets the `revoked` event and does not come back on its own', async () => {
    const user = await member();
    const token = await newToken(live.server.url, user);
    const stream = userStream(`${live.server.url}/boards/${board.id}/events`, {
      authorization: `Bearer ${token.secret}`,
    });
    open.push(stream);
    await stream.until(() => stream.opens === 1, 5000, 'the stream to open');
    await must(live.server.url, 'DELETE', `/me/tokens/${token.id}`, 204, { headers: asCookie(user) });
    await stream.until(() => stream.named.length > 0, 1000, 'the revoked event');
    expect(stream.named).toEqual([{ event: 'revoked', data: { reason: 'token_revoked' } }]);
    // Its reconnect, with the revoked token, is a 401: final for EventSource.
    await stream.until(() => stream.errors.some((error) => error.code === 401), 5000, 'the 401');
    expect(stream.opens).toBe(1);
  });

  it('the sweep ends a stream whose session ended in the database with no notice (expired), as session_ended', async () => {
    const user = await member();
    const stream = await streamOf(asCookie(user));
    const untouched = await streamOf(asToken(user));
    const seq = await write();
    await Promise.all([seen(stream, seq), seen(untouched, seq)]);
    const before = performance.now();
    await expireSessionsInDatabase(live.server.databaseUrl, user.id);
    // The sweep runs every 250 ms here (30 s by default).
    await expectRevoked(stream, before, 'session_ended', 2000);
    await seen(untouched, await write());
  });
});

describe('a stream past its maximum age', () => {
  const live = useServer({
    env: { LIVEBOARD_HEARTBEAT_MS: '200', LIVEBOARD_RETRY_MS: '100', LIVEBOARD_STREAM_MAX_AGE_S: '1' },
  });

  it('ends at the heartbeat round after it, with no revoked event; EventSource reconnects, authorized afresh', async () => {
    const opened = performance.now();
    const stream = await raw(live.server.url, '/boards/board-1/events', {});
    const endedAt = await stream.endedAt;
    expect(endedAt - opened).toBeGreaterThanOrEqual(950);
    expect(endedAt - opened).toBeLessThan(1000 + 2 * 200 + 500);
    expect(stream.text()).not.toContain('event:');

    const source = userStream(`${live.server.url}/boards/board-1/events`);
    open.push(source);
    await source.until(() => source.opens >= 2, 5000, 'a reconnect');
  });
});

describe('per-user and per-address stream caps', () => {
  const live = useServer({
    env: {
      LIVEBOARD_RETRY_MS: String(RETRY_MS),
      LIVEBOARD_MAX_STREAMS_PER_ADDRESS: '3',
      LIVEBOARD_WRITE_RATE_LIMIT: '0',
    },
  });

  async function expectTurnedAway(response: Response): Promise<void> {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = await response.text(); // resolves: the server closed it
    const [retry, notice, ...rest] = frames(body);
    expect(Number(retry?.retry)).toBeGreaterThanOrEqual(RETRY_MS * 10);
    expect(notice?.event).toBe('notice');
    expect(JSON.parse(notice!.data!)).toMatchObject({
      code: 'too_many_streams',
      message: expect.any(String),
    });
    expect(rest).toEqual([]);
  }

  it('the 65th stream of a user gets 200, a long retry:, a notice and a close; its other 64 and other users flow', async () => {
    const owner = await newUser(live.server.url, 'owner');
    const user = await newUser(live.server.url, 'many');
    const board = await boardOf(live.server.url, owner, [{ user, role: 'viewer' }]);
    const streams: TimedStream[] = [];
    // 63 of one board and 1 of several: a stream of several boards counts as one.
    for (let index = 0; index < 63; index++)
      streams.push(await raw(live.server.url, `/boards/${board.id}/events`, asToken(user)));
    streams.push(await raw(live.server.url, `/events?boards=${board.id},board-1`, asCookie(user)));
    expect(streams.every((stream) => stream.status === 200)).toBe(true);

    await expectTurnedAway(
      await fetch(`${live.server.url}/boards/${board.id}/events`, { headers: asToken(user) }),
    );
    await expectTurnedAway(
      await fetch(`${live.server.url}/events?boards=${board.id}`, { headers: asCookie(user) }),
    );
    // Another user is not affected, nor are the 64.
    const other = await raw(live.server.url, `/boards/${board.id}/events`, asToken(owner));
    const seq = await addTask(live.server.url, owner, board, 'to all 65');
    await Promise.all([...streams, other].map((stream) => seen(stream, seq)));
    expect(streams.every((stream) => !stream.response.complete)).toBe(true);

    // One closed, and there is room again.
    streams[0]!.close();
    await streams[0]!.endedAt;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await raw(live.server.url, `/boards/${board.id}/events`, asToken(user));
    await seen(again, await addTask(live.server.url, owner, board, 'again'));
  }, 60_000);

  it('past LIVEBOARD_MAX_STREAMS_PER_ADDRESS anonymous streams, the next anonymous one is turned away; signed-in ones are not', async () => {
    const user = await newUser(live.server.url, 'signed');
    const anonymous = [];
    for (let index = 0; index < 3; index++)
      anonymous.push(await raw(live.server.url, '/boards/board-1/events', {}));
    await expectTurnedAway(await fetch(`${live.server.url}/boards/board-1/events`));
    const signedIn = await raw(live.server.url, '/boards/board-1/events', asToken(user));
    expect(signedIn.status).toBe(200);
    const task = await must<{ id: string }>(live.server.url, 'POST', '/boards/board-1/tasks', 201, {
      json: { listId: 'list-todo', title: 'for every reader' },
    });
    const seq = Number(task.headers.get('board-seq'));
    await Promise.all([...anonymous, signedIn].map((stream) => seen(stream, seq)));
  });
});
