/**
 * The log is the truth: for any sequence of commands sent over the REST API (valid or not), the
 * snapshot at seq N is exactly applyEvents over the board's events 1..N, starting from the board as
 * created; invalid commands change nothing; and the log reads the same after a SIGKILL and restart.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEvents, emptyBoard, type Board, type BoardEvent, type Task } from '../domain/index.js';
import {
  apiClient,
  boardSeqOf,
  testUser,
  type ApiClient,
  type ApiResponse,
  type RequestOptions,
  type TestUser,
} from '../../test/support/http.js';
import { startServer, type TestServer } from '../../test/support/server.js';

let server: TestServer;
let api: ApiClient;
/** Who makes the boards (public_edit: the commands change lists and tasks anonymously; the owner renames). */
let owner: TestUser;
const asOwner = (options: RequestOptions): RequestOptions => ({
  ...options,
  headers: { ...options.headers, authorization: `Bearer ${owner.token}` },
});
/** A property board as POST /boards makes it: public_edit (see api.createBoard), its maker its owner. */
const asCreated = (board: Pick<Board, 'id' | 'title' | 'createdAt'>): Board =>
  emptyBoard({
    id: board.id,
    title: board.title,
    createdAt: board.createdAt,
    visibility: 'public_edit',
    listed: false,
    members: [{ userId: owner.id, username: owner.username, role: 'owner' }],
  });
/** A second board whose ids the commands try to use where they do not belong. */
const foreign = { boardId: '', listId: '', taskId: '' };
/** Every board the property made, with its log as read at the end of its run. */
const logs = new Map<string, BoardEvent[]>();

beforeAll(async () => {
  server = await startServer();
  api = apiClient(server.url);
  owner = await testUser(server.url);
  const board = await api.createBoard('Foreign');
  const list = await api.createList(board.id, 'Foreign list');
  const task = await api.createTask(board.id, list.id, 'Foreign task');
  Object.assign(foreign, { boardId: board.id, listId: list.id, taskId: task.id });
});

afterAll(async () => {
  await server?.dispose();
});

type Place = { how: 'end' } | { how: 'before' | 'after'; pick: number };
type Invalid =
  | 'blank_title'
  | 'long_title'
  | 'foreign_list'
  | 'foreign_task'
  | 'stale_version'
  | 'malformed_json'
  | 'wrong_type'
  | 'both_placements'
  | 'unknown_task'
  | 'unknown_list'
  | 'anonymous_rename'
  | 'anonymous_delete';

type Command =
  | { kind: 'create_list'; title: string; place: Place }
  | { kind: 'rename_list'; pick: number; title: string }
  | { kind: 'move_list'; pick: number; place: Place }
  | { kind: 'delete_list'; pick: number }
  | { kind: 'create_task'; pick: number; title: string; description: string | undefined; place: Place }
  | {
      kind: 'edit_task';
      pick: number;
      title: string | undefined;
      description: string | undefined;
      withVersion: boolean;
    }
  | { kind: 'move_task'; pick: number; target: number; place: Place; withVersion: boolean }
  | { kind: 'delete_task'; pick: number }
  | { kind: 'rename_board'; title: string }
  | { kind: 'invalid'; variant: Invalid; pick: number };

const title = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
  .map((text) => (text.trim() ? text : 'x'));
const pick = fc.nat(1000);
const place: fc.Arbitrary<Place> = fc.oneof(
  fc.constant({ how: 'end' as const }),
  fc.record({ how: fc.constantFrom('before' as const, 'after' as const), pick }),
);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create_list' as const), title, place }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename_list' as const), pick, title }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move_list' as const), pick, place }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete_list' as const), pick }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('create_task' as const),
      pick,
      title,
      description: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
      place,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('edit_task' as const),
      pick,
      title: fc.option(title, { nil: undefined }),
      description: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
      withVersion: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('move_task' as const),
      pick,
      target: pick,
      place,
      withVersion: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete_task' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename_board' as const), title }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('invalid' as const),
      variant: fc.constantFrom<Invalid>(
        'blank_title',
        'long_title',
        'foreign_list',
        'foreign_task',
        'stale_version',
        'malformed_json',
        'wrong_type',
        'both_placements',
        'unknown_task',
        'unknown_list',
        'anonymous_rename',
        'anonymous_delete',
      ),
      pick,
    }),
  },
);

interface Request {
  method: string;
  path: string;
  options: RequestOptions;
  /** False when the request must be refused (4xx) and change nothing. */
  valid: boolean;
}

const allTasks = (board: Board): Task[] => board.lists.flatMap((list) => list.tasks);
const at = <T>(items: readonly T[], index: number): T | undefined =>
  items.length === 0 ? undefined : items[index % items.length];

function placement(
  siblings: readonly { id: string }[],
  chosen: Place,
): { beforeId?: string; afterId?: string } {
  if (chosen.how === 'end') return {};
  const sibling = at(siblings, chosen.pick);
  if (!sibling) return {};
  return chosen.how === 'before' ? { beforeId: sibling.id } : { afterId: sibling.id };
}

