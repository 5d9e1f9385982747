import { describe, expect, it } from 'vitest';
import type { BoardEvent } from '../domain/index.js';
import type { ErrorBody } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';

const live = useServer();

interface SearchBody {
  results: Array<{
    taskId: string;
    field: string;
    commentId?: string;
    text: string;
    offset: number;
    highlights: Array<{ start: number; end: number }>;
  }>;
  nextCursor: string | null;
}
interface ActivityBody {
  events: BoardEvent[];
  nextBefore: number | null;
  historyStartsAt: number | null;
}

const q = (text: string): string => encodeURIComponent(text);

describe('search over HTTP', () => {
  it('finds titles, descriptions and comments, with highlights; a write is found as soon as it is answered', async () => {
    const board = await live.api.createBoard();
    const list = await live.api.createList(board.id, 'To do');
    const task = await live.api.createTask(board.id, list.id, 'Crème brûlée', {
      description: 'Buy crème fraîche',
    });
    const comment = await live.api.post<{ id: string }>(`/boards/${board.id}/comments`, {
      taskId: task.id,
      body: 'No more CREME please',
    });
    const found = await live.api.get<SearchBody>(`/boards/${board.id}/search?q=${q('creme')}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      results: [
        {
          taskId: task.id,
          field: 'title',
          text: 'Crème brûlée',
          offset: 0,
          highlights: [{ start: 0, end: 5 }],
        },
        {
          taskId: task.id,
          field: 'description',
          text: 'Buy crème fraîche',
          offset: 0,
          highlights: [{ start: 4, end: 9 }],
        },
        {
          taskId: task.id,
          field: 'comment',
          commentId: comment.body.id,
          text: 'No more CREME please',
          offset: 0,
          highlights: [{ start: 8, end: 13 }],
        },
      ],
      nextCursor: null,
    });
    await live.api.patch(`/boards/${board.id}/tasks/${task.id}`, { title: 'Tiramisu' });
    const after = await live.api.get<SearchBody>(`/boards/${board.id}/search?q=tira`);
    expect(after.body.results.map((result) => result.field)).toEqual(['title']);
    const gone = await live.api.get<SearchBody>(`/boards/${board.id}/search?q=brulee`);
    expect(gone.body.results).toEqual([]);
  });

  it('pages with a cursor; refuses a forged one, a bad q and a bad limit with 400 and the field', async () => {
    const board = await live.api.createBoard();
    const list = await live.api.createList(board.id, 'L');
    for (let i = 0; i < 5; i++) await live.api.createTask(board.id, list.id, `apple ${i}`);
    const first = await live.api.get<SearchBody>(`/boards/${board.id}/search?q=apple&limit=3`);
    expect(first.body.results).toHaveLength(3);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await live.api.get<SearchBody>(
      `/boards/${board.id}/search?q=apple&limit=3&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.nextCursor).toBeNull();
    const titles = [...first.body.results, ...second.body.results].map((result) => result.text);
    expect(titles).toEqual(['apple 4', 'apple 3', 'apple 2', 'apple 1', 'apple 0']);

    const refusals: Array<[string, string]> = [
      ['', 'q'],
      ['q=', 'q'],
      [`q=${'a'.repeat(201)}`, 'q'],
      [`q=${q('*&| "()')}`, 'q'],
      [`q=${q('🎉')}`, 'q'],
      ['q=apple&limit=0', 'limit'],
      ['q=apple&limit=51', 'limit'],
      ['q=apple&limit=2.5', 'limit'],
      ['q=apple&cursor=forged', 'cursor'],
      [`q=apple&cursor=${Buffer.from('[0,"x","y"]').toString('base64url')}`, 'cursor'],
      [`q=apple&cursor=${Buffer.from('{"rank":0}').toString('base64url')}`, 'cursor'],
      ['q=apple&cursor=%27%20OR%201%3D1', 'cursor'],
      ['q=apple&sort=desc', 'sort'],
    ];
    for (const [query, field] of refusals) {
      const response = await live.api.get<ErrorBody>(`/boards/${board.id}/search?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error, query).toMatchObject({ code: 'validation_failed', field });
    }
    expect((await live.api.get(`/boards/${board.id}/search?q=${'a'.repeat(200)}`)).status).toBe(200);
  });

  it('hostile queries that are still words are answered 200, never 500', async () => {
    const board = await live.api.createBoard();
    const list = await live.api.createList(board.id, 'L');
    await live.api.createTask(board.id, list.id, 'abstract art');
    for (const hostile of [
      '" OR NEAR(',
      'a:*&',
      "'abs",
      "'); DROP TABLE tasks; --",
      'x NOT y',
      'x\\y ` ^ ~ ×',
    ]) {
      const response = await live.api.get<SearchBody>(`/boards/${board.id}/search?q=${q(hostile)}`);
      expect(response.status, hostile).toBe(200);
    }
    const abs = await live.api.get<SearchBody>(`/boards/${board.id}/search?q=${q("'abs")}`);
    expect(abs.body.results.map((result) => result.text)).toEqual(['abstract art']);
  });
});

