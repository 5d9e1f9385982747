import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS, type Board, type ErrorCode } from '../domain/index.js';
import { testUser, type ErrorBody, type RequestOptions } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';

const live = useServer();

/** Board A (lists la1, la2; tasks ta1, ta2 in la1) and board B (list lb1 with task tb1). */
const ids = { a: '', la1: '', la2: '', ta1: '', ta2: '', b: '', lb1: '', tb1: '' };
/** The boards' owner (they are public_edit: anyone changes their lists and tasks; only the owner renames). */
const asOwner: Record<string, string> = {};

beforeAll(async () => {
  asOwner.authorization = `Bearer ${(await testUser(live.server.url)).token}`;
  ids.a = (await live.api.createBoard('A')).id;
  ids.la1 = (await live.api.createList(ids.a, 'la1')).id;
  ids.la2 = (await live.api.createList(ids.a, 'la2')).id;
  ids.ta1 = (await live.api.createTask(ids.a, ids.la1, 'ta1')).id;
  ids.ta2 = (await live.api.createTask(ids.a, ids.la1, 'ta2')).id;
  ids.b = (await live.api.createBoard('B')).id;
  ids.lb1 = (await live.api.createList(ids.b, 'lb1')).id;
  ids.tb1 = (await live.api.createTask(ids.b, ids.lb1, 'tb1')).id;
});

interface BadRequest {
  name: string;
  method: string;
  path: () => string;
  options: () => RequestOptions;
  status: number;
  code: ErrorCode;
  /** The request field the error must name, when there is one. */
  field?: string;
}

const json = (body: unknown) => (): RequestOptions => ({ json: body });
const ownerJson = (body: unknown) => (): RequestOptions => ({ json: body, headers: asOwner });
const A = (): string => `/boards/${ids.a}`;

