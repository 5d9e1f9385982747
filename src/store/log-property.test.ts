/**
 * The log is the truth: for any sequence of commands sent over the REST API (valid or not), the
 * snapshot at seq N is exactly applyEvents over the board's events 1..N, starting from the board as
 * created; invalid commands change nothing; and the log reads the same after a SIGKILL and restart.
 * Cards too: labels, dates, archive and WIP limits, and two clients (a and b) that each edit from the
 * board as they last fetched it, with its stale versions: a write is refused (409) only when a
 * field it would change was changed after the version it saw, and no accepted write to a field is
 * lost unless a later accepted write to that field came after it.
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
  | 'anonymous_delete'
  | 'unsafe_link'
  | 'unsafe_link_edit'
  | 'item_control_char'
  | 'foreign_checklist';

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
  | { kind: 'invalid'; variant: Invalid; pick: number }
  | { kind: 'create_label'; name: string; color: string | null }
  | { kind: 'delete_label'; pick: number }
  | { kind: 'label_task'; pick: number; label: number; add: boolean }
  | { kind: 'set_due'; pick: number; day: number | null; done: boolean }
  | { kind: 'archive_task'; pick: number; archived: boolean }
  | { kind: 'set_wip'; pick: number; limit: number | null; hard: boolean }
  | { kind: 'add_checklist'; pick: number; title: string; items: string[] }
  | { kind: 'tick_item'; pick: number; done: boolean }
  | { kind: 'edit_item'; pick: number; text: string; client: Client | null }
  | { kind: 'move_item'; pick: number; target: number; place: Place }
  | { kind: 'delete_item'; pick: number }
  | { kind: 'delete_checklist'; pick: number }
  | { kind: 'add_link'; pick: number; path: string; title: string | undefined }
  | { kind: 'edit_link'; pick: number; path: string | undefined; title: string | undefined }
  | { kind: 'remove_link'; pick: number }
  | { kind: 'refresh'; client: Client }
  | { kind: 'stale_edit'; client: Client; pick: number; field: EditedField; value: string };

type Client = 'a' | 'b';
/** The fields the two clients edit from what they last saw. */
type EditedField = 'title' | 'description' | 'dueAt';

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
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('create_label' as const),
      name: fc.stringMatching(/^[a-z ]{0,8}$/),
      color: fc.constantFrom('green', 'sky_light', 'black_dark', null),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete_label' as const), pick }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('label_task' as const), pick, label: pick, add: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('set_due' as const),
      pick,
      day: fc.option(fc.integer({ min: 1, max: 28 }), { nil: null }),
      done: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('archive_task' as const), pick, archived: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('set_wip' as const),
      pick,
      limit: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
      hard: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('refresh' as const),
      client: fc.constantFrom<Client>('a', 'b'),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('stale_edit' as const),
      client: fc.constantFrom<Client>('a', 'b'),
      pick,
      field: fc.constantFrom<EditedField>('title', 'description', 'dueAt'),
      value: fc.constantFrom('one', 'two', 'three'),
    }),
  },
  // Checklists and links: made, ticked (set, never toggled), edited (from what a client saw, or not),
  // moved within and between a card's checklists, deleted.
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('add_checklist' as const),
      pick,
      title,
      items: fc.array(title, { maxLength: 3 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tick_item' as const), pick, done: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('edit_item' as const),
      pick,
      text: title,
      client: fc.constantFrom<Client | null>('a', 'b', null),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('move_item' as const), pick, target: pick, place }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete_item' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete_checklist' as const), pick }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('add_link' as const),
      pick,
      path: fc.stringMatching(/^[a-z0-9/]{0,12}$/),
      title: fc.option(title, { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('edit_link' as const),
      pick,
      path: fc.option(fc.stringMatching(/^[a-z0-9/]{0,12}$/), { nil: undefined }),
      // A title taken off ('') too.
      title: fc.option(fc.oneof(title, fc.constant('')), { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove_link' as const), pick }) },
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
        'unsafe_link',
        'unsafe_link_edit',
        'item_control_char',
        'foreign_checklist',
      ),
      pick,
    }),
  },
);

