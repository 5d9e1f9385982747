import { describe, expect, it } from 'vitest';
import type { Board, BoardInfo } from '../domain/index.js';
import { boardSeqOf, type ErrorBody } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';

const live = useServer();

describe('boards over HTTP', () => {
  it('POST /boards creates an empty board at seq 0 (201) with a board- id', async () => {
    const response = await live.api.post<Board>('/boards', { title: '  Roadmap  ' });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const board = response.body;
    expect(board.id).toMatch(/^board-/);
    expect(board).toEqual({
      id: board.id,
      title: 'Roadmap',
      seq: 0,
      createdAt: board.createdAt,
      updatedAt: board.createdAt,
      lists: [],
    });
    expect(Number.isNaN(Date.parse(board.createdAt))).toBe(false);
    // Board creation is not an event of the board; if the header is sent it must say seq 0.
    const header = response.headers.get('board-seq');
    if (header !== null) expect(Number(header)).toBe(0);
    expect(await live.api.snapshot(board.id)).toEqual(board);
  });

  it('GET /boards lists every board with its seq, including the seeded demo board', async () => {
    const created = await live.api.createBoard('Listed');
    await live.api.createList(created.id, 'L');
    const response = await live.api.get<{ boards: BoardInfo[] }>('/boards');
    expect(response.status).toBe(200);
    const ids = response.body.boards.map((board) => board.id);
    expect(ids).toContain('board-1');
    expect(response.body.boards.find((board) => board.id === created.id)).toMatchObject({
      id: created.id,
      title: 'Listed',
      seq: 1,
    });
  });

  it('seeds the demo board board-1 with lists list-todo, list-doing, list-done', async () => {
    const board = await live.api.snapshot('board-1');
    expect(board.title).toBe('Demo board');
    expect(board.lists.map((list) => list.id)).toEqual(['list-todo', 'list-doing', 'list-done']);
    expect(board.lists.flatMap((list) => list.tasks).length).toBeGreaterThan(0);
    expect(board.seq).toBeGreaterThan(0);
  });

  it('PATCH /boards/:id renames the board (200) and answers Board-Seq = the new seq', async () => {
    const board = await live.api.createBoard('Old');
    await live.api.createList(board.id, 'L');
    const response = await live.api.patch<Board>(`/boards/${board.id}`, { title: 'New' });
    expect(response.status).toBe(200);
    expect(boardSeqOf(response)).toBe(2);
    expect(response.body).toMatchObject({ id: board.id, title: 'New', seq: 2 });
    expect(response.body.lists).toHaveLength(1);
    const snapshot = await live.api.snapshot(board.id);
    expect(snapshot.title).toBe('New');
    expect(snapshot.seq).toBe(2);
    const events = await live.api.events(board.id);
    expect(events.map((event) => event.type)).toEqual(['list_created', 'board_updated']);
  });

  it('DELETE /boards/:id answers 204 with Board-Seq, and later GETs answer 404 board_not_found', async () => {
    const board = await live.api.createBoard('Doomed');
    await live.api.createList(board.id, 'L');
    const response = await live.api.delete(`/boards/${board.id}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(boardSeqOf(response)).toBe(2);

    const after = await live.api.get<ErrorBody>(`/boards/${board.id}`);
    expect(after.status).toBe(404);
    expect(after.body.error.code).toBe('board_not_found');
    expect(typeof after.body.error.message).toBe('string');

    const write = await live.api.post<ErrorBody>(`/boards/${board.id}/lists`, { title: 'Too late' });
    expect(write.status).toBe(404);
    expect(write.body.error.code).toBe('board_not_found');

    const listed = await live.api.get<{ boards: BoardInfo[] }>('/boards');
    expect(listed.body.boards.map((b) => b.id)).not.toContain(board.id);

    const again = await live.api.delete<ErrorBody>(`/boards/${board.id}`);
    expect(again.status).toBe(404);
  });

  it('GET of an unknown board is 404 board_not_found as JSON', async () => {
    const response = await live.api.get<ErrorBody>('/boards/board-doesnotexist');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body.error.code).toBe('board_not_found');
  });
});

describe('compression', () => {
  it('compresses a large response for a client that accepts gzip, and sends it plain to one that does not', async () => {
    const board = await live.api.createBoard('Compressed');
    const list = await live.api.createList(board.id, 'L');
    for (let index = 0; index < 10; index++)
      await live.api.createTask(board.id, list.id, `task number ${index}`);
    const compressed = await fetch(`${live.server.url}/boards/${board.id}`, {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(compressed.headers.get('content-encoding')).toBe('gzip');
    expect(((await compressed.json()) as { seq: number }).seq).toBe(11);
    const plain = await fetch(`${live.server.url}/boards/${board.id}`, {
      headers: { 'Accept-Encoding': 'identity' },
    });
    expect(plain.headers.get('content-encoding')).toBeNull();
  });
});
