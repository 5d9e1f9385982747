/**
 * Writes to one board under concurrency, over real HTTP, on both stores: the group commit refuses
 * a write alone, answers each only once it is durable, and a full queue says so.
 */
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Board, Task } from '../domain/index.js';
import { apiClient, boardSeqOf, type ErrorBody } from '../../test/support/http.js';
import { startServer, useServer, type TestServer } from '../../test/support/server.js';

const live = useServer({ env: { LIVEBOARD_WRITE_RATE_LIMIT: '0' } });

const tasksOf = (board: Board): Task[] => board.lists.flatMap((list) => list.tasks);

describe('group commit over HTTP', () => {
  it('refuses conflicting writes alone while the writes beside them commit, one event each', async () => {
    const board = await live.api.createBoard();
    const list = await live.api.createList(board.id, 'Todo');
    const task = await live.api.createTask(board.id, list.id, 'contended');
    const requests = Array.from({ length: 40 }, (_, index) =>
      index % 2 === 0
        ? live.api.patch<Task>(`/boards/${board.id}/tasks/${task.id}`, { title: `edit ${index}`, version: 1 })
        : live.api.post<Task>(`/boards/${board.id}/tasks`, { listId: list.id, title: `new ${index}` }),
    );
    const responses = await Promise.all(requests);
    const edits = responses.filter((_, index) => index % 2 === 0);
    const creates = responses.filter((_, index) => index % 2 === 1);
    expect(edits.filter((response) => response.status === 200)).toHaveLength(1);
    for (const refused of edits.filter((response) => response.status !== 200)) {
      expect(refused.status).toBe(409);
      expect((refused.body as unknown as ErrorBody).error.code).toBe('version_conflict');
    }
    expect(creates.every((response) => response.status === 201)).toBe(true);
    const seqs = responses.filter((response) => response.status < 300).map(boardSeqOf);
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 21 }, (_, index) => index + 3));
    const events = await live.api.events(board.id);
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 23 }, (_, index) => index + 1));
    const snapshot = await live.api.snapshot(board.id);
    expect(tasksOf(snapshot)).toHaveLength(21);
  });
});

describe('a full write queue', () => {
  // Each commit is held open half a second (the test entry's seam), so that the writes sent meanwhile
  // find one in flight and one waiting, and the rest find the queue full, however fast the machine.
  const full = useServer({
    entry: fileURLToPath(new URL('../../test/support/slow-commit.mjs', import.meta.url)),
    env: {
      LIVEBOARD_TEST_COMMIT_DELAY_MS: '500',
      LIVEBOARD_WRITE_RATE_LIMIT: '0',
      LIVEBOARD_WRITE_QUEUE_LIMIT: '1',
      LIVEBOARD_WRITE_BATCH_LIMIT: '1',
    },
  });

  it('answers 503 unavailable with Retry-After, and the refused writes change nothing', async () => {
    const board = await full.api.createBoard();
    const list = await full.api.createList(board.id, 'Todo');
    // Raw sockets, connected first and then all written in one go, so that the writes reach the
    // server together (fetch would trickle them in as its connections open).
    const port = Number(new URL(full.server.url).port);
    const sockets = await Promise.all(
      Array.from(
        { length: 60 },
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => resolve(socket));
          }),
      ),
    );
    const answers = sockets.map(
      (socket) =>
        new Promise<string>((resolve) => {
          let text = '';
          socket.on('data', (chunk) => (text += chunk.toString()));
          socket.on('close', () => resolve(text));
        }),
    );
    sockets.forEach((socket, index) => {
      const body = JSON.stringify({ listId: list.id, title: `w${index}` });
      socket.write(
        `POST /boards/${board.id}/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
    const responses = (await Promise.all(answers)).map((text) => ({
      status: Number(text.slice(9, 12)),
      retryAfter: /\r\nretry-after: (\S+)/i.exec(text)?.[1],
      body: parseBody(text),
    }));
    const accepted = responses.filter((response) => response.status === 201);
    const refused = responses.filter((response) => response.status === 503);
    expect(accepted.length + refused.length).toBe(60);
    expect(refused.length).toBeGreaterThan(0);
    for (const response of refused) {
      expect(response.retryAfter).toBe('1');
      expect(response.body.error.code).toBe('unavailable');
    }
    const snapshot = await full.api.snapshot(board.id);
    expect(snapshot.seq).toBe(1 + accepted.length);
    expect(
      tasksOf(snapshot)
        .map((task) => task.title)
        .sort(),
    ).toEqual(accepted.map((response) => response.body.title).sort());
  });
});

describe('a crash in the middle of a group commit', () => {
  let crashing: TestServer | undefined;
  let recovered: TestServer | undefined;

  afterAll(async () => {
    await recovered?.dispose();
    await crashing?.dispose();
  });

  it('loses no acknowledged write, and every committed but unanswered one replays by its key', async () => {
    crashing = await startServer({
      entry: fileURLToPath(new URL('../../test/support/crash-after-commit.mjs', import.meta.url)),
      env: { LIVEBOARD_WRITE_RATE_LIMIT: '0', LIVEBOARD_TEST_CRASH_AFTER: '25' },
    });
    const api = apiClient(crashing.url);
    const bodies = Array.from({ length: 64 }, (_, index) => ({
      key: `crash-${index}-${Date.now()}`,
      body: { listId: 'list-todo', title: `mid-batch ${index}` },
    }));
    const first = await Promise.all(
      bodies.map(({ key, body }) =>
        api.post<Task>('/boards/board-1/tasks', body, { headers: { 'Idempotency-Key': key } }).then(
          (response) => response.status,
          () => 'no answer' as const,
        ),
      ),
    );
    await crashing.exited();
    const acknowledged = bodies.filter((_, index) => first[index] === 201);
    expect(first.filter((status) => status === 'no answer').length).toBeGreaterThan(0);

    recovered = await startServer({ databaseUrl: crashing.databaseUrl });
    const again = apiClient(recovered.url);
    const before = await again.snapshot('board-1');
    const titlesBefore = new Set(tasksOf(before).map((task) => task.title));
    for (const { body } of acknowledged) expect(titlesBefore.has(body.title), body.title).toBe(true);

    // Every write retried with its key: what committed replays, what did not is written now, once.
    const retries = await Promise.all(
      bodies.map(({ key, body }) =>
        again.post<Task>('/boards/board-1/tasks', body, { headers: { 'Idempotency-Key': key } }),
      ),
    );
    for (const [index, retry] of retries.entries()) {
      expect(retry.status).toBe(201);
      const committedBefore = titlesBefore.has(bodies[index]!.body.title);
      expect(retry.headers.get('idempotent-replayed') === 'true').toBe(committedBefore);
    }
    const after = await again.snapshot('board-1');
    const titles = tasksOf(after)
      .map((task) => task.title)
      .filter((title) => title.startsWith('mid-batch'));
    expect(titles.sort()).toEqual(bodies.map(({ body }) => body.title).sort());
    expect(after.seq).toBe(
      before.seq + retries.filter((r) => r.headers.get('idempotent-replayed') !== 'true').length,
    );
  });
});

function parseBody(response: string): Task & ErrorBody {
  const body = response.slice(response.indexOf('\r\n\r\n') + 4);
  try {
    return JSON.parse(body) as Task & ErrorBody;
  } catch {
    throw new Error(`not a JSON answer: ${JSON.stringify(response)}`);
  }
}
