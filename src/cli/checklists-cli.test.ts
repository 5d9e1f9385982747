import { beforeAll, describe, expect, it } from 'vitest';
import { LiveboardClient, type Task } from '../client/index.js';
import { testUser } from '../../test/support/http.js';
import { runCli, type CliResult } from '../../test/support/cli.js';
import { useServer } from '../../test/support/server.js';

const live = useServer();
let client: LiveboardClient;
let token: string;

beforeAll(async () => {
  token = (await testUser(live.server.url)).token;
  client = new LiveboardClient({ baseUrl: live.server.url, token });
});

/** Runs `liveboard …` as a child process to the end (bounded in time), as the test user. */
function cli(args: string[]): Promise<CliResult> {
  return runCli(args, { url: live.server.url, env: { LIVEBOARD_TOKEN: token } });
}

async function boardWithTask(): Promise<{ boardId: string; taskId: string }> {
  const boardId = (await client.createBoard({ title: 'CLI checklists' })).data.id;
  const listId = (await client.createList(boardId, { title: 'To do' })).data.id;
  const taskId = (await client.createTask(boardId, { listId, title: 'Write docs' })).data.id;
  return { boardId, taskId };
}

async function taskOf(boardId: string, taskId: string): Promise<Task> {
  const board = await client.getBoard(boardId);
  return board.lists.flatMap((list) => list.tasks).find((task) => task.id === taskId)!;
}

