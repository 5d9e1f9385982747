import { describe, expect, it } from 'vitest';
import { applyEvent } from './apply-event.js';
import type { BoardCommand } from './commands.js';
import { LIMITS } from './limits.js';
import type { DecideContext } from './decide.js';
import { decide, stampEvent } from './decide.js';
import { LiveboardError } from './errors.js';
import type { BoardEvent } from './events.js';
import { taskOfEvent } from './events.js';
import type { Author, Board, Comment, Visibility } from './model.js';
import { emptyBoard } from './model.js';

const T0 = '2026-01-01T00:00:00.000Z';
const NOW = '2026-01-02T00:00:00.000Z';
const OWNER: Author = { userId: 'user-owner', username: 'olga' };
const ANA: Author = { userId: 'user-ana', username: 'ana' };
const BOB: Author = { userId: 'user-bob', username: 'bob' };
const VIEWER: Author = { userId: 'user-vic', username: 'vic' };

/** The comments a store would hold, kept as the events say (what the store's rows do). */
class CommentRows {
  readonly byId = new Map<string, Comment>();
  apply(event: BoardEvent): void {
    if (event.type === 'comment_added' || event.type === 'comment_edited')
      this.byId.set(event.comment.id, event.comment);
    if (event.type === 'comment_deleted') this.byId.delete(event.commentId);
  }
}

function setup(visibility: Visibility = 'private') {
  let board = emptyBoard({
    id: 'board-c',
    title: 'C',
    createdAt: T0,
    visibility,
    members: [
      { ...OWNER, role: 'owner' },
      { ...ANA, role: 'editor' },
      { ...BOB, role: 'editor' },
      { ...VIEWER, role: 'viewer' },
    ],
  });
  const rows = new CommentRows();
  let counter = 0;
  const ctx = (by: Author | null): DecideContext => ({
    now: NOW,
    newId: (kind) => `${kind}-${++counter}`,
    by,
    findComment: (id) => rows.byId.get(id),
  });
  const run = (command: BoardCommand, by: Author | null = OWNER): BoardEvent => {
    const event = stampEvent(decide(board, command, ctx(by))!, board.seq + 1, NOW, by);
    board = applyEvent(board, event);
    rows.apply(event);
    return event;
  };
  const refusal = (command: BoardCommand, by: Author | null): LiveboardError => {
    try {
      decide(board, command, ctx(by));
    } catch (error) {
      if (error instanceof LiveboardError) return error;
      throw error;
    }
    throw new Error('expected a refusal');
  };
  run({ type: 'create_list', title: 'To do', id: 'list-a' });
  run({ type: 'create_task', listId: 'list-a', title: 'Write docs', id: 'task-1' });
  return { run, refusal, rows, board: () => board };
}

const countOf = (board: Board): number => board.lists[0]!.tasks[0]!.commentCount;

