import { describe, expect, test } from 'vitest';
import type { Comment } from '../../domain/index.js';
import { withPendingComments, type CommentOp } from './comment-ops.js';

const ana = { userId: 'user-ana', username: 'ana' };
const comment = (id: string, body: string, createdAt: string): Comment => ({
  id,
  boardId: 'board-1',
  taskId: 'task-1',
  body,
  by: ana,
  createdAt,
  editedAt: null,
});
const listed = [
  comment('c2', 'Second', '2026-01-02T00:00:00Z'),
  comment('c1', 'First', '2026-01-01T00:00:00Z'),
];
const add = (commentId: string, body: string): CommentOp => ({
  kind: 'addComment',
  taskId: 'task-1',
  commentId,
  body,
  createdAt: '2026-01-03T00:00:00Z',
  by: ana,
});

describe('a card’s comments with the user’s own writes on their way', () => {
  test('adds show first, newest first, marked; an edit shows its text, marked; a deletion hides the comment', () => {
    const shown = withPendingComments(
      listed,
      [
        add('c3', 'Third'),
        add('c4', 'Fourth'),
        { kind: 'editComment', taskId: 'task-1', commentId: 'c1', body: 'First, edited' },
        { kind: 'editComment', taskId: 'task-1', commentId: 'c4', body: 'Fourth, edited' },
        { kind: 'deleteComment', taskId: 'task-1', commentId: 'c2' },
      ],
      'board-1',
    );
    expect(shown.map((each) => [each.id, each.body, each.pending])).toEqual([
      ['c4', 'Fourth, edited', 'adding'],
      ['c3', 'Third', 'adding'],
      ['c1', 'First, edited', 'editing'],
    ]);
    expect(shown[0]).toMatchObject({ boardId: 'board-1', taskId: 'task-1', by: ana, editedAt: null });
  });

  test('an add or an edit whose event has come changes nothing: the listed comments keep their identity', () => {
    const shown = withPendingComments(
      listed,
      [add('c2', 'Second'), { kind: 'editComment', taskId: 'task-1', commentId: 'c1', body: 'First' }],
      'board-1',
    );
    expect(shown).toEqual(listed);
    expect(shown[0]).toBe(listed[0]);
    expect(shown[1]).toBe(listed[1]);
  });
});
