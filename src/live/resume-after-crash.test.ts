import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, boardSeqOf, type ApiClient } from '../../test/support/http.js';
import { startServer, type TestServer } from '../../test/support/server.js';
import { openStream, type StreamCollector } from '../../test/support/sse.js';
import { tcpGate } from '../../test/support/tcp-gate.js';

// Long enough that a restart and a few writes fit before EventSource tries again, short enough to wait for.
const RETRY_MS = 1500;
let server: TestServer;
let api: ApiClient;
const clients: StreamCollector[] = [];

beforeAll(async () => {
  server = await startServer({ env: { LIVEBOARD_RETRY_MS: String(RETRY_MS) } });
  api = apiClient(server.url);
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await server?.dispose();
});

const ids = (client: StreamCollector): number[] => client.messages.map((message) => Number(message.id));
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
const settle = (ms = 300): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function writeTasks(boardId: string, listId: string, count: number, label: string): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await api.post(`/boards/${boardId}/tasks`, { listId, title: `${label} ${i}` });
    expect(response.status).toBe(201);
    seqs.push(boardSeqOf(response));
  }
  return seqs;
}

describe('resume after a crash', () => {
  it('resumes after SIGKILL with no gap and no duplicate (writes made right after the restart)', async () => {
    const board = await api.createBoard();
    const list = await api.createList(board.id, 'L');
    await writeTasks(board.id, list.id, 4, 'before');
    // The client reaches the server through a gate, so that it stays away while the test writes,
    // whenever its retry timer fires.
    const gate = await tcpGate(server.port);
    const client = openStream(`http://127.0.0.1:${gate.port}/boards/${board.id}/events?lastEventId=0`);
    clients.push(client);
    try {
      await client.waitForCount(5);

      gate.shut();
      await server.kill();
      await client.waitFor(() => client.errors.length > 0, 5000, 'the client to notice the crash');
      await server.restart();
      const whileAway = await writeTasks(board.id, list.id, 5, 'after restart');
      expect(whileAway).toEqual(range(6, 10));
      expect(client.opens).toBe(1);
      gate.open();

      await client.waitForCount(10, 10_000);
      await settle();
      expect(ids(client)).toEqual(range(1, 10));
      expect(client.opens).toBeGreaterThanOrEqual(2);
      expect(client.messages.map((message) => message.data)).toEqual(await api.events(board.id));
    } finally {
      client.close();
      await gate.close();
    }
  });

  it('resumes after SIGKILL with no gap and no duplicate (writes made once the client is back, and twice over)', async () => {
    const board = await api.createBoard();
    const list = await api.createList(board.id, 'L');
    const client = openStream(`${server.url}/boards/${board.id}/events`, { lastEventId: '0' });
    clients.push(client);
    await writeTasks(board.id, list.id, 3, 'first life');
    await client.waitForCount(4);

    for (let crash = 1; crash <= 2; crash++) {
      const opensBefore = client.opens;
      await server.kill();
      await server.restart();
      await client.waitFor(
        () => client.opens > opensBefore,
        10_000,
        `the client to reconnect after crash ${crash}`,
      );
      await writeTasks(board.id, list.id, 3, `life ${crash + 1}`);
    }
    const finalSeq = 1 + 3 * 3;
    await client.waitForCount(finalSeq, 10_000);
    await settle();
    expect(ids(client)).toEqual(range(1, finalSeq));
    expect(client.messages.map((message) => message.data)).toEqual(await api.events(board.id));
  });

  it('keeps every committed event across SIGKILL: the log reads the same after the restart', async () => {
    const board = await api.createBoard();
    const list = await api.createList(board.id, 'L');
    const seqs = await writeTasks(board.id, list.id, 6, 'durable');
    const before = await api.events(board.id);
    const snapshotBefore = await api.snapshot(board.id);
    await server.kill();
    await server.restart();
    expect(await api.events(board.id)).toEqual(before);
    expect(await api.snapshot(board.id)).toEqual(snapshotBefore);
    expect(before.map((event) => event.seq)).toEqual([1, ...seqs]);
  });
});
