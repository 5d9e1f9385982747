import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from './exit-codes.js';
import { ask } from './prompt.js';

/** A fake terminal: what is typed goes in, and everything shown on it is kept. */
function terminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const prompts = new PassThrough();
  let shown = '';
  prompts.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  return { input, prompts, shown: () => shown };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('ask', () => {
  it('echoes the username, and not the password asked next', async () => {
    const tty = terminal();
    const username = ask('Username: ', { instead: '-', input: tty.input, prompts: tty.prompts });
    await tick();
    tty.input.write('ana\r');
    expect(await username).toBe('ana');
    const password = ask('Password: ', {
      secret: true,
      instead: '-',
      input: tty.input,
      prompts: tty.prompts,
    });
    await tick();
    tty.input.write('s3cret pass\r');
    expect(await password).toBe('s3cret pass');
    expect(tty.shown()).toContain('Username: ');
    expect(tty.shown()).toContain('ana');
    expect(tty.shown()).toContain('Password: ');
    expect(tty.shown()).not.toMatch(/s3cret|\*/);
  });

  it('without a terminal, says which flag reads stdin instead', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: false });
    await expect(
      ask('Password: ', { secret: true, instead: 'pass --password-stdin', input }),
    ).rejects.toThrow(new UsageError('no terminal to ask for it on: pass --password-stdin'));
  });
});
