import { describe, expect, it } from 'vitest';
import { applyEvent } from './apply-event.js';
import { describeEvent } from './describe-event.js';
import type { BoardEvent, BoardEventType, EventBody } from './events.js';
import type { Author, Board, Task } from './model.js';
import { TASK_DEFAULTS, emptyBoard } from './model.js';

const AT = '2026-01-01T00:00:00.000Z';
const ANA: Author = { userId: 'user-ana', username: 'Ana' };
const BOB = { userId: 'user-bob', username: 'bob', role: 'editor' as const };

const task = (listId: string, extra: Partial<Task> = {}): Task => ({
  ...TASK_DEFAULTS,
  id: 'task-1',
  boardId: 'board-d',
  listId,
  title: 'Write docs',
  description: '',
  position: 'a0',
  version: 1,
  createdAt: AT,
  updatedAt: AT,
  ...extra,
});
const list = (id: string, title: string, position: string) => ({
  id,
  boardId: 'board-d',
  title,
  position,
  wipLimit: null,
  wipHard: false,
});

let seq = 0;
const event = (body: EventBody, by: Author | null = ANA): BoardEvent =>
  ({ ...body, seq: ++seq, at: AT, by }) as BoardEvent;

/** Lists To do and Doing, the label Bug, bob a member, and "Write docs" in To do: at seq 5. */
function board(): Board {
  seq = 0;
  let b = emptyBoard({ id: 'board-d', title: 'D', createdAt: AT });
  b = applyEvent(b, event({ type: 'list_created', list: list('list-todo', 'To do', 'a0') }));
  b = applyEvent(b, event({ type: 'list_created', list: list('list-doing', 'Doing', 'a1') }));
  b = applyEvent(
    b,
    event({
      type: 'label_created',
      label: { id: 'label-bug', boardId: 'board-d', name: 'Bug', color: 'red', position: 'a0' },
    }),
  );
  b = applyEvent(b, event({ type: 'member_added', member: BOB }));
  return applyEvent(b, event({ type: 'task_created', task: task('list-todo') }));
}

