import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../test/support/server.js';

describe('stopping on SIGTERM', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('ends open streams, exits 0, and keeps every acknowledged write', async () => {
    const stream = await fetch(`${server.url}/boards/board-1/events`);
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read(); // the retry: line: the stream is open

    const response = await fetch(`${server.url}/boards/board-1/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ listId: 'list-todo', title: 'written before stopping' }),
    });
    const exitCode = server.stop();

    // The stream ends (not hangs): the client reconnects elsewhere and resumes.
    let ended = false;
    const deadline = Date.now() + 5000;
    while (!ended && Date.now() < deadline) ended = (await reader.read()).done;
    expect(ended).toBe(true);
    expect(await exitCode).toBe(0);
    expect(response.status).toBe(201);

    await server.restart();
    const board = (await (await fetch(`${server.url}/boards/board-1`)).json()) as {
      lists: Array<{ tasks: Array<{ title: string }> }>;
    };
    const titles = board.lists.flatMap((list) => list.tasks.map((task) => task.title));
    expect(titles).toContain('written before stopping');
  });
});