describe('comments (decide and applyEvent)', () => {
  it('a comment is one comment_added event signed by its author; the task counts it, its version unchanged', () => {
    const { run, board } = setup();
    const before = board().lists[0]!.tasks[0]!;
    const event = run({ type: 'add_comment', taskId: 'task-1', body: '  Looks good\n' }, ANA);
    expect(event).toMatchObject({
      type: 'comment_added',
      seq: 3,
      by: ANA,
      comment: {
        id: 'comment-1',
        boardId: 'board-c',
        taskId: 'task-1',
        body: '  Looks good\n',
        by: ANA,
        createdAt: NOW,
        editedAt: null,
      },
    });
    expect(countOf(board())).toBe(1);
    expect(board().lists[0]!.tasks[0]!.version).toBe(before.version);
    expect(taskOfEvent(event)).toBe('task-1');
  });

  it('the author edits their comment (editedAt set); a deletion is one event and the count falls', () => {
    const { run, board, rows } = setup();
    run({ type: 'add_comment', taskId: 'task-1', body: 'first', id: 'comment-proposed1' }, ANA);
    const edited = run({ type: 'edit_comment', commentId: 'comment-proposed1', body: 'first, edited' }, ANA);
    expect(edited).toMatchObject({
      type: 'comment_edited',
      comment: { body: 'first, edited', editedAt: NOW },
    });
    expect(countOf(board())).toBe(1);
    const deleted = run({ type: 'delete_comment', commentId: 'comment-proposed1' }, ANA);
    expect(deleted).toMatchObject({
      type: 'comment_deleted',
      commentId: 'comment-proposed1',
      taskId: 'task-1',
    });
    expect(taskOfEvent(deleted)).toBe('task-1');
    expect(countOf(board())).toBe(0);
    expect(rows.byId.size).toBe(0);
  });

  it('an edit to the same words changes nothing: no event (a double click costs no fan-out)', () => {
    const { run, board, rows } = setup();
    run({ type: 'add_comment', taskId: 'task-1', body: 'same', id: 'comment-same0001' }, ANA);
    const ctx: DecideContext = {
      now: NOW,
      newId: () => 'x',
      by: ANA,
      findComment: (id) => rows.byId.get(id),
    };
    expect(
      decide(board(), { type: 'edit_comment', commentId: 'comment-same0001', body: 'same' }, ctx),
    ).toBeNull();
  });

  it("someone else's comment: editing is 403 for everyone, the owner included; the owner may delete it", () => {
    const { run, refusal, board } = setup();
    run({ type: 'add_comment', taskId: 'task-1', body: 'mine', id: 'comment-ana00001' }, ANA);
    for (const who of [BOB, OWNER]) {
      const error = refusal({ type: 'edit_comment', commentId: 'comment-ana00001', body: 'theirs' }, who);
      expect(error.code).toBe('forbidden');
      expect(error.status).toBe(403);
    }
    expect(refusal({ type: 'delete_comment', commentId: 'comment-ana00001' }, BOB).code).toBe('forbidden');
    run({ type: 'delete_comment', commentId: 'comment-ana00001' }, OWNER);
    expect(countOf(board())).toBe(0);
  });

  it('a viewer may not comment (403), an outsider of a private board does not see it (404)', () => {
    const { refusal } = setup();
    expect(refusal({ type: 'add_comment', taskId: 'task-1', body: 'hi' }, VIEWER).code).toBe('forbidden');
    const stranger: Author = { userId: 'user-x', username: 'x' };
    expect(refusal({ type: 'add_comment', taskId: 'task-1', body: 'hi' }, stranger).code).toBe(
      'board_not_found',
    );
  });

  it('anyone comments on a public_edit board; an anonymous comment is nobody’s to edit, an owner may delete it', () => {
    const { run, refusal } = setup('public_edit');
    const event = run(
      { type: 'add_comment', taskId: 'task-1', body: 'drive-by', id: 'comment-anon0001' },
      null,
    );
    expect(event).toMatchObject({ by: null, comment: { by: null } });
    expect(refusal({ type: 'edit_comment', commentId: 'comment-anon0001', body: 'x' }, null).code).toBe(
      'unauthenticated',
    );
    expect(refusal({ type: 'edit_comment', commentId: 'comment-anon0001', body: 'x' }, ANA).code).toBe(
      'forbidden',
    );
    run({ type: 'delete_comment', commentId: 'comment-anon0001' }, OWNER);
  });

  it('refuses a blank comment and one over 16,384 characters with field body; 16,384 is fine', () => {
    const { run, refusal } = setup();
    for (const body of ['', '   ', '\n\t\n']) {
      const error = refusal({ type: 'add_comment', taskId: 'task-1', body }, ANA);
      expect(error.code).toBe('validation_failed');
      expect(error.details).toEqual({ field: 'body' });
    }
    const long = refusal(
      { type: 'add_comment', taskId: 'task-1', body: 'x'.repeat(LIMITS.commentLength + 1) },
      ANA,
    );
    expect(long.details).toEqual({ field: 'body' });
    expect(LIMITS.commentLength).toBe(16_384);
    run({ type: 'add_comment', taskId: 'task-1', body: 'x'.repeat(LIMITS.commentLength) }, ANA);
    run({ type: 'add_comment', taskId: 'task-1', body: 'ok', id: 'comment-edit0001' }, ANA);
    expect(refusal({ type: 'edit_comment', commentId: 'comment-edit0001', body: ' ' }, ANA).details).toEqual({
      field: 'body',
    });
    expect(refusal({ type: 'add_comment', taskId: 'task-1', body: 'a\u0000b' }, ANA).code).toBe(
      'validation_failed',
    );
  });

  it('an unknown task is task_not_found (field taskId); an unknown comment, or one of another board, comment_not_found', () => {
    const { refusal } = setup();
    const noTask = refusal({ type: 'add_comment', taskId: 'task-nope', body: 'hi' }, ANA);
    expect(noTask.code).toBe('task_not_found');
    expect(noTask.details).toEqual({ field: 'taskId' });
    expect(refusal({ type: 'edit_comment', commentId: 'comment-nope', body: 'x' }, ANA).code).toBe(
      'comment_not_found',
    );
    expect(refusal({ type: 'delete_comment', commentId: 'comment-nope' }, ANA).status).toBe(404);
  });

  it('task events keep the comment count, also those from logs before comments (no commentCount in them)', () => {
    const { run, board } = setup();
    run({ type: 'add_comment', taskId: 'task-1', body: 'one' }, ANA);
    run({ type: 'add_comment', taskId: 'task-1', body: 'two' }, ANA);
    run({ type: 'update_task', taskId: 'task-1', title: 'Renamed', listId: 'list-a', beforeId: undefined });
    expect(countOf(board())).toBe(2);
    const { commentCount: _dropped, ...oldShape } = board().lists[0]!.tasks[0]!;
    const legacy = {
      type: 'task_updated',
      seq: board().seq + 1,
      at: NOW,
      task: oldShape,
    } as unknown as BoardEvent;
    expect(applyEvent(board(), legacy).lists[0]!.tasks[0]!.commentCount).toBe(2);
  });
});
