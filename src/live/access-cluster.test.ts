/**
 * The cut at a removal and the end of revoked credentials' streams, across processes, with a writer
 * committing all along: `npm run cluster` on one SQLite file (commits and revocations relayed by the
 * primary), and two servers on one PostgreSQL database (the commit feed and NOTIFY
 * liveboard_revocations). Each stream ends within 2 s on whichever process serves it.
 */
import { request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  asCookie,
  asToken,
  boardOf,
  continuousWriter,
  dataMessages,
  frames,
  must,
  newToken,
  newUser,
  rawStream,
  removeMember,
  signIn,
  summary,
  type TestUser,
  type TimedStream,
} from '../../test/support/access.js';
import { request } from '../../test/support/http.js';
import { dropSchema, freshSchemaName, postgresReachable, schemaUrl } from '../../test/support/postgres.js';
import { startServer, type TestServer } from '../../test/support/server.js';

const DEADLINE_MS = 2000;
const STREAMS = 4;
const onPostgresProject = process.env.LIVEBOARD_TEST_STORE === 'postgres';
const ENV = { LIVEBOARD_WRITE_RATE_LIMIT: '0', LIVEBOARD_HEARTBEAT_MS: '500', LIVEBOARD_RETRY_MS: '300' };

const open: { close(): void }[] = [];
const latencies = new Map<string, number[]>();

afterEach(() => {
  for (const stream of open.splice(0)) stream.close();
});
afterAll(() => {
  for (const [what, measured] of latencies) console.log(`${what}: ${summary(measured)}`);
});

function measured(what: string, ms: number): void {
  latencies.set(what, [...(latencies.get(what) ?? []), ms]);
}

/** `count` streams, each on a connection of its own (so a cluster deals them out to its processes). */
async function streams(baseUrl: string, path: string, headers: Record<string, string>, count = STREAMS) {
  const opened: TimedStream[] = [];
  for (let index = 0; index < count; index++) {
    const stream = await rawStream(`${baseUrl}${path}`, { ...headers, connection: 'close' });
    expect(stream.status).toBe(200);
    open.push(stream);
    opened.push(stream);
  }
  return opened;
}

