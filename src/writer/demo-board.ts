import type { BoardWriter } from './board-writer.js';

/**
 * The demo board of a store's first start, so that `curl -N …/boards/board-1/events` works out of the
 * box. Written through the one write path like any change, so its history is ordinary events 1..N.
 */
export async function seedDemoBoard(writer: BoardWriter): Promise<void> {
  const boardId = 'board-1';
  // Open to everyone, owned by no one: the README's walk-through works on a fresh server with no account.
  await writer.createBoard({ id: boardId, title: 'Demo board', visibility: 'public_edit', listed: true }, {});
  for (const [id, title] of [
    ['list-todo', 'To do'],
    ['list-doing', 'Doing'],
    ['list-done', 'Done'],
  ] as const) {
    await writer.execute(boardId, { type: 'create_list', id, title }, {});
  }
  const tasks: Array<[listId: string, title: string, description: string]> = [
    [
      'list-todo',
      'Open this board in two windows',
      'Every change you make in one shows up in the other at once.',
    ],
    ['list-todo', 'Tail the board from a terminal', 'curl -N http://localhost:3000/boards/board-1/events'],
    [
      'list-doing',
      'Drag a task to another list',
      'By mouse, or by keyboard: focus a task, Space to lift, arrows to move.',
    ],
    ['list-done', 'Start Liveboard', 'npm install && npm start'],
  ];
  for (const [listId, title, description] of tasks) {
    await writer.execute(boardId, { type: 'create_task', listId, title, description }, {});
  }
}
