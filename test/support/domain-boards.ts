/**
 * What the domain's tests (src/domain/*.test.ts) build boards with: the same people and times, an
 * empty board with its members, a command stamped as the store stamps it, and the refusal a
 * command meets. Pure, as src/domain/ is: no I/O and no server.
 */
import {
  decide,
  emptyBoard,
  LiveboardError,
  stampEvent,
  type Author,
  type Board,
  type BoardCommand,
  type BoardEvent,
  type DecideContext,
  type Task,
} from '../../src/domain/index.js';

/** When the boards are made. */
export const T0 = '2026-01-01T00:00:00.000Z';
/** When the commands run, a day later. */
export const NOW = '2026-01-02T00:00:00.000Z';

export const OWNER: Author = { userId: 'user-owner', username: 'olga' };
export const ANA: Author = { userId: 'user-ana', username: 'ana' };
export const BOB: Author = { userId: 'user-bob', username: 'bob' };

/** An empty board made at T0: `owner` its owner, `editors` its editors. */
export function boardOf(id: string, title: string, owner: Author, ...editors: Author[]): Board {
  return emptyBoard({
    id,
    title,
    createdAt: T0,
    members: [
      { ...owner, role: 'owner' },
      ...editors.map((editor) => ({ ...editor, role: 'editor' as const })),
    ],
  });
}

/** The stamped event a command becomes (or null for a no-change), as a subscriber receives it. */
export function stampedEvent(board: Board, command: BoardCommand, context: DecideContext): BoardEvent | null {
  const draft = decide(board, command, context);
  return draft === null ? null : stampEvent(draft, board.seq + 1, context.now, context.by);
}

/** The LiveboardError `action` throws; fails the test if it throws none. */
export function errorOf(action: () => unknown): LiveboardError {
  try {
    action();
  } catch (error) {
    if (error instanceof LiveboardError) return error;
    throw error;
  }
  throw new Error('expected a LiveboardError, but the command was accepted');
}

export const taskOf = (board: Board, taskId = 'task-1'): Task =>
  board.lists.flatMap((list) => list.tasks).find((task) => task.id === taskId)!;
