import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { UsageError } from './exit-codes.js';

/**
 * Asks on the terminal; prompts go to stderr, so stdout stays the command's. With `secret`, what
 * is typed is not echoed (readline's output is muted while it reads). No terminal: a UsageError
 * saying which flag reads from stdin instead.
 */
export async function ask(question: string, options: { secret?: boolean; instead: string }): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new UsageError(`no terminal to ask for it on: ${options.instead}`);
  }
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const reader = createInterface({ input: process.stdin, output, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      reader.once('SIGINT', () => reject(new UsageError('cancelled')));
      reader.once('close', () => reject(new UsageError('cancelled')));
      reader.question(question, (answer) => {
        if (options.secret) process.stderr.write('\n');
        resolve(answer);
      });
      muted = Boolean(options.secret);
    });
  } finally {
    reader.removeAllListeners('close');
    reader.close();
  }
}

/** All of stdin, without the one line break a shell's `echo` or a file's last line adds. */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write('(reading from stdin: type it, then Ctrl-D)\n');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