describe('liveboard checklist, check and link against a real server', () => {
  it('checklist add makes a checklist with its items; check ticks one by its text, --undo unticks it; show says 1/3', async () => {
    const { boardId, taskId } = await boardWithTask();
    const added = await cli([
      'checklist',
      'add',
      boardId,
      'Write docs',
      'Steps',
      '--item',
      'Draft',
      '--item',
      'Review',
      '--item',
      'Publish',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(
      /^✓ added the checklist "Steps" \(3 items\) to "Write docs" \(checklist-\w+\) \(seq \d+\)\n$/,
    );
    const task = await taskOf(boardId, taskId);
    expect(task.checklists[0]!.items.map((item) => [item.text, item.done])).toEqual([
      ['Draft', false],
      ['Review', false],
      ['Publish', false],
    ]);

    const checked = await cli(['check', boardId, taskId, 'review']);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/^✓ checked "Review" on "Write docs" \(1\/3\) \(seq \d+\)\n$/);
    // Setting, not toggling: again is the same answer, and no change.
    const seq = (await client.getBoard(boardId)).seq;
    expect((await cli(['check', boardId, taskId, 'Review'])).code).toBe(0);
    expect((await client.getBoard(boardId)).seq).toBe(seq);

    const shown = await cli(['show', boardId]);
    expect(shown.stdout).toMatch(/☑ 1\/3/);

    const itemId = task.checklists[0]!.items[0]!.id;
    expect((await cli(['check', boardId, taskId, itemId])).code).toBe(0);
    const undone = await cli(['check', boardId, 'Write docs', 'Review', '--undo']);
    expect(undone.stdout).toMatch(/unchecked "Review" on "Write docs" \(1\/3\)/);
    const after = await taskOf(boardId, taskId);
    expect(after.checklists[0]!.items.map((item) => item.done)).toEqual([true, false, false]);
  });

  it('history tells checklist, item and link events in words (describeEvent)', async () => {
    const { boardId, taskId } = await boardWithTask();
    expect((await cli(['checklist', 'add', boardId, taskId, 'Steps', '--item', 'Draft'])).code).toBe(0);
    expect((await cli(['check', boardId, taskId, 'Draft'])).code).toBe(0);
    expect((await cli(['link', boardId, taskId, 'https://example.com/spec', '--title', 'Spec'])).code).toBe(
      0,
    );
    const history = await cli(['history', boardId, taskId]);
    expect(history.code, history.stderr).toBe(0);
    const sentences = history.stdout
      .split('\n')
      .slice(1, 4)
      .map((line) => line.replace(/^\s*#\d+ \S+ \S+ /, ''));
    const who = (await client.me())!.username;
    expect(sentences).toEqual([
      `${who} linked “Spec” to this card`,
      `${who} checked “Draft” on this card`,
      `${who} added the checklist “Steps” with 1 item to this card`,
    ]);
  });

  it('--json prints the write (data, seq, replayed)', async () => {
    const { boardId, taskId } = await boardWithTask();
    const added = await cli(['--json', 'checklist', 'add', boardId, taskId, 'Steps', '--item', 'One']);
    expect(added.code, added.stderr).toBe(0);
    const written = JSON.parse(added.stdout) as { data: { taskId: string; items: unknown[] }; seq: number };
    expect(written).toMatchObject({
      data: { taskId, items: [{ text: 'One', done: false }] },
      replayed: false,
    });
    const checked = await cli(['--json', 'check', boardId, taskId, 'one']);
    expect(JSON.parse(checked.stdout)).toMatchObject({
      data: { text: 'One', done: true },
      seq: written.seq + 1,
    });
    const linked = await cli(['--json', 'link', boardId, taskId, 'https://example.com/x']);
    expect(JSON.parse(linked.stdout)).toMatchObject({ data: { url: 'https://example.com/x', title: '' } });
  });

  it('link adds a link with a title and --remove takes it off by its URL', async () => {
    const { boardId, taskId } = await boardWithTask();
    const linked = await cli(['link', boardId, taskId, 'https://example.com/spec', '--title', 'Spec']);
    expect(linked.code, linked.stderr).toBe(0);
    expect(linked.stdout).toMatch(/^✓ linked https:\/\/example\.com\/spec to "Write docs" \(link-\w+\)/);
    expect((await taskOf(boardId, taskId)).links).toEqual([
      { id: expect.stringMatching(/^link-/), url: 'https://example.com/spec', title: 'Spec' },
    ]);
    const removed = await cli(['link', boardId, taskId, 'https://example.com/spec', '--remove']);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await taskOf(boardId, taskId)).links).toEqual([]);
  });

  it('link edits a link the task has (by URL or id): --title and --to in one write, shown without them, never linked twice', async () => {
    const { boardId, taskId } = await boardWithTask();
    expect((await cli(['link', boardId, taskId, 'https://example.com/spec', '--title', 'Spec'])).code).toBe(
      0,
    );
    const seq = (await client.getBoard(boardId)).seq;
    const renamed = await cli([
      'link',
      boardId,
      'Write docs',
      'https://example.com/spec',
      '--title',
      'API spec',
    ]);
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stdout).toMatch(
      /^✓ link "API spec" https:\/\/example\.com\/spec on "Write docs" \(link-\w+\) \(seq \d+\)\n$/,
    );
    const [link] = (await taskOf(boardId, taskId)).links;
    expect(link).toMatchObject({ url: 'https://example.com/spec', title: 'API spec' });
    const moved = await cli([
      '--json',
      'link',
      boardId,
      taskId,
      link!.id,
      '--to',
      'https://example.com/api',
      '--title',
      '',
    ]);
    expect(JSON.parse(moved.stdout)).toEqual({
      data: { id: link!.id, taskId, url: 'https://example.com/api', title: '' },
      seq: seq + 2,
      replayed: false,
    });
    // Named again without options: shown, nothing written; never a second link with the same URL.
    const shown = await cli(['link', boardId, taskId, 'https://example.com/api']);
    expect(shown.stdout).toBe(`https://example.com/api on "Write docs" ${link!.id}\n`);
    expect((await client.getBoard(boardId)).seq).toBe(seq + 2);
    expect((await taskOf(boardId, taskId)).links).toHaveLength(1);
    const history = await cli(['history', boardId, taskId, '--limit', '2']);
    const who = (await client.me())!.username;
    expect(history.stdout).toContain(
      `${who} took the title off the link “API spec” and pointed it to https://example.com/api on this card`,
    );
    expect(history.stdout).toContain(`${who} renamed the link “Spec” to “API spec” on this card`);

    const unsafe = await cli(['link', boardId, taskId, link!.id, '--to', 'javascript:alert(1)']);
    expect(unsafe.code).toBe(1);
    expect(unsafe.stderr).toMatch(/url: must be an http, https or mailto URL \(400 validation_failed\)/);
    const unknown = await cli([
      'link',
      boardId,
      taskId,
      'https://nowhere.example',
      '--to',
      'https://a.example',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no link "https:\/\/nowhere\.example" on "Write docs"/);
    expect((await cli(['link', boardId, taskId, link!.id, '--remove', '--title', 'x'])).code).toBe(2);
    expect((await taskOf(boardId, taskId)).links).toEqual([
      { id: link!.id, url: 'https://example.com/api', title: '' },
    ]);
  });

  it('exit codes: an unsafe URL or an unknown item is refused (1) with the reason; missing arguments are usage (2)', async () => {
    const { boardId, taskId } = await boardWithTask();
    const unsafe = await cli(['link', boardId, taskId, 'javascript:alert(1)']);
    expect(unsafe.code).toBe(1);
    expect(unsafe.stderr).toMatch(/url: must be an http, https or mailto URL \(400 validation_failed\)/);
    const unknown = await cli(['check', boardId, taskId, 'nothing']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /no checklist item "nothing" on "Write docs" \(it has no checklist items\)/,
    );
    const missingLink = await cli(['link', boardId, taskId, 'https://nowhere.example', '--remove']);
    expect(missingLink.code).toBe(1);
    expect((await cli(['check', boardId])).code).toBe(2);
    expect((await cli(['checklist', 'add', boardId, taskId])).code).toBe(2);
  });
});