/** Turns a generated command into the HTTP request it means on the board as it stands now. */
function toRequest(board: Board, cmd: Command): Request {
  const base = `/boards/${board.id}`;
  const lists = board.lists;
  const tasks = allTasks(board);
  const unknownList: Request = {
    method: 'POST',
    path: `${base}/tasks`,
    options: { json: { listId: 'list-missing', title: 'x' } },
    valid: false,
  };
  const unknownTask: Request = {
    method: 'PATCH',
    path: `${base}/tasks/task-missing`,
    options: { json: { title: 'x' } },
    valid: false,
  };
  switch (cmd.kind) {
    case 'create_list':
      return {
        method: 'POST',
        path: `${base}/lists`,
        options: { json: { title: cmd.title, ...placement(lists, cmd.place) } },
        valid: true,
      };
    case 'rename_list': {
      const list = at(lists, cmd.pick);
      if (!list) return { ...unknownList, path: `${base}/lists/list-missing`, method: 'PATCH' };
      return {
        method: 'PATCH',
        path: `${base}/lists/${list.id}`,
        options: { json: { title: cmd.title } },
        valid: true,
      };
    }
    case 'move_list': {
      const list = at(lists, cmd.pick);
      if (!list) return { ...unknownList, path: `${base}/lists/list-missing`, method: 'PATCH' };
      const siblings = lists.filter((other) => other.id !== list.id);
      // A move needs a neighbour; with none, this is a same-title rename (no change, no event).
      const json =
        siblings.length === 0
          ? { title: list.title }
          : placement(
              siblings,
              cmd.place.how === 'end' ? { how: 'after', pick: siblings.length - 1 } : cmd.place,
            );
      return { method: 'PATCH', path: `${base}/lists/${list.id}`, options: { json }, valid: true };
    }
    case 'delete_list': {
      const list = at(lists, cmd.pick);
      if (!list) return { method: 'DELETE', path: `${base}/lists/list-missing`, options: {}, valid: false };
      return { method: 'DELETE', path: `${base}/lists/${list.id}`, options: {}, valid: true };
    }
    case 'create_task': {
      const list = at(lists, cmd.pick);
      if (!list) return unknownList;
      const json = {
        listId: list.id,
        title: cmd.title,
        ...(cmd.description === undefined ? {} : { description: cmd.description }),
        ...placement(list.tasks, cmd.place),
      };
      return { method: 'POST', path: `${base}/tasks`, options: { json }, valid: true };
    }
    case 'edit_task': {
      const task = at(tasks, cmd.pick);
      if (!task) return unknownTask;
      const json = {
        // A PATCH says something: the title, when neither text field was drawn.
        ...(cmd.title === undefined && cmd.description === undefined ? { title: task.title } : {}),
        ...(cmd.title === undefined ? {} : { title: cmd.title }),
        ...(cmd.description === undefined ? {} : { description: cmd.description }),
        ...(cmd.withVersion ? { version: task.version } : {}),
      };
      return { method: 'PATCH', path: `${base}/tasks/${task.id}`, options: { json }, valid: true };
    }
    case 'move_task': {
      const task = at(tasks, cmd.pick);
      const target = at(lists, cmd.target);
      if (!task || !target) return unknownTask;
      const siblings = target.tasks.filter((other) => other.id !== task.id);
      const json = {
        listId: target.id,
        ...placement(siblings, cmd.place),
        ...(cmd.withVersion ? { version: task.version } : {}),
      };
      return { method: 'PATCH', path: `${base}/tasks/${task.id}`, options: { json }, valid: true };
    }
    case 'delete_task': {
      const task = at(tasks, cmd.pick);
      if (!task) return { method: 'DELETE', path: `${base}/tasks/task-missing`, options: {}, valid: false };
      return { method: 'DELETE', path: `${base}/tasks/${task.id}`, options: {}, valid: true };
    }
    case 'rename_board':
      return { method: 'PATCH', path: base, options: asOwner({ json: { title: cmd.title } }), valid: true };
    case 'invalid':
      return invalidRequest(board, cmd.variant, cmd.pick, unknownList, unknownTask);
  }
}

