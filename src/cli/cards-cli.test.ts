/**
 * The CLI's card commands as a child process against a real started server: label, labels, due,
 * assign, archive, restore, wip and show's badges and filters, each with --json and an exit code
 * for what goes wrong; and tail through a SIGKILL of the server, telling each card event once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LiveboardClient, type Board, type Label, type List, type Task } from '../client/index.js';
import { signUp, testUser, type TestUser } from '../../test/support/http.js';
import {
  outputOf,
  runCli,
  spawnCli,
  waitFor,
  type CliOptions,
  type CliResult,
} from '../../test/support/cli.js';
import { useServer } from '../../test/support/server.js';

const live = useServer({ env: { LIVEBOARD_RETRY_MS: '100' } });
let me: TestUser;
let client: LiveboardClient;

beforeAll(async () => {
  // The CLI and this client act as the test user (LIVEBOARD_TOKEN): the boards are theirs, and private.
  me = await testUser(live.server.url);
  client = new LiveboardClient({ baseUrl: live.server.url, token: me.token });
});

// Paris, so that local days and times are not UTC's: "tomorrow 17:00" is 16:00 UTC in winter.
const ZONE = 'Europe/Paris';

/** As the test user, in ZONE. */
function asMe(env: Record<string, string> = {}): CliOptions {
  return { url: live.server.url, env: { LIVEBOARD_TOKEN: me.token, TZ: ZONE, ...env } };
}

function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, asMe(env));
}

/** The command succeeded (else the failure shows what it said on stderr). */
async function ok(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const result = await cli(args, env);
  expect(result, result.stderr).toMatchObject({ code: 0 });
  return result;
}

/** A --json write's answer: `{ data, seq, replayed }`. */
function written<T>(result: CliResult): { data: T; seq: number; replayed: boolean } {
  return JSON.parse(result.stdout) as { data: T; seq: number; replayed: boolean };
}

async function newBoard(): Promise<{ boardId: string; todo: string; doing: string; task: Task }> {
  const boardId = (await client.createBoard({ title: 'Cards' })).data.id;
  const todo = (await client.createList(boardId, { title: 'To do' })).data.id;
  const doing = (await client.createList(boardId, { title: 'Doing' })).data.id;
  const task = (await client.createTask(boardId, { listId: todo, title: 'Write docs' })).data;
  return { boardId, todo, doing, task };
}

function taskOf(board: Board, taskId: string): Task {
  return board.lists.flatMap((list) => list.tasks).find((task) => task.id === taskId)!;
}