interface Request {
  method: string;
  path: string;
  options: RequestOptions;
  /**
   * False when the request must be refused (4xx) and change nothing; `maybe` when the board decides
   * (a WIP limit, a label limit, a stale version): either a write, or a 409 that changes nothing.
   */
  valid: boolean | 'maybe';
  /** A client's edit of one field from the version it saw. */
  edit?: { taskId: string; field: EditedField; seen: number; value: string };
  /** A client's edit of an item's text from the item's version it saw. */
  itemEdit?: { itemId: string; seen: number };
}

/** The board as each client last fetched it: what its stale edits are based on. */
const seenBy = new Map<Client, Board>();
/** Each task's fields as the last accepted write to them left them, and the version of that write. */
const lastWrites = new Map<string, { value: unknown; version: number }>();
const fieldKey = (taskId: string, field: string): string => `${taskId} ${field}`;
/**
 * Every run starts with both outcomes of a stale edit, so the property never passes without them:
 * client a fetches the board, someone renames the task, then a edits the title from what it saw
 * (refused: the title changed after) and the description (accepted, though the task moved on).
 */
const STALE_EDITS: Command[] = [
  { kind: 'create_list', title: 'Stale', place: { how: 'end' } },
  { kind: 'create_task', pick: 0, title: 'Seen', description: undefined, place: { how: 'end' } },
  { kind: 'refresh', client: 'a' },
  { kind: 'edit_task', pick: 0, title: 'Renamed meanwhile', description: undefined, withVersion: false },
  { kind: 'stale_edit', client: 'a', pick: 0, field: 'title', value: 'one' },
  { kind: 'stale_edit', client: 'a', pick: 0, field: 'description', value: 'two' },
];

/**
 * Then a checklist on that card, and both outcomes of an item edit from what client b saw: the first
 * item's text changed meanwhile (refused), the second's did not though the first was ticked (accepted).
 */
const STALE_ITEM_EDITS: Command[] = [
  { kind: 'add_checklist', pick: 0, title: 'Steps', items: ['one', 'two'] },
  { kind: 'refresh', client: 'b' },
  { kind: 'edit_item', pick: 0, text: 'uno', client: null },
  { kind: 'tick_item', pick: 0, done: true },
  { kind: 'edit_item', pick: 0, text: 'eins', client: 'b' },
  { kind: 'edit_item', pick: 1, text: 'dos', client: 'b' },
];

/** How the stale edits went over all runs: the property must have seen both outcomes to mean anything. */
const staleEdits = { refused: 0, acceptedBehind: 0, itemRefused: 0, itemAccepted: 0 };

const allTasks = (board: Board): Task[] => board.lists.flatMap((list) => list.tasks);
const allChecklists = (board: Board) =>
  allTasks(board).flatMap((task) => task.checklists.map((checklist) => ({ task, checklist })));
const allItems = (board: Board) =>
  allChecklists(board).flatMap(({ task, checklist }) =>
    checklist.items.map((item) => ({ task, checklist, item })),
  );
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
      return {
        method: 'POST',
        path: `${base}/tasks`,
        options: { json },
        valid: list.wipHard ? 'maybe' : true,
      };
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
      // A list with a hard WIP limit may be full.
      return { method: 'PATCH', path: `${base}/tasks/${task.id}`, options: { json }, valid: 'maybe' };
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
    default:
      return cardRequest(board, cmd, unknownTask);
  }
}

