import { describe, expect, it } from 'vitest';
import { applyEvent, applyEvents } from './apply-event.js';
import type { BoardCommand } from './commands.js';
import { decide, type DecideContext } from './decide.js';
import { describeEvent } from './describe-event.js';
import type { BoardEvent } from './events.js';
import { LIMITS } from './limits.js';
import type { Author, Board } from './model.js';
import { ANA, boardOf, errorOf, NOW, OWNER, stampedEvent, taskOf } from '../../test/support/domain-boards.js';

let counter = 0;
function context(by: Author | null = OWNER): DecideContext {
  return { now: NOW, newId: (kind) => `${kind}-new${++counter}`, by };
}

/** Every event a board was built with, so that the fold can be checked against it. */
const logs = new WeakMap<Board, BoardEvent[]>();

/** decide → stampEvent → applyEvent, as the store does; a no-change leaves the board as it was. */
function run(board: Board, command: BoardCommand, by: Author | null = OWNER): Board {
  const event = eventOf(board, command, by);
  if (event === null) return board;
  const after = applyEvent(board, event);
  logs.set(after, [...(logs.get(board) ?? []), event]);
  return after;
}

const eventOf = (board: Board, command: BoardCommand, by: Author | null = OWNER): BoardEvent | null =>
  stampedEvent(board, command, context(by));

const START = boardOf('board-c', 'Checklists', OWNER, ANA);

/** Two cards; task-1 has the checklist "Launch" (items one, two, three) and "Later" (empty). */
function checklistBoard(): Board {
  let board = run(START, { type: 'create_list', id: 'list-todo', title: 'To do' });
  board = run(board, { type: 'create_task', id: 'task-1', listId: 'list-todo', title: 'One' });
  board = run(board, { type: 'create_task', id: 'task-2', listId: 'list-todo', title: 'Two' });
  board = run(board, {
    type: 'add_checklist',
    taskId: 'task-1',
    id: 'checklist-launch',
    title: 'Launch',
    items: [{ text: 'one' }, { text: 'two', done: true }, { text: 'three' }],
  });
  board = run(board, { type: 'add_checklist', taskId: 'task-1', id: 'checklist-later', title: 'Later' });
  return run(board, { type: 'add_checklist', taskId: 'task-2', id: 'checklist-other', title: 'Other' });
}

const itemsOf = (board: Board, checklistId = 'checklist-launch', taskId = 'task-1') =>
  taskOf(board, taskId).checklists.find((checklist) => checklist.id === checklistId)!.items;
const itemId = (board: Board, text: string): string =>
  taskOf(board)
    .checklists.flatMap((checklist) => checklist.items)
    .find((item) => item.text === text)!.id;

/** The fold of every event the board was built with equals the board. */
function expectFolds(board: Board): void {
  expect(applyEvents(START, logs.get(board) ?? [])).toEqual(board);
}