describe('liveboard label', () => {
  it('lists, makes, changes and deletes labels; a colour outside the palette exits 2 naming them', async () => {
    const { boardId, task } = await newBoard();
    expect((await ok(['label', boardId])).stdout).toMatch(/no labels on board-\S+ yet/);

    const bug = written<Label>(await ok(['label', boardId, 'bug', '--color', 'Red', '--json']));
    expect(bug.data).toMatchObject({ name: 'bug', color: 'red', boardId });
    expect((await ok(['label', boardId, 'urgent', '--color', 'orange-dark'])).stdout).toMatch(
      /^✓ made the label "urgent" \(orange_dark\) \(label-\w+\) \(seq \d+\)\n$/,
    );
    const magenta = await cli(['label', boardId, 'later', '--color', 'magenta']);
    expect(magenta.code).toBe(2);
    expect(magenta.stderr).toMatch(
      /'magenta' is not a label colour; the colours are: green, green_dark, .*black_light/,
    );

    await client.updateTask(boardId, task.id, { labels: { add: [bug.data.id], remove: [] } });
    const listed = await ok(['label', boardId]);
    expect(listed.stdout).toMatch(
      new RegExp(`^bug +red +${bug.data.id} · 1 card\\nurgent +orange_dark +label-\\w+ · 0 cards\\n$`),
    );
    expect(JSON.parse((await ok(['label', boardId, '--json'])).stdout)).toEqual(
      (await client.getBoard(boardId)).labels,
    );

    const renamed = written<Label>(
      await ok(['label', boardId, 'BUG', '--rename', 'defect', '--color', 'none', '--json']),
    );
    expect(renamed.data).toMatchObject({ id: bug.data.id, name: 'defect', color: null });
    const missing = await cli(['label', boardId, 'nothing', '--rename', 'x']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /no label "nothing" on board-\S+ \(labels on board-\S+: "defect", "urgent"/,
    );

    const before = (await client.getBoard(boardId)).seq;
    expect((await ok(['label', boardId, 'defect', '--delete'])).stdout).toMatch(
      /✓ deleted the label "defect" \(no colour\), taken off 1 card/,
    );
    const board = await client.getBoard(boardId);
    expect(board.seq).toBe(before + 1);
    expect(board.labels.map((each) => each.name)).toEqual(['urgent']);
    expect(taskOf(board, task.id).labelIds).toEqual([]);
  });
});

describe('liveboard labels', () => {
  it('adds and removes by name (any case) or id in one write; an unknown name exits 1 unless --create', async () => {
    const { boardId, task } = await newBoard();
    const bug = (await client.createLabel(boardId, { name: 'bug', color: 'red' })).data;
    const urgent = (await client.createLabel(boardId, { name: 'Urgent', color: 'orange' })).data;
    await client.updateTask(boardId, task.id, { labels: { add: [urgent.id], remove: [] } });
    const before = (await client.getBoard(boardId)).seq;

    const changed = await ok(['labels', boardId, 'write docs', '+BUG', '-urgent']);
    expect(changed.stdout).toBe(`✓ "Write docs" has the labels bug (seq ${before + 1})\n`);
    const events = await client.activity(boardId, { taskId: task.id, limit: 1 });
    expect(events.events[0]).toMatchObject({
      type: 'task_updated',
      changes: { labelIds: { add: [bug.id], remove: [urgent.id] } },
    });

    const json = written<Task>(await ok(['labels', boardId, task.id, `+${urgent.id}`, '--json']));
    expect(json.data.labelIds).toEqual([bug.id, urgent.id]);

    const unknown = await cli(['labels', boardId, task.id, '+docs', '-bug']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no label "docs" on board-\S+ .*or add --create/);
    expect(taskOf(await client.getBoard(boardId), task.id).labelIds).toEqual([bug.id, urgent.id]);

    const created = await ok(['labels', boardId, task.id, '+docs', '-bug', '--create']);
    expect(created.stdout).toMatch(/"Write docs" has the labels Urgent, docs/);
    expect(created.stderr).toMatch(/made the label "docs"/);

    const both = await cli(['labels', boardId, task.id, '+bug', '-BUG']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/bug is both added and removed/);
    expect((await cli(['labels', boardId, task.id, '--creat', '+bug'])).code).toBe(2);
  });
});

describe('liveboard due', () => {
  it('sets local dates as UTC instants, the reminder and done; none clears; a bad date exits 2', async () => {
    const { boardId, task } = await newBoard();
    const set = written<Task>(
      await ok(['due', boardId, task.id, '2026-12-03', '17:00', '--remind', '60', '--json']),
    );
    // 17:00 in Paris in December is 16:00 UTC.
    expect(set.data).toMatchObject({ dueAt: '2026-12-03T16:00:00.000Z', reminder: 60, dueComplete: false });

    const text = await ok([
      'due',
      boardId,
      'Write docs',
      '2027-01-05',
      '--start',
      '2027-01-04 09:00',
      '--done',
    ]);
    expect(text.stdout).toMatch(
      /^✓ "Write docs": starts Mon 4 Jan 2027 09:00, done Tue 5 Jan 2027 12:00, reminder 60 min before \(seq \d+\)\n$/,
    );
    let stored = taskOf(await client.getBoard(boardId), task.id);
    expect(stored).toMatchObject({
      startAt: '2027-01-04T08:00:00.000Z',
      dueAt: '2027-01-05T11:00:00.000Z',
      dueComplete: true,
    });

    const tomorrow = await ok([
      'due',
      boardId,
      task.id,
      'tomorrow',
      '--start',
      'none',
      '--not-done',
      '--json',
    ]);
    const due = new Date(written<Task>(tomorrow).data.dueAt!);
    expect(due.toLocaleString('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit' })).toBe('12:00');
    expect(written<Task>(tomorrow).data.dueComplete).toBe(false);

    expect((await ok(['due', boardId, task.id])).stdout).toMatch(
      /^"Write docs": due (soon )?\w{3} \d+ \w{3} 12:00, reminder 60 min before\n$/,
    );

    await ok(['due', boardId, task.id, 'none', '--start', 'none']);
    stored = taskOf(await client.getBoard(boardId), task.id);
    expect(stored).toMatchObject({ startAt: null, dueAt: null, dueComplete: false, reminder: null });

    const bad = await cli(['due', boardId, task.id, 'next', 'week']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot read 'next week' as a due date\nA date is one of:/);
    // Done needs a due date: the server says no (exit 1) and nothing changes.
    const refused = await cli(['due', boardId, task.id, '--done']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/validation_failed/);
  });
});

