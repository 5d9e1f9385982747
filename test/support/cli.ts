/**
 * The one way tests run the `liveboard` CLI: the built dist/cli/main.js as a child process against a
 * started server (see server.ts), its output read as it arrives, and a bound on how long it may run.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface CliOptions {
  /** The server the CLI talks to (LIVEBOARD_URL). */
  url: string;
  /** Environment over the test's own, NO_COLOR=1 and LIVEBOARD_URL (e.g. LIVEBOARD_TOKEN, TZ). */
  env?: Record<string, string | undefined>;
  /** Written to the CLI's stdin, which is otherwise closed. */
  input?: string;
  /** A script to run instead of dist/cli/main.js (e.g. bin/liveboard.js), from the repository's root. */
  entry?: string;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What a running CLI has written so far, on each of its streams. */
export interface CliOutput {
  stdout(): string;
  stderr(): string;
}

/** Starts `liveboard …` and leaves it running (for `tail`); read it with outputOf. */
export function spawnCli(args: string[], options: CliOptions): ChildProcess {
  const child = spawn(process.execPath, [`${ROOT}${options.entry ?? 'dist/cli/main.js'}`, ...args], {
    cwd: ROOT,
    env: { ...process.env, LIVEBOARD_URL: options.url, NO_COLOR: '1', ...options.env },
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  return child;
}

export function outputOf(child: ChildProcess): CliOutput {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { stdout: () => stdout, stderr: () => stderr };
}

/** Runs `liveboard …` to the end; SIGKILLed after `timeoutMs`, so that a hung command fails its test. */
export function runCli(args: string[], options: CliOptions, timeoutMs = 15_000): Promise<CliResult> {
  const child = spawnCli(args, options);
  const output = outputOf(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: output.stdout(), stderr: output.stderr() });
    }),
  );
}

/** Polls `predicate` (over a running CLI's output) until it holds, or fails naming `what`. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