describe('checklists', () => {
  it('a task starts with no checklists and no links', () => {
    const board = run(run(START, { type: 'create_list', id: 'list-a', title: 'A' }), {
      type: 'create_task',
      id: 'task-1',
      listId: 'list-a',
      title: 'One',
    });
    expect(taskOf(board)).toMatchObject({ checklists: [], links: [] });
  });

  it('adds a checklist with its first items, in order, one event', () => {
    const board = checklistBoard();
    const task = taskOf(board);
    expect(task.checklists.map((checklist) => checklist.title)).toEqual(['Launch', 'Later']);
    expect(itemsOf(board).map((item) => [item.text, item.done, item.version])).toEqual([
      ['one', false, 1],
      ['two', true, 1],
      ['three', false, 1],
    ]);
    const positions = itemsOf(board).map((item) => item.position);
    expect([...positions].sort()).toEqual(positions);
    // A checklist is not a change of the task's own fields: its version stays.
    expect(task.version).toBe(1);
    expect(board.seq).toBe(6);
    expectFolds(board);
  });

  it('checklist_added carries the checklist and its task, nothing else of the card', () => {
    const board = run(checklistBoard(), {
      type: 'update_task',
      taskId: 'task-1',
      description: 'd'.repeat(LIMITS.descriptionLength),
    });
    const event = eventOf(board, { type: 'add_checklist', taskId: 'task-1', title: 'New' })!;
    expect(event).toMatchObject({
      type: 'checklist_added',
      taskId: 'task-1',
      checklist: { title: 'New', items: [] },
    });
    expect(JSON.stringify(event).length).toBeLessThan(400);
  });

  it('renames and reorders a checklist; the same title again is no event', () => {
    let board = checklistBoard();
    expect(
      eventOf(board, { type: 'update_checklist', checklistId: 'checklist-launch', title: ' Launch ' }),
    ).toBeNull();
    const renamed = eventOf(board, {
      type: 'update_checklist',
      checklistId: 'checklist-launch',
      title: 'Go live',
    });
    expect(renamed).toMatchObject({
      type: 'checklist_updated',
      taskId: 'task-1',
      checklistId: 'checklist-launch',
      changes: { title: { from: 'Launch', to: 'Go live' } },
    });
    board = run(board, { type: 'update_checklist', checklistId: 'checklist-launch', title: 'Go live' });
    board = run(board, {
      type: 'update_checklist',
      checklistId: 'checklist-launch',
      afterId: 'checklist-later',
    });
    expect(taskOf(board).checklists.map((checklist) => checklist.title)).toEqual(['Later', 'Go live']);
    // Where it already is: no change.
    expect(
      eventOf(board, {
        type: 'update_checklist',
        checklistId: 'checklist-launch',
        afterId: 'checklist-later',
      }),
    ).toBeNull();
    expectFolds(board);
  });

  it('deletes a checklist with its items', () => {
    const board = run(checklistBoard(), { type: 'delete_checklist', checklistId: 'checklist-launch' });
    expect(taskOf(board).checklists.map((checklist) => checklist.id)).toEqual(['checklist-later']);
    expect(
      errorOf(() => decide(board, { type: 'delete_checklist', checklistId: 'checklist-launch' }, context()))
        .code,
    ).toBe('checklist_not_found');
    expectFolds(board);
  });
});

