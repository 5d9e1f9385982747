import { beforeAll, describe, expect, it } from 'vitest';
import { LiveboardClient } from '../client/index.js';
import type { StreamMessage } from '../domain/index.js';
import { testUser } from '../../test/support/http.js';
import { outputOf, runCli, spawnCli, waitFor, type CliResult } from '../../test/support/cli.js';
import { freePort, useServer } from '../../test/support/server.js';

const live = useServer({ env: { LIVEBOARD_RETRY_MS: '100' } });
let client: LiveboardClient;

let token: string;

beforeAll(async () => {
  // The CLI and this client act as the test user, by LIVEBOARD_TOKEN: the boards are theirs, and private.
  token = (await testUser(live.server.url)).token;
  client = new LiveboardClient({ baseUrl: live.server.url, token });
});

/** Runs `liveboard …` as the test user to the end (bounded in time). */
function cli(args: string[], env: Record<string, string> = {}, entry?: string): Promise<CliResult> {
  return runCli(args, { url: live.server.url, env: { LIVEBOARD_TOKEN: token, ...env }, entry });
}

async function newBoard(): Promise<{ boardId: string; todo: string; done: string }> {
  const boardId = (await client.createBoard({ title: 'CLI board' })).data.id;
  const todo = (await client.createList(boardId, { title: 'To do' })).data.id;
  const done = (await client.createList(boardId, { title: 'Done' })).data.id;
  return { boardId, todo, done };
}

