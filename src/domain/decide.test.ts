import { describe, expect, it } from 'vitest';
import { applyEvent } from './apply-event.js';
import type { BoardCommand } from './commands.js';
import { LIMITS } from './limits.js';
import type { DecideContext } from './decide.js';
import { decide as decideOrNoChange, stampEvent } from './decide.js';
import { ERROR_STATUS, LiveboardError } from './errors.js';
import type { EventDraft } from './events.js';
import type { Author, Board } from './model.js';
import { boardOf, errorOf, NOW, OWNER, T0, taskOf } from '../../test/support/domain-boards.js';
import { emptyBoard } from './model.js';

function context(by: Author | null = OWNER): DecideContext {
  let counter = 0;
  return { now: NOW, newId: (kind) => `${kind}-${++counter}`, by };
}

/** decide, for commands that change something: a no-change (null) fails the test. */
function decide(board: Board, command: BoardCommand, ctx: DecideContext): EventDraft {
  const draft = decideOrNoChange(board, command, ctx);
  if (draft === null) throw new Error(`expected ${command.type} to change something`);
  return draft;
}

/** Runs a command through decide → stampEvent → applyEvent, as the store does. */
function run(board: Board, command: BoardCommand, ctx = context()): Board {
  return applyEvent(board, stampEvent(decide(board, command, ctx), board.seq + 1, NOW, ctx.by));
}

/** Board (private, owned by OWNER) with lists list-a [task-a1, task-a2, task-a3] and list-b [task-b1]. */
function sampleBoard(): Board {
  let board = boardOf('board-x', 'X', OWNER);
  board = run(board, { type: 'create_list', title: 'A', id: 'list-a' });
  board = run(board, { type: 'create_list', title: 'B', id: 'list-b' });
  for (const id of ['task-a1', 'task-a2', 'task-a3']) {
    board = run(board, { type: 'create_task', listId: 'list-a', title: id, id });
  }
  return run(board, { type: 'create_task', listId: 'list-b', title: 'task-b1', id: 'task-b1' });
}

const taskIds = (board: Board, listId: string): string[] =>
  board.lists.find((list) => list.id === listId)!.tasks.map((task) => task.id);

