/**
 * The README's curl walk-through, as written, against a fresh server with no account: its commands
 * are read out of README.md (so an edit there is tested) and run with the real curl, the server's
 * address put in for localhost:3000. It is the first thing a new user tries; accounts must not
 * have broken it.
 */
import { spawn, execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useServer } from './support/server.js';

const run = promisify(execFile);
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The walk-through's section: from its heading to the next one. */
const section = README.slice(
  README.indexOf('## See it live, with curl'),
  README.indexOf('\n## ', README.indexOf('## See it live, with curl') + 1),
);

/** Each curl command of the section's sh blocks, continuation lines joined, comments dropped. */
function curlCommands(text: string): string[] {
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('curl ')),
  );
}

/** A command line's words, as sh would split this simple subset (single quotes, no expansions). */
function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2]!);
}

describe('the README walk-through with curl', () => {
  const started = useServer();

  it('runs as written with no account: the stream shows the create and the move, and resumes after a restart', async () => {
    const { server } = started;
    const commands = curlCommands(section);
    expect(commands, 'the README section has the follow, create and move commands').toHaveLength(3);
    const localize = (command: string) =>
      words(command).map((word) => word.replace('http://localhost:3000', server.url));
    const [follow, create, move] = commands.map(localize) as [string[], string[], string[]];

    const stream = spawn(follow[0]!, follow.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
    let streamed = '';
    stream.stdout.on('data', (chunk: Buffer) => (streamed += chunk.toString()));
    try {
      await until(() => streamed.includes('retry:'));
      const created = JSON.parse((await run(create[0]!, create.slice(1))).stdout) as { id: string };
      expect(created.id).toMatch(/^task-/);
      const moved = JSON.parse(
        (
          await run(
            move[0]!,
            move.slice(1).map((word) => word.replace('TASK_ID', created.id)),
          )
        ).stdout,
      ) as { listId: string };
      expect(moved.listId).toBe('list-done');
      await until(() => streamed.includes('"type":"task_moved"'));
      expect(streamed).toMatch(/id: 8\ndata: \{"type":"task_created","seq":8/);
      expect(streamed).toMatch(/id: 9\ndata: \{"type":"task_moved","seq":9/);
    } finally {
      stream.kill();
    }

    // "Stop the server, restart it, and resume where you were" — with the README's own command.
    const resume = /`(curl -N -H 'Last-Event-ID: \d+'[^`]*)`/.exec(section);
    expect(resume, 'the README names the resume command').not.toBeNull();
    await server.stop();
    await server.restart();
    const resumeWords = localize(resume![1]!.replace("'Last-Event-ID: 9'", "'Last-Event-ID: 8'"));
    const resumed = spawn(resumeWords[0]!, resumeWords.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
    let replay = '';
    resumed.stdout.on('data', (chunk: Buffer) => (replay += chunk.toString()));
    try {
      await until(() => replay.includes('"type":"task_moved"'));
      expect(replay).not.toContain('"type":"task_created"');
    } finally {
      resumed.kill();
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
