import { describe, expect, test } from 'vitest';
import { emptyBoard, type Board } from '../../domain/index.js';
import {
  fieldsForNewCard,
  filterFromSearch,
  isFiltering,
  searchWithFilter,
  taskFilterOf,
  type BoardFilter,
} from './card-filter.js';

const board: Board = {
  ...emptyBoard({ id: 'board-1', title: 'B', createdAt: '2026-11-30T00:00:00.000Z' }),
  members: [{ userId: 'user-ana', username: 'ana', role: 'editor' }],
  labels: ['bug', 'ux'].map((name, index) => ({
    id: `label-${name}`,
    boardId: 'board-1',
    name,
    color: 'red' as const,
    position: `a${index}`,
  })),
};

describe('the board filter in the URL', () => {
  test.each<[string, BoardFilter]>([
    ['', {}],
    ['?labels=any:label-bug,label-ux', { labels: { mode: 'any', ids: ['label-bug', 'label-ux'] } }],
    ['?labels=all:label-bug', { labels: { mode: 'all', ids: ['label-bug'] } }],
    ['?labels=none&assignees=none', { labels: 'none', assignees: 'none' }],
    ['?assignees=me&due=overdue', { assignees: 'me', due: 'overdue' }],
    ['?due=week&archived=include&q=launch+post', { due: 'week', archived: 'include', text: 'launch post' }],
    ['?archived=only', { archived: 'only' }],
  ])('%s reads back as it was written', (search, filter) => {
    expect(filterFromSearch(search)).toEqual(filter);
    expect(filterFromSearch(searchWithFilter(new URLSearchParams(), filter))).toEqual(filter);
  });

  test.each([
    '?labels=some:label-bug',
    '?labels=any:',
    '?assignees=everyone',
    '?due=yesterday',
    '?archived=yes',
    '?q=%20%20',
  ])('%s is no filter at all, not a guess', (search) => {
    expect(filterFromSearch(search)).toEqual({});
  });

  test('writing a filter keeps the other parameters (transport, share) and drops cleared parts', () => {
    const query = new URLSearchParams('transport=poll&due=today&q=x');
    const next = searchWithFilter(query, { labels: 'none' });
    expect(next.toString()).toBe('transport=poll&labels=none');
  });

  test('only archived cards hidden (the default) is not filtering; anything else is', () => {
    expect(isFiltering({})).toBe(false);
    expect(isFiltering({ archived: 'include' })).toBe(false);
    expect(isFiltering({ archived: 'only' })).toBe(true);
    expect(isFiltering({ due: 'none' })).toBe(true);
  });
});

describe("the domain's filter for a viewer", () => {
  test('"me" is the viewer, and a viewer signed out is no one', () => {
    expect(taskFilterOf({ assignees: 'me' }, board, 'user-ana').assignees).toEqual(['user-ana']);
    expect(taskFilterOf({ assignees: 'me' }, board, undefined).assignees).toEqual(['nobody']);
    expect(taskFilterOf({}, board, undefined)).toEqual({ archived: 'hide' });
  });

  test('labels deleted since the link was made are dropped', () => {
    const filter = taskFilterOf(
      { labels: { mode: 'all', ids: ['label-gone', 'label-ux'] } },
      board,
      undefined,
    );
    expect(filter.labels).toEqual({ mode: 'all', ids: ['label-ux'] });
  });
});

describe('a card created while filtered', () => {
  test('gets every label of an "all" filter, the first of an "any", and the viewer for "me"', () => {
    const all = {
      labels: { mode: 'all' as const, ids: ['label-bug', 'label-ux'] },
      assignees: 'me' as const,
    };
    expect(fieldsForNewCard(all, board, 'user-ana')).toEqual({
      labelIds: ['label-bug', 'label-ux'],
      assigneeIds: ['user-ana'],
    });
    const any = { labels: { mode: 'any' as const, ids: ['label-ux', 'label-bug'] } };
    expect(fieldsForNewCard(any, board, 'user-ana')).toEqual({ labelIds: ['label-ux'] });
  });

  test('nothing for "no label", "no one", or a viewer who is not a member', () => {
    expect(fieldsForNewCard({ labels: 'none', assignees: 'none' }, board, 'user-ana')).toEqual({});
    expect(fieldsForNewCard({ assignees: 'me' }, board, 'user-guest')).toEqual({});
  });
});