describe('checklist items', () => {
  it('adds an item at the end or where said', () => {
    let board = checklistBoard();
    board = run(board, {
      type: 'add_item',
      checklistId: 'checklist-launch',
      text: 'four',
      id: 'item-four0001',
    });
    board = run(board, {
      type: 'add_item',
      checklistId: 'checklist-launch',
      text: 'zero',
      beforeId: itemId(board, 'one'),
    });
    expect(itemsOf(board).map((item) => item.text)).toEqual(['zero', 'one', 'two', 'three', 'four']);
    expect(itemsOf(board).at(-1)!.id).toBe('item-four0001');
    expectFolds(board);
  });

  it('sets done (never toggles): a retry is no event', () => {
    let board = checklistBoard();
    const one = itemId(board, 'one');
    const tick = { type: 'update_item', itemId: one, done: true } as const;
    const event = eventOf(board, tick)!;
    expect(event).toEqual({
      type: 'checklist_item_updated',
      seq: board.seq + 1,
      at: NOW,
      by: OWNER,
      taskId: 'task-1',
      checklistId: 'checklist-launch',
      itemId: one,
      version: 1,
      changes: { done: { from: false, to: true } },
    });
    board = run(board, tick);
    expect(eventOf(board, tick)).toBeNull();
    expect(itemsOf(board)[0]).toMatchObject({ done: true, version: 1 });
    board = run(board, { type: 'update_item', itemId: one, done: false });
    expect(itemsOf(board)[0]!.done).toBe(false);
    expectFolds(board);
  });

  it('edits the text against the item’s own version', () => {
    let board = checklistBoard();
    const one = itemId(board, 'one');
    board = run(board, { type: 'update_item', itemId: one, text: 'uno', version: 1 }, ANA);
    expect(itemsOf(board)[0]).toMatchObject({ text: 'uno', version: 2 });
    // A tick from version 1 lands: done never conflicts.
    board = run(board, { type: 'update_item', itemId: one, done: true, version: 1 });
    expect(itemsOf(board)[0]).toMatchObject({ text: 'uno', done: true, version: 2 });
    // A stale text edit is refused, naming the text as it stands.
    const conflict = errorOf(() =>
      decide(board, { type: 'update_item', itemId: one, text: 'eins', version: 1 }, context()),
    );
    expect(conflict.code).toBe('version_conflict');
    // Naming who wrote the text that stands, as a task's field conflicts do.
    expect(conflict.details).toEqual({
      field: 'text',
      currentVersion: 2,
      conflicts: [{ field: 'text', value: 'uno', version: 2, by: ANA }],
    });
    // Without a version, last write wins; with the current one, it lands.
    board = run(board, { type: 'update_item', itemId: one, text: 'eins', version: 2 });
    expect(itemsOf(board)[0]).toMatchObject({ text: 'eins', version: 3 });
    expectFolds(board);
  });

  it('an item keeps who wrote its text: its maker, then whoever rewords it; ticks and moves leave it', () => {
    let board = checklistBoard();
    const one = itemId(board, 'one');
    expect(itemsOf(board).map((item) => item.textBy)).toEqual([OWNER, OWNER, OWNER]);
    board = run(board, { type: 'add_item', checklistId: 'checklist-launch', text: 'four' }, ANA);
    expect(itemsOf(board)[3]!.textBy).toEqual(ANA);
    board = run(board, { type: 'update_item', itemId: one, text: 'uno' }, ANA);
    expect(itemsOf(board)[0]!.textBy).toEqual(ANA);
    board = run(board, { type: 'update_item', itemId: one, done: true });
    board = run(board, { type: 'update_item', itemId: one, checklistId: 'checklist-later' });
    expect(itemsOf(board, 'checklist-later')[0]).toMatchObject({ text: 'uno', done: true, textBy: ANA });
    // Anonymous text (a public_edit board) has no author to name.
    board = { ...board, visibility: 'public_edit' };
    board = run(board, { type: 'update_item', itemId: one, text: 'eins' }, null);
    expect(itemsOf(board, 'checklist-later')[0]!.textBy).toBeNull();
    const conflict = errorOf(() =>
      decide(board, { type: 'update_item', itemId: one, text: 'one', version: 2 }, context()),
    );
    expect(conflict.details?.conflicts).toEqual([{ field: 'text', value: 'eins', version: 3, by: null }]);
    // The events carry no author of the text but their own `by`: the fold puts it on the item.
    const added = eventOf(board, { type: 'add_item', checklistId: 'checklist-launch', text: 'five' }, ANA);
    expect(added).toMatchObject({ by: ANA, item: { text: 'five' } });
    expect(added && 'item' in added && 'textBy' in added.item).toBe(false);
  });

  it('ticks never conflict with edits of the description, and leave the task’s version', () => {
    let board = checklistBoard();
    const seen = taskOf(board).version;
    board = run(board, { type: 'update_item', itemId: itemId(board, 'one'), done: true }, ANA);
    board = run(board, { type: 'update_item', itemId: itemId(board, 'three'), done: true }, ANA);
    board = run(board, { type: 'update_task', taskId: 'task-1', description: 'mine', version: seen });
    expect(taskOf(board)).toMatchObject({ description: 'mine', version: seen + 1 });
    expect(itemsOf(board).map((item) => item.done)).toEqual([true, true, true]);
  });

  it('moves an item within its checklist and to another checklist of the card', () => {
    let board = checklistBoard();
    const one = itemId(board, 'one');
    board = run(board, { type: 'update_item', itemId: one, afterId: itemId(board, 'three') });
    expect(itemsOf(board).map((item) => item.text)).toEqual(['two', 'three', 'one']);
    const moved = eventOf(board, { type: 'update_item', itemId: one, checklistId: 'checklist-later' })!;
    expect(moved).toMatchObject({
      type: 'checklist_item_updated',
      checklistId: 'checklist-later',
      changes: { checklistId: { from: 'checklist-launch', to: 'checklist-later' } },
    });
    board = run(board, { type: 'update_item', itemId: one, checklistId: 'checklist-later' });
    expect(itemsOf(board).map((item) => item.text)).toEqual(['two', 'three']);
    expect(itemsOf(board, 'checklist-later').map((item) => item.text)).toEqual(['one']);
    // A drop where it is: no event.
    expect(eventOf(board, { type: 'update_item', itemId: one, checklistId: 'checklist-later' })).toBeNull();
    expectFolds(board);
  });

  it('refuses a move to another card’s checklist (404) and a place among another checklist’s items (400)', () => {
    const board = checklistBoard();
    const one = itemId(board, 'one');
    const other = errorOf(() =>
      decide(board, { type: 'update_item', itemId: one, checklistId: 'checklist-other' }, context()),
    );
    expect([other.code, other.details?.field]).toEqual(['checklist_not_found', 'checklistId']);
    const later = run(board, { type: 'add_item', checklistId: 'checklist-later', text: 'elsewhere' });
    const place = errorOf(() =>
      decide(later, { type: 'update_item', itemId: one, beforeId: itemId(later, 'elsewhere') }, context()),
    );
    expect([place.code, place.details?.field]).toEqual(['invalid_position', 'beforeId']);
    const itself = errorOf(() =>
      decide(board, { type: 'update_item', itemId: one, afterId: one }, context()),
    );
    expect(itself.code).toBe('invalid_position');
  });

  it('deletes an item', () => {
    let board = checklistBoard();
    const two = itemId(board, 'two');
    board = run(board, { type: 'delete_item', itemId: two });
    expect(itemsOf(board).map((item) => item.text)).toEqual(['one', 'three']);
    expect(errorOf(() => decide(board, { type: 'delete_item', itemId: two }, context())).code).toBe(
      'item_not_found',
    );
    expectFolds(board);
  });

  it('takes 200 items on a checklist and refuses the 201st (limit_reached), by add, first items or move', () => {
    let board = checklistBoard();
    const full = Array.from({ length: LIMITS.itemsPerChecklist }, (_, index) => ({ text: `item ${index}` }));
    board = run(board, {
      type: 'add_checklist',
      taskId: 'task-1',
      id: 'checklist-full',
      title: 'Full',
      items: full,
    });
    expect(itemsOf(board, 'checklist-full')).toHaveLength(200);
    const add = errorOf(() =>
      decide(board, { type: 'add_item', checklistId: 'checklist-full', text: 'one more' }, context()),
    );
    expect([add.code, add.status, add.details?.limit]).toEqual(['limit_reached', 409, 200]);
    const first = errorOf(() =>
      decide(
        board,
        { type: 'add_checklist', taskId: 'task-1', title: 'Too', items: [...full, { text: 'x' }] },
        context(),
      ),
    );
    expect(first.code).toBe('limit_reached');
    const move = errorOf(() =>
      decide(
        board,
        { type: 'update_item', itemId: itemId(board, 'one'), checklistId: 'checklist-full' },
        context(),
      ),
    );
    expect(move.code).toBe('limit_reached');
  });

  it('a tick is at most 400 bytes whatever the card holds', () => {
    let board = checklistBoard();
    board = run(board, {
      type: 'update_task',
      taskId: 'task-1',
      description: 'd'.repeat(LIMITS.descriptionLength),
    });
    const long = Array.from({ length: LIMITS.itemsPerChecklist }, (_, index) => ({
      text: `${index} ${'x'.repeat(LIMITS.itemTextLength - 10)}`,
    }));
    board = run(board, {
      type: 'add_checklist',
      taskId: 'task-1',
      id: 'checklist-big',
      title: 'Big',
      items: long,
    });
    for (let index = 0; index < LIMITS.linksPerCard; index++) {
      board = run(board, {
        type: 'add_link',
        taskId: 'task-1',
        url: `https://example.com/${'p'.repeat(1000)}/${index}`,
      });
    }
    expect(JSON.stringify(taskOf(board)).length).toBeGreaterThan(500_000);
    const by: Author = {
      userId: 'user-abcdefghijklmnopqrstuvwxyz0123456789',
      username: 'a-rather-long-username-42',
    };
    board = { ...board, members: [...board.members, { ...by, role: 'editor' }] };
    const item = itemsOf(board, 'checklist-big')[150]!;
    for (const command of [
      { type: 'update_item', itemId: item.id, done: true },
      { type: 'update_item', itemId: item.id, beforeId: itemsOf(board, 'checklist-big')[3]!.id },
      { type: 'delete_item', itemId: item.id },
      { type: 'remove_link', linkId: taskOf(board).links[50]!.id },
      { type: 'update_link', linkId: taskOf(board).links[60]!.id, title: 'The spec, second draft' },
    ] as BoardCommand[]) {
      const event = eventOf(board, command, by)!;
      expect(JSON.stringify(event).length, JSON.stringify(event)).toBeLessThanOrEqual(400);
    }
  });
});