describe('decide', () => {
  it('creates a list at the end with a trimmed title and a fresh id', () => {
    const board = sampleBoard();
    const draft = decide(board, { type: 'create_list', title: '  Later  ' }, context());
    expect(draft.type).toBe('list_created');
    if (draft.type !== 'list_created') return;
    expect(draft.list).toMatchObject({ id: 'list-1', boardId: 'board-x', title: 'Later' });
    expect(draft.list.position > board.lists.at(-1)!.position).toBe(true);
  });

  it('creates a task at version 1 with empty description, stamped with the context time', () => {
    const draft = decide(sampleBoard(), { type: 'create_task', listId: 'list-b', title: 'T' }, context());
    expect(draft).toEqual({
      type: 'task_created',
      task: expect.objectContaining({
        boardId: 'board-x',
        listId: 'list-b',
        title: 'T',
        description: '',
        version: 1,
        createdAt: NOW,
        updatedAt: NOW,
      }),
    });
  });

  it('places a new task before or after a sibling', () => {
    let board = sampleBoard();
    board = run(board, {
      type: 'create_task',
      listId: 'list-a',
      title: 'x',
      id: 'task-x',
      beforeId: 'task-a2',
    });
    board = run(board, {
      type: 'create_task',
      listId: 'list-a',
      title: 'y',
      id: 'task-y',
      afterId: 'task-a3',
    });
    board = run(board, {
      type: 'create_task',
      listId: 'list-a',
      title: 'z',
      id: 'task-z',
      beforeId: 'task-a1',
    });
    expect(taskIds(board, 'list-a')).toEqual(['task-z', 'task-a1', 'task-x', 'task-a2', 'task-a3', 'task-y']);
  });

  it('rejects a blank or too long title as validation_failed on field title', () => {
    const board = sampleBoard();
    for (const title of ['', '   ', 'x'.repeat(LIMITS.titleLength + 1)]) {
      const error = errorOf(() => decide(board, { type: 'create_list', title }, context()));
      expect(error.code).toBe('validation_failed');
      expect(error.details?.field).toBe('title');
      expect(error.status).toBe(400);
    }
  });

  it('rejects a too long description on field description', () => {
    const error = errorOf(() =>
      decide(
        sampleBoard(),
        {
          type: 'create_task',
          listId: 'list-a',
          title: 't',
          description: 'd'.repeat(LIMITS.descriptionLength + 1),
        },
        context(),
      ),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.details?.field).toBe('description');
  });

  it('rejects a task in an unknown list as list_not_found on field listId', () => {
    const error = errorOf(() =>
      decide(sampleBoard(), { type: 'create_task', listId: 'list-zz', title: 't' }, context()),
    );
    expect(error.code).toBe('list_not_found');
    expect(error.status).toBe(404);
    expect(error.details?.field).toBe('listId');
  });

  it('rejects beforeId and afterId together, unknown siblings, and siblings from another list', () => {
    const board = sampleBoard();
    const cases: BoardCommand[] = [
      { type: 'create_task', listId: 'list-a', title: 't', beforeId: 'task-a1', afterId: 'task-a2' },
      { type: 'create_task', listId: 'list-a', title: 't', beforeId: 'task-nope' },
      { type: 'create_task', listId: 'list-a', title: 't', afterId: 'task-b1' },
      { type: 'update_task', taskId: 'task-a1', listId: 'list-b', beforeId: 'task-a2' },
      { type: 'create_list', title: 'L', afterId: 'task-a1' },
    ];
    for (const command of cases) {
      expect(errorOf(() => decide(board, command, context())).code, JSON.stringify(command)).toBe(
        'invalid_position',
      );
    }
  });

  it('rejects placing a task or a list relative to itself', () => {
    const board = sampleBoard();
    expect(
      errorOf(() =>
        decide(board, { type: 'update_task', taskId: 'task-a1', beforeId: 'task-a1' }, context()),
      ),
    ).toMatchObject({ code: 'invalid_position', details: { field: 'beforeId' } });
    expect(
      errorOf(() => decide(board, { type: 'update_list', listId: 'list-a', afterId: 'list-a' }, context())),
    ).toMatchObject({ code: 'invalid_position', details: { field: 'afterId' } });
  });

  it('turns a text-only task change into task_updated with version + 1', () => {
    const board = sampleBoard();
    const draft = decide(
      board,
      { type: 'update_task', taskId: 'task-a2', title: 'new', description: 'd' },
      context(),
    );
    expect(draft).toEqual({
      type: 'task_updated',
      taskId: 'task-a2',
      version: 2,
      changes: { title: { from: 'task-a2', to: 'new' }, description: { to: 'd' } },
    });
    const before = taskOf(board, 'task-a2');
    expect(
      taskOf(
        run(board, { type: 'update_task', taskId: 'task-a2', title: 'new', description: 'd' }),
        'task-a2',
      ),
    ).toEqual({
      ...before,
      title: 'new',
      description: 'd',
      version: 2,
      updatedAt: NOW,
      fieldVersions: { title: { version: 2, by: OWNER }, description: { version: 2, by: OWNER } },
    });
  });

  it('treats listId equal to the current list, without placement, as an update, not a move', () => {
    const draft = decide(
      sampleBoard(),
      { type: 'update_task', taskId: 'task-a2', listId: 'list-a', title: 'n' },
      context(),
    );
    expect(draft.type).toBe('task_updated');
  });

  it('turns a change of list or of placement into task_moved', () => {
    const board = sampleBoard();
    const toOtherList = decide(
      board,
      { type: 'update_task', taskId: 'task-a1', listId: 'list-b' },
      context(),
    );
    expect(toOtherList.type).toBe('task_moved');
    const moved = run(board, {
      type: 'update_task',
      taskId: 'task-a1',
      listId: 'list-b',
      beforeId: 'task-b1',
    });
    expect(taskIds(moved, 'list-a')).toEqual(['task-a2', 'task-a3']);
    expect(taskIds(moved, 'list-b')).toEqual(['task-a1', 'task-b1']);
    const withinList = run(board, { type: 'update_task', taskId: 'task-a1', afterId: 'task-a3' });
    expect(taskIds(withinList, 'list-a')).toEqual(['task-a2', 'task-a3', 'task-a1']);
    expect(taskOf(withinList, 'task-a1').version).toBe(2);
  });

  it('moves a list before another and keeps its tasks; text-only list change is list_updated', () => {
    const board = sampleBoard();
    expect(decide(board, { type: 'update_list', listId: 'list-a', title: 'A2' }, context()).type).toBe(
      'list_updated',
    );
    expect(decide(board, { type: 'update_list', listId: 'list-b', beforeId: 'list-a' }, context()).type).toBe(
      'list_moved',
    );
    const moved = run(board, { type: 'update_list', listId: 'list-b', beforeId: 'list-a' });
    expect(moved.lists.map((list) => list.id)).toEqual(['list-b', 'list-a']);
    expect(taskIds(moved, 'list-a')).toHaveLength(3);
  });

  it('answers a stale version with version_conflict (409) and the current version', () => {
    const board = run(sampleBoard(), { type: 'update_task', taskId: 'task-a1', title: 'v2' });
    const error = errorOf(() =>
      decide(board, { type: 'update_task', taskId: 'task-a1', title: 'x', version: 1 }, context()),
    );
    expect(error.code).toBe('version_conflict');
    expect(error.status).toBe(409);
    expect(error.details).toMatchObject({
      field: 'title',
      currentVersion: 2,
      conflicts: [{ field: 'title', value: 'v2', version: 2, by: OWNER }],
    });
    expect(
      decide(board, { type: 'update_task', taskId: 'task-a1', title: 'x', version: 2 }, context()).type,
    ).toBe('task_updated');
  });

  it('refuses to delete or update what is not on the board', () => {
    const board = sampleBoard();
    expect(errorOf(() => decide(board, { type: 'delete_task', taskId: 'task-zz' }, context())).code).toBe(
      'task_not_found',
    );
    expect(
      errorOf(() => decide(board, { type: 'update_task', taskId: 'task-zz', title: 'x' }, context())).code,
    ).toBe('task_not_found');
    expect(errorOf(() => decide(board, { type: 'delete_list', listId: 'list-zz' }, context())).code).toBe(
      'list_not_found',
    );
  });

  it('deletes tasks, lists and the board as one event each', () => {
    const board = sampleBoard();
    expect(decide(board, { type: 'delete_task', taskId: 'task-a1' }, context())).toEqual({
      type: 'task_deleted',
      taskId: 'task-a1',
    });
    expect(decide(board, { type: 'delete_list', listId: 'list-a' }, context())).toEqual({
      type: 'list_deleted',
      listId: 'list-a',
    });
    expect(decide(board, { type: 'delete_board' }, context())).toEqual({
      type: 'board_deleted',
      boardId: 'board-x',
    });
  });

  it('never changes the board it decides on', () => {
    const board = sampleBoard();
    const copy = structuredClone(board);
    decide(board, { type: 'update_task', taskId: 'task-a1', listId: 'list-b', title: 'moved' }, context());
    decide(board, { type: 'update_list', listId: 'list-a', afterId: 'list-b' }, context());
    expect(board).toEqual(copy);
  });
});

