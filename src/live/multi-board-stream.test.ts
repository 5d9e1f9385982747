/**
 * One stream for several boards (`GET /events?boards=…`), over real HTTP against the built server,
 * with the `eventsource` package as the client: each board's events in order with their boardId,
 * the `id:` vector of every board's position, resume by Last-Event-ID across a SIGKILL, switching
 * sets of boards, refusals, unavailable boards, and the stream's limits.
 */
import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventSource } from 'eventsource';
import type { BoardEvent } from '../domain/index.js';
import { apiClient, boardWith, type ApiClient } from '../../test/support/http.js';
import { useServer, type TestServer } from '../../test/support/server.js';
import {
  openRawStream,
  openStream,
  type RawStream,
  type ReceivedMessage,
  type StreamCollector,
} from '../../test/support/sse.js';

/** What the stream of several boards carries in `data:`: a board's message, its board first. */
type BoardMessage = { boardId: string; type: string; seq?: number };

const RETRY_MS = 1500;
const opened: (StreamCollector | RawStream)[] = [];

afterEach(() => {
  for (const stream of opened.splice(0)) stream.close();
});

function follow(server: TestServer, query: string, options?: { lastEventId?: string }): StreamCollector {
  const collector = openStream(`${server.url}/events${query}`, options);
  opened.push(collector);
  return collector;
}

async function raw(server: TestServer, query: string, headers?: Record<string, string>): Promise<RawStream> {
  const stream = await openRawStream(`${server.url}/events${query}`, headers);
  opened.push(stream);
  return stream;
}

const messageOf = (message: ReceivedMessage): BoardMessage => message.data as unknown as BoardMessage;
const messagesOf = (collector: StreamCollector, boardId: string): BoardMessage[] =>
  collector.messages.map(messageOf).filter((message) => message.boardId === boardId);
const seqsOf = (collector: StreamCollector, boardId: string): number[] =>
  messagesOf(collector, boardId).map((message) => message.seq!);
const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
const settle = (ms = 200): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The board's events after `after`, as the stream of several boards carries them. */
async function expectedMessages(api: ApiClient, boardId: string, after: number): Promise<BoardMessage[]> {
  const events: BoardEvent[] = await api.events(boardId, after);
  return events.map((event) => ({ boardId, ...event }));
}

/** Every message's `id:` holds each board's position after it: its own board's is its seq. */
function expectIdVectors(collector: StreamCollector, boardIds: string[], start: number[]): void {
  const positions = [...start];
  for (const message of collector.messages) {
    const data = messageOf(message);
    const index = boardIds.indexOf(data.boardId);
    if (data.type !== 'unavailable') positions[index] = data.seq!;
    expect(message.id, JSON.stringify(data)).toBe(positions.join('.'));
  }
}

async function metric(server: TestServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : Number.NaN;
}

