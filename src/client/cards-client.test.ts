import { beforeAll, describe, expect, it } from 'vitest';
import { signUp, testUser } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';
import { LiveboardApiError, LiveboardClient, applyEvent, describeEvent, type Board } from './index.js';

const live = useServer();
let owner: LiveboardClient;

beforeAll(async () => {
  owner = new LiveboardClient({ baseUrl: live.server.url, token: (await testUser(live.server.url)).token });
});

async function boardWithTask(): Promise<{ boardId: string; taskId: string; listIds: string[] }> {
  const boardId = (await owner.createBoard({ title: 'Cards' })).data.id;
  const todo = (await owner.createList(boardId, { title: 'To do' })).data.id;
  const doing = (await owner.createList(boardId, { title: 'Doing' })).data.id;
  const taskId = (await owner.createTask(boardId, { listId: todo, title: 'Write docs' })).data.id;
  return { boardId, taskId, listIds: [todo, doing] };
}

describe('LiveboardClient comments, activity and search against a real server', () => {
  it('adds, pages, edits and deletes comments, each write with its seq; typed errors for the rest', async () => {
    const { boardId, taskId } = await boardWithTask();
    const first = await owner.addComment(boardId, { taskId, body: 'first' });
    expect(first).toMatchObject({ data: { taskId, body: 'first', editedAt: null }, seq: 4, replayed: false });
    const again = await owner.addComment(
      boardId,
      { taskId, body: 'second' },
      { idempotencyKey: 'sdk-comment-1' },
    );
    const replay = await owner.addComment(
      boardId,
      { taskId, body: 'second' },
      { idempotencyKey: 'sdk-comment-1' },
    );
    expect(replay).toEqual({ ...again, replayed: true });

    const page = await owner.listComments(boardId, taskId, { limit: 1 });
    expect(page.comments.map((comment) => comment.body)).toEqual(['second']);
    const rest = await owner.listComments(boardId, taskId, { before: page.nextBefore! });
    expect(rest).toEqual({ comments: [first.data], nextBefore: null });

    const edited = await owner.editComment(boardId, first.data.id, { body: 'first, edited' });
    expect(edited).toMatchObject({ data: { body: 'first, edited' }, seq: 6 });
    expect(await owner.deleteComment(boardId, again.data.id)).toEqual({
      data: null,
      seq: 7,
      replayed: false,
    });
    expect((await owner.getBoard(boardId)).lists[0]!.tasks[0]!.commentCount).toBe(1);

    const ana = await signUp(live.server.url, `sdk-ana-${process.pid}`);
    await owner.addMember(boardId, { username: ana.username, role: 'editor' });
    const asAna = new LiveboardClient({ baseUrl: live.server.url, token: ana.token });
    const refused = await asAna
      .editComment(boardId, first.data.id, { body: 'mine now' })
      .catch((error) => error);
    expect(refused).toBeInstanceOf(LiveboardApiError);
    expect(refused).toMatchObject({ status: 403, code: 'forbidden' });
    await expect(owner.addComment(boardId, { taskId, body: ' ' })).rejects.toMatchObject({
      status: 400,
      code: 'validation_failed',
      details: { field: 'body' },
    });
    await expect(owner.deleteComment(boardId, 'comment-nope')).rejects.toMatchObject({
      code: 'comment_not_found',
    });
  });

  it("reads a task's activity and tells it with describeEvent; the board's when no task is named", async () => {
    const { boardId, taskId, listIds } = await boardWithTask();
    await owner.updateTask(boardId, taskId, { listId: listIds[1]! });
    await owner.addComment(boardId, { taskId, body: 'moving on' });
    const board = await owner.getBoard(boardId);
    const history = await owner.activity(boardId, { taskId });
    expect(history.historyStartsAt).toBeNull();
    expect(history.events.map((event) => describeEvent(event, board, { inCard: true }))).toEqual([
      expect.stringMatching(/ commented on this card: “moving on”$/),
      expect.stringMatching(/ moved this card from To do to Doing$/),
      expect.stringMatching(/ added this card to To do$/),
    ]);
    // Folded from the start, each event is told against the board just before it.
    const all = await owner.activity(boardId, { limit: 100 });
    let folded: Board = { ...board, seq: 0, lists: [], updatedAt: board.createdAt };
    const told: string[] = [];
    for (const event of [...all.events].reverse()) {
      told.push(describeEvent(event, folded, { inCard: true }));
      folded = applyEvent(folded, event);
    }
    expect(told).toContain(
      `${(await testUser(live.server.url)).username} moved this card from To do to Doing`,
    );
    await expect(owner.activity(boardId, { limit: 101 })).rejects.toMatchObject({
      status: 400,
      details: { field: 'limit' },
    });
  });

  it('searches with pages and highlights; a bad cursor is a typed 400', async () => {
    const { boardId, listIds } = await boardWithTask();
    for (const title of ['Café one', 'Café two', 'Café three']) {
      await owner.createTask(boardId, { listId: listIds[0]!, title });
    }
    const first = await owner.search(boardId, 'cafe', { limit: 2 });
    expect(first.results.map((result) => result.text)).toEqual(['Café three', 'Café two']);
    expect(first.results[0]!.highlights).toEqual([{ start: 0, end: 4 }]);
    const second = await owner.search(boardId, 'cafe', { cursor: first.nextCursor! });
    expect(second).toMatchObject({ results: [{ text: 'Café one' }], nextCursor: null });
    await expect(owner.search(boardId, 'cafe', { cursor: 'nope' })).rejects.toMatchObject({
      status: 400,
      code: 'validation_failed',
      details: { field: 'cursor' },
    });
  });
});