describe('describeEvent', () => {
  it('a move that says where it came from reads fully against any board', () => {
    const b = board();
    const moved = event({
      type: 'task_moved',
      taskId: 'task-1',
      version: 2,
      listId: 'list-doing',
      fromListId: 'list-todo',
      position: 'a0',
    });
    expect(describeEvent(moved, b, { inCard: true })).toBe('Ana moved this card from To do to Doing');
    expect(describeEvent(moved, applyEvent(b, moved))).toBe('Ana moved “Write docs” from To do to Doing');
  });

  it('an old whole-task move tells where from only against the board just before it', () => {
    const before = board();
    const moved = event({ type: 'task_moved', task: task('list-doing', { version: 2 }) } as EventBody);
    expect(describeEvent(moved, before, { inCard: true })).toBe('Ana moved this card from To do to Doing');
    const later = applyEvent(before, moved);
    expect(describeEvent(moved, later, { inCard: true })).toBe('Ana moved this card to Doing');
  });

  it('tells every change a task_updated carries, the card named once', () => {
    const b = board();
    const updated = event({
      type: 'task_updated',
      taskId: 'task-1',
      version: 2,
      changes: {
        title: { from: 'Write docs', to: 'Docs' },
        dueAt: { from: null, to: '2026-12-03T17:00:00.000Z' },
        labelIds: { add: ['label-bug'], remove: [] },
        assigneeIds: { add: ['user-bob'], remove: [] },
      },
    });
    expect(describeEvent(updated, b)).toBe(
      'Ana renamed “Write docs” to “Docs”, set the due date of it to 2026-12-03 17:00 UTC, added the label “Bug” to it and assigned bob to it',
    );
    const archived = event({
      type: 'task_updated',
      taskId: 'task-1',
      version: 3,
      changes: { archivedAt: { from: null, to: AT } },
    });
    expect(describeEvent(archived, b, { inCard: true })).toBe('Ana archived this card');
  });

  it('names what it can, and says "a card", "a deleted list", "Someone" for what it cannot', () => {
    const b = board();
    const empty = { ...emptyBoard({ id: 'board-d', title: 'D', createdAt: AT }), seq: b.seq };
    expect(describeEvent(event({ type: 'task_deleted', taskId: 'task-1' }, null), empty)).toBe(
      'Someone deleted a card',
    );
    expect(
      describeEvent(
        event({
          type: 'task_moved',
          taskId: 'task-1',
          version: 2,
          listId: 'list-gone',
          fromListId: 'list-todo',
          position: 'a0',
        }),
        empty,
      ),
    ).toBe('Ana moved a card from a deleted list to a deleted list');
    expect(describeEvent(event({ type: 'task_deleted', taskId: 'task-1' }), b)).toBe(
      'Ana deleted “Write docs”',
    );
  });

  it('comments with a short preview of their first line', () => {
    const b = board();
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
    const comment = {
      id: 'comment-1',
      boardId: 'board-d',
      taskId: 'task-1',
      body: 'hi',
      by: ANA,
      createdAt: AT,
      editedAt: AT,
    };
    const label = {
      id: 'label-bug',
      boardId: 'board-d',
      name: 'Defect',
      color: 'red_dark' as const,
      position: 'a0',
    };
    const bodies: Record<BoardEventType, EventBody> = {
      task_created: { type: 'task_created', task: task('list-todo', { id: 'task-2', title: 'New' }) },
      task_updated: {
        type: 'task_updated',
        taskId: 'task-1',
        version: 2,
        changes: { description: { to: 'x' } },
      },
      task_moved: {
        type: 'task_moved',
        taskId: 'task-1',
        version: 2,
        listId: 'list-todo',
        fromListId: 'list-todo',
        position: 'a5',
      },
      task_deleted: { type: 'task_deleted', taskId: 'task-1' },
      label_created: { type: 'label_created', label: { ...label, id: 'label-new', name: 'New' } },
      label_updated: { type: 'label_updated', label },
      label_deleted: { type: 'label_deleted', labelId: 'label-bug' },
      checklist_added: {
        type: 'checklist_added',
        taskId: 'task-1',
        checklist: { id: 'checklist-1', title: 'Steps', position: 'a0', items: [] },
      },
      checklist_updated: {
        type: 'checklist_updated',
        taskId: 'task-1',
        checklistId: 'checklist-1',
        changes: { title: { from: 'Steps', to: 'Plan' } },
      },
      checklist_deleted: { type: 'checklist_deleted', taskId: 'task-1', checklistId: 'checklist-1' },
      checklist_item_added: {
        type: 'checklist_item_added',
        taskId: 'task-1',
        checklistId: 'checklist-1',
        item: { id: 'item-1', text: 'Proofread', done: false, position: 'a0', version: 1 },
      },
      checklist_item_updated: {
        type: 'checklist_item_updated',
        taskId: 'task-1',
        checklistId: 'checklist-1',
        itemId: 'item-1',
        version: 1,
        changes: { done: { from: false, to: true } },
      },
      checklist_item_deleted: {
        type: 'checklist_item_deleted',
        taskId: 'task-1',
        checklistId: 'checklist-1',
        itemId: 'item-1',
      },
      link_added: {
        type: 'link_added',
        taskId: 'task-1',
        link: { id: 'link-1', url: 'https://example.com/spec', title: '' },
      },
      link_updated: {
        type: 'link_updated',
        taskId: 'task-1',
        linkId: 'link-1',
        changes: { title: { from: 'Spec', to: 'API spec' } },
      },
      link_removed: { type: 'link_removed', taskId: 'task-1', linkId: 'link-1' },
      comment_added: { type: 'comment_added', comment },
      comment_edited: { type: 'comment_edited', comment },
      comment_deleted: { type: 'comment_deleted', commentId: 'comment-1', taskId: 'task-1' },
      list_created: { type: 'list_created', list: list('list-new', 'Backlog', 'a2') },
      list_updated: { type: 'list_updated', list: list('list-todo', 'Backlog', 'a0') },
      list_moved: { type: 'list_moved', list: list('list-todo', 'Backlog', 'a3') },
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
      member_added: { type: 'member_added', member: BOB },
      member_updated: { type: 'member_updated', member: { ...BOB, role: 'viewer' } },
      member_removed: { type: 'member_removed', userId: 'user-bob', username: 'bob' },
      visibility_changed: { type: 'visibility_changed', visibility: 'public', listed: true },
    };
    // Each told against the board just before it (the same board, numbered so).
    const said = Object.values(bodies).map((body) =>
      describeEvent({ ...event(body), seq: b.seq + 1 } as BoardEvent, b),
    );
    expect(said).toEqual([
      'Ana added “New” to To do',
      'Ana edited the description of “Write docs”',
      'Ana moved “Write docs” within To do',
      'Ana deleted “Write docs”',
      'Ana made the label “New” (red dark)',
      'Ana edited the label “Defect” (red dark)',
      'Ana deleted the label “Bug” (red)',
      'Ana added the checklist “Steps” to “Write docs”',
      'Ana renamed the checklist “Steps” on “Write docs” to “Plan”',
      'Ana deleted a checklist from “Write docs”',
      'Ana added “Proofread” to a checklist on “Write docs”',
      'Ana checked an item on “Write docs”',
      'Ana deleted an item from a checklist on “Write docs”',
      'Ana linked https://example.com/spec to “Write docs”',
      'Ana renamed the link “Spec” to “API spec” on “Write docs”',
      'Ana removed a link from “Write docs”',
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
    for (const sentence of said)
      expect(sentence).not.toMatch(/(task|list|board|comment|user|label|checklist|item|link)-/);
    const left = event({ type: 'member_removed', userId: 'user-bob', username: 'bob' }, BOB);
    expect(describeEvent(left, b)).toBe('bob left the board');
  });
});