/** liveboard_open_streams of the process that takes the next new connection. */
function openStreamsOfNextProcess(baseUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${baseUrl}/metrics`,
      { agent: false, headers: { connection: 'close' } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () =>
          resolve(Number(/^liveboard_open_streams (\d+)/m.exec(text)?.[1] ?? Number.NaN)),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * The cluster is healthy once one process answers; wait for the other too: with one stream open,
 * new connections must find a process holding it and one that does not (bounded).
 */
async function bothProcessesListening(baseUrl: string): Promise<void> {
  const probe = await rawStream(`${baseUrl}/boards/board-1/events`, { connection: 'close' });
  try {
    const seen = new Set<number>();
    for (let attempt = 0; attempt < 100 && seen.size < 2; attempt++) {
      seen.add(await openStreamsOfNextProcess(baseUrl));
      if (seen.size < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([...seen].sort()).toEqual([0, 1]);
  } finally {
    probe.close();
    await probe.ended;
  }
  // Both processes have seen the probe go.
  for (let attempt = 0; attempt < 50; attempt++) {
    const counts = [await openStreamsOfNextProcess(baseUrl), await openStreamsOfNextProcess(baseUrl)];
    if (counts.every((count) => count === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function seenSomething(stream: TimedStream): Promise<void> {
  await stream.waitForText((text) => dataMessages(text).length > 0, 5000);
}

/** Every stream ended within the deadline of `since`, and its last frame is the `revoked` event. */
async function expectAllRevoked(
  all: TimedStream[],
  since: number,
  reason: string,
  what: string,
): Promise<void> {
  for (const stream of all) {
    const endedAt = await Promise.race([
      stream.endedAt,
      new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), 5000)),
    ]);
    measured(what, endedAt - since);
    expect(endedAt - since, stream.text().slice(-300)).toBeLessThan(DEADLINE_MS);
    expect(frames(stream.text()).at(-1)).toEqual({ event: 'revoked', data: JSON.stringify({ reason }) });
  }
}

/**
 * The member's streams (on `readFrom`) all end within the deadline of its removal (through
 * `writeTo`), each with its own member_removed last though the writer goes on; its reconnect is 404.
 */
async function expectRemovalCutsEveryStream(readFrom: string, writeTo: string, what: string): Promise<void> {
  const owner = await newUser(writeTo, 'owner');
  const member = await newUser(writeTo, 'member');
  const board = await boardOf(writeTo, owner, [{ user: member, role: 'editor' }]);
  const memberStreams = await streams(readFrom, `/boards/${board.id}/events`, asToken(member));
  const ownerStreams = await streams(readFrom, `/boards/${board.id}/events`, asCookie(owner), 2);
  const writer = continuousWriter(writeTo, owner, board, 10);
  let removedSeq: number;
  try {
    await Promise.all([...memberStreams, ...ownerStreams].map(seenSomething));
    const before = performance.now();
    removedSeq = await removeMember(writeTo, owner, board.id, member);
    for (const stream of memberStreams) {
      const endedAt = await Promise.race([
        stream.endedAt,
        new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), 5000)),
      ]);
      measured(what, endedAt - before);
      expect(endedAt - before).toBeLessThan(DEADLINE_MS);
    }
    // The owner's streams go on past the removal, on every process.
    await Promise.all(
      ownerStreams.map((stream) =>
        stream.waitForText((text) =>
          dataMessages(text).some((message) => (message.seq ?? 0) > removedSeq + 3),
        ),
      ),
    );
  } finally {
    await writer.stop();
  }
  for (const stream of memberStreams) {
    const messages = dataMessages(stream.text());
    expect(messages.at(-1)).toMatchObject({ type: 'member_removed', seq: removedSeq, userId: member.id });
    expect(messages.filter((message) => (message.seq ?? 0) > removedSeq)).toEqual([]);
  }
  for (let index = 0; index < 2; index++) {
    const again = await request(readFrom, 'GET', `/boards/${board.id}/events`, {
      headers: { ...asToken(member), 'Last-Event-ID': String(removedSeq), connection: 'close' },
    });
    expect(again.status).toBe(404);
    expect(again.text).not.toContain('data:');
  }
}

/** Token revoke and sign-out everywhere through `writeTo` end the streams made with them on `readFrom`. */
async function expectRevocationsEndEveryStream(
  readFrom: string,
  writeTo: string,
  what: string,
): Promise<void> {
  const user: TestUser = await newUser(writeTo, 'reader');
  const board = await boardOf(writeTo, user);
  const token = await newToken(writeTo, user);
  const session = await signIn(writeTo, user);
  const tokenStreams = await streams(readFrom, `/boards/${board.id}/events`, {
    authorization: `Bearer ${token.secret}`,
  });
  const sessionStreams = await streams(readFrom, `/events?boards=${board.id},board-1`, { cookie: session });
  const survivors = await streams(readFrom, `/boards/${board.id}/events`, asToken(user), 2);
  // A poll waits on a board nobody writes to, until its token is revoked.
  const quiet = await boardOf(writeTo, user);
  const poll = request(readFrom, 'GET', `/boards/${quiet.id}/poll?timeout=20`, {
    headers: { authorization: `Bearer ${token.secret}`, connection: 'close' },
  }).then((response) => ({ response, at: performance.now() }));
  const writer = continuousWriter(writeTo, user, board, 10);
  try {
    await Promise.all([...tokenStreams, ...sessionStreams, ...survivors].map(seenSomething));
    let before = performance.now();
    await must(writeTo, 'DELETE', `/me/tokens/${token.id}`, 204, { headers: asCookie(user) });
    await expectAllRevoked(tokenStreams, before, 'token_revoked', `${what}, token revoked`);
    const { response, at } = await poll;
    measured(`${what}, token revoked (poll)`, at - before);
    expect(response.status).toBe(401);
    expect(at - before).toBeLessThan(DEADLINE_MS);

    before = performance.now();
    await must(writeTo, 'POST', '/auth/signout-everywhere', 204, { headers: { cookie: session } });
    await expectAllRevoked(sessionStreams, before, 'signed_out', `${what}, signed out everywhere`);
    // The user's write token was neither: its streams flow on.
    const lastSeqOf = (stream: TimedStream): number =>
      Math.max(0, ...dataMessages(stream.text()).map((message) => message.seq ?? 0));
    const reached = survivors.map(lastSeqOf);
    await Promise.all(
      survivors.map((stream, index) => stream.waitForText(() => lastSeqOf(stream) > reached[index]! + 2)),
    );
    expect(survivors.every((stream) => !stream.response.complete)).toBe(true);
  } finally {
    await writer.stop();
  }
}

describe.skipIf(onPostgresProject)('two processes on one SQLite file (npm run cluster)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ processes: 2, env: ENV });
    await bothProcessesListening(server.url);
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('deals streams out to both processes (so each case below crosses processes)', async () => {
    const user = await newUser(server.url, 'spread');
    await streams(server.url, '/boards/board-1/events', asToken(user));
    const [first, second] = [
      await openStreamsOfNextProcess(server.url),
      await openStreamsOfNextProcess(server.url),
    ];
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    expect(first + second).toBe(STREAMS);
  });

  it('a member removed: every one of its streams, on either process, ends at its member_removed within 2 s', async () => {
    await expectRemovalCutsEveryStream(server.url, server.url, 'SQLite cluster, removal → stream closed');
  });

  it('token revoked, signed out everywhere: the streams on either process get `revoked` within 2 s', async () => {
    await expectRevocationsEndEveryStream(server.url, server.url, 'SQLite cluster');
  });
});

const reachable = onPostgresProject ? false : await postgresReachable();

describe.skipIf(!reachable)('two servers on one PostgreSQL database', () => {
  const schema = freshSchemaName();
  const servers: TestServer[] = [];
  beforeAll(async () => {
    for (let index = 0; index < 2; index++) {
      servers.push(await startServer({ databaseUrl: schemaUrl(schema), env: ENV }));
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.dispose()));
    await dropSchema(schema);
  });

  it('a member removed through one server: its streams on the other end at its member_removed within 2 s', async () => {
    await expectRemovalCutsEveryStream(
      servers[0]!.url,
      servers[1]!.url,
      'PostgreSQL, removal → stream closed',
    );
  });

  it('token revoked, signed out everywhere through one server: the streams on the other get `revoked` within 2 s', async () => {
    await expectRevocationsEndEveryStream(servers[0]!.url, servers[1]!.url, 'PostgreSQL');
  });
});