/** The card commands: labels, dates, archive, WIP limits, and the two clients' stale edits. */
function cardRequest(board: Board, cmd: Command, unknownTask: Request): Request {
  const base = `/boards/${board.id}`;
  const tasks = allTasks(board);
  const patchTask = (taskId: string, json: object, valid: Request['valid'] = true): Request => ({
    method: 'PATCH',
    path: `${base}/tasks/${taskId}`,
    options: { json },
    valid,
  });
  switch (cmd.kind) {
    case 'create_label':
      return {
        method: 'POST',
        path: `${base}/labels`,
        options: { json: { name: cmd.name, color: cmd.color } },
        valid: true,
      };
    case 'delete_label': {
      const label = at(board.labels, cmd.pick);
      if (!label)
        return { method: 'DELETE', path: `${base}/labels/label-missing`, options: {}, valid: false };
      return { method: 'DELETE', path: `${base}/labels/${label.id}`, options: {}, valid: true };
    }
    case 'label_task': {
      const task = at(tasks, cmd.pick);
      if (!task) return unknownTask;
      const label = at(board.labels, cmd.label);
      if (!label) return patchTask(task.id, { labels: { add: ['label-missing'] } }, false);
      return patchTask(task.id, { labels: cmd.add ? { add: [label.id] } : { remove: [label.id] } });
    }
    case 'set_due': {
      const task = at(tasks, cmd.pick);
      if (!task) return unknownTask;
      if (cmd.day === null) return patchTask(task.id, { dueAt: null });
      const dueAt = `2026-12-${String(cmd.day).padStart(2, '0')}T17:00:00Z`;
      // A start after the new due date is refused, and rightly so.
      const valid = task.startAt !== null && task.startAt > dueAt ? false : true;
      return patchTask(task.id, { dueAt, dueComplete: cmd.done }, valid);
    }
    case 'archive_task': {
      const task = at(tasks, cmd.pick);
      if (!task) return unknownTask;
      // Restoring into a full hard-limited list is refused.
      return patchTask(task.id, { archived: cmd.archived }, 'maybe');
    }
    case 'set_wip': {
      const list = at(board.lists, cmd.pick);
      if (!list)
        return {
          method: 'PATCH',
          path: `${base}/lists/list-missing`,
          options: { json: { wipHard: true } },
          valid: false,
        };
      return {
        method: 'PATCH',
        path: `${base}/lists/${list.id}`,
        options: { json: { wipLimit: cmd.limit, wipHard: cmd.hard } },
        valid: true,
      };
    }
    case 'add_checklist': {
      const task = at(tasks, cmd.pick);
      if (!task) return unknownTask;
      return {
        method: 'POST',
        path: `${base}/checklists`,
        options: { json: { taskId: task.id, title: cmd.title, items: cmd.items.map((text) => ({ text })) } },
        valid: true,
      };
    }
    case 'tick_item':
    case 'edit_item':
    case 'move_item':
    case 'delete_item': {
      const found = at(allItems(board), cmd.pick);
      if (!found) return { method: 'DELETE', path: `${base}/items/item-missing`, options: {}, valid: false };
      const path = `${base}/items/${found.item.id}`;
      if (cmd.kind === 'delete_item') return { method: 'DELETE', path, options: {}, valid: true };
      if (cmd.kind === 'tick_item')
        return { method: 'PATCH', path, options: { json: { done: cmd.done } }, valid: true };
      if (cmd.kind === 'edit_item') {
        // From the version a client last saw (refused only if the text changed since), or without one.
        if (cmd.client === null)
          return { method: 'PATCH', path, options: { json: { text: cmd.text } }, valid: true };
        const seen = seenBy.get(cmd.client);
        const version = seen
          ? (allItems(seen).find((entry) => entry.item.id === found.item.id)?.item.version ?? 1)
          : found.item.version;
        return {
          method: 'PATCH',
          path,
          options: { json: { text: cmd.text, version } },
          valid: 'maybe',
          itemEdit: { itemId: found.item.id, seen: version },
        };
      }
      // To a checklist of the same card (a full one refuses), placed among its items.
      const target = at(found.task.checklists, cmd.target)!;
      const siblings = target.items.filter((other) => other.id !== found.item.id);
      const json = { checklistId: target.id, ...placement(siblings, cmd.place) };
      return { method: 'PATCH', path, options: { json }, valid: true };
    }
    case 'delete_checklist': {
      const found = at(allChecklists(board), cmd.pick);
      if (!found)
        return { method: 'DELETE', path: `${base}/checklists/checklist-missing`, options: {}, valid: false };
      return { method: 'DELETE', path: `${base}/checklists/${found.checklist.id}`, options: {}, valid: true };
    }
    case 'add_link': {
      const task = at(tasks, cmd.pick);
      if (!task) return unknownTask;
      const json = {
        taskId: task.id,
        url: `https://example.com/${cmd.path}`,
        ...(cmd.title === undefined ? {} : { title: cmd.title }),
      };
      return { method: 'POST', path: `${base}/links`, options: { json }, valid: true };
    }
    case 'edit_link': {
      const link = at(
        tasks.flatMap((task) => task.links),
        cmd.pick,
      );
      if (!link) {
        const json = { title: 'x' };
        return { method: 'PATCH', path: `${base}/links/link-missing`, options: { json }, valid: false };
      }
      // Neither given: its own title again, a write that changes nothing.
      const json = {
        ...(cmd.path === undefined ? {} : { url: `https://example.com/${cmd.path}` }),
        ...(cmd.title === undefined && cmd.path !== undefined ? {} : { title: cmd.title ?? link.title }),
      };
      return { method: 'PATCH', path: `${base}/links/${link.id}`, options: { json }, valid: true };
    }
    case 'remove_link': {
      const link = at(
        tasks.flatMap((task) => task.links),
        cmd.pick,
      );
      if (!link) return { method: 'DELETE', path: `${base}/links/link-missing`, options: {}, valid: false };
      return { method: 'DELETE', path: `${base}/links/${link.id}`, options: {}, valid: true };
    }
    case 'refresh':
      return { method: 'GET', path: base, options: {}, valid: true };
    case 'stale_edit': {
      const task = at(tasks, cmd.pick);
      if (!task) return unknownTask;
      // The version the client last saw: as it fetched the board, or else as the task was created.
      const seen = allTasks(seenBy.get(cmd.client) ?? board).find((candidate) => candidate.id === task.id);
      const version = seen && seenBy.has(cmd.client) ? seen.version : 1;
      const value =
        cmd.field === 'dueAt' ? `2026-12-0${cmd.value.length}T17:00:00Z` : `${cmd.value} by ${cmd.client}`;
      const valid = cmd.field === 'dueAt' && task.startAt !== null && task.startAt > value ? false : 'maybe';
      return {
        ...patchTask(task.id, { [cmd.field]: value, version }, valid),
        edit: { taskId: task.id, field: cmd.field, seen: version, value },
      };
    }
    default:
      throw new Error(`not a card command: ${cmd.kind}`);
  }
}