describe('decide: who may do what, inside the decision', () => {
  const EDITOR: Author = { userId: 'user-editor', username: 'edda' };
  const VIEWER: Author = { userId: 'user-viewer', username: 'vic' };
  const STRANGER: Author = { userId: 'user-stranger', username: 'sam' };

  /** The sample board with an editor and a viewer, at the given visibility. */
  function sharedBoard(visibility: Board['visibility'] = 'private'): Board {
    let board = sampleBoard();
    board = run(board, { type: 'add_member', ...EDITOR, role: 'editor' });
    board = run(board, { type: 'add_member', ...VIEWER, role: 'viewer' });
    if (visibility !== 'private') board = run(board, { type: 'set_visibility', visibility });
    return board;
  }

  const edit: BoardCommand = { type: 'create_task', listId: 'list-a', title: 't' };
  const rename: BoardCommand = { type: 'update_board', title: 'R' };
  const remove: BoardCommand = { type: 'delete_board' };
  const manage: BoardCommand = { type: 'set_visibility', listed: true };

  const codeOf = (board: Board, command: BoardCommand, by: Author | null): string =>
    (() => {
      try {
        return decide(board, command, context(by)).type;
      } catch (error) {
        if (error instanceof LiveboardError) return error.code;
        throw error;
      }
    })();

  it('answers a private board to anyone but its members as not found, exactly as a missing board', () => {
    const board = sharedBoard();
    for (const by of [null, STRANGER]) {
      for (const command of [edit, rename, remove, manage]) {
        const error = errorOf(() => decide(board, command, context(by)));
        expect(error.toJSON()).toEqual({ error: { code: 'board_not_found', message: "no board 'board-x'" } });
      }
    }
  });

  it('lets each role do what the table says: viewer reads, editor edits and renames, owner all', () => {
    const board = sharedBoard();
    expect([edit, rename, remove, manage].map((command) => codeOf(board, command, VIEWER))).toEqual([
      'forbidden',
      'forbidden',
      'forbidden',
      'forbidden',
    ]);
    expect([edit, rename, remove, manage].map((command) => codeOf(board, command, EDITOR))).toEqual([
      'task_created',
      'board_updated',
      'forbidden',
      'forbidden',
    ]);
    expect([edit, rename, remove, manage].map((command) => codeOf(board, command, OWNER))).toEqual([
      'task_created',
      'board_updated',
      'board_deleted',
      'visibility_changed',
    ]);
    expect(errorOf(() => decide(board, edit, context(VIEWER))).status).toBe(403);
  });

  it('on a public board guests read only: 401 when anonymous, 403 when signed in', () => {
    const board = sharedBoard('public');
    expect(codeOf(board, edit, null)).toBe('unauthenticated');
    expect(errorOf(() => decide(board, edit, context(null))).status).toBe(401);
    expect(codeOf(board, edit, STRANGER)).toBe('forbidden');
    expect(codeOf(board, edit, EDITOR)).toBe('task_created');
  });

  it('on a public_edit board anyone changes lists and tasks, but only members rename and owners manage', () => {
    const board = sharedBoard('public_edit');
    for (const by of [null, STRANGER, VIEWER]) {
      expect(codeOf(board, edit, by)).toBe('task_created');
      expect(codeOf(board, { type: 'delete_list', listId: 'list-b' }, by)).toBe('list_deleted');
    }
    expect([rename, remove, manage].map((command) => codeOf(board, command, null))).toEqual([
      'unauthenticated',
      'unauthenticated',
      'unauthenticated',
    ]);
    expect([rename, remove, manage].map((command) => codeOf(board, command, STRANGER))).toEqual([
      'forbidden',
      'forbidden',
      'forbidden',
    ]);
  });

  it('authorizes before it validates: a refused caller learns nothing of the board', () => {
    const board = sharedBoard('public');
    expect(codeOf(board, { type: 'delete_task', taskId: 'task-none' }, VIEWER)).toBe('forbidden');
    expect(codeOf(sampleBoard(), { type: 'delete_task', taskId: 'task-none' }, STRANGER)).toBe(
      'board_not_found',
    );
  });

  it('adds, changes and removes members; a member is added once', () => {
    let board = sharedBoard();
    expect(board.members).toEqual([
      { ...OWNER, role: 'owner' },
      { ...EDITOR, role: 'editor' },
      { ...VIEWER, role: 'viewer' },
    ]);
    expect(
      errorOf(() => decide(board, { type: 'add_member', ...EDITOR, role: 'viewer' }, context())),
    ).toMatchObject({ code: 'already_member', details: { field: 'username' } });
    expect(decide(board, { type: 'update_member', userId: EDITOR.userId, role: 'owner' }, context())).toEqual(
      {
        type: 'member_updated',
        member: { ...EDITOR, role: 'owner' },
      },
    );
    board = run(board, { type: 'update_member', userId: VIEWER.userId, role: 'editor' });
    expect(decide(board, { type: 'remove_member', userId: VIEWER.userId }, context())).toEqual({
      type: 'member_removed',
      userId: VIEWER.userId,
      username: VIEWER.username,
    });
    board = run(board, { type: 'remove_member', userId: VIEWER.userId });
    expect(board.members.map((member) => [member.username, member.role])).toEqual([
      ['olga', 'owner'],
      ['edda', 'editor'],
    ]);
    expect(
      errorOf(() => decide(board, { type: 'update_member', userId: 'user-none', role: 'viewer' }, context()))
        .code,
    ).toBe('member_not_found');
  });

  it('keeps at least one owner on a board that has owners', () => {
    let board = sharedBoard();
    expect(
      errorOf(() =>
        decide(board, { type: 'update_member', userId: OWNER.userId, role: 'editor' }, context()),
      ),
    ).toMatchObject({ code: 'last_owner', details: { field: 'role' } });
    expect(
      errorOf(() => decide(board, { type: 'remove_member', userId: OWNER.userId }, context())).code,
    ).toBe('last_owner');
    board = run(board, { type: 'update_member', userId: EDITOR.userId, role: 'owner' });
    expect(decide(board, { type: 'remove_member', userId: OWNER.userId }, context()).type).toBe(
      'member_removed',
    );
  });

  it('lets any member leave, but only owners remove others', () => {
    const board = sharedBoard();
    expect(codeOf(board, { type: 'remove_member', userId: VIEWER.userId }, VIEWER)).toBe('member_removed');
    expect(codeOf(board, { type: 'remove_member', userId: VIEWER.userId }, EDITOR)).toBe('forbidden');
    expect(codeOf(board, { type: 'add_member', ...STRANGER, role: 'viewer' }, EDITOR)).toBe('forbidden');
    expect(codeOf(board, { type: 'update_member', userId: VIEWER.userId, role: 'owner' }, VIEWER)).toBe(
      'forbidden',
    );
  });

  it('changes visibility and listed, each kept when not given', () => {
    const board = sharedBoard();
    expect(decide(board, { type: 'set_visibility', visibility: 'public' }, context())).toEqual({
      type: 'visibility_changed',
      visibility: 'public',
      listed: false,
    });
    const turned = run(board, { type: 'set_visibility', visibility: 'public_edit', listed: true });
    expect([turned.visibility, turned.listed]).toEqual(['public_edit', true]);
    expect(decide(turned, { type: 'set_visibility', listed: false }, context())).toEqual({
      type: 'visibility_changed',
      visibility: 'public_edit',
      listed: false,
    });
  });

  it('an ownerless public_edit board (the demo board) is open to all but managed by nobody', () => {
    const board = emptyBoard({ id: 'board-1', title: 'Demo', createdAt: T0, visibility: 'public_edit' });
    expect(codeOf(board, { type: 'create_list', title: 'L' }, null)).toBe('list_created');
    expect(codeOf(board, manage, STRANGER)).toBe('forbidden');
    expect(codeOf(board, remove, null)).toBe('unauthenticated');
  });
});

