/**
 * Text no store may answer differently: this file runs in both vitest projects (SQLite and
 * PostgreSQL), and each expects the same answers. Bodies are sent as raw JSON so that escapes like
 * `\u0000` and lone surrogates reach the server exactly as a hostile client would send them.
 */
import { describe, expect, it } from 'vitest';
import { normalizeTask, type Board, type List, type Task } from '../domain/index.js';
import { testUser, type ErrorBody } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';

const live = useServer();

/** Sent as the test user, who owns the boards here: what is checked is the text, not who may write. */
const send = async <T>(method: string, path: string, rawJson: string) => {
  const { token } = await testUser(live.server.url);
  return live.api.call<T>(method, path, {
    raw: rawJson,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  });
};
const post = <T>(path: string, rawJson: string) => send<T>('POST', path, rawJson);
const patch = <T>(path: string, rawJson: string) => send<T>('PATCH', path, rawJson);

/** JSON string literals, written as a client would put them on the wire. */
const REFUSED_TITLES = [
  String.raw`"nul \u0000 inside"`,
  String.raw`"escape \u001b[31m red"`,
  String.raw`"two\nlines"`,
  String.raw`"tab\tinside"`,
  String.raw`"lone high \ud83d surrogate"`,
  String.raw`"lone low \udca9 surrogate"`,
];
const REFUSED_DESCRIPTIONS = [String.raw`"nul \u0000"`, String.raw`"bell \u0007"`, String.raw`"lone \ud800"`];
const KEPT_TITLES = [
  '🎉 party 🧑🏽‍💻 coder 𝄞 clef',
  'rtl \u202eevil.exe\u202c and isolate \u2067שלום\u2069',
  'زرافة and 漢字 and e\u0301',
];

describe('hostile text, answered alike on every store', () => {
  it('refuses NUL, other C0 controls and lone surrogates with 400 and the field, changing nothing', async () => {
    const board = await live.api.createBoard();
    const list = await live.api.createList(board.id, 'Todo');
    const task = await live.api.createTask(board.id, list.id, 'Task');
    const attempts: Array<[string, Promise<{ status: number; body: ErrorBody }>]> = [];
    for (const title of REFUSED_TITLES) {
      attempts.push(['title', post('/boards', `{"title":${title}}`)]);
      attempts.push(['title', patch(`/boards/${board.id}`, `{"title":${title}}`)]);
      attempts.push(['title', post(`/boards/${board.id}/lists`, `{"title":${title}}`)]);
      attempts.push(['title', patch(`/boards/${board.id}/lists/${list.id}`, `{"title":${title}}`)]);
      attempts.push(['title', post(`/boards/${board.id}/tasks`, `{"listId":"${list.id}","title":${title}}`)]);
      attempts.push(['title', patch(`/boards/${board.id}/tasks/${task.id}`, `{"title":${title}}`)]);
    }
    for (const description of REFUSED_DESCRIPTIONS) {
      attempts.push([
        'description',
        post(
          `/boards/${board.id}/tasks`,
          `{"listId":"${list.id}","title":"ok","description":${description}}`,
        ),
      ]);
      attempts.push([
        'description',
        patch(`/boards/${board.id}/tasks/${task.id}`, `{"description":${description}}`),
      ]);
    }
    for (const [field, attempt] of attempts) {
      const response = await attempt;
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'validation_failed', field });
    }
    const after = await live.api.snapshot(board.id);
    expect(after.seq).toBe(2);
    expect(after.title).toBe(board.title);
    expect(after.lists[0]!.title).toBe('Todo');
    expect(after.lists[0]!.tasks).toEqual([task]);
  });

  it('refuses them in checklist titles, item text and link titles and URLs too, and keeps the rest as sent', async () => {
    const board = await live.api.createBoard();
    const list = await live.api.createList(board.id, 'Todo');
    const task = await live.api.createTask(board.id, list.id, 'Task');
    const checklist = await post<{ id: string; items: Array<{ id: string }> }>(
      `/boards/${board.id}/checklists`,
      `{"taskId":"${task.id}","title":"Steps","items":[{"text":"one"}]}`,
    );
    expect(checklist.status).toBe(201);
    const itemId = checklist.body.items[0]!.id;
    const seq = (await live.api.snapshot(board.id)).seq;
    const attempts: Array<[string, Promise<{ status: number; body: ErrorBody }>]> = [];
    for (const text of REFUSED_TITLES) {
      const path = `/boards/${board.id}`;
      attempts.push(['title', post(`${path}/checklists`, `{"taskId":"${task.id}","title":${text}}`)]);
      attempts.push(['title', patch(`${path}/checklists/${checklist.body.id}`, `{"title":${text}}`)]);
      attempts.push(['text', post(`${path}/items`, `{"checklistId":"${checklist.body.id}","text":${text}}`)]);
      attempts.push(['text', patch(`${path}/items/${itemId}`, `{"text":${text}}`)]);
      attempts.push([
        'title',
        post(`${path}/links`, `{"taskId":"${task.id}","url":"https://a.example","title":${text}}`),
      ]);
      attempts.push(['url', post(`${path}/links`, `{"taskId":"${task.id}","url":${text}}`)]);
    }
    for (const [field, attempt] of attempts) {
      const response = await attempt;
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'validation_failed', field });
    }
    expect((await live.api.snapshot(board.id)).seq).toBe(seq);
    for (const text of KEPT_TITLES) {
      const item = await live.api.post<{ text: string }>(`/boards/${board.id}/items`, {
        checklistId: checklist.body.id,
        text,
      });
      expect([item.status, item.body.text]).toEqual([201, text]);
    }
    const items = (await live.api.snapshot(board.id)).lists[0]!.tasks[0]!.checklists[0]!.items;
    expect(items.map((item) => item.text)).toEqual(['one', ...KEPT_TITLES]);
  });

  it('keeps 4-byte emoji, right-to-left text and bidirectional overrides exactly as sent', async () => {
    const board = await post<Board>(
      '/boards',
      JSON.stringify({ title: KEPT_TITLES[0], visibility: 'public_edit' }),
    );
    expect(board.status).toBe(201);
    const list = await live.api.post<List>(`/boards/${board.body.id}/lists`, { title: KEPT_TITLES[1] });
    const description = 'line one\r\nline two\n\ttabbed \u202e reversed 🎉';
    const tasks: Task[] = [];
    for (const title of KEPT_TITLES) {
      const response = await live.api.post<Task>(`/boards/${board.body.id}/tasks`, {
        listId: list.body.id,
        title,
        description,
      });
      expect(response.status).toBe(201);
      expect([response.body.title, response.body.description]).toEqual([title, description]);
      tasks.push(response.body);
    }
    const snapshot = await live.api.snapshot(board.body.id);
    expect(snapshot.title).toBe(KEPT_TITLES[0]);
    expect(snapshot.lists[0]!.title).toBe(KEPT_TITLES[1]);
    expect(snapshot.lists[0]!.tasks).toEqual(tasks);
    const events = await live.api.events(board.body.id);
    // A task_created leaves out the card fields at their defaults; the reducer's normalizeTask fills them in.
    expect(
      events.flatMap((event) => (event.type === 'task_created' ? [normalizeTask(event.task)] : [])),
    ).toEqual(tasks);
  });
});