describe('liveboard assign', () => {
  it('assigns members by username and me in one write; a non-member exits 1, me signed out exits 4', async () => {
    const { boardId, task } = await newBoard();
    const ana = await signUp(live.server.url, `ana-${process.pid}`);
    const bob = await signUp(live.server.url, `bob-${process.pid}`);
    await client.addMember(boardId, { username: ana.username, role: 'editor' });

    const assigned = await ok(['assign', boardId, 'Write docs', '+me', ana.username.toUpperCase()]);
    expect(assigned.stdout).toMatch(
      new RegExp(`"Write docs" is assigned to ${me.username}, ${ana.username} \\(seq`),
    );
    const json = written<Task>(await ok(['assign', boardId, task.id, '-me', '--json']));
    expect(json.data.assigneeIds).toEqual([ana.id]);

    const stranger = await cli(['assign', boardId, task.id, `+${bob.username}`]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(
      new RegExp(
        `${bob.username} is not a member of ${boardId} .*liveboard share ${boardId} ${bob.username}`,
      ),
    );

    // On a board anyone may edit: a signed-in stranger assigning themself is the server's member_not_found…
    await client.setAccess(boardId, { visibility: 'public_edit' });
    const notMember = await cli(['assign', boardId, task.id, '+me'], { LIVEBOARD_TOKEN: bob.token });
    expect(notMember.code).toBe(1);
    expect(notMember.stderr).toMatch(/only members of board-\S+ may be assigned.*\(404 member_not_found\)/);
    // …and `me` signed out is nobody.
    const anonymous = await cli(['assign', boardId, task.id, '+me'], { LIVEBOARD_TOKEN: '' });
    expect(anonymous.code).toBe(4);
    expect(anonymous.stderr).toMatch(
      /'me' is whoever the CLI is signed in as.*\nsign in first: `liveboard login`/,
    );
    expect(taskOf(await client.getBoard(boardId), task.id).assigneeIds).toEqual([ana.id]);
  });
});

describe('liveboard archive, restore, wip', () => {
  it('archives and restores; a restore, add or move into a full hard list is refused in words with exit 1', async () => {
    const { boardId, doing } = await newBoard();
    const first = (await client.createTask(boardId, { listId: doing, title: 'First' })).data;

    const limited = written<List>(await ok(['wip', boardId, 'doing', '1', '--hard', '--json']));
    expect(limited.data).toMatchObject({ id: doing, wipLimit: 1, wipHard: true });
    expect((await ok(['wip', boardId, 'Doing'])).stdout).toBe(
      'Doing: WIP 1 / 1 (hard: a task past it is refused)\n',
    );

    const archived = written<Task>(await ok(['archive', boardId, 'First', '--json']));
    expect(archived.data.archivedAt).toEqual(expect.any(String));
    // Archived tasks do not count: the list has room for another.
    await client.createTask(boardId, { listId: doing, title: 'Second' });

    const refused = await cli(['restore', boardId, first.id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `liveboard: cannot restore "First": Doing is at its hard WIP limit, 1 of at most 1 tasks; move or archive one of them, or raise the limit: liveboard wip ${boardId} "Doing" 2 (409 wip_limit_reached)\n`,
    );

    await ok(['wip', boardId, 'Doing', '2']);
    expect((await ok(['restore', boardId, first.id])).stdout).toMatch(
      /✓ restored "First" to Doing \(seq \d+\)/,
    );
    expect(taskOf(await client.getBoard(boardId), first.id).archivedAt).toBeNull();

    // Adding or moving into the full list is told the same way.
    const added = await cli(['add', boardId, 'Third', '--list', 'Doing']);
    expect(added.code).toBe(1);
    expect(added.stderr).toMatch(/cannot add "Third": Doing is at its hard WIP limit, 2 of at most 2 tasks/);
    const moved = await cli(['move', boardId, 'Write docs', '--to', 'Doing']);
    expect(moved.code).toBe(1);
    expect(moved.stderr).toMatch(/cannot move "Write docs": Doing is at its hard WIP limit, 2 of at most 2/);

    expect((await ok(['wip', boardId, 'Doing', 'none', '--soft'])).stdout).toMatch(/✓ Doing: no WIP limit/);
    for (const args of [
      ['wip', boardId, 'Doing', '0'],
      ['wip', boardId, 'Doing', '3', '--hard', '--soft'],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
    }
    expect((await cli(['archive', boardId, 'No such task'])).code).toBe(1);
  });
});

describe('liveboard show', () => {
  it('shows badges in words and filters by label, assignee, due date and text, "n of m" in the headers', async () => {
    const { boardId, todo, doing, task } = await newBoard();
    const bug = (await client.createLabel(boardId, { name: 'bug', color: 'red' })).data;
    const ui = (await client.createLabel(boardId, { name: 'ui', color: 'sky' })).data;
    await client.updateTask(boardId, task.id, {
      labels: { add: [bug.id, ui.id], remove: [] },
      assignees: { add: [me.id], remove: [] },
      dueAt: '2020-01-01T12:00:00Z',
    });
    await client.addComment(boardId, { taskId: task.id, body: 'soon' });
    const soon = new Date(Date.now() + 3 * 3600_000).toISOString();
    await client.createTask(boardId, { listId: todo, title: 'Fix login', labelIds: [bug.id], dueAt: soon });
    await client.createTask(boardId, { listId: doing, title: 'Plan release' });
    const old = (await client.createTask(boardId, { listId: doing, title: 'Old idea' })).data;
    await client.updateTask(boardId, old.id, { archived: true });
    await client.updateList(boardId, doing, { wipLimit: 3 });

    const all = await ok(['show', boardId]);
    expect(all.stdout).toMatch(/To do \(2\) +Doing \(1 \/ 3\)/);
    expect(all.stdout).toMatch(new RegExp(`\\[bug\\] · \\[ui\\]`));
    expect(all.stdout).toMatch(/overdue Wed 1 Jan 2020 13:00/);
    expect(all.stdout).toContain(`@${me.username}`);
    expect(all.stdout).toMatch(/1 comment\b/);
    expect(all.stdout).toMatch(/due soon /);
    expect(all.stdout).not.toContain('Old idea');
    expect((await ok(['show', boardId, '--archived'])).stdout).toMatch(/Old idea[\s\S]*archived/);

    const titles = async (...args: string[]): Promise<string[]> => {
      const board = JSON.parse((await ok(['show', boardId, ...args, '--json'])).stdout) as Board;
      return board.lists.flatMap((list) => list.tasks.map((each) => each.title));
    };
    expect(await titles('--label', 'BUG')).toEqual(['Write docs', 'Fix login']);
    expect(await titles('--label', 'bug', '--label', 'ui', '--all-labels')).toEqual(['Write docs']);
    expect(await titles('--label', 'none')).toEqual(['Plan release']);
    expect(await titles('--assignee', 'me')).toEqual(['Write docs']);
    expect(await titles('--assignee', 'none')).toEqual(['Fix login', 'Plan release']);
    expect(await titles('--due', 'overdue')).toEqual(['Write docs']);
    expect(await titles('--due', 'soon')).toEqual(['Fix login']);
    expect(await titles('--due', 'none')).toEqual(['Plan release']);
    expect(await titles('--text', 'login FIX')).toEqual(['Fix login']);
    expect(await titles('--archived', '--text', 'idea')).toEqual(['Old idea']);

    const filtered = await ok(['show', boardId, '--label', 'bug']);
    expect(filtered.stdout).toMatch(/To do \(2 of 2\) +Doing \(0 of 1, WIP 1 \/ 3\)/);
    expect(filtered.stdout).toMatch(/\(none match\)/);

    const unknown = await cli(['show', boardId, '--label', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no label "nope" on board-\S+ \(labels on board-\S+: "bug", "ui"/);
    const badDue = await cli(['show', boardId, '--due', 'later']);
    expect(badDue.code).toBe(2);
    expect(badDue.stderr).toMatch(/--due takes overdue, soon, today, week, none, done/);
  });
});

describe('liveboard tail and card events', () => {
  it("tells each card event once in describeEvent's words, through a SIGKILL of the server", async () => {
    const { boardId, task } = await newBoard();
    const child = spawnCli(['tail', boardId], asMe());
    const output = outputOf(child);
    const lines = (): string[] => output.stdout().split('\n').filter(Boolean);
    try {
      await waitFor(() => /tailing/.test(output.stderr()), 'tail to start');
      await ok(['label', boardId, 'bug', '--color', 'red']);
      await ok(['labels', boardId, task.id, '+bug']);
      await waitFor(() => lines().length === 2, 'the label events');

      await live.server.kill();
      await waitFor(() => /connection lost after seq 5/.test(output.stderr()), 'the lost connection');
      await live.server.restart();
      await ok(['due', boardId, task.id, '2026-12-03T17:00:00Z', '--remind', '30']);
      await ok(['comment', boardId, task.id, 'Ship it']);
      await ok(['assign', boardId, task.id, '+me']);
      await ok(['archive', boardId, task.id]);
      await waitFor(() => lines().length === 6, 'the events after the restart');
      await waitFor(() => /reconnected, resuming after seq 5/.test(output.stderr()), 'the reconnect notice');
      await new Promise((resolve) => setTimeout(resolve, 300));

      const who = me.username;
      expect(lines().map((line) => line.replace(/^ *(#\d+) \d\d:\d\d:\d\d (\w+) +/, '$1 $2 '))).toEqual([
        `#4 label_created ${who} made the label “bug” (red)`,
        `#5 task_updated ${who} added the label “bug” to “Write docs”`,
        `#6 task_updated ${who} set the due date of “Write docs” to 2026-12-03 17:00 UTC and set a reminder 30 minutes before it is due`,
        `#7 comment_added ${who} commented on “Write docs”: “Ship it”`,
        `#8 task_updated ${who} assigned ${who} to “Write docs”`,
        `#9 task_updated ${who} archived “Write docs”`,
      ]);
    } finally {
      const exited = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });
});