describe('GET /events?boards=… (one stream for several boards)', () => {
  const live = useServer({ env: { LIVEBOARD_HEARTBEAT_MS: '200', LIVEBOARD_RETRY_MS: '300' } });

  it('answers like a board stream: 200 text/event-stream, uncompressed, retry: first, keep-alives', async () => {
    const board = await boardWith(live.api, 0);
    const response = await raw(live.server, `?boards=${board.id},board-1`, {
      'Accept-Encoding': 'gzip, deflate, br',
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(response.headers['cache-control']).toContain('no-cache');
    expect(response.headers['x-accel-buffering']).toBe('no');
    expect(response.headers['content-encoding']).toBeUndefined();
    const text = await response.waitForText((soFar) => (soFar.match(/^: /gm) ?? []).length >= 2, 3000);
    expect(text).toMatch(/^retry: \d+\n\n/);
    expect(text).not.toMatch(/^data:/m);
  });

  it('carries the events of 3 boards, each in order with its boardId first, under an id: of every position', async () => {
    const boards = [await boardWith(live.api, 2), await boardWith(live.api, 0), await boardWith(live.api, 4)];
    const ids = boards.map((board) => board.id);
    // board 0 from its seq 1 (replays its 2 tasks), board 1 from now, board 2 from 3 (replays 2).
    const start = [1, 1, 3];
    const client = follow(live.server, `?boards=${ids[0]}:1,${ids[1]},${ids[2]}:3`);
    const rawStream = await raw(live.server, `?boards=${ids[0]}:3,${ids[1]}:1,${ids[2]}:5`);
    await client.waitForCount(4);
    for (let round = 0; round < 3; round++) {
      for (const board of boards) await live.api.createTask(board.id, board.listId, `round ${round}`);
    }
    const heads = [6, 4, 8];
    await client.waitFor(
      () => ids.every((id, index) => seqsOf(client, id).at(-1) === heads[index]),
      5000,
      'every board to reach its head',
    );
    await settle();
    for (const [index, id] of ids.entries()) {
      expect(seqsOf(client, id)).toEqual(range(start[index]! + 1, heads[index]!));
      expect(messagesOf(client, id)).toEqual(await expectedMessages(live.api, id, start[index]!));
    }
    expectIdVectors(client, ids, start);

    // On the wire: `id: <p1>.<p2>.<p3>`, then the event's JSON with "boardId" as its first member.
    const text = await rawStream.waitForText((soFar) => soFar.includes('id: 6.4.8\n'));
    const frame = new RegExp(
      `\\nid: 4\\.2\\.5\\ndata: (\\{"boardId":"${ids[1]}","type":"task_created","seq":2,.*)\\n\\n`,
    );
    expect(JSON.parse(frame.exec(text)![1]!)).toEqual((await expectedMessages(live.api, ids[1]!, 1))[0]);
    expect(text).not.toMatch(/^event:/m);
  });

  it('counts as one open stream, and as one stream of several boards, in /metrics', async () => {
    const boards = [await boardWith(live.api, 0), await boardWith(live.api, 0)];
    // The streams of earlier tests are gone once the server has seen them close.
    await expect.poll(() => metric(live.server, 'liveboard_open_streams'), { timeout: 3000 }).toBe(0);
    const client = follow(live.server, `?boards=${boards[0]!.id},${boards[1]!.id}`);
    const single = openStream(`${live.server.url}/boards/${boards[0]!.id}/events`);
    opened.push(single);
    await Promise.all([client.waitForOpen(), single.waitForOpen()]);
    expect(await metric(live.server, 'liveboard_open_streams')).toBe(2);
    expect(await metric(live.server, 'liveboard_open_multi_board_streams')).toBe(1);
    client.close();
    await expect
      .poll(() => metric(live.server, 'liveboard_open_multi_board_streams'), { timeout: 3000 })
      .toBe(0);
  });

  it('refuses a malformed boards with 400 validation_failed, field "boards", as JSON', async () => {
    const tooMany = Array.from({ length: 33 }, (_, i) => `board-${i}`).join(',');
    for (const query of [
      '',
      '?boards=',
      '?boards=board-1:',
      '?boards=board-1:-1',
      '?boards=board-1:x',
      '?boards=board-1,board-1',
      '?boards=board-1:1,board-1:2',
      '?boards=board-1,,board-2',
      `?boards=${tooMany}`,
      '?boards=board-1&boards=board-2',
    ]) {
      const response = await raw(live.server, query);
      await response.ended;
      expect(response.status, query).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(response.text())).toMatchObject({
        error: { code: 'validation_failed', field: 'boards' },
      });
    }
    // 32 boards are fine (all unknown here: 404, judged after the shape).
    const thirtyTwo = Array.from({ length: 32 }, (_, i) => `board-unknown${i}`).join(',');
    expect((await raw(live.server, `?boards=${thirtyTwo}`)).status).toBe(404);
  });

  it('refuses a malformed Last-Event-ID or ?lastEventId with 400, naming the one it came in', async () => {
    const query = '?boards=board-1,board-2,board-3';
    for (const vector of ['1.2', '1.2.3.4', '1.x.3', '1.-2.3', '1..3', '1.2.12345678901234567']) {
      const viaHeader = await raw(live.server, query, { 'Last-Event-ID': vector });
      await viaHeader.ended;
      expect(viaHeader.status, vector).toBe(400);
      expect(JSON.parse(viaHeader.text())).toMatchObject({
        error: { code: 'validation_failed', field: 'Last-Event-ID' },
      });
      const viaQuery = await raw(live.server, `${query}&lastEventId=${vector}`);
      await viaQuery.ended;
      expect(viaQuery.status, vector).toBe(400);
      expect(JSON.parse(viaQuery.text())).toMatchObject({
        error: { code: 'validation_failed', field: 'lastEventId' },
      });
    }
  });

  it('is 404 board_not_found when none of the boards can be followed, and EventSource gives up', async () => {
    const deleted = await boardWith(live.api, 0);
    expect((await live.api.delete(`/boards/${deleted.id}`, await live.api.asOwner())).status).toBe(204);
    const response = await raw(live.server, `?boards=board-nosuch1,${deleted.id}`);
    await response.ended;
    expect(response.status).toBe(404);
    expect(JSON.parse(response.text())).toMatchObject({ error: { code: 'board_not_found' } });

    const client = follow(live.server, `?boards=board-nosuch1,${deleted.id}:2`);
    await client.waitFor(() => client.errors.length > 0, 3000, 'an error');
    expect(client.errors[0]!.code).toBe(404);
    expect(client.source.readyState).toBe(EventSource.CLOSED);
  });

  it('says unavailable for an unknown and a deleted board among several, and the others flow', async () => {
    const [first, deleted, last] = [
      await boardWith(live.api, 1),
      await boardWith(live.api, 0),
      await boardWith(live.api, 0),
    ];
    expect((await live.api.delete(`/boards/${deleted!.id}`, await live.api.asOwner())).status).toBe(204);
    const ids = [first!.id, 'board-nosuchboard', deleted!.id, last!.id];
    // The deleted board is at its board_deleted (seq 2): nothing left to replay.
    const client = follow(live.server, `?boards=${ids[0]}:1,${ids[1]}:7,${ids[2]}:2,${ids[3]}`);
    await client.waitForCount(3);
    // The unavailable boards are said as the stream opens, with the positions as given.
    expect(client.messages.slice(0, 3)).toEqual([
      { id: '1.7.2.1', data: { boardId: ids[1], type: 'unavailable' } },
      { id: '1.7.2.1', data: { boardId: ids[2], type: 'unavailable' } },
      { id: '2.7.2.1', data: (await expectedMessages(live.api, ids[0]!, 1))[0] },
    ]);
    await live.api.createTask(last!.id, last!.listId, 'flows');
    await live.api.createTask(first!.id, first!.listId, 'flows too');
    await client.waitForCount(5);
    expect(seqsOf(client, ids[3]!)).toEqual([2]);
    expect(seqsOf(client, ids[0]!)).toEqual([2, 3]);
    expect(client.messages.at(-1)!.id).toBe('3.7.2.2');
  });

  it('tells a board whose position cannot be replayed to reset, and goes on from its seq', async () => {
    const [ahead, fine] = [await boardWith(live.api, 1), await boardWith(live.api, 1)];
    const client = follow(live.server, `?boards=${ahead!.id},${fine!.id}`, { lastEventId: '50.1' });
    await client.waitForCount(2);
    expect(client.messages[0]).toEqual({ id: '2.1', data: { boardId: ahead!.id, type: 'reset', seq: 2 } });
    expect(client.messages[1]).toMatchObject({
      id: '2.2',
      data: { boardId: fine!.id, type: 'task_created', seq: 2 },
    });
    await live.api.createTask(ahead!.id, ahead!.listId, 'after the reset');
    await client.waitForCount(3);
    expect(client.messages[2]).toMatchObject({ id: '3.2', data: { boardId: ahead!.id, seq: 3 } });
  });

  it('a board deleted while streaming gets board_deleted, then nothing; the stream ends when every board is gone', async () => {
    const [first, second] = [await boardWith(live.api, 0), await boardWith(live.api, 0)];
    const rawStream = await raw(live.server, `?boards=${first!.id},${second!.id}`);
    await rawStream.waitForText((soFar) => soFar.includes('retry:'));
    expect((await live.api.delete(`/boards/${first!.id}`, await live.api.asOwner())).status).toBe(204);
    await rawStream.waitForText((soFar) => soFar.includes('"board_deleted"'));
    await live.api.createTask(second!.id, second!.listId, 'still here');
    const text = await rawStream.waitForText((soFar) => soFar.includes('id: 2.2\n'));
    expect(text).toContain(`id: 2.1\ndata: {"boardId":"${first!.id}","type":"board_deleted","seq":2`);
    const ended = (): Promise<string> =>
      Promise.race([
        rawStream.ended.then(() => 'ended'),
        new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 1000)),
      ]);
    expect(await ended()).toBe('still open');
    expect((await live.api.delete(`/boards/${second!.id}`, await live.api.asOwner())).status).toBe(204);
    expect(await ended()).toBe('ended');
    expect(rawStream.text().match(/"board_deleted"/g)).toHaveLength(2);
  });

  it('switching boards is a new stream from the positions of the last: nothing lost or repeated', async () => {
    const [a, b, c] = [
      await boardWith(live.api, 0),
      await boardWith(live.api, 0),
      await boardWith(live.api, 0),
    ];
    const received = new Map<string, BoardMessage[]>([a, b, c].map((board) => [board!.id, []]));
    const collect = (collector: StreamCollector): void => {
      for (const message of collector.messages)
        received.get(messageOf(message).boardId)!.push(messageOf(message));
    };
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing && i < 300; i++) {
        for (const board of [a, b, c]) await live.api.createTask(board!.id, board!.listId, `w${i}`);
      }
    })();

    // Follow a and b from their snapshots, then switch to b and c, then to a and c.
    const first = follow(live.server, `?boards=${a!.id}:1,${b!.id}:1`);
    await first.waitForCount(6);
    first.close();
    collect(first);
    const [aPosition, bPosition] = first.messages.at(-1)!.id.split('.');
    const cSnapshot = (await live.api.snapshot(c!.id)).seq;
    const second = follow(live.server, `?boards=${b!.id}:${bPosition},${c!.id}:${cSnapshot}`);
    await second.waitForCount(6);
    second.close();
    collect(second);
    const [, cPosition] = second.messages.at(-1)!.id.split('.');
    const third = follow(live.server, `?boards=${a!.id}:${aPosition},${c!.id}:${cPosition}`);
    await third.waitForCount(6);
    writing = false;
    await writer;
    const heads = await Promise.all([a, c].map(async (board) => (await live.api.snapshot(board!.id)).seq));
    await third.waitFor(
      () => seqsOf(third, a!.id).at(-1) === heads[0] && seqsOf(third, c!.id).at(-1) === heads[1],
      5000,
      'a and c to reach their heads',
    );
    collect(third);

    expect(received.get(a!.id)).toEqual(await expectedMessages(live.api, a!.id, 1));
    expect(received.get(c!.id)).toEqual(await expectedMessages(live.api, c!.id, cSnapshot));
    const bMessages = received.get(b!.id)!;
    expect(bMessages).toEqual((await expectedMessages(live.api, b!.id, 1)).slice(0, bMessages.length));
  });

  it('is served the same on a connection that already carried requests', async () => {
    const board = await boardWith(live.api, 2);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const get = (path: string, headers: Record<string, string>, until?: (text: string) => boolean) =>
      new Promise<{ status: number; type: string | undefined; text: string }>((resolve, reject) => {
        const req = httpRequest(`${live.server.url}${path}`, { agent, headers }, (response) => {
          sockets.add(response.socket);
          let text = '';
          const done = (): void =>
            resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'], text });
          response.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (until?.(text)) {
              req.destroy();
              done();
            }
          });
          response.on('end', done);
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect((await get('/boards/board-1', {})).status).toBe(200);
      const refused = await get('/events?boards=board-1,board-1', {});
      expect(refused.status).toBe(400);
      expect(refused.type).toMatch(/^application\/json/);
      expect(JSON.parse(refused.text)).toMatchObject({ error: { field: 'boards' } });
      const badId = await get('/events?boards=board-1', { 'Last-Event-ID': '1.2' });
      expect(JSON.parse(badId.text)).toMatchObject({ error: { field: 'Last-Event-ID' } });
      const firstOfDemo = 'data: {"boardId":"board-1","type":"list_created","seq":1,';
      const lastOfBoard = `data: {"boardId":"${board.id}","type":"task_created","seq":3,`;
      const stream = await get(
        `/events?boards=board-1:0,${board.id}:1`,
        {},
        (text) => text.includes(firstOfDemo) && text.includes(lastOfBoard) && text.endsWith('\n\n'),
      );
      expect(sockets.size).toBe(1);
      expect(stream.status).toBe(200);
      // A keep-alive comment may come at any moment, even before the first event.
      expect(stream.text).toMatch(/^retry: \d+\n\n(?:: keep-alive\n\n)*id: \d+\.\d+\ndata: \{"boardId":/);
      expect(stream.text).toMatch(new RegExp(`id: 1\\.\\d+\\n${firstOfDemo.replace(/[{}]/g, '\\$&')}`));
      expect(stream.text).toMatch(new RegExp(`id: \\d+\\.3\\n${lastOfBoard.replace(/[{}]/g, '\\$&')}`));
    } finally {
      agent.destroy();
    }
  });
});