describe('checklist and item text, refused cleanly', () => {
  const board = checklistBoard();
  const one = itemId(board, 'one');
  const cases: Array<[string, BoardCommand, string]> = [
    [
      'a control character in a title',
      { type: 'add_checklist', taskId: 'task-1', title: 'a\u0007b' },
      'title',
    ],
    [
      'a line break in a title',
      { type: 'update_checklist', checklistId: 'checklist-launch', title: 'a\nb' },
      'title',
    ],
    ['a blank title', { type: 'add_checklist', taskId: 'task-1', title: '   ' }, 'title'],
    [
      'a control character in item text',
      { type: 'add_item', checklistId: 'checklist-launch', text: 'a\u001bb' },
      'text',
    ],
    ['a line break in item text', { type: 'update_item', itemId: one, text: 'a\nb' }, 'text'],
    ['NUL in item text', { type: 'add_item', checklistId: 'checklist-launch', text: 'a\u0000b' }, 'text'],
    [
      'a lone surrogate in item text',
      { type: 'add_item', checklistId: 'checklist-launch', text: 'a\ud800b' },
      'text',
    ],
    [
      'a lone surrogate in a first item',
      { type: 'add_checklist', taskId: 'task-1', title: 'T', items: [{ text: 'ok' }, { text: '\udc00' }] },
      'items.1.text',
    ],
    [
      'item text over 2,000',
      { type: 'add_item', checklistId: 'checklist-launch', text: 'x'.repeat(2001) },
      'text',
    ],
    ['blank item text', { type: 'add_item', checklistId: 'checklist-launch', text: ' ' }, 'text'],
    ['done: 1', { type: 'update_item', itemId: one, done: 1 as unknown as boolean }, 'done'],
    [
      'done: "true" in a first item',
      {
        type: 'add_checklist',
        taskId: 'task-1',
        title: 'T',
        items: [{ text: 'a', done: 'true' as unknown as boolean }],
      },
      'items.0.done',
    ],
  ];
  for (const [what, command, field] of cases) {
    it(`refuses ${what} (400, field ${field})`, () => {
      const error = errorOf(() => decide(board, command, context()));
      expect([error.code, error.status, error.details?.field]).toEqual(['validation_failed', 400, field]);
    });
  }

  it('takes 2,000 characters, emoji and bidirectional text', () => {
    const text = `${'x'.repeat(1990)}🎉\u202eabc`;
    const after = run(board, { type: 'add_item', checklistId: 'checklist-launch', text });
    expect(itemsOf(after).at(-1)!.text).toBe(text);
  });

  it('unknown ids are not found, on add as on change', () => {
    expect(
      errorOf(() => decide(board, { type: 'add_checklist', taskId: 'task-x', title: 'T' }, context())).code,
    ).toBe('task_not_found');
    expect(
      errorOf(() => decide(board, { type: 'add_item', checklistId: 'checklist-x', text: 'T' }, context()))
        .code,
    ).toBe('checklist_not_found');
    expect(
      errorOf(() => decide(board, { type: 'update_item', itemId: 'item-x', done: true }, context())).code,
    ).toBe('item_not_found');
    expect(
      errorOf(() =>
        decide(board, { type: 'update_checklist', checklistId: 'checklist-x', title: 'T' }, context()),
      ).code,
    ).toBe('checklist_not_found');
  });

  it('a proposed id already on the card is taken', () => {
    const error = errorOf(() =>
      decide(
        board,
        { type: 'add_checklist', taskId: 'task-1', id: 'checklist-launch', title: 'Again' },
        context(),
      ),
    );
    expect(error.code).toBe('id_taken');
  });

  it('a viewer may not tick; an anonymous caller must sign in', () => {
    const viewer: Author = { userId: 'user-viewer', username: 'vic' };
    const withViewer: Board = { ...board, members: [...board.members, { ...viewer, role: 'viewer' }] };
    expect(
      errorOf(() => decide(withViewer, { type: 'update_item', itemId: one, done: true }, context(viewer)))
        .code,
    ).toBe('forbidden');
    expect(
      errorOf(() =>
        decide(withViewer, { type: 'add_link', taskId: 'task-1', url: 'https://a.example' }, context(null)),
      ).code,
    ).toBe('board_not_found');
  });
});

