/**
 * Several server processes on one PostgreSQL database: every process streams every board, and a
 * client resumes on any process. (SQLite is single-process; these run on PostgreSQL only.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardEvent } from '../domain/index.js';
import { apiClient } from '../../test/support/http.js';
import {
  adminQuery,
  dropSchema,
  freshSchemaName,
  postgresReachable,
  schemaUrl,
} from '../../test/support/postgres.js';
import { startServer, type TestServer } from '../../test/support/server.js';
import { openStream, type StreamCollector } from '../../test/support/sse.js';

const reachable = await postgresReachable();

function seqsOf(stream: StreamCollector, boardId: string): number[] {
  return stream.messages
    .map((message) => message.data)
    .filter((event): event is BoardEvent => event.type !== 'reset' && 'seq' in event)
    .filter((event) => boardIdOf(event) === boardId)
    .map((event) => event.seq);
}

function boardIdOf(event: BoardEvent): string | undefined {
  if ('task' in event) return event.task.boardId;
  if ('list' in event) return event.list.boardId;
  return undefined;
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe.skipIf(!reachable)('three server processes on one PostgreSQL database', () => {
  const schema = freshSchemaName();
  const servers: TestServer[] = [];
  const streams: StreamCollector[] = [];

  beforeAll(async () => {
    for (let index = 0; index < 3; index++) {
      servers.push(await startServer({ databaseUrl: schemaUrl(schema), env: { LIVEBOARD_RETRY_MS: '200' } }));
    }
  }, 60_000);
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await Promise.all(servers.map((server) => server.dispose()));
    await dropSchema(schema);
  });

  it('gives every subscriber on every process seq 1..N for every board, with writers on every process', async () => {
    const api = servers.map((server) => apiClient(server.url));
    const boards = [await api[0]!.createBoard('A'), await api[1]!.createBoard('B')];
    const lists = await Promise.all(boards.map((board, index) => api[index]!.createList(board.id, 'L')));
    const subscribers = servers.flatMap((server) =>
      boards.map((board) => openStream(`${server.url}/boards/${board.id}/events?lastEventId=0`)),
    );
    streams.push(...subscribers);
    await Promise.all(subscribers.map((stream) => stream.waitForOpen()));

    // 3 processes × 2 boards × 10 writes, all at once.
    await Promise.all(
      api.flatMap((client) =>
        boards.map(async (board, boardIndex) => {
          for (let index = 0; index < 10; index++)
            await client.createTask(board.id, lists[boardIndex]!.id, `t${index}`);
        }),
      ),
    );
    const expected = range(1, 31); // the list, then 30 tasks per board
    await Promise.all(
      subscribers.map((stream, index) =>
        stream.waitFor(
          () => seqsOf(stream, boards[index % 2]!.id).length >= expected.length,
          10_000,
          `subscriber ${index} to reach seq 31`,
        ),
      ),
    );
    for (const [index, stream] of subscribers.entries()) {
      expect(seqsOf(stream, boards[index % 2]!.id)).toEqual(expected);
    }
    // Same order everywhere: every subscriber of a board saw the very same events.
    for (const [boardIndex, board] of boards.entries()) {
      const views = subscribers
        .filter((_, index) => index % 2 === boardIndex)
        .map((stream) => JSON.stringify(stream.messages.map((message) => message.data)));
      expect(new Set(views).size, `board ${board.id}`).toBe(1);
    }
  });

  it('resumes on another process with its Last-Event-ID after its own process is SIGKILLed', async () => {
    const [first, second] = [apiClient(servers[0]!.url), apiClient(servers[1]!.url)];
    const board = await first.createBoard('Failover');
    const list = await first.createList(board.id, 'L');
    const stream = openStream(`${servers[0]!.url}/boards/${board.id}/events?lastEventId=0`);
    streams.push(stream);
    await first.createTask(board.id, list.id, 'before');
    await stream.waitFor(() => seqsOf(stream, board.id).includes(2), 5000, 'seq 2');

    await servers[0]!.kill();
    stream.close();
    const lastSeen = Math.max(...seqsOf(stream, board.id));
    for (let index = 0; index < 3; index++) await second.createTask(board.id, list.id, `while away ${index}`);

    const resumed = openStream(`${servers[1]!.url}/boards/${board.id}/events`, {
      lastEventId: String(lastSeen),
    });
    streams.push(resumed);
    await resumed.waitFor(() => seqsOf(resumed, board.id).includes(5), 5000, 'seq 5 on the other process');
    await second.createTask(board.id, list.id, 'after');
    await resumed.waitFor(() => seqsOf(resumed, board.id).includes(6), 5000, 'seq 6');
    expect([...seqsOf(stream, board.id), ...seqsOf(resumed, board.id)]).toEqual(range(1, 6));
    await servers[0]!.restart();
  });

  it("still delivers every event when a process's LISTEN connection is terminated from PostgreSQL", async () => {
    const writer = apiClient(servers[0]!.url);
    const board = await writer.createBoard('Terminated');
    const list = await writer.createList(board.id, 'L');
    const stream = openStream(`${servers[2]!.url}/boards/${board.id}/events?lastEventId=0`);
    streams.push(stream);
    await stream.waitFor(() => seqsOf(stream, board.id).includes(1), 5000, 'seq 1');

    const terminated = await adminQuery<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1`,
      [`liveboard-feed:${servers[2]!.process.pid}`],
    );
    expect(terminated).toEqual([{ terminated: true }]);
    // Written while the process has no LISTEN connection, and after it has one again.
    for (let index = 0; index < 5; index++) await writer.createTask(board.id, list.id, `t${index}`);
    await stream.waitFor(() => seqsOf(stream, board.id).includes(6), 10_000, 'seq 6 after the terminate');
    await writer.createTask(board.id, list.id, 'later');
    await stream.waitFor(() => seqsOf(stream, board.id).includes(7), 10_000, 'seq 7');
    expect(seqsOf(stream, board.id)).toEqual(range(1, 7));
    const metrics = await (await fetch(`${servers[2]!.url}/metrics`)).text();
    expect(metrics).toMatch(/^liveboard_commit_feed_resyncs_total [1-9]/m);
  });
});
