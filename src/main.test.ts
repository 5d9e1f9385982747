import { describe, expect, it } from 'vitest';
import { useServer } from '../test/support/server.js';

describe('stopping on SIGTERM', () => {
  const live = useServer();

  it('ends open streams, exits 0, and keeps every acknowledged write', async () => {
    const stream = await fetch(`${live.server.url}/boards/board-1/events`);
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read(); // the retry: line: the stream is open

    const response = await fetch(`${live.server.url}/boards/board-1/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ listId: 'list-todo', title: 'written before stopping' }),
    });
    const exitCode = live.server.stop();

    // The stream ends (not hangs): the client reconnects elsewhere and resumes.
    let ended = false;
    const deadline = Date.now() + 5000;
    while (!ended && Date.now() < deadline) ended = (await reader.read()).done;
    expect(ended).toBe(true);
    expect(await exitCode).toBe(0);
    expect(response.status).toBe(201);

    await live.server.restart();
    const board = (await (await fetch(`${live.server.url}/boards/board-1`)).json()) as {
      lists: Array<{ tasks: Array<{ title: string }> }>;
    };
    const titles = board.lists.flatMap((list) => list.tasks.map((task) => task.title));
    expect(titles).toContain('written before stopping');
  });
});
