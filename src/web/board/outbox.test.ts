/**
 * The outbox against the real server (dist/main.js) through the real SDK: writes made while the
 * server is down are kept, sent in order when it is back, each exactly once; a refused write is
 * dropped and reported; what it creates is known by the id it proposed, never by its title.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Board } from '../../domain/index.js';
import type { LiveboardApiError } from '../../client/index.js';
import { LiveboardNetworkError, newId, type LiveboardClient } from '../../client/index.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { signUpUser } from '../e2e/accounts.js';
import { withPendingComments, type CommentOp } from './comment-ops.js';
import { Outbox, type SendOp } from './outbox.js';
import { sendOp, subjectOf, type PendingOp } from './pending-op.js';

describe('outbox', () => {
  let server: TestServer;
  let client: LiveboardClient;

  beforeAll(async () => {
    server = await startServer();
    // Boards are made by a user (anonymous POST /boards is 401): the SDK with that user's token.
    client = (await signUpUser(server.url, 'outbox-owner')).api;
  });
  afterAll(() => server?.dispose());

  function outboxFor(
    boardId: string,
    board: () => Board | undefined,
    send: SendOp = (op, key) => sendOp(client, boardId, op, key),
  ) {
    const rejected: { op: PendingOp; error: LiveboardApiError }[] = [];
    const outbox = new Outbox(send, (op, error) => rejected.push({ op, error }), board);
    outbox.start();
    return { outbox, rejected };
  }

  test('keeps writes made while the server is down and sends each once, in order, when it is back', async () => {
    const { data: created } = await client.createBoard({ title: 'Outbox' });
    const { data: list } = await client.createList(created.id, { title: 'Inbox' });
    let board: Board | undefined = await client.getBoard(created.id);
    const { outbox, rejected } = outboxFor(created.id, () => board);

    await server.kill();
    // A list made offline, then a task in it: the second names the first by the id it proposed.
    const offlineList = newId('list');
    outbox.enqueue({ kind: 'createList', listId: offlineList, title: 'Made offline', afterId: list.id });
    outbox.enqueue({ kind: 'createTask', taskId: newId('task'), listId: offlineList, title: 'Task in it' });
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
    outbox.enqueue({ kind: 'createTask', taskId: newId('task'), listId: list.id, title: 'Still sent' });
    await expect.poll(() => outbox.getSnapshot().entries.every((entry) => entry.state === 'sent')).toBe(true);

    expect(rejected.map(({ error }) => [error.status, error.code])).toEqual([[404, 'task_not_found']]);
    expect((await client.getBoard(created.id)).lists[0]!.tasks.map((task) => task.title)).toEqual([
      'Still sent',
    ]);
    outbox.stop();
  });
  test("two creates of the same title at once, and someone else's of that title, are each known by id: none hidden, none doubled", async () => {
    const { data: created } = await client.createBoard({ title: 'Same title' });
    const { data: list } = await client.createList(created.id, { title: 'Inbox' });
    let board: Board = await client.getBoard(created.id);
    const [mine1, mine2] = [newId('task'), newId('task')];
    let theirs: string | undefined;
    const shownWhileSending: string[][] = [];
    const send: SendOp = async (op, key) => {
      // Someone else adds a "Fix" just before our first one reaches the server.
      theirs ??= (await client.createTask(created.id, { listId: list.id, title: 'Fix' })).data.id;
      const written = await sendOp(client, created.id, op, key);
      // The stream brings the event before the answer is read: what the user sees in between.
      board = await client.getBoard(created.id);
      shownWhileSending.push(taskIdsOf(outbox.overlay(board)));
      return written;
    };
    const { outbox, rejected } = outboxFor(created.id, () => board, send);

    outbox.enqueue({ kind: 'createTask', taskId: mine1, listId: list.id, title: 'Fix' });
    outbox.enqueue({ kind: 'createTask', taskId: mine2, listId: list.id, title: 'Fix' });
    expect(taskIdsOf(outbox.overlay(board))).toEqual([mine1, mine2]);
    await expect.poll(() => outbox.getSnapshot().entries.every((entry) => entry.state === 'sent')).toBe(true);

    expect(shownWhileSending).toEqual([
      [theirs, mine1, mine2],
      [theirs, mine1, mine2],
    ]);
    board = await client.getBoard(created.id);
    outbox.confirm(board.seq);
    expect(board.lists[0]!.tasks.map((task) => [task.id, task.title])).toEqual([
      [theirs, 'Fix'],
      [mine1, 'Fix'],
      [mine2, 'Fix'],
    ]);
    expect(outbox.getSnapshot().entries).toEqual([]);
    expect(outbox.overlay(board)).toEqual(board);
    expect(rejected).toEqual([]);
    outbox.stop();
  });

  test('a task created, moved and renamed while every send fails reaches the server once, and the overlay ends as its board', async () => {
    const { data: created } = await client.createBoard({ title: 'Offline edits' });
    const { data: todo } = await client.createList(created.id, { title: 'To do' });
    const { data: done } = await client.createList(created.id, { title: 'Done' });
    let board: Board = await client.getBoard(created.id);
    const seqBefore = board.seq;
    // Once the server is back, each write's first answer is lost on its way back (a network error
    // after the server committed it): only the Idempotency-Key keeps its retry from writing twice.
    const answered = new Set<string>();
    const send: SendOp = async (op, key) => {
      const written = await sendOp(client, created.id, op, key);
      if (answered.has(key)) return written;
      answered.add(key);
      throw new LiveboardNetworkError('the answer was lost');
    };
    const { outbox, rejected } = outboxFor(created.id, () => board, send);

    await server.kill();
    const taskId = newId('task');
    outbox.enqueue({ kind: 'createTask', taskId, listId: todo.id, title: 'Draft' });
    outbox.enqueue({ kind: 'moveTask', taskId, listId: done.id });
    outbox.enqueue({ kind: 'updateTask', taskId, title: 'Final draft' });
    await expect.poll(() => outbox.getSnapshot().waiting).toBe(true);
    const expected = [
      ['To do', []],
      ['Done', [[taskId, 'Final draft']]],
    ];
    expect(shapeOf(outbox.overlay(board))).toEqual(expected);

    await server.restart();
    outbox.retryNow();
    await expect
      .poll(() => outbox.getSnapshot().entries.every((entry) => entry.state === 'sent'), { timeout: 20_000 })
      .toBe(true);
    board = await client.getBoard(created.id);
    outbox.confirm(board.seq);

    expect(shapeOf(board)).toEqual(expected);
    expect(board.seq).toBe(seqBefore + 3);
    expect(answered.size).toBe(3);
    expect(outbox.getSnapshot().entries).toEqual([]);
    expect(outbox.overlay(board)).toEqual(board);
    expect(rejected).toEqual([]);
    outbox.stop();
  });

  test('a create and a delete made offline cancel out when the create was never tried, and are both sent when it was', async () => {
    const { data: created } = await client.createBoard({ title: 'Offline deletes' });
    const { data: list } = await client.createList(created.id, { title: 'Inbox' });
    let board: Board = await client.getBoard(created.id);
    const seqBefore = board.seq;
    const sent: string[] = [];
    const send: SendOp = async (op, key) => {
      const written = await sendOp(client, created.id, op, key);
      sent.push(`${op.kind} ${subjectOf(op)}`);
      return written;
    };
    const { outbox, rejected } = outboxFor(created.id, () => board, send);
    const queued = () =>
      outbox.getSnapshot().entries.map((entry) => `${entry.op.kind} ${subjectOf(entry.op)}`);

    await server.kill();
    // The head of the queue is tried (and fails) at once: the server may have it.
    const tried = newId('task');
    outbox.enqueue({ kind: 'createTask', taskId: tried, listId: list.id, title: 'Tried' });
    await expect.poll(() => outbox.getSnapshot().waiting).toBe(true);
    // Behind it, a task never tried: made, moved, deleted, it leaves nothing to send.
    const untried = newId('task');
    outbox.enqueue({ kind: 'createTask', taskId: untried, listId: list.id, title: 'Never sent' });
    outbox.enqueue({ kind: 'moveTask', taskId: untried, listId: list.id });
    outbox.enqueue({ kind: 'deleteTask', taskId: untried });
    expect(queued()).toEqual([`createTask ${tried}`]);
    outbox.enqueue({ kind: 'deleteTask', taskId: tried });
    // A list with a task in it, deleted: the task's create names the list, so all three go.
    const offlineList = newId('list');
    const inIt = newId('task');
    outbox.enqueue({ kind: 'createList', listId: offlineList, title: 'Scratch', afterId: list.id });
    outbox.enqueue({ kind: 'createTask', taskId: inIt, listId: offlineList, title: 'In it' });
    outbox.enqueue({ kind: 'deleteList', listId: offlineList });
    const expectedSends = [
      `createTask ${tried}`,
      `deleteTask ${tried}`,
      `createList ${offlineList}`,
      `createTask ${inIt}`,
      `deleteList ${offlineList}`,
    ];
    expect(queued()).toEqual(expectedSends);
    expect(shapeOf(outbox.overlay(board))).toEqual([['Inbox', []]]);

    await server.restart();
    outbox.retryNow();
    await expect
      .poll(() => outbox.getSnapshot().entries.every((entry) => entry.state === 'sent'), { timeout: 20_000 })
      .toBe(true);
    board = await client.getBoard(created.id);
    outbox.confirm(board.seq);

    expect(sent).toEqual(expectedSends);
    expect(shapeOf(board)).toEqual([['Inbox', []]]);
    expect(board.seq).toBe(seqBefore + 5);
    expect(outbox.overlay(board)).toEqual(board);
    expect(rejected).toEqual([]);
    // The server never saw the cancelled task: its id is still free (a used id never is).
    const { data: late } = await client.createTask(created.id, {
      id: untried,
      listId: list.id,
      title: 'Late',
    });
    expect(late.id).toBe(untried);
    outbox.stop();
  });

  test('comments added, edited and deleted while the server is down are sent once each, in order, when it is back; one added and deleted before it was ever tried is never sent', async () => {
    const { data: created } = await client.createBoard({ title: 'Offline comments' });
    const { data: list } = await client.createList(created.id, { title: 'Inbox' });
    const { data: task } = await client.createTask(created.id, { listId: list.id, title: 'Talk' });
    const { data: old } = await client.addComment(created.id, { taskId: task.id, body: 'Old' });
    let board: Board = await client.getBoard(created.id);
    const seqBefore = board.seq;
    const sent: string[] = [];
    const send: SendOp = async (op, key) => {
      const written = await sendOp(client, created.id, op, key);
      sent.push(op.kind);
      return written;
    };
    const { outbox, rejected } = outboxFor(created.id, () => board, send);
    const ops = () => outbox.getSnapshot().entries.map((entry) => entry.op as CommentOp);
    const add = (commentId: string, body: string): CommentOp => ({
      kind: 'addComment',
      taskId: task.id,
      commentId,
      body,
      createdAt: new Date().toISOString(),
      by: null,
    });

    await server.kill();
    const kept = newId('comment');
    outbox.enqueue(add(kept, 'Kept'));
    await expect.poll(() => outbox.getSnapshot().waiting).toBe(true);
    const dropped = newId('comment');
    outbox.enqueue(add(dropped, 'Never sent'));
    outbox.enqueue({ kind: 'editComment', taskId: task.id, commentId: dropped, body: 'Nor this' });
    outbox.enqueue({ kind: 'deleteComment', taskId: task.id, commentId: dropped });
    outbox.enqueue({ kind: 'editComment', taskId: task.id, commentId: kept, body: 'Kept, edited' });
    outbox.enqueue({ kind: 'deleteComment', taskId: task.id, commentId: old.id });
    expect(ops().map((op) => op.kind)).toEqual(['addComment', 'editComment', 'deleteComment']);
    // The board is as it was (comments are not in it); the section shows them over its list.
    expect(outbox.overlay(board)).toBe(board);
    expect(withPendingComments([old], ops(), created.id).map((each) => [each.body, each.pending])).toEqual([
      ['Kept, edited', 'adding'],
    ]);

    await server.restart();
    outbox.retryNow();
    await expect
      .poll(() => outbox.getSnapshot().entries.every((entry) => entry.state === 'sent'), { timeout: 20_000 })
      .toBe(true);
    board = await client.getBoard(created.id);
    outbox.confirm(board.seq);
    expect(outbox.getSnapshot().entries).toEqual([]);
    expect(sent).toEqual(['addComment', 'editComment', 'deleteComment']);
    expect(board.seq).toBe(seqBefore + 3);
    const { comments } = await client.listComments(created.id, task.id);
    expect(comments.map((each) => [each.id, each.body])).toEqual([[kept, 'Kept, edited']]);
    expect(rejected).toEqual([]);
    // A deletion that finds its comment gone (deleted already) is done, not refused.
    await client.deleteComment(created.id, kept);
    outbox.enqueue({ kind: 'deleteComment', taskId: task.id, commentId: kept });
    await expect.poll(() => outbox.getSnapshot().entries.length).toBe(0);
    expect(rejected).toEqual([]);
    // The server never saw the cancelled comment: its id is still free.
    const { data: late } = await client.addComment(created.id, {
      taskId: task.id,
      body: 'Late',
      id: dropped,
    });
    expect(late.id).toBe(dropped);
    outbox.stop();
  });
});

function taskIdsOf(board: Board): string[] {
  return board.lists.flatMap((list) => list.tasks.map((task) => task.id));
}

/** Each list's title with its tasks' ids and titles, in order. */
function shapeOf(board: Board) {
  return board.lists.map((list) => [list.title, list.tasks.map((task) => [task.id, task.title])]);
}