describe('stampEvent', () => {
  it('numbers and times a draft', () => {
    const draft: EventDraft = { type: 'task_deleted', taskId: 'task-1' };
    expect(stampEvent(draft, 7, NOW, OWNER)).toEqual({
      type: 'task_deleted',
      taskId: 'task-1',
      seq: 7,
      at: NOW,
      by: OWNER,
    });
    expect(stampEvent(draft, 8, NOW, null)).toEqual({
      type: 'task_deleted',
      taskId: 'task-1',
      seq: 8,
      at: NOW,
      by: null,
    });
  });

  it('gives board_updated the board as it is after the event (seq and updatedAt)', () => {
    const board = sampleBoard();
    const event = stampEvent(
      decide(board, { type: 'update_board', title: ' Renamed ' }, context()),
      9,
      NOW,
      OWNER,
    );
    expect(event).toEqual({
      type: 'board_updated',
      seq: 9,
      at: NOW,
      by: OWNER,
      board: {
        id: 'board-x',
        title: 'Renamed',
        seq: 9,
        createdAt: T0,
        updatedAt: NOW,
        visibility: 'private',
        listed: false,
      },
    });
  });
});

describe('ERROR_STATUS', () => {
  it('gives every LiveboardError the status of its code', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      const error = new LiveboardError(code as keyof typeof ERROR_STATUS, 'm', { field: 'f' });
      expect(error.status).toBe(status);
      expect(error.toJSON()).toEqual({ error: { code, message: 'm', field: 'f' } });
    }
  });
});

