import type { Board, BoardEvent } from '../domain/index.js';

/**
 * What a write answers, derived from the event and the board after it, so that every backend
 * answers alike: 201 with the new entity, 200 with the changed one (a list with its tasks, a board
 * with its lists), 204 for a deletion.
 */
export function responseForEvent(
  event: BoardEvent,
  boardAfter: Board,
): { status: number; bodyJson: string | null } {
  switch (event.type) {
    case 'task_created':
      return { status: 201, bodyJson: JSON.stringify(event.task) };
    case 'task_updated':
    case 'task_moved':
      return { status: 200, bodyJson: JSON.stringify(event.task) };
    case 'list_created':
    case 'list_updated':
    case 'list_moved': {
      const list = boardAfter.lists.find((candidate) => candidate.id === event.list.id);
      return { status: event.type === 'list_created' ? 201 : 200, bodyJson: JSON.stringify(list) };
    }
    case 'board_updated':
      return { status: 200, bodyJson: JSON.stringify(boardAfter) };
    case 'task_deleted':
    case 'list_deleted':
    case 'board_deleted':
      return { status: 204, bodyJson: null };
  }
}