/** The value a field holds once written (dates come back in UTC). */
function stored(field: string, value: unknown): unknown {
  return field === 'dueAt' && typeof value === 'string' ? new Date(value).toISOString() : value;
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
    case 'unsafe_link':
      if (!task) return unknownTask;
      return refused('POST', `${base}/links`, { json: { taskId: task.id, url: 'javascript:alert(1)' } });
    case 'unsafe_link_edit': {
      const link = at(
        allTasks(board).flatMap((each) => each.links),
        index,
      );
      if (!link) return unknownTask;
      return refused('PATCH', `${base}/links/${link.id}`, { json: { url: 'data:text/html,x' } });
    }
    case 'item_control_char': {
      const found = at(allItems(board), index);
      if (!found) return unknownTask;
      return refused('PATCH', `${base}/items/${found.item.id}`, { json: { text: 'a\u0007b' } });
    }
    case 'foreign_checklist': {
      // An item moved to a checklist of another card: 404, nothing changes.
      const found = at(allItems(board), index);
      const other = allChecklists(board).find((entry) => entry.task.id !== found?.task.id);
      if (!found || !other) return unknownTask;
      return refused('PATCH', `${base}/items/${found.item.id}`, {
        json: { checklistId: other.checklist.id },
      });
    }
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
  seenBy.clear();
  lastWrites.clear();
  const snapshots: Board[] = [created];
  for (const cmd of commands) {
    const request = toRequest(current, cmd);
    const response = await api.call(request.method, request.path, request.options);
    const next = await api.snapshot(created.id);
    const what = describeResponse(request, response);
    if (request.itemEdit) {
      // Refused exactly when the item's text changed after the version the client saw.
      const item = allItems(current).find((entry) => entry.item.id === request.itemEdit!.itemId)!.item;
      const changedSince = item.version !== request.itemEdit.seen;
      expect(response.status === 409, what).toBe(changedSince);
      if (changedSince) staleEdits.itemRefused++;
      else staleEdits.itemAccepted++;
    }
    if (cmd.kind === 'refresh') {
      expect(response.status, what).toBe(200);
      seenBy.set(cmd.client, next);
      expect(next).toEqual(current);
    } else if (request.valid === true || (request.valid === 'maybe' && response.status < 300)) {
      expect(response.status, what).toBeGreaterThanOrEqual(200);
      expect(response.status, what).toBeLessThan(300);
      // A write is one event, or, when it would change nothing (a move to where the item is, a
      // rename to its own title), no event and no change at all.
      if (boardSeqOf(response) === current.seq) {
        expect(response.status, what).toBe(200);
        expect(next, `a write without an event changed the board: ${what}`).toEqual(current);
      } else {
        expect(boardSeqOf(response), what).toBe(current.seq + 1);
        expect(next.seq).toBe(current.seq + 1);
        snapshots.push(next);
      }
      if (request.edit) {
        const task = allTasks(current).find((candidate) => candidate.id === request.edit!.taskId);
        if (task && task.version > request.edit.seen) staleEdits.acceptedBehind++;
        // Accepted from a stale version: nobody changed this field after the version the client saw.
        const last = lastWrites.get(fieldKey(request.edit.taskId, request.edit.field));
        expect(
          last === undefined ||
            last.version <= request.edit.seen ||
            last.value === stored(request.edit.field, request.edit.value),
          what,
        ).toBe(true);
      }
      recordWrites(current, next);
    } else {
      expect(response.status, what).toBeGreaterThanOrEqual(400);
      expect(response.status, what).toBeLessThan(500);
      if (request.valid === 'maybe') expect(response.status, what).toBe(409);
      if (request.edit && response.status === 409) {
        staleEdits.refused++;
        // Refused from a stale version: someone changed this very field after the version it saw.
        const last = lastWrites.get(fieldKey(request.edit.taskId, request.edit.field));
        expect(last !== undefined && last.version > request.edit.seen, what).toBe(true);
      }
      expect(next, `refused request changed the board: ${what}`).toEqual(current);
    }
    current = next;
  }
  // No accepted write to a field is lost: each field holds what its last accepted write set.
  for (const task of allTasks(current)) {
    for (const field of ['title', 'description', 'dueAt'] as const) {
      const last = lastWrites.get(fieldKey(task.id, field));
      if (last) expect(task[field], `${task.id} ${field}`).toEqual(last.value);
    }
  }
  return { created, snapshots };
}