describe('resume across a SIGKILL', () => {
  const live = useServer({ env: { LIVEBOARD_RETRY_MS: String(RETRY_MS), LIVEBOARD_WRITE_RATE_LIMIT: '0' } });

  it('a native EventSource reconnects with its Last-Event-ID and each board resumes from its own position, no gap, no duplicate, while a writer writes to all three', async () => {
    const boards = [await boardWith(live.api, 2), await boardWith(live.api, 0), await boardWith(live.api, 5)];
    const ids = boards.map((board) => board.id);
    const start = [0, 1, 3];
    const client = follow(live.server, `?boards=${ids[0]}:0,${ids[1]},${ids[2]}:3`);
    await client.waitForCount(3 + 3);

    const api: ApiClient = apiClient(live.server.url);
    let roundsAfterRestart: number | undefined;
    const writer = (async () => {
      let failures = 0;
      // Before the kill, while the server is down, and after the restart (bounded either way).
      for (let round = 0; round < 1000 && (roundsAfterRestart ?? 0) < 30; round++) {
        for (const board of boards) {
          // A write while the server is down fails, and one cut off by the kill may or may not
          // have committed: the log, read at the end, is the truth the stream is checked against.
          await api.createTask(board.id, board.listId, `round ${round}`).catch(() => failures++);
        }
        if (roundsAfterRestart !== undefined) roundsAfterRestart++;
        await settle(20);
      }
      return failures;
    })();

    await client.waitFor(() => client.messages.length >= 6 + 15, 10_000, 'live events before the kill');
    await live.server.kill();
    await client.waitFor(() => client.errors.length > 0, 5000, 'the client to notice the crash');
    await live.server.restart();
    roundsAfterRestart = 0;
    const failures = await writer;
    expect(failures, 'precondition: some writes met the server down').toBeGreaterThan(0);

    const heads = await Promise.all(ids.map(async (id) => (await live.api.snapshot(id)).seq));
    await client.waitFor(
      () => ids.every((id, index) => seqsOf(client, id).at(-1) === heads[index]),
      15_000,
      `every board to reach its head (${heads.join('.')})`,
    );
    await settle(300);
    expect(client.opens).toBeGreaterThanOrEqual(2);
    for (const [index, id] of ids.entries()) {
      expect(seqsOf(client, id)).toEqual(range(start[index]! + 1, heads[index]!));
      expect(messagesOf(client, id)).toEqual(await expectedMessages(live.api, id, start[index]!));
    }
    expectIdVectors(client, ids, start);
  }, 60_000);

  it('SIGTERM ends the stream', async () => {
    const board = await boardWith(live.api, 0);
    const rawStream = await raw(live.server, `?boards=${board.id},board-1`);
    await rawStream.waitForText((soFar) => soFar.includes('retry:'));
    expect(await live.server.stop()).toBe(0);
    await rawStream.ended;
  });
});

