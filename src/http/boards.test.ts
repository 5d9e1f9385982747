import { describe, expect, it } from 'vitest';
import type { Board, BoardEvent, BoardInfo, Role } from '../domain/index.js';
import { boardSeqOf, signUp, testUser, type ErrorBody, type TestUser } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';

const live = useServer();

/** A board in a list: its info and the caller's role on it. */
type BoardListing = BoardInfo & { role: Role | null };

/** The test user of this server (who owns the boards these tests make), and their Bearer header. */
async function owner(): Promise<{ user: TestUser; headers: Record<string, string> }> {
  const user = await testUser(live.server.url);
  return { user, headers: { authorization: `Bearer ${user.token}` } };
}

describe('boards over HTTP', () => {
  it('POST /boards creates an empty private board at seq 0 (201) with a board- id, owned by its creator', async () => {
    const { user, headers } = await owner();
    const response = await live.api.post<Board>('/boards', { title: '  Roadmap  ' }, { headers });
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
      visibility: 'private',
      listed: false,
      members: [{ userId: user.id, username: user.username, role: 'owner' }],
      labels: [],
      lists: [],
    });
    expect(Number.isNaN(Date.parse(board.createdAt))).toBe(false);
    // Board creation is not an event of the board; if the header is sent it must say seq 0.
    const header = response.headers.get('board-seq');
    if (header !== null) expect(Number(header)).toBe(0);
    const snapshot = await live.api.get<Board>(`/boards/${board.id}`, { headers });
    expect(snapshot.status).toBe(200);
    expect(snapshot.body).toEqual(board);
    // Private: to anyone else it does not exist.
    const anonymous = await live.api.get<ErrorBody>(`/boards/${board.id}`);
    expect(anonymous.status).toBe(404);
    expect(anonymous.body.error.code).toBe('board_not_found');
  });

  it('POST /boards takes visibility and listed, and is refused without credentials (401)', async () => {
    const { headers } = await owner();
    const open = await live.api.post<Board>(
      '/boards',
      { title: 'Open', visibility: 'public_edit', listed: true },
      { headers },
    );
    expect(open.status).toBe(201);
    expect(open.body).toMatchObject({ title: 'Open', seq: 0, visibility: 'public_edit', listed: true });
    expect(await live.api.snapshot(open.body.id)).toEqual(open.body);

    const anonymous = await live.api.post<ErrorBody>('/boards', { title: 'Nobody' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    expect(anonymous.headers.get('www-authenticate')).not.toBeNull();
    const listed = await live.api.get<{ boards: BoardListing[] }>('/boards', { headers });
    expect(listed.body.boards.map((board) => board.title)).not.toContain('Nobody');
  });

  it("GET /boards lists the caller's boards with their role and every listed public board, with its seq", async () => {
    const { headers } = await owner();
    const created = await live.api.createBoard('Mine, unlisted');
    await live.api.createList(created.id, 'L');
    const shown = await live.api.createBoard('Mine, listed', { visibility: 'public', listed: true });
    const response = await live.api.get<{ boards: BoardListing[] }>('/boards', { headers });
    expect(response.status).toBe(200);
    const boards = response.body.boards;
    expect(boards.find((board) => board.id === 'board-1')).toMatchObject({
      visibility: 'public_edit',
      listed: true,
      role: null,
    });
    expect(boards.find((board) => board.id === created.id)).toEqual({
      id: created.id,
      title: 'Mine, unlisted',
      seq: 1,
      createdAt: created.createdAt,
      updatedAt: expect.any(String),
      visibility: 'public_edit',
      listed: false,
      role: 'owner',
    });
    expect(boards.find((board) => board.id === shown.id)).toMatchObject({ seq: 0, role: 'owner' });

    // Without credentials: the listed public boards only, and no role on any.
    const anonymous = await live.api.get<{ boards: BoardListing[] }>('/boards');
    expect(anonymous.status).toBe(200);
    const ids = anonymous.body.boards.map((board) => board.id);
    expect(ids).toContain('board-1');
    expect(ids).toContain(shown.id);
    expect(ids).not.toContain(created.id);
    expect(anonymous.body.boards.every((board) => board.role === null && board.listed)).toBe(true);
  });

  it('seeds the demo board board-1 with lists list-todo, list-doing, list-done', async () => {
    const board = await live.api.snapshot('board-1');
    expect(board.title).toBe('Demo board');
    // Open to everyone and owned by no one, as boards were before accounts.
    expect(board).toMatchObject({ visibility: 'public_edit', listed: true, members: [] });
    expect(board.lists.map((list) => list.id)).toEqual(['list-todo', 'list-doing', 'list-done']);
    expect(board.lists.flatMap((list) => list.tasks).length).toBeGreaterThan(0);
    expect(board.seq).toBeGreaterThan(0);
  });

  it('PATCH /boards/:id renames the board (200) and answers Board-Seq = the new seq', async () => {
    const { user, headers } = await owner();
    const board = await live.api.createBoard('Old');
    await live.api.createList(board.id, 'L');
    // Anyone changes a public_edit board's lists and tasks, but only its members rename it.
    const anonymous = await live.api.patch<ErrorBody>(`/boards/${board.id}`, { title: 'Hijacked' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    const response = await live.api.patch<Board>(`/boards/${board.id}`, { title: 'New' }, { headers });
    expect(response.status).toBe(200);
    expect(boardSeqOf(response)).toBe(2);
    expect(response.body).toMatchObject({ id: board.id, title: 'New', seq: 2 });
    expect(response.body.lists).toHaveLength(1);
    const snapshot = await live.api.snapshot(board.id);
    expect(snapshot.title).toBe('New');
    expect(snapshot.seq).toBe(2);
    const events = await live.api.events(board.id);
    expect(events.map((event) => [event.type, event.by])).toEqual([
      ['list_created', null],
      ['board_updated', { userId: user.id, username: user.username }],
    ]);
    expect((events[1] as Extract<BoardEvent, { type: 'board_updated' }>).board).toEqual({
      id: board.id,
      title: 'New',
      seq: 2,
      createdAt: board.createdAt,
      updatedAt: snapshot.updatedAt,
      visibility: 'public_edit',
      listed: false,
    });
  });

  it('a PATCH that changes nothing writes nothing: the same title, access or role is 200 at the current Board-Seq, no event', async () => {
    const { headers } = await owner();
    const board = await live.api.createBoard('Same');
    const other = await signUp(live.server.url, `same-${process.pid}`);
    const added = await live.api.post(
      `/boards/${board.id}/members`,
      { username: other.username, role: 'editor' },
      { headers },
    );
    expect(added.status).toBe(201);
    const seq = boardSeqOf(added);
    const title = await live.api.patch<Board>(`/boards/${board.id}`, { title: 'Same' }, { headers });
    expect([title.status, boardSeqOf(title), title.body.title, title.body.seq]).toEqual([
      200,
      seq,
      'Same',
      seq,
    ]);
    const access = await live.api.patch<{ visibility: string; listed: boolean }>(
      `/boards/${board.id}/access`,
      { visibility: board.visibility, listed: board.listed },
      { headers },
    );
    expect([access.status, boardSeqOf(access), access.body]).toMatchObject([
      200,
      seq,
      { visibility: board.visibility, listed: board.listed },
    ]);
    const role = await live.api.patch<{ role: Role }>(
      `/boards/${board.id}/members/${other.id}`,
      { role: 'editor' },
      { headers },
    );
    expect([role.status, boardSeqOf(role), role.body.role]).toEqual([200, seq, 'editor']);
    expect(await live.api.events(board.id, seq)).toEqual([]);
  });

  it('DELETE /boards/:id answers 204 with Board-Seq, and later GETs answer 404 board_not_found', async () => {
    const { headers } = await owner();
    const board = await live.api.createBoard('Doomed');
    await live.api.createList(board.id, 'L');
    const anonymous = await live.api.delete<ErrorBody>(`/boards/${board.id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    const response = await live.api.delete(`/boards/${board.id}`, { headers });
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

    const listed = await live.api.get<{ boards: BoardListing[] }>('/boards', { headers });
    expect(listed.body.boards.map((b) => b.id)).not.toContain(board.id);

    const again = await live.api.delete<ErrorBody>(`/boards/${board.id}`, { headers });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('board_not_found');
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

  it('answers a snapshot in br, gzip or plain alike, the same bytes at the same seq, new ones after a write', async () => {
    const board = await live.api.createBoard('Compressed once');
    const list = await live.api.createList(board.id, 'L');
    for (let index = 0; index < 10; index++)
      await live.api.createTask(board.id, list.id, `task number ${index}`);
    const raw = async (encoding: string) => {
      const response = await fetch(`${live.server.url}/boards/${board.id}`, {
        headers: { 'Accept-Encoding': encoding },
      });
      // fetch decodes the body: what came on the wire is checked by its header and size.
      const text = await response.text();
      return { encoding: response.headers.get('content-encoding'), vary: response.headers.get('vary'), text };
    };
    const br = await raw('gzip, deflate, br');
    const gzip = await raw('gzip');
    const plain = await raw('identity');
    expect([br.encoding, gzip.encoding, plain.encoding]).toEqual(['br', 'gzip', null]);
    expect(br.vary).toMatch(/accept-encoding/i);
    expect(br.text).toBe(plain.text);
    expect(gzip.text).toBe(plain.text);
    expect((await raw('br')).text).toBe(br.text);
    await live.api.createTask(board.id, list.id, 'one more');
    const after = await raw('br');
    expect((JSON.parse(after.text) as Board).seq).toBe((JSON.parse(br.text) as Board).seq + 1);
  });
});
