/**
 * The conflict rules of two people on one card (issue 15's table), each row proved here: the base
 * is what both saw, A writes first, then B writes with the same base version.
 */
import { describe, expect, it } from 'vitest';
import { applyEvent } from './apply-event.js';
import type { BoardCommand } from './commands.js';
import { decide, stampEvent } from './decide.js';
import type { LiveboardError } from './errors.js';
import type { Author, Board } from './model.js';
import { ANA, BOB, boardOf, errorOf, T0, taskOf } from '../../test/support/domain-boards.js';

function write(board: Board, command: BoardCommand, by: Author): Board {
  const draft = decide(board, command, { now: T0, newId: (kind) => `${kind}-new`, by });
  return draft === null ? board : applyEvent(board, stampEvent(draft, board.seq + 1, T0, by));
}

function refusal(board: Board, command: BoardCommand, by: Author): LiveboardError {
  return errorOf(() => write(board, command, by));
}

const edit = (fields: Record<string, unknown>): BoardCommand =>
  ({ type: 'update_task', taskId: 'task-1', ...fields }) as BoardCommand;

/** A card at version 1 that both Ana and Bob opened, on a board with labels and two lists. */
function base(): Board {
  let board = boardOf('board-m', 'M', ANA, BOB);
  for (const command of [
    { type: 'create_label', id: 'label-a', name: 'A', color: 'green' },
    { type: 'create_label', id: 'label-b', name: 'B', color: 'blue' },
    { type: 'create_list', id: 'list-1', title: 'One' },
    { type: 'create_list', id: 'list-2', title: 'Two' },
    { type: 'create_task', id: 'task-0', listId: 'list-1', title: 'Zero' },
    { type: 'create_task', id: 'task-1', listId: 'list-1', title: 'Card', dueAt: '2026-12-03T17:00:00Z' },
  ] as BoardCommand[]) {
    board = write(board, command, ANA);
  }
  expect(taskOf(board).version).toBe(1);
  return board;
}

describe('conflict matrix', () => {
  it('different fields from one base version: all accepted, all survive', () => {
    let board = base();
    board = write(board, edit({ description: 'A', version: 1 }), ANA);
    board = write(board, edit({ dueAt: '2026-12-04T17:00:00Z', version: 1 }), BOB);
    board = write(board, edit({ labels: { add: ['label-a'] }, version: 1 }), BOB);
    board = write(board, edit({ dueComplete: true, version: 1 }), ANA);
    expect(taskOf(board)).toMatchObject({
      description: 'A',
      dueAt: '2026-12-04T17:00:00.000Z',
      labelIds: ['label-a'],
      dueComplete: true,
      version: 5,
    });
  });

  it('the same field from the same base version: the first wins, the second is 409 with conflicts and changes nothing', () => {
    const first = write(base(), edit({ description: 'Ana’s', version: 1 }), ANA);
    const error = refusal(first, edit({ description: 'Bob’s', title: 'Bob’s title', version: 1 }), BOB);
    expect(error.code).toBe('version_conflict');
    expect(error.status).toBe(409);
    expect(error.details).toEqual({
      field: 'description',
      currentVersion: 2,
      conflicts: [{ field: 'description', value: 'Ana’s', version: 2, by: ANA }],
    });
    // Seeing Ana's version, Bob's write goes through.
    expect(taskOf(write(first, edit({ description: 'Bob’s', version: 2 }), BOB)).description).toBe('Bob’s');
  });

  it('labels and assignees are add/remove sets: never a conflict', () => {
    let board = write(
      base(),
      edit({ labels: { add: ['label-a'] }, assignees: { add: [BOB.userId] }, version: 1 }),
      ANA,
    );
    board = write(
      board,
      edit({
        labels: { add: ['label-b'], remove: ['label-a'] },
        assignees: { add: [ANA.userId] },
        version: 1,
      }),
      BOB,
    );
    expect(taskOf(board)).toMatchObject({ labelIds: ['label-b'], assigneeIds: [BOB.userId, ANA.userId] });
  });

  it('dueComplete and archived set a value: both setting it converge, no conflict, no second event', () => {
    const first = write(base(), edit({ dueComplete: true, archived: true, version: 1 }), ANA);
    const second = write(first, edit({ dueComplete: true, archived: true, version: 1 }), BOB);
    expect(second).toBe(first);
    expect(taskOf(second)).toMatchObject({ dueComplete: true, archivedAt: T0 });
  });

  it('moves: last move wins; with version, a move conflicts only with a move after the base', () => {
    let board = write(base(), edit({ title: 'Renamed', version: 1 }), ANA);
    // A rename after the base does not refuse Bob's move.
    board = write(board, edit({ listId: 'list-2', version: 1 }), BOB);
    expect(taskOf(board).listId).toBe('list-2');
    // Ana's move from the same base: Bob's move came after it.
    const error = refusal(board, edit({ beforeId: 'task-0', listId: 'list-1', version: 1 }), ANA);
    expect(error.details).toMatchObject({
      field: 'position',
      conflicts: [
        {
          field: 'position',
          value: { listId: 'list-2', position: taskOf(board).position },
          version: 3,
          by: BOB,
        },
      ],
    });
    // Without version the last move wins.
    board = write(board, edit({ listId: 'list-1', beforeId: 'task-0' }), ANA);
    expect(board.lists[0]!.tasks.map((candidate) => candidate.id)).toEqual(['task-1', 'task-0']);
  });

  it('anything against a delete is task_not_found', () => {
    const deleted = write(base(), { type: 'delete_task', taskId: 'task-1' }, ANA);
    expect(refusal(deleted, edit({ title: 'late', version: 1 }), BOB).code).toBe('task_not_found');
  });

  it('no version (scripts, CLI): last write wins per field, never per task', () => {
    let board = write(base(), edit({ title: 'Ana', description: 'kept' }), ANA);
    board = write(board, edit({ title: 'Bob' }), BOB);
    expect(taskOf(board)).toMatchObject({ title: 'Bob', description: 'kept' });
  });

  it('a version ahead of the task is refused, not trusted', () => {
    expect(refusal(base(), edit({ title: 'x', version: 9 }), ANA)).toMatchObject({
      code: 'version_conflict',
      details: { field: 'version', currentVersion: 1 },
    });
  });
});