describe('links', () => {
  it('adds links in order with an optional title, removes them', () => {
    let board = checklistBoard();
    board = run(board, {
      type: 'add_link',
      taskId: 'task-1',
      url: 'https://example.com/spec',
      title: 'Spec',
      id: 'link-spec0001',
    });
    board = run(board, { type: 'add_link', taskId: 'task-1', url: 'mailto:ana@example.com' });
    expect(taskOf(board).links).toEqual([
      { id: 'link-spec0001', url: 'https://example.com/spec', title: 'Spec' },
      { id: expect.stringMatching(/^link-/), url: 'mailto:ana@example.com', title: '' },
    ]);
    board = run(board, { type: 'remove_link', linkId: 'link-spec0001' });
    expect(taskOf(board).links.map((link) => link.url)).toEqual(['mailto:ana@example.com']);
    expect(
      errorOf(() => decide(board, { type: 'remove_link', linkId: 'link-spec0001' }, context())).code,
    ).toBe('link_not_found');
    expectFolds(board);
  });

  it('refuses unsafe, relative and overlong URLs (400, field url)', () => {
    const board = checklistBoard();
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'example.com/page',
      '/relative',
      'https:example.com',
      'https://exa mple.com',
      'https://example.com/\u0000',
      `https://example.com/${'a'.repeat(LIMITS.urlLength)}`,
      'ftp://example.com',
      '',
    ]) {
      const error = errorOf(() => decide(board, { type: 'add_link', taskId: 'task-1', url }, context()));
      expect([error.code, error.details?.field], url).toEqual(['validation_failed', 'url']);
    }
    const title = errorOf(() =>
      decide(
        board,
        { type: 'add_link', taskId: 'task-1', url: 'https://a.example', title: 'a\u0000' },
        context(),
      ),
    );
    expect(title.details?.field).toBe('title');
    const longest = `https://example.com/${'a'.repeat(LIMITS.urlLength - 20)}`;
    expect(longest).toHaveLength(LIMITS.urlLength);
    expect(taskOf(run(board, { type: 'add_link', taskId: 'task-1', url: longest })).links[0]!.url).toBe(
      longest,
    );
  });

  it('edits a link’s title and URL, each with both ends in link_updated; the same values again are no event', () => {
    let board = checklistBoard();
    board = run(board, {
      type: 'add_link',
      taskId: 'task-1',
      url: 'https://example.com/spec',
      title: 'Spec',
      id: 'link-spec0001',
    });
    board = run(board, { type: 'add_link', taskId: 'task-1', url: 'https://example.com/other' });
    const renamed = eventOf(
      board,
      { type: 'update_link', linkId: 'link-spec0001', title: '  API spec ' },
      ANA,
    );
    expect(renamed).toMatchObject({
      type: 'link_updated',
      taskId: 'task-1',
      linkId: 'link-spec0001',
      changes: { title: { from: 'Spec', to: 'API spec' } },
      by: ANA,
    });
    expect(Object.keys((renamed as { changes: object }).changes)).toEqual(['title']);
    board = run(board, { type: 'update_link', linkId: 'link-spec0001', title: 'API spec' }, ANA);
    board = run(board, {
      type: 'update_link',
      linkId: 'link-spec0001',
      url: ' https://example.com/api ',
      title: 'API spec',
    });
    expect(taskOf(board).links[0]).toEqual({
      id: 'link-spec0001',
      url: 'https://example.com/api',
      title: 'API spec',
    });
    // A title may be taken off: the link then reads as its URL.
    board = run(board, { type: 'update_link', linkId: 'link-spec0001', title: '' });
    expect(taskOf(board).links.map((link) => [link.url, link.title])).toEqual([
      ['https://example.com/api', ''],
      ['https://example.com/other', ''],
    ]);
    for (const command of [
      { type: 'update_link', linkId: 'link-spec0001', title: '' },
      { type: 'update_link', linkId: 'link-spec0001', url: 'https://example.com/api' },
      { type: 'update_link', linkId: 'link-spec0001' },
    ] as BoardCommand[]) {
      expect(eventOf(board, command)).toBeNull();
    }
    expectFolds(board);
  });

  it('refuses a link edit with an unsafe URL or a multi-line title (400 with the field), an unknown link (404)', () => {
    const board = run(checklistBoard(), {
      type: 'add_link',
      taskId: 'task-1',
      url: 'https://example.com/spec',
      id: 'link-spec0001',
    });
    for (const [patch, field] of [
      [{ url: 'javascript:alert(1)' }, 'url'],
      [{ url: '' }, 'url'],
      [{ url: `https://example.com/${'a'.repeat(LIMITS.urlLength)}` }, 'url'],
      [{ title: 'a\nb' }, 'title'],
      [{ title: 'x'.repeat(LIMITS.titleLength + 1) }, 'title'],
      [{ title: 'fine', url: 'data:text/html,x' }, 'url'],
    ] as const) {
      const error = errorOf(() =>
        decide(board, { type: 'update_link', linkId: 'link-spec0001', ...patch }, context()),
      );
      expect([error.code, error.status, error.details?.field], JSON.stringify(patch)).toEqual([
        'validation_failed',
        400,
        field,
      ]);
    }
    const missing = errorOf(() =>
      decide(board, { type: 'update_link', linkId: 'link-nothere01', title: 'x' }, context()),
    );
    expect([missing.code, missing.status]).toEqual(['link_not_found', 404]);
    const viewer: Author = { userId: 'user-viewer', username: 'vic' };
    const withViewer: Board = { ...board, members: [...board.members, { ...viewer, role: 'viewer' }] };
    expect(
      errorOf(() =>
        decide(withViewer, { type: 'update_link', linkId: 'link-spec0001', title: 'x' }, context(viewer)),
      ).code,
    ).toBe('forbidden');
  });

  it('refuses the 101st link (limit_reached)', () => {
    let board = checklistBoard();
    for (let index = 0; index < LIMITS.linksPerCard; index++) {
      board = run(board, { type: 'add_link', taskId: 'task-1', url: `https://example.com/${index}` });
    }
    const error = errorOf(() =>
      decide(board, { type: 'add_link', taskId: 'task-1', url: 'https://example.com/x' }, context()),
    );
    expect([error.code, error.details?.limit, error.details?.count]).toEqual(['limit_reached', 100, 101]);
  });
});

