import { EventSource } from 'eventsource';
import { beforeAll, describe, expect, it } from 'vitest';
import { testUser } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';
import {
  COVER_COLORS,
  LABEL_COLORS,
  LIMITS,
  LiveboardApiError,
  LiveboardClient,
  dueStatus,
  filterTasks,
  type Board,
  type StreamMessage,
} from './index.js';

const live = useServer();
let client: LiveboardClient;
let me: { id: string };

beforeAll(async () => {
  const user = await testUser(live.server.url);
  me = user;
  client = new LiveboardClient({ baseUrl: live.server.url, token: user.token, EventSource });
});

async function cardBoard(): Promise<{ boardId: string; listId: string; doingId: string }> {
  const boardId = (await client.createBoard({ title: 'SDK cards' })).data.id;
  const listId = (await client.createList(boardId, { title: 'Todo' })).data.id;
  const doingId = (await client.createList(boardId, { title: 'Doing', wipLimit: 1, wipHard: true })).data.id;
  return { boardId, listId, doingId };
}

describe('the SDK’s cards against a real server', () => {
  it('labels: create, update, delete, each with the seq of its event; a card created with labels and dates', async () => {
    const { boardId, listId } = await cardBoard();
    const bug = await client.createLabel(boardId, { name: 'Bug', color: 'red_dark' });
    expect(bug).toMatchObject({ data: { name: 'Bug', color: 'red_dark', boardId }, seq: 3, replayed: false });
    const renamed = await client.updateLabel(boardId, bug.data.id, { name: 'Defect' });
    expect(renamed).toMatchObject({ data: { name: 'Defect' }, seq: 4 });
    const task = await client.createTask(boardId, {
      listId,
      title: 'Labelled',
      labelIds: [bug.data.id],
      assigneeIds: [me.id],
      dueAt: '2026-12-03T17:00:00Z',
      coverColor: 'pink',
    });
    expect(task.data).toMatchObject({ labelIds: [bug.data.id], assigneeIds: [me.id], coverColor: 'pink' });
    expect(await client.deleteLabel(boardId, bug.data.id)).toEqual({ data: null, seq: 6, replayed: false });
    const board = await client.getBoard(boardId);
    expect(board.labels).toEqual([]);
    expect(board.lists[0]!.tasks[0]!.labelIds).toEqual([]);
  });

  it('a stale PATCH of the same field is a LiveboardApiError with its conflicts; of other fields it lands', async () => {
    const { boardId, listId } = await cardBoard();
    const task = (await client.createTask(boardId, { listId, title: 'Shared' })).data;
    await client.updateTask(boardId, task.id, { description: 'mine', version: 1 });
    const other = await client.updateTask(boardId, task.id, { dueAt: '2026-12-03T17:00:00Z', version: 1 });
    expect(other.data).toMatchObject({ description: 'mine', dueAt: '2026-12-03T17:00:00.000Z', version: 3 });
    const error = await client
      .updateTask(boardId, task.id, { description: 'theirs', version: 1 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LiveboardApiError);
    expect((error as LiveboardApiError).code).toBe('version_conflict');
    expect((error as LiveboardApiError).conflicts).toEqual([
      {
        field: 'description',
        value: 'mine',
        version: 2,
        by: { userId: me.id, username: expect.any(String) },
      },
    ]);
  });

  it('a write that changes nothing resolves with the entity and the current seq', async () => {
    const { boardId, listId } = await cardBoard();
    const task = await client.createTask(boardId, { listId, title: 'Same' });
    const again = await client.updateTask(boardId, task.data.id, { title: 'Same', archived: false });
    expect(again).toEqual({ data: task.data, seq: task.seq, replayed: false });
  });

  it('WIP: a move into a full hard list is wip_limit_reached with limit and count', async () => {
    const { boardId, listId, doingId } = await cardBoard();
    await client.createTask(boardId, { listId: doingId, title: 'In progress' });
    const task = await client.createTask(boardId, { listId, title: 'Waiting' });
    const error = (await client
      .updateTask(boardId, task.data.id, { listId: doingId })
      .catch((caught: unknown) => caught)) as LiveboardApiError;
    expect([error.status, error.code, error.details]).toEqual([
      409,
      'wip_limit_reached',
      { field: 'listId', limit: 1, count: 1 },
    ]);
  });

  it('watchBoard folds the per-field events into the same board the server answers', async () => {
    const { boardId, listId, doingId } = await cardBoard();
    const label = (await client.createLabel(boardId, { name: 'Watched', color: null })).data;
    const states: Array<{ board: Board; cause: StreamMessage | null }> = [];
    const stop = client.watchBoard(boardId, { onBoard: (board, cause) => states.push({ board, cause }) });
    try {
      const deadline = Date.now() + 10_000;
      while (states.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const task = await client.createTask(boardId, { listId, title: 'watched' });
      await client.updateTask(boardId, task.data.id, {
        labels: { add: [label.id] },
        dueAt: '2026-12-03T17:00:00Z',
      });
      await client.updateTask(boardId, task.data.id, { listId: doingId, dueComplete: true });
      await client.deleteLabel(boardId, label.id);
      const final = await client.getBoard(boardId);
      while (states.at(-1)?.board.seq !== final.seq && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(states.slice(1).map((state) => state.cause?.type)).toEqual([
        'task_created',
        'task_updated',
        'task_moved',
        'label_deleted',
      ]);
      expect(states.at(-1)!.board).toEqual(final);
    } finally {
      stop();
    }
  });
});

describe('the SDK’s card helpers', () => {
  it('exports the palettes, the limits, dueStatus and filterTasks', () => {
    expect(LABEL_COLORS).toHaveLength(30);
    expect(COVER_COLORS).toEqual([
      'green',
      'yellow',
      'orange',
      'red',
      'purple',
      'blue',
      'sky',
      'lime',
      'pink',
      'black',
    ]);
    expect(LIMITS).toMatchObject({ descriptionLength: 16_384, labelsPerCard: 50, labelsPerBoard: 1_000 });
    expect(
      dueStatus({ dueAt: '2026-12-01T00:00:00.000Z', dueComplete: false }, new Date('2026-12-02T00:00:00Z')),
    ).toBe('overdue');
    expect(typeof filterTasks).toBe('function');
  });
});
