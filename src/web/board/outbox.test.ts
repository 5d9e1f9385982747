/**
 * The outbox against the real server (dist/main.js) through the real SDK: writes made while the
 * server is down are kept, sent in order when it is back, each exactly once; a refused write is
 * dropped and reported.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Board } from '../../domain/index.js';
import type { LiveboardApiError } from '../../client/index.js';
import { LiveboardClient } from '../../client/index.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { Outbox } from './outbox.js';
import { sendOp, tempId, type PendingOp } from './pending-op.js';

describe('outbox', () => {
  let server: TestServer;
  let client: LiveboardClient;

  beforeAll(async () => {
    server = await startServer();
    client = new LiveboardClient({ baseUrl: server.url });
  });
  afterAll(() => server?.dispose());

  function outboxFor(boardId: string, board: () => Board | undefined) {
    const rejected: { op: PendingOp; error: LiveboardApiError }[] = [];
    const outbox = new Outbox(
      (op, key, resolve) => sendOp(client, boardId, op, key, resolve),
      (op, error) => rejected.push({ op, error }),
      board,
    );
    outbox.start();
    return { outbox, rejected };
  }

  test('keeps writes made while the server is down and sends each once, in order, when it is back', async () => {
    const { data: created } = await client.createBoard({ title: 'Outbox' });
    const { data: list } = await client.createList(created.id, { title: 'Inbox' });
    let board: Board | undefined = await client.getBoard(created.id);
    const { outbox, rejected } = outboxFor(created.id, () => board);

    await server.kill();
    // A list made offline, then a task in it: the second names the first by its temporary id.
    const offlineList = tempId('list');
    outbox.enqueue({ kind: 'createList', tempId: offlineList, title: 'Made offline', afterId: list.id });
    outbox.enqueue({ kind: 'createTask', tempId: tempId('task'), listId: offlineList, title: 'Task in it' });
    await expect.poll(() => outbox.getSnapshot().waiting).toBe(true);
    // Meanwhile the user sees both, laid over the last board the server sent.
    const shown = outbox.overlay(board);
    expect(shown.lists.map((item) => [item.title, item.tasks.map((task) => task.title)])).toEqual([
      ['Inbox', []],
      ['Made offline', ['Task in it']],
    ]);

    await server.restart();
    outbox.retryNow();
    await expect
      .poll(() => outbox.getSnapshot().entries.every((entry) => entry.state === 'sent'), { timeout: 10_000 })
      .toBe(true);
    board = await client.getBoard(created.id);
    outbox.confirm(board.seq);

    expect(board.lists.map((item) => [item.title, item.tasks.map((task) => task.title)])).toEqual([
      ['Inbox', []],
      ['Made offline', ['Task in it']],
    ]);
    expect(board.seq).toBe(created.seq + 3);
    expect(outbox.getSnapshot().entries).toEqual([]);
    expect(outbox.overlay(board)).toEqual(board);
    expect(rejected).toEqual([]);
    outbox.stop();
  });

  test('drops a write the server refuses and reports why, and goes on with the next', async () => {
    const { data: created } = await client.createBoard({ title: 'Refused' });
    const { data: list } = await client.createList(created.id, { title: 'Inbox' });
    const board: Board | undefined = await client.getBoard(created.id);
    const { outbox, rejected } = outboxFor(created.id, () => board);

    outbox.enqueue({ kind: 'updateTask', taskId: 'task-does-not-exist', title: 'Nope' });
    outbox.enqueue({ kind: 'createTask', tempId: tempId('task'), listId: list.id, title: 'Still sent' });
    await expect.poll(() => outbox.getSnapshot().entries.every((entry) => entry.state === 'sent')).toBe(true);

    expect(rejected.map(({ error }) => [error.status, error.code])).toEqual([[404, 'task_not_found']]);
    expect((await client.getBoard(created.id)).lists[0]!.tasks.map((task) => task.title)).toEqual([
      'Still sent',
    ]);
    outbox.stop();
  });
});
