import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import type { Board, BoardEvent, Task, TaskChecklist, TaskChecklistItem, TaskLink } from '../domain/index.js';
import { boardSeqOf, signUp, type ErrorBody } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';

const live = useServer();

/** A public_edit board with two cards, the first with a checklist of three items. */
async function boardWithChecklist(): Promise<{
  board: Board;
  task: Task;
  other: Task;
  checklist: TaskChecklist;
}> {
  const board = await live.api.createBoard();
  const list = await live.api.createList(board.id, 'To do');
  const task = await live.api.createTask(board.id, list.id, 'Card');
  const other = await live.api.createTask(board.id, list.id, 'Other card');
  const created = await live.api.post<TaskChecklist>(`/boards/${board.id}/checklists`, {
    taskId: task.id,
    title: 'Launch',
    items: [{ text: 'write' }, { text: 'review', done: true }, { text: 'ship' }],
  });
  expect(created.status).toBe(201);
  return { board, task, other, checklist: created.body };
}

const taskIn = (board: Board, taskId: string): Task =>
  board.lists.flatMap((list) => list.tasks).find((task) => task.id === taskId)!;

describe('checklists over HTTP', () => {
  it('POST /checklists adds a checklist with its first items: 201, Board-Seq + 1, one checklist_added', async () => {
    const board = await live.api.createBoard();
    const list = await live.api.createList(board.id, 'To do');
    const task = await live.api.createTask(board.id, list.id, 'Card');
    expect(task).toMatchObject({ checklists: [], links: [] });
    const seq = (await live.api.snapshot(board.id)).seq;
    const response = await live.api.post<TaskChecklist>(`/boards/${board.id}/checklists`, {
      taskId: task.id,
      title: 'Launch',
      items: [{ text: 'write' }, { text: 'review', done: true }],
    });
    expect(response.status).toBe(201);
    expect(boardSeqOf(response)).toBe(seq + 1);
    expect(response.body).toMatchObject({
      taskId: task.id,
      title: 'Launch',
      items: [
        { text: 'write', done: false, version: 1 },
        { text: 'review', done: true, version: 1 },
      ],
    });
    expect(response.body.id).toMatch(/^checklist-/);
    const events = await live.api.events(board.id, seq);
    expect(events.map((event) => event.type)).toEqual(['checklist_added']);
    const { taskId: _taskId, ...checklist } = response.body;
    expect(taskIn(await live.api.snapshot(board.id), task.id).checklists).toEqual([checklist]);
  });

  it('items: add, tick (set, never toggle: the same tick again is 200 with no event), edit, move, delete', async () => {
    const { board, task, checklist } = await boardWithChecklist();
    const path = `/boards/${board.id}/items`;
    const seq = (await live.api.snapshot(board.id)).seq;
    const added = await live.api.post<TaskChecklistItem>(path, {
      checklistId: checklist.id,
      text: 'celebrate',
      beforeId: checklist.items[0]!.id,
    });
    expect([added.status, boardSeqOf(added)]).toEqual([201, seq + 1]);
    expect(added.body).toMatchObject({ taskId: task.id, checklistId: checklist.id, text: 'celebrate' });

    const first = checklist.items[0]!;
    const tick = await live.api.patch<TaskChecklistItem>(`${path}/${first.id}`, { done: true });
    expect([tick.status, boardSeqOf(tick), tick.body.done]).toEqual([200, seq + 2, true]);
    const again = await live.api.patch<TaskChecklistItem>(`${path}/${first.id}`, { done: true });
    expect([again.status, boardSeqOf(again), again.body.done]).toEqual([200, seq + 2, true]);

    const edited = await live.api.patch<TaskChecklistItem>(`${path}/${first.id}`, {
      text: 'write it',
      version: 1,
    });
    expect([edited.status, edited.body.text, edited.body.version]).toEqual([200, 'write it', 2]);
    const moved = await live.api.patch(`${path}/${added.body.id}`, { afterId: checklist.items[2]!.id });
    expect(moved.status).toBe(200);
    expect((await live.api.delete(`${path}/${checklist.items[1]!.id}`)).status).toBe(204);

    const events = await live.api.events(board.id, seq);
    expect(events.map((event) => event.type)).toEqual([
      'checklist_item_added',
      'checklist_item_updated',
      'checklist_item_updated',
      'checklist_item_updated',
      'checklist_item_deleted',
    ]);
    const items = taskIn(await live.api.snapshot(board.id), task.id).checklists[0]!.items;
    expect(items.map((item) => [item.text, item.done])).toEqual([
      ['write it', true],
      ['ship', false],
      ['celebrate', false],
    ]);
  });

  it('renames, reorders and deletes a checklist', async () => {
    const { board, task, checklist } = await boardWithChecklist();
    const second = await live.api.post<TaskChecklist>(`/boards/${board.id}/checklists`, {
      taskId: task.id,
      title: 'Later',
    });
    const renamed = await live.api.patch<TaskChecklist>(`/boards/${board.id}/checklists/${checklist.id}`, {
      title: 'Go live',
      afterId: second.body.id,
    });
    expect([renamed.status, renamed.body.title]).toEqual([200, 'Go live']);
    expect(taskIn(await live.api.snapshot(board.id), task.id).checklists.map((c) => c.title)).toEqual([
      'Later',
      'Go live',
    ]);
    expect((await live.api.delete(`/boards/${board.id}/checklists/${checklist.id}`)).status).toBe(204);
    const gone = await live.api.delete<ErrorBody>(`/boards/${board.id}/checklists/${checklist.id}`);
    expect([gone.status, gone.body.error.code]).toEqual([404, 'checklist_not_found']);
  });

  it('links: add with a title, remove; unsafe URLs are 400 with the field; the 101st is 409 limit_reached', async () => {
    const { board, task } = await boardWithChecklist();
    const added = await live.api.post<TaskLink>(`/boards/${board.id}/links`, {
      taskId: task.id,
      url: 'https://example.com/spec',
      title: 'Spec',
    });
    expect([added.status, added.body.url, added.body.title, added.body.taskId]).toEqual([
      201,
      'https://example.com/spec',
      'Spec',
      task.id,
    ]);
    const seq = (await live.api.snapshot(board.id)).seq;
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
      'example.com',
      `https://example.com/${'a'.repeat(2048)}`,
    ]) {
      const refused = await live.api.post<ErrorBody>(`/boards/${board.id}/links`, { taskId: task.id, url });
      expect([refused.status, refused.body.error.code, refused.body.error.field], url).toEqual([
        400,
        'validation_failed',
        'url',
      ]);
    }
    expect((await live.api.snapshot(board.id)).seq).toBe(seq);
    const removed = await live.api.delete(`/boards/${board.id}/links/${added.body.id}`);
    expect([removed.status, boardSeqOf(removed)]).toEqual([204, seq + 1]);
    const missing = await live.api.delete<ErrorBody>(`/boards/${board.id}/links/${added.body.id}`);
    expect([missing.status, missing.body.error.code]).toEqual([404, 'link_not_found']);

    for (let index = 0; index < 100; index++) {
      expect(
        (
          await live.api.post(`/boards/${board.id}/links`, {
            taskId: task.id,
            url: `https://e.example/${index}`,
          })
        ).status,
      ).toBe(201);
    }
    const full = await live.api.post<ErrorBody>(`/boards/${board.id}/links`, {
      taskId: task.id,
      url: 'https://e.example/101',
    });
    expect([full.status, full.body.error.code, full.body.error.limit]).toEqual([409, 'limit_reached', 100]);
  });

  it('the 201st item is 409 limit_reached', async () => {
    const { board, task } = await boardWithChecklist();
    const items = Array.from({ length: 200 }, (_, index) => ({ text: `item ${index}` }));
    const full = await live.api.post<TaskChecklist>(`/boards/${board.id}/checklists`, {
      taskId: task.id,
      title: 'Full',
      items,
    });
    expect(full.status).toBe(201);
    const more = await live.api.post<ErrorBody>(`/boards/${board.id}/items`, {
      checklistId: full.body.id,
      text: 'one more',
    });
    expect([more.status, more.body.error.code, more.body.error.limit]).toEqual([409, 'limit_reached', 200]);
    const tooMany = await live.api.post<ErrorBody>(`/boards/${board.id}/checklists`, {
      taskId: task.id,
      title: 'Too many',
      items: [...items, { text: 'x' }],
    });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([409, 'limit_reached']);
  });

  it('bad input is 400 with the field and changes nothing; wrong types are never coerced', async () => {
    const { board, task, checklist } = await boardWithChecklist();
    const item = checklist.items[0]!;
    const seq = (await live.api.snapshot(board.id)).seq;
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/checklists', { taskId: task.id, title: 'a\u0007b' }, 'title'],
      ['POST', '/checklists', { taskId: task.id, title: 'T', items: [{ text: 'a\u0000' }] }, 'items.0.text'],
      ['POST', '/items', { checklistId: checklist.id, text: 'a\nb' }, 'text'],
      ['POST', '/items', { checklistId: checklist.id, text: 'a\ud800' }, 'text'],
      ['POST', '/items', { checklistId: checklist.id, text: 'x'.repeat(2001) }, 'text'],
      ['PATCH', `/items/${item.id}`, { done: 1 }, 'done'],
      ['PATCH', `/items/${item.id}`, { done: 'true' }, 'done'],
      ['PATCH', `/items/${item.id}`, { text: '   ' }, 'text'],
      ['POST', '/links', { taskId: task.id, url: 'https://a.example', title: 'a\u0000' }, 'title'],
    ];
    for (const [method, path, json, field] of cases) {
      const response = await live.api.call<ErrorBody>(method, `/boards/${board.id}${path}`, { json });
      expect(
        [response.status, response.body.error.code, response.body.error.field],
        `${method} ${path}`,
      ).toEqual([400, 'validation_failed', expect.stringContaining(field)]);
    }
    expect((await live.api.snapshot(board.id)).seq).toBe(seq);
  });

  it('another card’s checklist is 404, another checklist’s item as a place is 400, another board’s ids 404', async () => {
    const { board, task, other, checklist } = await boardWithChecklist();
    const otherList = await live.api.post<TaskChecklist>(`/boards/${board.id}/checklists`, {
      taskId: other.id,
      title: 'Theirs',
      items: [{ text: 'theirs' }],
    });
    const item = checklist.items[0]!;
    const moved = await live.api.patch<ErrorBody>(`/boards/${board.id}/items/${item.id}`, {
      checklistId: otherList.body.id,
    });
    expect([moved.status, moved.body.error.code, moved.body.error.field]).toEqual([
      404,
      'checklist_not_found',
      'checklistId',
    ]);
    const placed = await live.api.patch<ErrorBody>(`/boards/${board.id}/items/${item.id}`, {
      beforeId: otherList.body.items[0]!.id,
    });
    expect([placed.status, placed.body.error.code, placed.body.error.field]).toEqual([
      400,
      'invalid_position',
      'beforeId',
    ]);

    const elsewhere = await boardWithChecklist();
    for (const [method, path, json, code] of [
      ['PATCH', `/items/${elsewhere.checklist.items[0]!.id}`, { done: true }, 'item_not_found'],
      ['DELETE', `/checklists/${elsewhere.checklist.id}`, undefined, 'checklist_not_found'],
      ['POST', '/items', { checklistId: elsewhere.checklist.id, text: 'x' }, 'checklist_not_found'],
      ['POST', '/checklists', { taskId: elsewhere.task.id, title: 'x' }, 'task_not_found'],
      ['POST', '/links', { taskId: elsewhere.task.id, url: 'https://a.example' }, 'task_not_found'],
    ] as const) {
      const response = await live.api.call<ErrorBody>(method, `/boards/${board.id}${path}`, { json });
      expect([response.status, response.body.error.code], `${method} ${path}`).toEqual([404, code]);
    }
    expect(
      taskIn(await live.api.snapshot(elsewhere.board.id), elsewhere.task.id).checklists[0]!.items[0]!.done,
    ).toBe(false);
    expect(task.id).not.toBe(elsewhere.task.id);
  });

  it('an item’s text conflicts only against its own version (409 with conflicts); ticks never do', async () => {
    const { board, task, checklist } = await boardWithChecklist();
    const item = checklist.items[0]!;
    const path = `/boards/${board.id}/items/${item.id}`;
    expect((await live.api.patch(path, { text: 'theirs', version: 1 })).status).toBe(200);
    expect((await live.api.patch(path, { done: true, version: 1 })).status).toBe(200);
    const stale = await live.api.patch<ErrorBody>(path, { text: 'mine', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({
      code: 'version_conflict',
      field: 'text',
      conflicts: [{ field: 'text', value: 'theirs', version: 2 }],
    });
    // A description edit from the task's version before all the ticks lands.
    const description = await live.api.patch<Task>(`/boards/${board.id}/tasks/${task.id}`, {
      description: 'mine',
      version: task.version,
    });
    expect(description.status).toBe(200);
  });

  it('an item’s text conflict names who wrote the text that stands (by), as a task field’s does; answers and the snapshot carry textBy', async () => {
    const { board, task, checklist } = await boardWithChecklist();
    const ana = await signUp(
      live.api.baseUrl,
      `ana-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    );
    const asAna = { headers: { authorization: `Bearer ${ana.token}` } };
    const item = checklist.items[0]!;
    const path = `/boards/${board.id}/items/${item.id}`;
    // Made anonymously (the board is public_edit): nobody to name.
    expect(item.textBy).toBeNull();
    const edited = await live.api.patch<TaskChecklistItem>(path, { text: 'theirs', version: 1 }, asAna);
    expect([edited.status, edited.body.textBy]).toEqual([200, { userId: ana.id, username: ana.username }]);
    // A tick by someone else leaves the author of the text.
    expect((await live.api.patch<TaskChecklistItem>(path, { done: true })).body.textBy).toEqual({
      userId: ana.id,
      username: ana.username,
    });
    const stale = await live.api.patch<ErrorBody>(path, { text: 'mine', version: 1 });
    expect([stale.status, stale.body.error.code, stale.body.error.field]).toEqual([
      409,
      'version_conflict',
      'text',
    ]);
    expect(stale.body.error.conflicts).toEqual([
      { field: 'text', value: 'theirs', version: 2, by: { userId: ana.id, username: ana.username } },
    ]);
    const added = await live.api.post<TaskChecklistItem>(
      `/boards/${board.id}/items`,
      { checklistId: checklist.id, text: 'hers' },
      asAna,
    );
    expect(added.body.textBy).toEqual({ userId: ana.id, username: ana.username });
    const items = taskIn(await live.api.snapshot(board.id), task.id).checklists[0]!.items;
    expect(items.map((each) => [each.text, each.textBy?.username ?? null])).toEqual([
      ['theirs', ana.username],
      ['review', null],
      ['ship', null],
      ['hers', ana.username],
    ]);
    // Reworded anonymously: the text's author is nobody again.
    const anonymous = await live.api.patch<TaskChecklistItem>(path, { text: 'ours', version: 2 });
    expect([anonymous.status, anonymous.body.textBy]).toEqual([200, null]);
  });

  it('PATCH /links/:linkId edits a link’s title and URL: 200 with the link, Board-Seq + 1, one link_updated from → to; the same values again are no event', async () => {
    const { board, task } = await boardWithChecklist();
    const added = await live.api.post<TaskLink>(`/boards/${board.id}/links`, {
      taskId: task.id,
      url: 'https://example.com/spec',
      title: 'Spec',
    });
    const path = `/boards/${board.id}/links/${added.body.id}`;
    const seq = boardSeqOf(added);
    const renamed = await live.api.patch<TaskLink>(path, { title: ' API spec ' });
    expect([renamed.status, boardSeqOf(renamed), renamed.body]).toEqual([
      200,
      seq + 1,
      { id: added.body.id, taskId: task.id, url: 'https://example.com/spec', title: 'API spec' },
    ]);
    const moved = await live.api.patch<TaskLink>(path, { url: 'https://example.com/api', title: 'API spec' });
    expect([moved.status, boardSeqOf(moved), moved.body.url]).toEqual([
      200,
      seq + 2,
      'https://example.com/api',
    ]);
    const untitled = await live.api.patch<TaskLink>(path, { title: '' });
    expect([untitled.status, boardSeqOf(untitled), untitled.body.title]).toEqual([200, seq + 3, '']);
    const again = await live.api.patch<TaskLink>(path, { title: '', url: 'https://example.com/api' });
    expect([again.status, boardSeqOf(again), again.body.title]).toEqual([200, seq + 3, '']);
    const events = await live.api.events(board.id, seq);
    expect(events.map(({ seq: _seq, at: _at, ...event }) => event)).toEqual([
      {
        type: 'link_updated',
        by: null,
        taskId: task.id,
        linkId: added.body.id,
        changes: { title: { from: 'Spec', to: 'API spec' } },
      },
      {
        type: 'link_updated',
        by: null,
        taskId: task.id,
        linkId: added.body.id,
        changes: { url: { from: 'https://example.com/spec', to: 'https://example.com/api' } },
      },
      {
        type: 'link_updated',
        by: null,
        taskId: task.id,
        linkId: added.body.id,
        changes: { title: { from: 'API spec', to: '' } },
      },
    ]);
    expect(taskIn(await live.api.snapshot(board.id), task.id).links).toEqual([
      { id: added.body.id, url: 'https://example.com/api', title: '' },
    ]);
  });

  it('a link edit with bad input is 400 naming the field and changes nothing; an unknown link, or another board’s, is 404 link_not_found', async () => {
    const { board, task } = await boardWithChecklist();
    const added = await live.api.post<TaskLink>(`/boards/${board.id}/links`, {
      taskId: task.id,
      url: 'https://example.com/spec',
      title: 'Spec',
    });
    const path = `/boards/${board.id}/links/${added.body.id}`;
    const seq = (await live.api.snapshot(board.id)).seq;
    const cases: Array<[unknown, string]> = [
      [{ url: 'javascript:alert(1)' }, 'url'],
      [{ url: 'data:text/html,x', title: 'fine' }, 'url'],
      [{ url: 'example.com' }, 'url'],
      [{ url: '' }, 'url'],
      [{ url: `https://example.com/${'a'.repeat(2048)}` }, 'url'],
      [{ url: 7 }, 'url'],
      [{ title: 'a\u0000b' }, 'title'],
      [{ title: 'a\nb' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ title: null }, 'title'],
      [{ tilte: 'typo' }, 'tilte'],
      [{}, 'body'],
    ];
    for (const [json, field] of cases) {
      const response = await live.api.patch<ErrorBody>(path, json);
      expect(
        [response.status, response.body.error.code, response.body.error.field],
        JSON.stringify(json),
      ).toEqual([400, 'validation_failed', field]);
    }
    const raw = await live.api.call<ErrorBody>('PATCH', path, {
      raw: '{"title":',
      headers: { 'content-type': 'application/json' },
    });
    expect([raw.status, raw.body.error.code]).toEqual([400, 'invalid_json']);
    expect((await live.api.snapshot(board.id)).seq).toBe(seq);

    const missing = await live.api.patch<ErrorBody>(`/boards/${board.id}/links/link-nothere0001`, {
      title: 'x',
    });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'link_not_found']);
    const elsewhere = await boardWithChecklist();
    const theirs = await live.api.post<TaskLink>(`/boards/${elsewhere.board.id}/links`, {
      taskId: elsewhere.task.id,
      url: 'https://example.com/theirs',
    });
    const foreign = await live.api.patch<ErrorBody>(`/boards/${board.id}/links/${theirs.body.id}`, {
      title: 'mine now',
    });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'link_not_found']);
    expect(taskIn(await live.api.snapshot(elsewhere.board.id), elsewhere.task.id).links[0]!.title).toBe('');
    const removed = await live.api.delete(path);
    expect(removed.status).toBe(204);
    const gone = await live.api.patch<ErrorBody>(path, { title: 'back' });
    expect([gone.status, gone.body.error.code]).toEqual([404, 'link_not_found']);
  });

  it('a tick is one event of at most 400 bytes on the wire, whatever the card holds', async () => {
    const { board, task } = await boardWithChecklist();
    await live.api.patch(`/boards/${board.id}/tasks/${task.id}`, { description: 'd'.repeat(16_384) });
    const big = await live.api.post<TaskChecklist>(`/boards/${board.id}/checklists`, {
      taskId: task.id,
      title: 'Big',
      items: Array.from({ length: 150 }, (_, index) => ({ text: `${index} ${'x'.repeat(300)}` })),
    });
    expect(big.status).toBe(201);
    for (let index = 0; index < 20; index++) {
      await live.api.post(`/boards/${board.id}/links`, {
        taskId: task.id,
        url: `https://example.com/${'p'.repeat(500)}/${index}`,
      });
    }
    const snapshot = await live.api.snapshot(board.id);
    expect(JSON.stringify(taskIn(snapshot, task.id)).length).toBeGreaterThan(60_000);
    const tick = await live.api.patch(`/boards/${board.id}/items/${big.body.items[120]!.id}`, { done: true });
    const [event] = await live.api.events(board.id, boardSeqOf(tick) - 1);
    expect(event!.type).toBe('checklist_item_updated');
    expect(JSON.stringify(event).length, JSON.stringify(event)).toBeLessThanOrEqual(400);
    // A link's new title likewise: what changed, never the card.
    const link = taskIn(snapshot, task.id).links[7]!;
    const retitled = await live.api.patch(`/boards/${board.id}/links/${link.id}`, {
      title: 'The spec, draft 2',
    });
    const [linkEvent] = await live.api.events(board.id, boardSeqOf(retitled) - 1);
    expect(linkEvent!.type).toBe('link_updated');
    expect(JSON.stringify(linkEvent).length, JSON.stringify(linkEvent)).toBeLessThanOrEqual(400);
  });

  it('forty ticks at once on one card all land, seqs gapless', async () => {
    const { board, task } = await boardWithChecklist();
    const big = await live.api.post<TaskChecklist>(`/boards/${board.id}/checklists`, {
      taskId: task.id,
      title: 'Busy',
      items: Array.from({ length: 40 }, (_, index) => ({ text: `item ${index}` })),
    });
    const seq = boardSeqOf(big);
    const responses = await Promise.all(
      big.body.items.map((item) => live.api.patch(`/boards/${board.id}/items/${item.id}`, { done: true })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(40).fill(200));
    expect(responses.map(boardSeqOf).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, index) => seq + 1 + index),
    );
    const items = taskIn(await live.api.snapshot(board.id), task.id).checklists[1]!.items;
    expect(items.every((item) => item.done)).toBe(true);
  });

  it('Idempotency-Key: a retried add is the first answer, once', async () => {
    const { board, checklist } = await boardWithChecklist();
    const headers = { 'idempotency-key': `add-item-${Math.random()}` };
    const json = { checklistId: checklist.id, text: 'once' };
    const first = await live.api.post<TaskChecklistItem>(`/boards/${board.id}/items`, json, { headers });
    const retry = await live.api.post<TaskChecklistItem>(`/boards/${board.id}/items`, json, { headers });
    expect([retry.status, retry.body, boardSeqOf(retry)]).toEqual([201, first.body, boardSeqOf(first)]);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const events: BoardEvent[] = await live.api.events(board.id, boardSeqOf(first) - 1);
    expect(events.map((event) => event.type)).toEqual(['checklist_item_added']);
  });

  it('GET /search finds item text as field item, with its itemId', async () => {
    const { board, task, checklist } = await boardWithChecklist();
    const response = await live.api.get<{
      results: Array<{ taskId: string; field: string; itemId?: string }>;
    }>(`/boards/${board.id}/search?q=revi`);
    expect(response.body.results).toEqual([
      expect.objectContaining({
        taskId: task.id,
        field: 'item',
        itemId: checklist.items[1]!.id,
        text: 'review',
      }),
    ]);
  });

  it('the OpenAPI document validates and gives each new route its success schema', async () => {
    const document = (await live.api.get<Record<string, unknown>>('/docs/json')).body;
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    const paths = document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    const expected: Array<[string, string, string]> = [
      ['/boards/{boardId}/checklists', 'post', '201'],
      ['/boards/{boardId}/checklists/{checklistId}', 'patch', '200'],
      ['/boards/{boardId}/checklists/{checklistId}', 'delete', '204'],
      ['/boards/{boardId}/items', 'post', '201'],
      ['/boards/{boardId}/items/{itemId}', 'patch', '200'],
      ['/boards/{boardId}/items/{itemId}', 'delete', '204'],
      ['/boards/{boardId}/links', 'post', '201'],
      ['/boards/{boardId}/links/{linkId}', 'patch', '200'],
      ['/boards/{boardId}/links/{linkId}', 'delete', '204'],
    ];
    for (const [path, method, status] of expected) {
      expect(paths[path]?.[method]?.responses[status], `${method} ${path}`).toBeDefined();
    }
    const item = paths['/boards/{boardId}/items/{itemId}']!.patch!.responses['200'] as {
      content: Record<string, { schema: { properties: Record<string, unknown> } }>;
    };
    expect(Object.keys(item.content['application/json']!.schema.properties)).toEqual(
      expect.arrayContaining([
        'id',
        'taskId',
        'checklistId',
        'text',
        'done',
        'position',
        'version',
        'textBy',
      ]),
    );
  });
});