describe('old events and other events keep checklists and links', () => {
  it('a whole-task task_updated from an old log keeps the card’s checklists and links', () => {
    let board = checklistBoard();
    board = run(board, { type: 'add_link', taskId: 'task-1', url: 'https://example.com' });
    const task = taskOf(board);
    const { checklists: _c, links: _l, commentCount: _n, ...old } = task;
    const legacy = {
      type: 'task_updated',
      seq: board.seq + 1,
      at: NOW,
      task: { ...old, title: 'Old shape' },
    } as unknown as BoardEvent;
    const after = taskOf(applyEvent(board, legacy));
    expect(after.title).toBe('Old shape');
    expect(after.checklists).toEqual(task.checklists);
    expect(after.links).toEqual(task.links);
  });

  it('a move or an edit of the task keeps them', () => {
    let board = checklistBoard();
    board = run(board, { type: 'create_list', id: 'list-done', title: 'Done' });
    board = run(board, { type: 'update_task', taskId: 'task-1', listId: 'list-done', title: 'Moved' });
    expect(taskOf(board).checklists.map((checklist) => checklist.items.length)).toEqual([3, 0]);
    expectFolds(board);
  });
});

describe('describeEvent tells checklists and links', () => {
  it('tells each event with the board just before it', () => {
    let board = checklistBoard();
    const one = itemId(board, 'one');
    const said: string[] = [];
    const tell = (command: BoardCommand) => {
      const event = eventOf(board, command, ANA)!;
      said.push(describeEvent(event, board));
      board = applyEvent(board, event);
    };
    tell({
      type: 'add_checklist',
      taskId: 'task-1',
      title: 'QA',
      items: [{ text: 'test' }, { text: 'ship' }],
    });
    tell({ type: 'update_checklist', checklistId: 'checklist-launch', title: 'Go live' });
    tell({ type: 'update_checklist', checklistId: 'checklist-launch', afterId: 'checklist-later' });
    tell({ type: 'add_item', checklistId: 'checklist-later', text: 'call Bob' });
    tell({ type: 'update_item', itemId: one, done: true });
    tell({ type: 'update_item', itemId: one, text: 'uno' });
    tell({ type: 'update_item', itemId: one, checklistId: 'checklist-later' });
    tell({ type: 'delete_item', itemId: one });
    tell({ type: 'delete_checklist', checklistId: 'checklist-later' });
    tell({ type: 'add_link', taskId: 'task-1', url: 'https://example.com/spec', title: 'Spec' });
    const linkId = taskOf(board).links[0]!.id;
    tell({ type: 'update_link', linkId, title: 'API spec' });
    tell({ type: 'update_link', linkId, url: 'https://example.com/api' });
    tell({ type: 'update_link', linkId, title: '', url: 'https://example.com/v2' });
    tell({ type: 'update_link', linkId, title: 'Spec' });
    tell({ type: 'remove_link', linkId });
    expect(said).toEqual([
      'ana added the checklist “QA” with 2 items to “One”',
      'ana renamed the checklist “Launch” on “One” to “Go live”',
      'ana moved the checklist “Go live” on “One”',
      'ana added “call Bob” to the checklist “Later” on “One”',
      'ana checked “one” on “One”',
      'ana reworded “one” to “uno” on “One”',
      'ana moved “uno” to the checklist “Later” on “One”',
      'ana deleted “uno” from the checklist “Later” on “One”',
      'ana deleted the checklist “Later” from “One”',
      'ana linked “Spec” to “One”',
      'ana renamed the link “Spec” to “API spec” on “One”',
      'ana pointed the link “API spec” to https://example.com/api on “One”',
      'ana took the title off the link “API spec” and pointed it to https://example.com/v2 on “One”',
      'ana titled the link https://example.com/v2 “Spec” on “One”',
      'ana removed “Spec” from “One”',
    ]);
  });

  it('inside the card, and when the names are gone', () => {
    const board = checklistBoard();
    const event = eventOf(board, { type: 'update_item', itemId: itemId(board, 'two'), done: false })!;
    expect(describeEvent(event, board, { inCard: true })).toBe('olga unchecked “two” on this card');
    expect(describeEvent(event, START)).toBe('olga unchecked an item on a card');
  });
});
