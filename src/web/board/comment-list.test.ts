import { describe, expect, test } from 'vitest';
import type { Comment } from '../../domain/index.js';
import { EMPTY_COMMENTS, withMessage, withPage } from './comment-list.js';

const comment = (id: string, createdAt: string, body = id, editedAt: string | null = null): Comment => ({
  id,
  boardId: 'board-1',
  taskId: 'task-1',
  body,
  by: { userId: 'user-ana', username: 'ana' },
  createdAt,
  editedAt,
});
const ids = (comments: Comment[]): string[] => comments.map((each) => each.id);

describe('a card’s comments as the dialog holds them', () => {
  test('pages and events merge newest first, each comment once', () => {
    let list = withPage(EMPTY_COMMENTS, [comment('c2', '2026-01-02T00:00:00Z')], 5);
    list = withMessage(
      list,
      { type: 'comment_added', seq: 9, at: '', by: null, comment: comment('c3', '2026-01-03T00:00:00Z') },
      'task-1',
    );
    list = withPage(list, [comment('c3', '2026-01-03T00:00:00Z'), comment('c2', '2026-01-02T00:00:00Z')], 5);
    expect(ids(list.comments)).toEqual(['c3', 'c2']);
    expect(list.nextBefore).toBe(5);
    list = { ...withPage(list, [comment('c1', '2026-01-01T00:00:00Z')], null), nextBefore: null };
    expect(ids(list.comments)).toEqual(['c3', 'c2', 'c1']);
  });

  test('an edit seen live is not undone by a page read before it', () => {
    const edited = comment('c1', '2026-01-01T00:00:00Z', 'new', '2026-01-05T00:00:00Z');
    let list = withMessage(
      EMPTY_COMMENTS,
      { type: 'comment_edited', seq: 4, at: '', by: null, comment: edited },
      'task-1',
    );
    list = withPage(list, [comment('c1', '2026-01-01T00:00:00Z', 'old')], null);
    expect(list.comments.map((each) => each.body)).toEqual(['new']);
  });

  test('a deletion seen live is not brought back by a page read before it; other cards’ events are ignored', () => {
    let list = withPage(EMPTY_COMMENTS, [comment('c1', '2026-01-01T00:00:00Z')], null);
    list = withMessage(
      list,
      { type: 'comment_deleted', seq: 4, at: '', by: null, commentId: 'c1', taskId: 'task-1' },
      'task-1',
    );
    list = withPage(list, [comment('c1', '2026-01-01T00:00:00Z')], null);
    expect(list.comments).toEqual([]);
    const other = { ...comment('c9', '2026-01-09T00:00:00Z'), taskId: 'task-2' };
    expect(
      withMessage(list, { type: 'comment_added', seq: 5, at: '', by: null, comment: other }, 'task-1'),
    ).toBe(list);
  });
});