function invalidRequest(
  board: Board,
  variant: Invalid,
  index: number,
  unknownList: Request,
  unknownTask: Request,
) {
  const base = `/boards/${board.id}`;
  const list = at(board.lists, index);
  const task = at(allTasks(board), index);
  const refused = (method: string, path: string, options: RequestOptions): Request => ({
    method,
    path,
    options,
    valid: false,
  });
  switch (variant) {
    case 'blank_title':
      return refused('POST', `${base}/lists`, { json: { title: '  ' } });
    case 'long_title':
      return refused('PATCH', base, asOwner({ json: { title: 'x'.repeat(201) } }));
    case 'foreign_list':
      return refused('POST', `${base}/tasks`, { json: { listId: foreign.listId, title: 'x' } });
    case 'foreign_task':
      return refused('DELETE', `${base}/tasks/${foreign.taskId}`, {});
    case 'stale_version':
      if (!task) return unknownTask;
      return refused('PATCH', `${base}/tasks/${task.id}`, {
        json: { title: 'stale', version: task.version + 1 },
      });
    case 'malformed_json':
      return refused('POST', `${base}/lists`, {
        raw: '{"title":',
        headers: { 'content-type': 'application/json' },
      });
    case 'wrong_type':
      return refused('POST', `${base}/tasks`, { json: { listId: list?.id ?? 'list-missing', title: 7 } });
    case 'both_placements':
      if (!list || list.tasks.length === 0) return unknownList;
      return refused('POST', `${base}/tasks`, {
        json: { listId: list.id, title: 'x', beforeId: list.tasks[0]!.id, afterId: list.tasks[0]!.id },
      });
    case 'unknown_task':
      return unknownTask;
    case 'unknown_list':
      return unknownList;
    // Anyone changes a public_edit board's lists and tasks, but only its members rename it, its owners delete it.
    case 'anonymous_rename':
      return refused('PATCH', base, { json: { title: 'mine now' } });
    case 'anonymous_delete':
      return refused('DELETE', base, {});
  }
}

function describeResponse(request: Request, response: ApiResponse<unknown>): string {
  return `${request.method} ${request.path} ${JSON.stringify(request.options.json ?? request.options.raw)} → ${response.status} ${response.text}`;
}

/** Runs the commands on a fresh board; returns the board as created and each snapshot it went through. */
async function runCommands(commands: Command[]): Promise<{ created: Board; snapshots: Board[] }> {
  const created = await api.createBoard('Property board');
  expect(created).toEqual(asCreated(created));
  let current = created;
  const snapshots: Board[] = [created];
  for (const cmd of commands) {
    const request = toRequest(current, cmd);
    const response = await api.call(request.method, request.path, request.options);
    const next = await api.snapshot(created.id);
    if (request.valid) {
      expect(response.status, describeResponse(request, response)).toBeGreaterThanOrEqual(200);
      expect(response.status, describeResponse(request, response)).toBeLessThan(300);
      // A write is one event, or, when it would change nothing (a move to where the item is, a
      // rename to its own title), no event and no change at all.
      if (boardSeqOf(response) === current.seq) {
        expect(response.status, describeResponse(request, response)).toBe(200);
        expect(
          next,
          `a write without an event changed the board: ${describeResponse(request, response)}`,
        ).toEqual(current);
      } else {
        expect(boardSeqOf(response), describeResponse(request, response)).toBe(current.seq + 1);
        expect(next.seq).toBe(current.seq + 1);
        snapshots.push(next);
      }
    } else {
      expect(response.status, describeResponse(request, response)).toBeGreaterThanOrEqual(400);
      expect(response.status, describeResponse(request, response)).toBeLessThan(500);
      expect(next, `refused request changed the board: ${describeResponse(request, response)}`).toEqual(
        current,
      );
    }
    current = next;
  }
  return { created, snapshots };
}

describe('the event log', () => {
  it('folds into the snapshot at every seq (applyEvents over events 1..N), and refused commands change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 30, size: 'max' }), async (commands) => {
        const { created, snapshots } = await runCommands(commands);
        const events = await api.events(created.id);
        const finalSeq = snapshots.at(-1)!.seq;
        expect(events.map((event) => event.seq)).toEqual(Array.from({ length: finalSeq }, (_, i) => i + 1));
        // Each event is signed by who sent it: the owner renamed, anonymous clients did the rest.
        const ownerAuthor = { userId: owner.id, username: owner.username };
        for (const event of events) {
          expect(event.by, `by of ${event.type}`).toEqual(
            event.type === 'board_updated' ? ownerAuthor : null,
          );
        }
        const initial = asCreated(created);
        for (const snapshot of snapshots) {
          const folded = applyEvents(
            initial,
            events.filter((event) => event.seq <= snapshot.seq),
          );
          expect(folded, `snapshot at seq ${snapshot.seq}`).toEqual(snapshot);
        }
        logs.set(created.id, events);
      }),
      { numRuns: 20, endOnFailure: true },
    );
    expect(logs.size).toBe(20);
  }, 120_000);

  it('reads back unchanged after SIGKILL and a restart', async () => {
    expect(logs.size, 'the property above must have produced boards').toBeGreaterThan(0);
    await server.kill();
    await server.restart();
    for (const [boardId, events] of logs) {
      expect(await api.events(boardId), `board ${boardId}`).toEqual(events);
      const snapshot = await api.snapshot(boardId);
      const initial = asCreated({ id: boardId, title: 'Property board', createdAt: snapshot.createdAt });
      expect(applyEvents(initial, events)).toEqual(snapshot);
    }
  }, 60_000);
});
