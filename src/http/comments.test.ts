import { describe, expect, it } from 'vitest';
import type { Board, BoardEvent, Comment, Task } from '../domain/index.js';
import { boardSeqOf, signUp, type ErrorBody } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';

const live = useServer();

interface CommentPage {
  comments: Comment[];
  nextBefore: number | null;
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** A public_edit board owned by the test user, with one task, and a second user who is an editor. */
async function boardWithTask(): Promise<{ board: Board; task: Task; ana: { token: string; id: string } }> {
  const board = await live.api.createBoard();
  const list = await live.api.createList(board.id, 'To do');
  const task = await live.api.createTask(board.id, list.id, 'Card');
  const ana = await signUp(live.api.baseUrl, `ana-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const added = await live.api.post(
    `/boards/${board.id}/members`,
    { username: ana.username, role: 'editor' },
    await live.api.asOwner(),
  );
  expect(added.status).toBe(201);
  return { board, task, ana };
}

describe('comments over HTTP', () => {
  it('POST adds a comment (201, Board-Seq + 1, one comment_added event); the task counts it; GET pages newest first', async () => {
    const { board, task, ana } = await boardWithTask();
    const seq = (await live.api.snapshot(board.id)).seq;
    const response = await live.api.post<Comment>(
      `/boards/${board.id}/comments`,
      { taskId: task.id, body: 'First!' },
      bearer(ana.token),
    );
    expect(response.status).toBe(201);
    expect(boardSeqOf(response)).toBe(seq + 1);
    expect(response.body).toMatchObject({
      boardId: board.id,
      taskId: task.id,
      body: 'First!',
      by: { userId: ana.id },
      editedAt: null,
    });
    expect(response.body.id).toMatch(/^comment-/);
    const events = await live.api.events(board.id, seq);
    expect(events.map((event) => event.type)).toEqual(['comment_added']);
    expect((events[0] as Extract<BoardEvent, { type: 'comment_added' }>).comment).toEqual(response.body);

    for (const body of ['second', 'third']) {
      await live.api.post(`/boards/${board.id}/comments`, { taskId: task.id, body }, bearer(ana.token));
    }
    const snapshot = await live.api.snapshot(board.id);
    expect(snapshot.lists[0]!.tasks[0]!.commentCount).toBe(3);
    expect(JSON.stringify(snapshot)).not.toContain('First!');

    const page1 = await live.api.get<CommentPage>(`/boards/${board.id}/comments?taskId=${task.id}&limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.comments.map((c) => c.body)).toEqual(['third', 'second']);
    const page2 = await live.api.get<CommentPage>(
      `/boards/${board.id}/comments?taskId=${task.id}&limit=2&before=${page1.body.nextBefore}`,
    );
    expect(page2.body).toEqual({ comments: [response.body], nextBefore: null });
  });

  it("PATCH and DELETE are the author's: someone else's is 403 (the owner too, who may only delete it)", async () => {
    const { board, task, ana } = await boardWithTask();
    const { body: comment } = await live.api.post<Comment>(
      `/boards/${board.id}/comments`,
      { taskId: task.id, body: 'by ana' },
      bearer(ana.token),
    );
    const owner = await live.api.asOwner();
    const seq = (await live.api.snapshot(board.id)).seq;
    const refused = await live.api.patch<ErrorBody>(
      `/boards/${board.id}/comments/${comment.id}`,
      { body: 'x' },
      owner,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    const anonymous = await live.api.patch<ErrorBody>(`/boards/${board.id}/comments/${comment.id}`, {
      body: 'x',
    });
    expect(anonymous.status).toBe(401);
    expect((await live.api.snapshot(board.id)).seq).toBe(seq);

    const edited = await live.api.patch<Comment>(
      `/boards/${board.id}/comments/${comment.id}`,
      { body: 'by ana, edited' },
      bearer(ana.token),
    );
    expect(edited.status).toBe(200);
    expect(boardSeqOf(edited)).toBe(seq + 1);
    expect(edited.body).toMatchObject({ body: 'by ana, edited', editedAt: expect.any(String) });

    // The same words again: 200 with the comment as it is and the current Board-Seq, no event.
    const again = await live.api.patch<Comment>(
      `/boards/${board.id}/comments/${comment.id}`,
      { body: 'by ana, edited' },
      bearer(ana.token),
    );
    expect(again.status).toBe(200);
    expect(boardSeqOf(again)).toBe(seq + 1);
    expect(again.body).toEqual(edited.body);
    expect((await live.api.snapshot(board.id)).seq).toBe(seq + 1);

    const deleted = await live.api.delete(`/boards/${board.id}/comments/${comment.id}`, owner);
    expect(deleted.status).toBe(204);
    expect(boardSeqOf(deleted)).toBe(seq + 2);
    const gone = await live.api.delete<ErrorBody>(`/boards/${board.id}/comments/${comment.id}`, owner);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('comment_not_found');
    expect((await live.api.snapshot(board.id)).lists[0]!.tasks[0]!.commentCount).toBe(0);
  });

  it('refuses a blank comment, one over 16,384 characters, and unknown fields with 400 and the field', async () => {
    const { board, task, ana } = await boardWithTask();
    const seq = (await live.api.snapshot(board.id)).seq;
    const cases: Array<[unknown, string]> = [
      [{ taskId: task.id, body: '' }, 'body'],
      [{ taskId: task.id, body: ' \n\t ' }, 'body'],
      [{ taskId: task.id, body: 'x'.repeat(16_385) }, 'body'],
      [{ taskId: task.id }, 'body'],
      [{ body: 'hi' }, 'taskId'],
      [{ taskId: task.id, body: 'hi', by: 'someone' }, 'by'],
      [{ taskId: task.id, body: 42 }, 'body'],
    ];
    for (const [json, field] of cases) {
      const response = await live.api.post<ErrorBody>(
        `/boards/${board.id}/comments`,
        json,
        bearer(ana.token),
      );
      expect(response.status, JSON.stringify(json).slice(0, 80)).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'validation_failed', field });
    }
    const exact = await live.api.post(
      `/boards/${board.id}/comments`,
      { taskId: task.id, body: 'x'.repeat(16_384) },
      bearer(ana.token),
    );
    expect(exact.status).toBe(201);
    expect((await live.api.snapshot(board.id)).seq).toBe(seq + 1);
  });

  it("another board's task or comment is 404; listing needs a task of this board and a valid page", async () => {
    const { board, task, ana } = await boardWithTask();
    const other = await boardWithTask();
    const { body: theirs } = await live.api.post<Comment>(
      `/boards/${other.board.id}/comments`,
      { taskId: other.task.id, body: 'elsewhere' },
      bearer(other.ana.token),
    );
    const cross = await live.api.post<ErrorBody>(
      `/boards/${board.id}/comments`,
      { taskId: other.task.id, body: 'hi' },
      bearer(ana.token),
    );
    expect(cross.status).toBe(404);
    expect(cross.body.error).toMatchObject({ code: 'task_not_found', field: 'taskId' });
    const crossEdit = await live.api.patch<ErrorBody>(
      `/boards/${board.id}/comments/${theirs.id}`,
      { body: 'x' },
      bearer(other.ana.token),
    );
    expect(crossEdit.status).toBe(404);
    const list = await live.api.get<ErrorBody>(`/boards/${board.id}/comments?taskId=${other.task.id}`);
    expect(list.status).toBe(404);
    expect(list.body.error.code).toBe('task_not_found');
    for (const query of [
      '',
      `taskId=${task.id}&limit=0`,
      `taskId=${task.id}&limit=101`,
      `taskId=${task.id}&before=0`,
      `taskId=${task.id}&before=x`,
    ]) {
      const response = await live.api.get<ErrorBody>(`/boards/${board.id}/comments?${query}`);
      expect(response.status, query).toBe(400);
    }
  });
});
