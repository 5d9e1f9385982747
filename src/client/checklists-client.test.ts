import { beforeAll, describe, expect, it } from 'vitest';
import { testUser } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';
import {
  LIMITS,
  LiveboardApiError,
  LiveboardClient,
  applyEvents,
  describeEvent,
  newId,
  type Board,
  type BoardEvent,
} from './index.js';

const live = useServer();
let owner: LiveboardClient;

beforeAll(async () => {
  owner = new LiveboardClient({ baseUrl: live.server.url, token: (await testUser(live.server.url)).token });
});

async function boardWithTask(): Promise<{ boardId: string; taskId: string }> {
  const boardId = (await owner.createBoard({ title: 'Checklists' })).data.id;
  const listId = (await owner.createList(boardId, { title: 'To do' })).data.id;
  const taskId = (await owner.createTask(boardId, { listId, title: 'Launch' })).data.id;
  return { boardId, taskId };
}

async function apiError(promise: Promise<unknown>): Promise<LiveboardApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LiveboardApiError) return error;
    throw error;
  }
  throw new Error('expected a LiveboardApiError');
}

describe('LiveboardClient checklists and links against a real server', () => {
  it('adds, ticks, edits, moves and deletes, each write with its seq; the fold of its events is the snapshot', async () => {
    const { boardId, taskId } = await boardWithTask();
    const start = await owner.getBoard(boardId);
    const checklistId = newId('checklist');
    const added = await owner.addChecklist(
      boardId,
      { taskId, id: checklistId, title: 'Steps', items: [{ text: 'write' }, { text: 'review' }] },
      { idempotencyKey: `sdk-checklist-${checklistId}` },
    );
    expect(added).toMatchObject({ data: { id: checklistId, taskId, title: 'Steps' }, seq: start.seq + 1 });
    const replay = await owner.addChecklist(
      boardId,
      { taskId, id: checklistId, title: 'Steps', items: [{ text: 'write' }, { text: 'review' }] },
      { idempotencyKey: `sdk-checklist-${checklistId}` },
    );
    expect(replay).toEqual({ ...added, replayed: true });

    const [write, review] = added.data.items;
    const tick = await owner.updateItem(boardId, write!.id, { done: true });
    expect(tick).toMatchObject({ data: { done: true, taskId, checklistId }, seq: start.seq + 2 });
    // Set, never toggled: the same tick again changes nothing, and says the current seq.
    expect(await owner.updateItem(boardId, write!.id, { done: true })).toMatchObject({ seq: start.seq + 2 });
    const edited = await owner.updateItem(boardId, review!.id, { text: 'review it', version: 1 });
    expect(edited.data).toMatchObject({ text: 'review it', version: 2 });
    const third = await owner.addItem(boardId, { checklistId, text: 'ship', beforeId: write!.id });
    await owner.updateItem(boardId, third.data.id, { afterId: review!.id });
    await owner.updateChecklist(boardId, checklistId, { title: 'Go live' });
    const link = await owner.addLink(boardId, { taskId, url: 'https://example.com/plan', title: 'Plan' });
    expect(link.data).toMatchObject({ taskId, url: 'https://example.com/plan', title: 'Plan' });
    const retitled = await owner.updateLink(boardId, link.data.id, {
      title: 'Launch plan',
      url: 'https://example.com/launch',
    });
    expect(retitled).toEqual({
      data: { id: link.data.id, taskId, url: 'https://example.com/launch', title: 'Launch plan' },
      seq: link.seq + 1,
      replayed: false,
    });
    // The same values again: nothing changes, and the seq is the board's.
    expect((await owner.updateLink(boardId, link.data.id, { title: 'Launch plan' })).seq).toBe(link.seq + 1);
    await owner.removeLink(boardId, link.data.id);
    await owner.deleteItem(boardId, write!.id);
    const second = await owner.addChecklist(boardId, { taskId, title: 'Later' });
    expect(await owner.deleteChecklist(boardId, second.data.id)).toMatchObject({
      data: null,
      replayed: false,
    });

    const board = await owner.getBoard(boardId);
    const task = board.lists[0]!.tasks[0]!;
    expect(
      task.checklists.map((checklist) => [checklist.title, checklist.items.map((item) => item.text)]),
    ).toEqual([['Go live', ['review it', 'ship']]]);
    expect(task.links).toEqual([]);
    const events: BoardEvent[] = [];
    for await (const event of owner.subscribe(boardId, { from: start.seq, transport: 'poll' })) {
      if (event.type === 'reset') continue;
      events.push(event);
      if (event.seq === board.seq) break;
    }
    expect(applyEvents(start, events)).toEqual(board);
    // describeEvent tells each, folding as it goes.
    let folded: Board = start;
    const said = events.map((event) => {
      const sentence = describeEvent(event, folded);
      folded = applyEvents(folded, [event]);
      return sentence;
    });
    expect(said).toContain(`${board.members[0]!.username} checked “write” on “Launch”`);
    const me = board.members[0]!.username;
    expect(said).toContain(
      `${me} renamed the link “Plan” to “Launch plan” and pointed it to https://example.com/launch on “Launch”`,
    );
    expect(said).toContain(`${me} removed “Launch plan” from “Launch”`);
    // Each item names who wrote its text.
    expect(task.checklists[0]!.items.map((item) => item.textBy?.username)).toEqual([me, me]);
  });

  it('typed errors: 404, 400 with the field, 409 limit_reached and version_conflict with conflicts', async () => {
    const { boardId, taskId } = await boardWithTask();
    expect((await apiError(owner.updateItem(boardId, 'item-nothere01', { done: true }))).code).toBe(
      'item_not_found',
    );
    const unsafe = await apiError(owner.addLink(boardId, { taskId, url: 'javascript:alert(1)' }));
    expect([unsafe.status, unsafe.code, unsafe.details.field]).toEqual([400, 'validation_failed', 'url']);
    const full = await owner.addChecklist(boardId, {
      taskId,
      title: 'Full',
      items: Array.from({ length: LIMITS.itemsPerChecklist }, (_, index) => ({ text: `item ${index}` })),
    });
    const limit = await apiError(owner.addItem(boardId, { checklistId: full.data.id, text: 'one more' }));
    expect([limit.status, limit.code]).toEqual([409, 'limit_reached']);
    const item = full.data.items[0]!;
    await owner.updateItem(boardId, item.id, { text: 'theirs', version: 1 });
    const conflict = await apiError(owner.updateItem(boardId, item.id, { text: 'mine', version: 1 }));
    expect(conflict.code).toBe('version_conflict');
    const user = (await owner.me())!;
    expect(conflict.conflicts).toEqual([
      { field: 'text', value: 'theirs', version: 2, by: { userId: user.id, username: user.username } },
    ]);
    const link = await owner.addLink(boardId, { taskId, url: 'https://example.com/plan' });
    const badTitle = await apiError(owner.updateLink(boardId, link.data.id, { title: 'a\u0007' }));
    expect([badTitle.status, badTitle.code, badTitle.details.field]).toEqual([
      400,
      'validation_failed',
      'title',
    ]);
    const badUrl = await apiError(owner.updateLink(boardId, link.data.id, { url: 'file:///etc/passwd' }));
    expect([badUrl.status, badUrl.details.field]).toEqual([400, 'url']);
    expect((await apiError(owner.updateLink(boardId, 'link-nothere01', { title: 'x' }))).code).toBe(
      'link_not_found',
    );
  });

  it('search names the item its words are in', async () => {
    const { boardId, taskId } = await boardWithTask();
    const added = await owner.addChecklist(boardId, {
      taskId,
      title: 'Steps',
      items: [{ text: 'Proofread' }],
    });
    const page = await owner.search(boardId, 'proof');
    expect(page.results).toEqual([
      expect.objectContaining({ taskId, field: 'item', itemId: added.data.items[0]!.id, text: 'Proofread' }),
    ]);
  });
});