describe('liveboard tail', () => {
  it('--json prints each event once, one JSON per line, through a server restart (card events too), and says so on stderr', async () => {
    const { boardId, todo } = await newBoard();
    const child = spawnCli(['tail', boardId, '--from', '0', '--json'], {
      url: live.server.url,
      env: { LIVEBOARD_TOKEN: token },
    });
    const output = outputOf(child);
    const lines = (): StreamMessage[] =>
      output
        .stdout()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as StreamMessage);
    try {
      await waitFor(() => lines().length === 2, 'the two list events');
      const before = await client.createTask(boardId, { listId: todo, title: 'before the crash' });
      await waitFor(() => lines().length === 3, 'the first task');

      await live.server.kill();
      await live.server.restart();
      const task = await client.createTask(boardId, { listId: todo, title: 'after the crash' });
      await client.deleteTask(boardId, task.data.id);
      // Card events too: a label, then one PATCH with labels and a due date, then a comment.
      const label = await client.createLabel(boardId, { name: 'bug', color: 'red' });
      await client.updateTask(boardId, before.data.id, {
        labels: { add: [label.data.id], remove: [] },
        dueAt: '2026-12-03T17:00:00Z',
      });
      await client.addComment(boardId, { taskId: before.data.id, body: 'after the crash' });
      await waitFor(() => lines().length === 8, 'the events after the restart');
      await waitFor(() => /reconnected/.test(output.stderr()), 'the reconnect notice');
      await new Promise((resolve) => setTimeout(resolve, 200));

      expect(lines().map((message) => [message.seq, message.type])).toEqual([
        [1, 'list_created'],
        [2, 'list_created'],
        [3, 'task_created'],
        [4, 'task_created'],
        [5, 'task_deleted'],
        [6, 'label_created'],
        [7, 'task_updated'],
        [8, 'comment_added'],
      ]);
      expect(lines()[6]).toMatchObject({
        changes: {
          labelIds: { add: [label.data.id], remove: [] },
          dueAt: { from: null, to: '2026-12-03T17:00:00.000Z' },
        },
      });
      expect(output.stderr()).toMatch(/connection lost after seq 3/);
      expect(output.stderr()).toMatch(/reconnected, resuming after seq 3/);
    } finally {
      const exited = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });

  it('prints readable lines without --json and exits 0 when the board is deleted', async () => {
    const { boardId, todo } = await newBoard();
    await client.createTask(boardId, { listId: todo, title: 'Ship it' });
    await client.deleteBoard(boardId);
    const result = await cli(['tail', boardId, '--from', '2']);
    // The board is gone, so even its snapshot is a 404 before the stream starts.
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/board_not_found/);

    const live = await newBoard();
    await client.createTask(live.boardId, { listId: live.todo, title: 'Ship it' });
    const tailing = cli(['tail', live.boardId, '--from', '2']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await client.deleteBoard(live.boardId);
    const ended = await tailing;
    expect(ended.code).toBe(0);
    // Each line is the domain's sentence for the event (describeEvent), names looked up as the event found them.
    expect(ended.stdout).toMatch(/#3 .*task_created +tester-\S+ added “Ship it” to To do/);
    expect(ended.stdout).toMatch(/#4 .*board_deleted +tester-\S+ deleted the board/);
  });
});

describe('liveboard comment, comments, history, search', () => {
  it('comments on a task and lists its comments newest first, as text and --json', async () => {
    const { boardId, todo } = await newBoard();
    const task = (await client.createTask(boardId, { listId: todo, title: 'Write docs' })).data;
    const first = await cli(['comment', boardId, 'write docs', 'First note']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/✓ commented on "Write docs" \(comment-\w+\) \(seq 4\)/);
    expect((await cli(['comment', boardId, task.id, 'Second note', '--json'])).code).toBe(0);

    const listed = await cli(['comments', boardId, 'Write docs']);
    expect(listed.code).toBe(0);
    expect(listed.stdout.indexOf('Second note')).toBeLessThan(listed.stdout.indexOf('First note'));
    const json = await cli(['comments', boardId, task.id, '--limit', '1', '--json']);
    const page = JSON.parse(json.stdout) as { comments: Array<{ body: string }>; nextBefore: number | null };
    expect(page.comments.map((comment) => comment.body)).toEqual(['Second note']);
    expect(page.nextBefore).toEqual(expect.any(Number));

    const blank = await cli(['comment', boardId, task.id, '   ']);
    expect(blank.code).toBe(1);
    expect(blank.stderr).toMatch(/body: must not be blank \(400 validation_failed\)/);
    expect((await cli(['comments', boardId, 'No such task'])).code).toBe(1);
    expect((await cli(['comments', boardId, task.id, '--limit', '0'])).code).toBe(2);
  });

  it("history tells a task's events newest first in sentences, a deleted task's too", async () => {
    const { boardId, todo } = await newBoard();
    const task = (await client.createTask(boardId, { listId: todo, title: 'Write docs' })).data;
    await client.updateTask(boardId, task.id, { listId: (await client.getBoard(boardId)).lists[1]!.id });
    await client.addComment(boardId, { taskId: task.id, body: 'on it' });
    const result = await cli(['history', boardId, 'Write docs']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('Write docs');
    expect(lines.slice(1).map((line) => line.replace(/^ *#\d+ \S+ \S+ /, ''))).toEqual([
      expect.stringMatching(/^tester-\S+ commented on this card: “on it”$/),
      expect.stringMatching(/^tester-\S+ moved this card from To do to Done$/),
      expect.stringMatching(/^tester-\S+ added this card to To do$/),
    ]);
    await client.deleteTask(boardId, task.id);
    const deleted = await cli(['history', boardId, task.id, '--json']);
    expect(deleted.code).toBe(0);
    const page = JSON.parse(deleted.stdout) as { events: Array<{ type: string }> };
    expect(page.events.map((event) => event.type)).toEqual([
      'task_deleted',
      'comment_added',
      'task_moved',
      'task_created',
    ]);
  });

  it('search prints the matching task and field, --json the results; a query without words exits 1', async () => {
    const { boardId, todo } = await newBoard();
    const task = (
      await client.createTask(boardId, { listId: todo, title: 'Crème brûlée', description: 'for the café' })
    ).data;
    const result = await cli(['search', boardId, 'creme']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Crème brûlée title · ${task.id}`);
    const json = await cli(['search', boardId, 'caf', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      results: [
        {
          taskId: task.id,
          field: 'description',
          text: 'for the café',
          offset: 0,
          highlights: [{ start: 8, end: 12 }],
        },
      ],
      nextCursor: null,
    });
    const none = await cli(['search', boardId, '*&|']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/q: must hold at least one word/);
  });
});

describe('liveboard writes', () => {
  it('add, move, rename and rm change the board and exit 0', async () => {
    const { boardId, todo, done } = await newBoard();
    const added = await cli([
      'add',
      boardId,
      'Write docs',
      '--list',
      'to do',
      '--description',
      'CLI section',
      '--json',
    ]);
    expect(added.code).toBe(0);
    const taskId = (JSON.parse(added.stdout) as { data: { id: string } }).data.id;
    let board = await client.getBoard(boardId);
    expect(board.lists[0]!.tasks).toMatchObject([
      { id: taskId, title: 'Write docs', description: 'CLI section' },
    ]);

    const second = await cli(['add', boardId, 'Read docs', '--list', todo, '--before', taskId]);
    expect(second).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/✓ added task-\S+ "Read docs" to To do/),
    });
    expect((await client.getBoard(boardId)).lists[0]!.tasks.map((task) => task.title)).toEqual([
      'Read docs',
      'Write docs',
    ]);

    const moved = await cli(['move', boardId, 'Write docs', '--to', done]);
    expect(moved).toMatchObject({ code: 0, stdout: expect.stringMatching(/moved .* to Done/) });
    const renamed = await cli(['rename', boardId, taskId, 'Write the docs']);
    expect(renamed.code).toBe(0);
    board = await client.getBoard(boardId);
    expect(board.lists[1]!.tasks).toMatchObject([{ id: taskId, title: 'Write the docs', listId: done }]);

    const removed = await cli(['rm', boardId, taskId]);
    expect(removed.code).toBe(0);
    board = await client.getBoard(boardId);
    expect(board.lists.flatMap((list) => list.tasks).map((task) => task.title)).toEqual(['Read docs']);
  });

  it('manages lists: add-list, rename-list, move-list, rm-list', async () => {
    const { boardId, todo } = await newBoard();
    expect((await cli(['add-list', boardId, 'Doing', '--after', 'To do'])).code).toBe(0);
    expect((await cli(['rename-list', boardId, 'Doing', 'In progress'])).code).toBe(0);
    expect((await cli(['move-list', boardId, 'Done', '--before', todo])).code).toBe(0);
    let board = await client.getBoard(boardId);
    expect(board.lists.map((list) => list.title)).toEqual(['Done', 'To do', 'In progress']);
    expect((await cli(['rm-list', boardId, 'In progress'])).code).toBe(0);
    board = await client.getBoard(boardId);
    expect(board.lists.map((list) => list.title)).toEqual(['Done', 'To do']);
  });

  it('boards, show and new-board read and create boards', async () => {
    const created = await cli(['new-board', 'From the terminal', '--json']);
    expect(created.code).toBe(0);
    const boardId = (JSON.parse(created.stdout) as { data: { id: string } }).data.id;
    const boards = await cli(['boards']);
    expect(boards.stdout).toMatch(new RegExp(`${boardId} +From the terminal \\(seq 0\\)`));
    await client.createList(boardId, { title: 'Only list' });
    const shown = await cli(['show', boardId]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/From the terminal/);
    expect(shown.stdout).toMatch(/Only list \(0\)/);
  });
});

describe('liveboard errors', () => {
  it.each([
    [['add', 'board-1'], /missing required argument 'title'/],
    [['move', 'board-1', 'task-x'], /say where to move it: --to <list>/],
    [['add', 'board-1', 'x', '--before', 'a', '--after', 'b'], /use --before or --after, not both/],
    [['tail', 'board-1', '--from', 'yesterday'], /--from takes a seq/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['rm-board', 'board-1'], /--yes/],
    [['boards', '--url', 'localhost:3000'], /--url must be an http\(s\) URL/],
  ])('%j exits 2 and says what to do', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/--help/);
  });

  it('exits 1 when the server says no or a name is not on the board, with the reason', async () => {
    const missingTask = await cli(['rm', 'board-1', 'task-nope']);
    expect(missingTask.code).toBe(1);
    expect(missingTask.stderr).toMatch(/no task "task-nope" on board-1 .*liveboard show board-1/);
    const missingBoard = await cli(['show', 'board-nope']);
    expect(missingBoard.code).toBe(1);
    expect(missingBoard.stderr).toMatch(/404 board_not_found/);
    const invalid = await cli(['add', 'board-1', '   ']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/validation_failed/);
  });

  it('exits 3 when the server cannot be reached, and says how to start one', async () => {
    const result = await cli(['boards'], { LIVEBOARD_URL: `http://127.0.0.1:${await freePort()}` });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/cannot reach Liveboard at http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stderr).toMatch(/liveboard serve/);
  });

  it('bin/liveboard.js shows help with the exit codes, and exits 0', async () => {
    const result = await cli(['--help'], { LIVEBOARD_SKIP_BUILD: '1' }, 'bin/liveboard.js');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: liveboard/);
    expect(result.stdout).toMatch(/3 +cannot reach the server/);
    const sub = await cli(['tail', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/--from <seq>/);
  });
});