describe('activity over HTTP', () => {
  it("a task's stored events newest first, in pages; the board's without taskId; a deleted task's too", async () => {
    const board = await live.api.createBoard();
    const list = await live.api.createList(board.id, 'L');
    const task = await live.api.createTask(board.id, list.id, 'Card');
    const other = await live.api.createTask(board.id, list.id, 'Other');
    await live.api.patch(`/boards/${board.id}/tasks/${task.id}`, { title: 'Card 2' });
    await live.api.post(`/boards/${board.id}/comments`, { taskId: task.id, body: 'note' });
    await live.api.patch(`/boards/${board.id}/tasks/${other.id}`, { title: 'Other 2' });

    const history = await live.api.get<ActivityBody>(`/boards/${board.id}/activity?taskId=${task.id}`);
    expect(history.status).toBe(200);
    expect(history.body.events.map((event) => event.type)).toEqual([
      'comment_added',
      'task_updated',
      'task_created',
    ]);
    expect(history.body).toMatchObject({ nextBefore: null, historyStartsAt: null });
    const page = await live.api.get<ActivityBody>(`/boards/${board.id}/activity?taskId=${task.id}&limit=2`);
    expect(page.body.events).toEqual(history.body.events.slice(0, 2));
    const rest = await live.api.get<ActivityBody>(
      `/boards/${board.id}/activity?taskId=${task.id}&before=${page.body.nextBefore}`,
    );
    expect(rest.body.events).toEqual(history.body.events.slice(2));

    const all = await live.api.get<ActivityBody>(`/boards/${board.id}/activity`);
    expect(all.body.events.map((event) => event.seq)).toEqual([6, 5, 4, 3, 2, 1]);

    await live.api.delete(`/boards/${board.id}/tasks/${task.id}`);
    const deleted = await live.api.get<ActivityBody>(
      `/boards/${board.id}/activity?taskId=${task.id}&limit=1`,
    );
    expect(deleted.body.events.map((event) => event.type)).toEqual(['task_deleted']);
  });

  it('refuses a bad before or limit (400), and a task of another board (404)', async () => {
    const board = await live.api.createBoard();
    const other = await live.api.createBoard();
    const list = await live.api.createList(other.id, 'L');
    const theirs = await live.api.createTask(other.id, list.id, 'Theirs');
    for (const query of [
      'before=0',
      'before=-1',
      'before=1.5',
      'before=x',
      'limit=0',
      'limit=101',
      'limit=ten',
    ]) {
      const response = await live.api.get<ErrorBody>(`/boards/${board.id}/activity?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.field, query).toBe(query.split('=')[0]);
    }
    const cross = await live.api.get<ErrorBody>(`/boards/${board.id}/activity?taskId=${theirs.id}`);
    expect(cross.status).toBe(404);
    expect(cross.body.error.code).toBe('task_not_found');
    expect((await live.api.get(`/boards/${board.id}/activity?limit=100`)).status).toBe(200);
  });
});
