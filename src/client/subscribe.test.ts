import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEvents, isBoardEvent, type Board, type StreamMessage } from '../domain/index.js';
import { testUser } from '../../test/support/http.js';
import { startServer, type TestServer } from '../../test/support/server.js';
import { LiveboardApiError, LiveboardClient, type ConnectionStatus, type Transport } from './index.js';

const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.dispose()));
});

async function setup(): Promise<{
  server: TestServer;
  client: LiveboardClient;
  boardId: string;
  listId: string;
}> {
  // A short `retry:` so that EventSource's own reconnects are quick in tests.
  const server = await startServer({ env: { LIVEBOARD_RETRY_MS: '100' } });
  servers.push(server);
  // The test user's token: the board is theirs, and private.
  const token = (await testUser(server.url)).token;
  const client = new LiveboardClient({
    baseUrl: server.url,
    token,
    EventSource,
    backoff: { initialMs: 50, maxMs: 400 },
  });
  const boardId = (await client.createBoard({ title: 'Followed' })).data.id;
  const listId = (await client.createList(boardId, { title: 'To do' })).data.id;
  return { server, client, boardId, listId };
}

/** Reads a subscription in the background, as an app would, until stopped. */
function follow(client: LiveboardClient, boardId: string, options: { from?: number; transport: Transport }) {
  const abort = new AbortController();
  const seen: StreamMessage[] = [];
  const statuses: ConnectionStatus[] = [];
  let failure: unknown;
  const iterator = client.subscribe(boardId, {
    ...options,
    signal: abort.signal,
    pollTimeoutSeconds: 2,
    onStatus: (status) => statuses.push(status),
  });
  const done = (async () => {
    try {
      for await (const message of iterator) seen.push(message);
    } catch (error) {
      failure = error;
    }
  })();
  return {
    seen,
    statuses,
    get failure() {
      return failure;
    },
    done,
    async until(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (failure) throw failure;
        if (Date.now() > deadline) throw new Error(`timed out; saw seqs ${seen.map((m) => m.seq).join(',')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop(): Promise<void> {
      abort.abort();
      await done;
    },
  };
}

const seqs = (messages: StreamMessage[]): number[] => messages.map((message) => message.seq);
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each(['sse', 'poll'] as const)('subscribe over %s', (transport) => {
  it('yields every event exactly once, in order, through a SIGKILL and restart of the server', async () => {
    const { server, client, boardId, listId } = await setup();
    const snapshot = await client.getBoard(boardId);
    const follower = follow(client, boardId, { from: snapshot.seq, transport });

    for (let i = 0; i < 5; i++) await client.createTask(boardId, { listId, title: `before ${i}` });
    await follower.until(() => follower.seen.length === 5);

    // Kill it in the middle of a burst: some writes commit, some never reach the server.
    const burst = Array.from({ length: 10 }, (_, i) =>
      client.createTask(boardId, { listId, title: `burst ${i}` }).catch(() => undefined),
    );
    await burst[2];
    await server.kill();
    await Promise.all(burst);
    await server.restart();
    // Written while the client is still reconnecting: it must get these by replay.
    const first = await client.createTask(boardId, { listId, title: 'after restart' });
    for (let i = 0; i < 4; i++)
      await client.updateTask(boardId, first.data.id, { title: `after restart ${i}` });

    const final = await client.getBoard(boardId);
    await follower.until(() => follower.seen.at(-1)?.seq === final.seq);
    await new Promise((resolve) => setTimeout(resolve, 200)); // anything repeated would show up now
    await follower.stop();

    expect(seqs(follower.seen)).toEqual(range(snapshot.seq + 1, final.seq));
    const events = follower.seen.filter(isBoardEvent);
    expect(events).toHaveLength(follower.seen.length);
    // What the subscriber folds is exactly what the server holds.
    expect(applyEvents(snapshot, events)).toEqual(final);
    expect(follower.statuses[0]).toBe('connecting');
    const lost = follower.statuses.findIndex((status) => status === 'reconnecting' || status === 'offline');
    expect(lost).toBeGreaterThan(0);
    expect(follower.statuses.slice(lost)).toContain('live');
  });

  it('without `from`, follows from now: only what is written once it is live', async () => {
    const { client, boardId, listId } = await setup();
    await client.createTask(boardId, { listId, title: 'old news' });
    const follower = follow(client, boardId, { transport });
    await follower.until(() => follower.statuses.includes('live'));
    const fresh = await client.createTask(boardId, { listId, title: 'news' });
    await follower.until(() => follower.seen.length === 1);
    await follower.stop();
    expect(follower.seen).toEqual([expect.objectContaining({ type: 'task_created', seq: fresh.seq })]);
  });

  it('yields a reset when the server cannot replay from `from`, then continues from its seq', async () => {
    const { client, boardId, listId } = await setup();
    const { seq } = await client.getBoard(boardId);
    // A seq the board never reached (as after the database was replaced): the server cannot replay.
    const follower = follow(client, boardId, { from: seq + 50, transport });
    await follower.until(() => follower.seen.length === 1);
    const next = await client.createTask(boardId, { listId, title: 'after the reset' });
    await follower.until(() => follower.seen.length === 2);
    await follower.stop();
    expect(follower.seen[0]).toEqual({ type: 'reset', seq });
    expect(follower.seen[1]).toMatchObject({ type: 'task_created', seq: next.seq });
  });

  it('ends after board_deleted', async () => {
    const { client, boardId, listId } = await setup();
    const { seq } = await client.getBoard(boardId);
    await client.createTask(boardId, { listId, title: 'doomed' });
    await client.deleteBoard(boardId);
    const messages: StreamMessage[] = [];
    for await (const message of client.subscribe(boardId, { from: seq, transport })) messages.push(message);
    expect(messages.map((message) => message.type)).toEqual(['task_created', 'board_deleted']);
  });

  it('throws LiveboardApiError (404) for a board that does not exist', async () => {
    const { client } = await setup();
    const iterator = client.subscribe('board-missing', { from: 0, transport });
    const error = await iterator.next().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LiveboardApiError);
    expect(error).toMatchObject({ status: 404, code: 'board_not_found' });
  });

  it('ends quietly when its signal aborts, even while waiting', async () => {
    const { client, boardId } = await setup();
    const abort = new AbortController();
    const iterator = client.subscribe(boardId, { from: 0, transport, signal: abort.signal });
    const drained: StreamMessage[] = [];
    const reading = (async () => {
      for await (const message of iterator) drained.push(message);
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    abort.abort();
    await reading;
    expect(seqs(drained)).toEqual([1]);
  });
});

describe('subscribe transports', () => {
  it('auto falls back to the long poll where there is no EventSource (Node without one passed in)', async () => {
    const { server, boardId, listId } = await setup();
    const requested: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      requested.push(String(input));
      return fetch(input, init);
    };
    const { token } = await testUser(server.url);
    const client = new LiveboardClient({ baseUrl: server.url, fetch: recordingFetch, token });
    expect(client.EventSource).toBeUndefined();
    const follower = follow(client, boardId, { from: 1, transport: 'auto' });
    const task = await client.createTask(boardId, { listId, title: 'polled' });
    await follower.until(() => follower.seen.length === 1);
    await follower.stop();
    expect(follower.seen[0]).toMatchObject({ type: 'task_created', seq: task.seq });
    expect(requested.some((url) => url.includes(`/boards/${boardId}/poll?after=1`))).toBe(true);
  });

  it('refuses transport "sse" without an EventSource, saying how to pass one', async () => {
    const client = new LiveboardClient({ baseUrl: 'http://127.0.0.1:9' });
    const error = await client
      .subscribe('board-1', { from: 0, transport: 'sse' })
      .next()
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/EventSource/);
  });
});

describe('watchBoard', () => {
  it('calls onBoard with the snapshot, then with each new state, matching the server', async () => {
    const { client, boardId, listId } = await setup();
    const states: Array<{ board: Board; cause: StreamMessage | null }> = [];
    const stop = client.watchBoard(boardId, { onBoard: (board, cause) => states.push({ board, cause }) });
    try {
      const deadline = Date.now() + 10_000;
      while (states.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const task = await client.createTask(boardId, { listId, title: 'watched' });
      await client.updateTask(boardId, task.data.id, { title: 'watched closely' });
      const final = await client.getBoard(boardId);
      while (states.at(-1)?.board.seq !== final.seq && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(states[0]!.cause).toBeNull();
      expect(states.slice(1).map((state) => state.cause?.type)).toEqual(['task_created', 'task_updated']);
      expect(states.at(-1)!.board).toEqual(final);
    } finally {
      stop();
    }
  });
});
