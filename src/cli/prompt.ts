import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { UsageError } from './exit-codes.js';

/**
 * Asks on the terminal; prompts go to stderr, so stdout stays the command's. With `secret`, what
 * is typed is not echoed (readline's output is muted while it reads). No terminal: a UsageError
 * saying which flag reads from stdin instead.
 */
export async function ask(
  question: string,
  options: {
    secret?: boolean;
    instead: string;
    /** The terminal (tests pass their own): default process.stdin and process.stderr. */
    input?: NodeJS.ReadableStream & { isTTY?: boolean };
    prompts?: NodeJS.WritableStream;
  },
): Promise<string> {
  const input = options.input ?? process.stdin;
  const prompts = options.prompts ?? process.stderr;
  if (!input.isTTY) {
    throw new UsageError(`no terminal to ask for it on: ${options.instead}`);
  }
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) prompts.write(chunk);
      callback();
    },
  });
  const reader = createInterface({ input, output, terminal: true });
  let onClose: () => void = () => undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      onClose = () => reject(new UsageError('cancelled'));
      reader.once('SIGINT', onClose);
      reader.once('close', onClose);
      reader.question(question, (answer) => {
        if (options.secret) prompts.write('\n');
        resolve(answer);
      });
      muted = Boolean(options.secret);
    });
  } finally {
    // Only our listener: readline's own 'close' listener detaches it from stdin (else a closed
    // reader would go on echoing what is typed for the next one).
    reader.off('close', onClose);
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