/** Notes, for every task field a write changed, its new value and the task's version that set it. */
function recordWrites(before: Board, after: Board): void {
  const previous = new Map(allTasks(before).map((task) => [task.id, task]));
  for (const task of allTasks(after)) {
    const old = previous.get(task.id);
    for (const field of ['title', 'description', 'dueAt'] as const) {
      if (!old || old[field] !== task[field]) {
        lastWrites.set(fieldKey(task.id, field), { value: task[field], version: task.version });
      }
    }
  }
}

describe('the event log', () => {
  it('folds into the snapshot at every seq (applyEvents over events 1..N), and refused commands change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 30, size: 'max' }), async (drawn) => {
        const commands = [...STALE_EDITS, ...STALE_ITEM_EDITS, ...drawn];
        const { created, snapshots } = await runCommands(commands);
        const events = await api.events(created.id);
        const finalSeq = snapshots.at(-1)!.seq;
        expect(events.map((event) => event.seq)).toEqual(Array.from({ length: finalSeq }, (_, i) => i + 1));
        // Every event that is about a task carries what changed, never the whole task again.
        for (const event of events) {
          if (event.type === 'task_updated' || event.type === 'task_moved')
            expect('task' in event).toBe(false);
        }
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
    expect(staleEdits.refused, 'stale edits refused').toBeGreaterThan(0);
    expect(staleEdits.acceptedBehind, 'edits accepted from behind the task').toBeGreaterThan(0);
    expect(staleEdits.itemRefused, 'stale item edits refused').toBeGreaterThan(0);
    expect(staleEdits.itemAccepted, 'item edits accepted').toBeGreaterThan(0);
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