describe('the stream of several boards at its limits', () => {
  const live = useServer({
    env: {
      LIVEBOARD_STREAM_BUFFER_BYTES: '16384',
      LIVEBOARD_WRITE_RATE_LIMIT: '0',
      LIVEBOARD_MAX_STREAMS: '2',
      LIVEBOARD_RETRY_MS: '1000',
    },
  });

  it('a reader too slow for one of its boards loses the whole connection, and resumes every board', async () => {
    const [quiet, busy] = [await boardWith(live.api, 0), await boardWith(live.api, 0)];
    const socket = connect(live.server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(`GET /events?boards=${quiet!.id}:1,${busy!.id}:1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await settle();
    socket.pause();
    const description = 'x'.repeat(9000);
    let written = 0;
    let dropped = 0;
    try {
      while (written < 2000 && dropped === 0) {
        await live.api.createTask(busy!.id, busy!.listId, `t${written}`, { description });
        written++;
        if (written % 50 === 0) dropped = await metric(live.server, 'liveboard_slow_clients_dropped_total');
      }
      expect(dropped, `dropped after ${written} events`).toBe(1);
      expect(await metric(live.server, 'liveboard_open_streams')).toBe(0);
      expect(await metric(live.server, 'liveboard_open_multi_board_streams')).toBe(0);
    } finally {
      socket.destroy();
    }
    await live.api.createTask(quiet!.id, quiet!.listId, 'quiet one');
    const resumed = follow(live.server, `?boards=${quiet!.id}:1,${busy!.id}:1`);
    await resumed.waitForCount(written + 1, 15_000);
    expect(seqsOf(resumed, busy!.id)).toEqual(range(2, written + 1));
    expect(seqsOf(resumed, quiet!.id)).toEqual([2]);
  }, 60_000);

  it('past the stream capacity answers 200 with a ten times longer retry: and closes, never 429 or 503', async () => {
    const first = follow(live.server, '?boards=board-1');
    const second = follow(live.server, '?boards=board-1,board-1x');
    await Promise.all([first.waitForOpen(), second.waitForOpen()]);
    const third = await fetch(`${live.server.url}/events?boards=board-1`);
    expect(third.status).toBe(200);
    expect(third.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = await third.text();
    expect(Number(/^retry: (\d+)/.exec(body)?.[1])).toBeGreaterThanOrEqual(10_000);
    expect(body).not.toMatch(/^data:/m);
  });
});