const badRequests: BadRequest[] = [
  {
    name: 'malformed JSON',
    method: 'POST',
    path: () => `${A()}/tasks`,
    options: () => ({ raw: '{"listId": "x", "title": ', headers: { 'content-type': 'application/json' } }),
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'malformed JSON on a PATCH',
    method: 'PATCH',
    path: () => `${A()}/tasks/${ids.ta1}`,
    options: () => ({ raw: '{title: nope}', headers: { 'content-type': 'application/json' } }),
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'a title that is a number',
    method: 'POST',
    path: () => `${A()}/lists`,
    options: json({ title: 42 }),
    status: 400,
    code: 'validation_failed',
    field: 'title',
  },
  {
    name: 'a listId that is a number',
    method: 'POST',
    path: () => `${A()}/tasks`,
    options: json({ listId: 7, title: 'x' }),
    status: 400,
    code: 'validation_failed',
    field: 'listId',
  },
  {
    name: 'a missing listId',
    method: 'POST',
    path: () => `${A()}/tasks`,
    options: json({ title: 'x' }),
    status: 400,
    code: 'validation_failed',
    field: 'listId',
  },
  {
    name: 'a description that is an array',
    method: 'POST',
    path: () => `${A()}/tasks`,
    options: () => ({ json: { listId: ids.la1, title: 'x', description: ['a'] } }),
    status: 400,
    code: 'validation_failed',
    field: 'description',
  },
  {
    name: 'a version that is a string',
    method: 'PATCH',
    path: () => `${A()}/tasks/${ids.ta1}`,
    options: json({ title: 'x', version: 'one' }),
    status: 400,
    code: 'validation_failed',
    field: 'version',
  },
  {
    name: 'a body that is a JSON array',
    method: 'POST',
    path: () => `${A()}/lists`,
    options: json([{ title: 'x' }]),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a missing board title',
    method: 'PATCH',
    path: A,
    options: ownerJson({}),
    status: 400,
    code: 'validation_failed',
    field: 'title',
  },
  {
    name: 'a blank title',
    method: 'PATCH',
    path: () => `${A()}/tasks/${ids.ta1}`,
    options: json({ title: '   ' }),
    status: 400,
    code: 'validation_failed',
    field: 'title',
  },
  {
    name: 'a title over 200 characters',
    method: 'PATCH',
    path: A,
    options: ownerJson({ title: 'x'.repeat(201) }),
    status: 400,
    code: 'validation_failed',
    field: 'title',
  },
  {
    name: 'a body over 64 KiB',
    method: 'POST',
    path: () => `${A()}/tasks`,
    options: () => ({ json: { listId: ids.la1, title: 'big', description: 'x'.repeat(70 * 1024) } }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'a text/plain body',
    method: 'POST',
    path: () => `${A()}/lists`,
    options: () => ({ raw: JSON.stringify({ title: 'x' }), headers: { 'content-type': 'text/plain' } }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a form-encoded body',
    method: 'PATCH',
    path: () => `${A()}/tasks/${ids.ta1}`,
    options: () => ({ raw: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'beforeId and afterId together',
    method: 'POST',
    path: () => `${A()}/tasks`,
    options: () => ({ json: { listId: ids.la1, title: 'x', beforeId: ids.ta1, afterId: ids.ta2 } }),
    status: 400,
    code: 'invalid_position',
  },
  {
    name: 'a task placed relative to itself',
    method: 'PATCH',
    path: () => `${A()}/tasks/${ids.ta1}`,
    options: () => ({ json: { beforeId: ids.ta1 } }),
    status: 400,
    code: 'invalid_position',
  },
  {
    name: 'a listId from another board',
    method: 'POST',
    path: () => `${A()}/tasks`,
    options: () => ({ json: { listId: ids.lb1, title: 'x' } }),
    status: 404,
    code: 'list_not_found',
    field: 'listId',
  },
  {
    name: 'a beforeId from another board',
    method: 'POST',
    path: () => `${A()}/tasks`,
    options: () => ({ json: { listId: ids.la1, title: 'x', beforeId: ids.tb1 } }),
    status: 400,
    code: 'invalid_position',
    field: 'beforeId',
  },
  {
    name: 'a list moved after a list of another board',
    method: 'PATCH',
    path: () => `${A()}/lists/${ids.la1}`,
    options: () => ({ json: { afterId: ids.lb1 } }),
    status: 400,
    code: 'invalid_position',
    field: 'afterId',
  },
  {
    name: "a task moved to another board's list",
    method: 'PATCH',
    path: () => `${A()}/tasks/${ids.ta1}`,
    options: () => ({ json: { listId: ids.lb1 } }),
    status: 404,
    code: 'list_not_found',
  },
  {
    name: "another board's task, patched through this board",
    method: 'PATCH',
    path: () => `${A()}/tasks/${ids.tb1}`,
    options: json({ title: 'hijack' }),
    status: 404,
    code: 'task_not_found',
  },
  {
    name: "another board's task, deleted through this board",
    method: 'DELETE',
    path: () => `${A()}/tasks/${ids.tb1}`,
    options: () => ({}),
    status: 404,
    code: 'task_not_found',
  },
  {
    name: "another board's list, deleted through this board",
    method: 'DELETE',
    path: () => `${A()}/lists/${ids.lb1}`,
    options: () => ({}),
    status: 404,
    code: 'list_not_found',
  },
  {
    name: "another board's list, renamed through this board",
    method: 'PATCH',
    path: () => `${A()}/lists/${ids.lb1}`,
    options: json({ title: 'hijack' }),
    status: 404,
    code: 'list_not_found',
  },
  {
    name: 'a stale version',
    method: 'PATCH',
    path: () => `${A()}/tasks/${ids.ta1}`,
    options: json({ title: 'late', version: 99 }),
    status: 409,
    code: 'version_conflict',
  },
  {
    name: 'a URL with bad percent-encoding',
    method: 'PATCH',
    path: () => `${A()}/tasks/%E0%A4%A`,
    options: json({ title: 'x' }),
    status: 400,
    code: 'validation_failed',
    field: 'url',
  },
  {
    name: 'a poll URL with bad percent-encoding',
    method: 'GET',
    path: () => '/boards/%E0%A4%A/poll',
    options: () => ({}),
    status: 400,
    code: 'validation_failed',
    field: 'url',
  },
  {
    name: 'a rename without credentials (anyone edits a public_edit board, only members rename it)',
    method: 'PATCH',
    path: A,
    options: json({ title: 'x' }),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'a board made without credentials',
    method: 'POST',
    path: () => '/boards',
    options: json({ title: 'x' }),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'an unknown board',
    method: 'POST',
    path: () => '/boards/board-unknown0000/lists',
    options: json({ title: 'x' }),
    status: 404,
    code: 'board_not_found',
  },
];

async function bothBoards(): Promise<{ a: Board; b: Board; eventsA: number; eventsB: number }> {
  const [a, b, eventsA, eventsB] = await Promise.all([
    live.api.snapshot(ids.a),
    live.api.snapshot(ids.b),
    live.api.events(ids.a),
    live.api.events(ids.b),
  ]);
  return { a, b, eventsA: eventsA.length, eventsB: eventsB.length };
}

describe('bad requests', () => {
  it.each(badRequests.map((bad) => [bad.name, bad] as const))(
    '%s is a JSON error with its status and code, and leaves both boards unchanged',
    async (_name, bad) => {
      const before = await bothBoards();
      const response = await live.api.call<ErrorBody>(bad.method, bad.path(), bad.options());
      expect(response.status, response.text).toBe(bad.status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.body.error, response.text).toMatchObject({ code: bad.code });
      expect(ERROR_STATUS[bad.code]).toBe(bad.status);
      expect(typeof response.body.error.message).toBe('string');
      expect(response.body.error.message.length).toBeGreaterThan(0);
      if (bad.field !== undefined) {
        // The field may be given bare (`title`) or as a path (`body/title`).
        expect(response.body.error.field, response.text).toMatch(new RegExp(`(^|/)${bad.field}$`));
      }
      expect(response.headers.get('board-seq')).toBeNull();
      const after = await bothBoards();
      expect(after).toEqual(before);
    },
  );
});
