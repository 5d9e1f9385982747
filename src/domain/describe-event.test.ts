import { describe, expect, it } from 'vitest';
import { applyEvent } from './apply-event.js';
import { describeEvent } from './describe-event.js';
import type { BoardEvent, BoardEventType, EventBody } from './events.js';
import type { Author, Board, Task } from './model.js';
import { emptyBoard } from './model.js';

const AT = '2026-01-01T00:00:00.000Z';
const ANA: Author = { userId: 'user-ana', username: 'Ana' };

const task = (listId: string, extra: Partial<Task> = {}): Task => ({
  id: 'task-1',
  boardId: 'board-d',
  listId,
  title: 'Write docs',
  description: '',
  position: 'a0',
  version: 1,
  createdAt: AT,
  updatedAt: AT,
  commentCount: 0,
  ...extra,
});

let seq = 0;
const event = (body: EventBody, by: Author | null = ANA): BoardEvent =>
  ({ ...body, seq: ++seq, at: AT, by }) as BoardEvent;

/** Lists To do and Doing, and "Write docs" in To do. */
function board(): Board {
  seq = 0;
  let b = emptyBoard({ id: 'board-d', title: 'D', createdAt: AT });
  for (const [id, title, position] of [
    ['list-todo', 'To do', 'a0'],
    ['list-doing', 'Doing', 'a1'],
  ] as const) {
    b = applyEvent(b, event({ type: 'list_created', list: { id, boardId: 'board-d', title, position } }));
  }
  return applyEvent(b, event({ type: 'task_created', task: task('list-todo') }));
}

describe('describeEvent', () => {
  it('tells a move from the board just before it: from which list to which', () => {
    const before = board();
    const moved = event({ type: 'task_moved', task: task('list-doing', { version: 2 }) });
    expect(describeEvent(moved, before, { inCard: true })).toBe('Ana moved this card from To do to Doing');
    expect(describeEvent(moved, before)).toBe('Ana moved “Write docs” from To do to Doing');
    // A later board (history reads with today's) does not say where the card was: only where it went.
    const later = applyEvent(before, moved);
    expect(describeEvent(moved, later, { inCard: true })).toBe('Ana moved this card to Doing');
    const renamed = event({ type: 'task_updated', task: task('list-doing', { title: 'Docs' }) });
    expect(describeEvent(renamed, before)).toBe('Ana edited “Docs”');
  });

  it('names what it can, and says "a card", "a deleted list", "Someone" for what it cannot', () => {
    const b = board();
    const empty = { ...emptyBoard({ id: 'board-d', title: 'D', createdAt: AT }), seq: b.seq };
    expect(describeEvent(event({ type: 'task_deleted', taskId: 'task-1' }, null), empty)).toBe(
      'Someone deleted a card',
    );
    expect(describeEvent(event({ type: 'task_moved', task: task('list-gone') }), empty)).toBe(
      'Ana moved “Write docs” to a deleted list',
    );
    expect(describeEvent(event({ type: 'task_deleted', taskId: 'task-1' }), b)).toBe(
      'Ana deleted “Write docs”',
    );
  });

  it('renames and description edits, comments with a short preview', () => {
    let b = board();
    expect(
      describeEvent(event({ type: 'task_updated', task: task('list-todo', { title: 'Docs' }) }), b),
    ).toBe('Ana renamed “Write docs” to “Docs”');
    b = board();
    expect(
      describeEvent(event({ type: 'task_updated', task: task('list-todo', { description: 'x' }) }), b, {
        inCard: true,
      }),
    ).toBe('Ana edited the description of this card');
    b = board();
    const comment = {
      id: 'comment-1',
      boardId: 'board-d',
      taskId: 'task-1',
      body: `${'long '.repeat(30)}\nsecond line`,
      by: ANA,
      createdAt: AT,
      editedAt: null,
    };
    const said = describeEvent(event({ type: 'comment_added', comment }), b);
    expect(said).toMatch(/^Ana commented on “Write docs”: “long long .*…”$/);
    expect(said).not.toContain('second line');
  });

  it('has a sentence for every event type there is, never an id', () => {
    const b = board();
    const member = { userId: 'user-bob', username: 'bob', role: 'editor' as const };
    const comment = {
      id: 'comment-1',
      boardId: 'board-d',
      taskId: 'task-1',
      body: 'hi',
      by: ANA,
      createdAt: AT,
      editedAt: AT,
    };
    const list = { id: 'list-todo', boardId: 'board-d', title: 'Backlog', position: 'a0' };
    const bodies: Record<BoardEventType, EventBody> = {
      task_created: { type: 'task_created', task: task('list-todo', { id: 'task-2', title: 'New' }) },
      task_updated: { type: 'task_updated', task: task('list-todo') },
      task_moved: { type: 'task_moved', task: task('list-todo', { position: 'a5' }) },
      task_deleted: { type: 'task_deleted', taskId: 'task-1' },
      comment_added: { type: 'comment_added', comment },
      comment_edited: { type: 'comment_edited', comment },
      comment_deleted: { type: 'comment_deleted', commentId: 'comment-1', taskId: 'task-1' },
      list_created: { type: 'list_created', list: { ...list, id: 'list-new' } },
      list_updated: { type: 'list_updated', list },
      list_moved: { type: 'list_moved', list },
      list_deleted: { type: 'list_deleted', listId: 'list-todo' },
      board_updated: {
        type: 'board_updated',
        board: {
          id: 'board-d',
          title: 'E',
          seq: 1,
          createdAt: AT,
          updatedAt: AT,
          visibility: 'private',
          listed: false,
        },
      },
      board_deleted: { type: 'board_deleted', boardId: 'board-d' },
      member_added: { type: 'member_added', member },
      member_updated: { type: 'member_updated', member: { ...member, role: 'viewer' } },
      member_removed: { type: 'member_removed', userId: 'user-bob', username: 'bob' },
      visibility_changed: { type: 'visibility_changed', visibility: 'public', listed: true },
    };
    // Each told against the board just before it (the same board, numbered so).
    const said = Object.values(bodies).map((body) =>
      describeEvent({ ...event(body), seq: b.seq + 1 } as BoardEvent, b),
    );
    expect(said).toEqual([
      'Ana added “New” to To do',
      'Ana edited “Write docs”',
      'Ana moved “Write docs” within To do',
      'Ana deleted “Write docs”',
      'Ana commented on “Write docs”: “hi”',
      'Ana edited a comment on “Write docs”',
      'Ana deleted a comment on “Write docs”',
      'Ana added the list “Backlog”',
      'Ana renamed the list “To do” to “Backlog”',
      'Ana moved the list “Backlog”',
      'Ana deleted the list “To do”',
      'Ana renamed the board to “E”',
      'Ana deleted the board',
      'Ana added bob as editor',
      'Ana made bob a viewer',
      'Ana removed bob from the board',
      'Ana made the board public (read-only to non-members), listed',
    ]);
    for (const sentence of said) expect(sentence).not.toMatch(/(task|list|board|comment|user)-/);
    expect(
      describeEvent(
        event(
          { type: 'member_removed', userId: 'user-bob', username: 'bob' },
          { userId: 'user-bob', username: 'bob' },
        ),
        b,
      ),
    ).toBe('bob left the board');
  });
});