describe('an operator command', () => {
  const ownerless = emptyBoard({ id: 'board-demo', title: 'Demo', createdAt: T0, visibility: 'public_edit' });
  const grant: BoardCommand = { type: 'add_member', userId: 'user-ana', username: 'ana', role: 'owner' };

  it('may give an ownerless board its owner, which nobody signed in or not may do, and is signed by: null', () => {
    expect(errorOf(() => decide(ownerless, grant, context(null))).code).toBe('unauthenticated');
    expect(errorOf(() => decide(ownerless, grant, context({ userId: 'user-x', username: 'x' }))).code).toBe(
      'forbidden',
    );
    const draft = decide(ownerless, grant, { ...context(null), operator: true });
    expect(draft).toEqual({
      type: 'member_added',
      member: { userId: 'user-ana', username: 'ana', role: 'owner' },
    });
    expect(stampEvent(draft, 1, NOW, null).by).toBeNull();
  });

  it('still obeys the board rules: the last owner stays', () => {
    const owned = run(ownerless, grant, { ...context(null), operator: true });
    const demote: BoardCommand = { type: 'update_member', userId: 'user-ana', role: 'viewer' };
    expect(errorOf(() => decide(owned, demote, { ...context(null), operator: true })).code).toBe(
      'last_owner',
    );
  });
});
