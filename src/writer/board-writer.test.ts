/**
 * The write path on its own: a writer that is not HTTP (an import, an operator command) calls it
 * in-process, and a browser-like subscriber on the real SSE stream hears of the change.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { taskForEvent, type BoardEvent, type Task } from '../domain/index.js';
import { startLiveboard, type RunningLiveboard } from '../main.js';
import type { WriteOutcome } from '../store/store.js';

let folder: string;
let liveboard: RunningLiveboard;
/** What the afterCommit seam saw, and how many events the subscriber had by then. */
const commits: Array<{ outcome: WriteOutcome; heardBefore: number }> = [];
const heard: BoardEvent[] = [];
let stream: EventSource;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'liveboard-writer-'));
  const config = loadConfig(
    { LOG_LEVEL: 'warn' },
    { port: 0, databaseUrl: `file:${join(folder, 'liveboard.db')}`, webRoot: undefined },
  );
  liveboard = await startLiveboard(config, {
    afterCommit: (outcome) => commits.push({ outcome, heardBefore: heard.length }),
  });
  // The demo board is public_edit: anyone (an import with no author included) changes its lists and tasks.
  const seq = (await liveboard.writer.execute('board-1', { type: 'create_list', title: 'Imported' })).seq;
  stream = new EventSource(`${liveboard.url}/boards/board-1/events?lastEventId=${seq}`);
  stream.onmessage = (message) => heard.push(JSON.parse(message.data as string) as BoardEvent);
  await new Promise<void>((resolve, reject) => {
    stream.onopen = () => resolve();
    stream.onerror = () => reject(new Error('stream did not open'));
  });
});

afterAll(async () => {
  stream?.close();
  await liveboard?.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the one write path', () => {
  it('a write that is not HTTP reaches a live SSE subscriber, after its commit', async () => {
    const outcome = await liveboard.writer.execute('board-1', {
      type: 'create_task',
      listId: 'list-todo',
      title: 'imported, not posted',
    });
    expect(outcome).toMatchObject({ change: 'created', replayed: false });
    await until(() => heard.some((event) => event.seq === outcome.seq), 'the event on the stream');
    const event = heard.find((candidate) => candidate.seq === outcome.seq)!;
    expect(event).toMatchObject({
      type: 'task_created',
      by: null,
      task: taskForEvent(outcome.entity as Task),
    });
    // The seam runs between commit and broadcast: the subscriber had not heard of it yet.
    const seen = commits.find((commit) => commit.outcome.seq === outcome.seq)!;
    expect(seen.heardBefore).toBe(heard.indexOf(event));
  });

  it('publishes nothing for a refused write or a replay, and counts only what it published', async () => {
    const written = async () =>
      Number(
        /liveboard_events_written_total (\d+)/.exec(
          await (await fetch(`${liveboard.url}/metrics`)).text(),
        )?.[1] ?? 'NaN',
      );
    const before = await written();
    const options = { idempotencyKey: 'writer-test-key', requestFingerprint: 'create once' };
    const command = { type: 'create_list', title: 'Once' } as const;
    const first = await liveboard.writer.execute('board-1', command, options);
    const replay = await liveboard.writer.execute('board-1', command, options);
    expect(replay).toMatchObject({ replayed: true, seq: first.seq, event: undefined });
    await expect(
      liveboard.writer.execute('board-1', { type: 'delete_list', listId: 'list-nope' }),
    ).rejects.toMatchObject({ code: 'list_not_found' });
    await until(() => heard.some((event) => event.seq === first.seq), 'the list on the stream');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard.filter((event) => event.seq === first.seq)).toHaveLength(1);
    expect(heard.at(-1)!.seq).toBe(first.seq);
    expect(commits.filter((commit) => commit.outcome.seq === first.seq)).toHaveLength(1);
    expect(await written()).toBe(before + 1);
  });

  it('authorizes a write that is not HTTP like any other, and signs its event with its author', async () => {
    const by = { userId: 'user-importer1', username: 'importer' };
    const signed = await liveboard.writer.execute(
      'board-1',
      { type: 'create_list', title: 'Signed' },
      { by },
    );
    await until(() => heard.some((event) => event.seq === signed.seq), 'the signed list on the stream');
    expect(heard.find((event) => event.seq === signed.seq)).toMatchObject({ type: 'list_created', by });
    // The demo board has no owner: nobody renames or deletes it, signed in or not.
    await expect(
      liveboard.writer.execute('board-1', { type: 'update_board', title: 'Mine' }, { by }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(liveboard.writer.execute('board-1', { type: 'delete_board' })).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    const board = (await (await fetch(`${liveboard.url}/boards/board-1`)).json()) as { title: string };
    expect(board.title).toBe('Demo board');
  });
});
