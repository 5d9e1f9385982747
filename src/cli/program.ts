import { Command, CommanderError, Option } from 'commander';
import { LIMITS } from '../domain/index.js';
import * as commands from './commands.js';
import { contextFor, DEFAULT_URL, type GlobalOptions } from './context.js';
import { EXIT, EXIT_CODES_HELP, exitCodeFor, UsageError } from './exit-codes.js';
import { serve } from './serve.js';
import { tail } from './tail.js';

const EXAMPLES = `
Examples:
  liveboard serve --port 3000 --db ./data/liveboard.db
  liveboard boards
  liveboard show board-1
  liveboard add board-1 "Write docs" --list "To do" --description "the CLI section"
  liveboard move board-1 "Write docs" --to Done
  liveboard rename board-1 task-x "Write the docs"
  liveboard rm board-1 task-x
  liveboard tail board-1                  live, until Ctrl-C
  liveboard tail board-1 --from 0 --json  every event since the start, one JSON per line

Lists and tasks may be named by id (list-done) or by title ("Done", any case).
Titles are 1 to ${LIMITS.titleLength} characters; a description is at most ${LIMITS.descriptionLength}.
The server is --url, or LIVEBOARD_URL, or ${DEFAULT_URL}.
${EXIT_CODES_HELP}`;

/** Runs the CLI with `argv` (without `node` and the script) and resolves with the exit code. */
export async function run(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed the message (and our hint); help and --version are not errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    process.stderr.write(`liveboard: ${describe(error)}\n`);
    return exitCodeFor(error);
  }
}

function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('liveboard')
    .description('Watch and change Liveboard boards from a terminal.')
    .version('0.1.0')
    .addOption(new Option('--url <url>', `the Liveboard server (default: $LIVEBOARD_URL or ${DEFAULT_URL})`))
    .option('--json', 'print JSON instead of text (one JSON object per line for tail)')
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureHelp({ showGlobalOptions: true });

  // Every command gets the same error handling and exit codes; commander parses, these act.
  const action =
    (handler: (ctx: ReturnType<typeof contextFor>, ...args: never[]) => Promise<void>) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args[args.length - 1] as Command;
      const ctx = contextFor(command.optsWithGlobals<GlobalOptions>());
      await (handler as (ctx: ReturnType<typeof contextFor>, ...rest: unknown[]) => Promise<void>)(
        ctx,
        ...args.slice(0, -1),
      );
    };
  const sub = (name: string, description: string): Command =>
    program
      .command(name)
      .description(description)
      .exitOverride()
      .showHelpAfterError(`(run liveboard ${name.split(' ')[0]} --help for usage)`);

  program
    .command('serve')
    .description('run the Liveboard server (same as npm start)')
    .option('-p, --port <port>', 'port to listen on (default: $PORT or 3000)')
    .option('--host <host>', 'address to bind (default: $HOST or 127.0.0.1)')
    .option(
      '--db <url-or-path>',
      'file:<path> or a path (SQLite), or postgres://… (default: $DATABASE_URL or ./data/liveboard.db)',
    )
    .exitOverride()
    .action(async (options) => setExitCode(await serve(options)));

  sub('boards', 'list the boards').action(action((ctx) => commands.listBoards(ctx)));
  sub('show <board>', 'show a board as columns').action(
    action((ctx, board: string) => commands.showBoard(ctx, board)),
  );
  sub('new-board <title>', 'create a board').action(
    action((ctx, title: string) => commands.newBoard(ctx, title)),
  );
  sub('rename-board <board> <title>', 'rename a board').action(
    action((ctx, board: string, title: string) => commands.renameBoard(ctx, board, title)),
  );
  sub('rm-board <board>', 'delete a board and everything on it')
    .option('--yes', 'really delete it')
    .action(
      action((ctx, board: string, options: { yes?: boolean }) => commands.removeBoard(ctx, board, options)),
    );

  sub('add <board> <title>', 'add a task (to the first list unless --list)')
    .option('-l, --list <list>', 'the list to add to (id or title)')
    .option(
      '-d, --description <text>',
      `the task description (at most ${LIMITS.descriptionLength} characters)`,
    )
    .option('--before <task>', 'place it before this task')
    .option('--after <task>', 'place it after this task')
    .action(
      action((ctx, board: string, title: string, options: commands.PlaceOptions) =>
        commands.addTask(ctx, board, title, options),
      ),
    );
  sub('move <board> <task>', 'move a task to another list and/or next to another task')
    .option('-t, --to <list>', 'the list to move it to (id or title)')
    .option('--before <task>', 'place it before this task')
    .option('--after <task>', 'place it after this task')
    .action(
      action((ctx, board: string, task: string, options: commands.PlaceOptions) =>
        commands.moveTask(ctx, board, task, options),
      ),
    );
  sub('rename <board> <task> [title]', "change a task's title (and/or --description)")
    .option(
      '-d, --description <text>',
      `the new description (at most ${LIMITS.descriptionLength} characters)`,
    )
    .action(
      action(
        (ctx, board: string, task: string, title: string | undefined, options: { description?: string }) =>
          commands.renameTask(ctx, board, task, title, options),
      ),
    );
  sub('rm <board> <task>', 'delete a task').action(
    action((ctx, board: string, task: string) => commands.removeTask(ctx, board, task)),
  );

  sub('add-list <board> <title>', 'add a list (at the end unless --before/--after)')
    .option('--before <list>', 'place it before this list')
    .option('--after <list>', 'place it after this list')
    .action(
      action((ctx, board: string, title: string, options: commands.PlaceOptions) =>
        commands.addList(ctx, board, title, options),
      ),
    );
  sub('rename-list <board> <list> <title>', 'rename a list').action(
    action((ctx, board: string, list: string, title: string) => commands.renameList(ctx, board, list, title)),
  );
  sub('move-list <board> <list>', 'move a list')
    .option('--before <list>', 'place it before this list')
    .option('--after <list>', 'place it after this list')
    .action(
      action((ctx, board: string, list: string, options: commands.PlaceOptions) =>
        commands.moveList(ctx, board, list, options),
      ),
    );
  sub('rm-list <board> <list>', 'delete a list and its tasks').action(
    action((ctx, board: string, list: string) => commands.removeList(ctx, board, list)),
  );

  sub('tail <board>', 'follow a board live: every change as it happens, surviving server restarts')
    .option('--from <seq>', 'start after this seq (0: the whole history); default: from now')
    .option('--poll', 'use the long poll instead of Server-Sent Events')
    .addHelpText(
      'after',
      '\nEvents go to stdout; connection notices (reconnecting, resumed) go to stderr.\nStops on Ctrl-C (exit 0) or when the board is deleted (exit 0).',
    )
    .action(
      action((ctx, board: string, options: { from?: string; poll?: boolean }) => tail(ctx, board, options)),
    );

  return program;
}

function describe(error: unknown): string {
  if (error instanceof UsageError) return `${error.message}\n(run with --help for usage)`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const status = (error as { status?: unknown }).status;
    if (typeof code === 'string' && typeof status === 'number') return `${error.message} (${status} ${code})`;
    if (code === 'EADDRINUSE')
      return `${error.message}\nAnother process has that port: pick another with --port.`;
    if (error.name === 'LiveboardNetworkError') {
      return `${error.message}\nIs the server running? Start one with \`liveboard serve\`, or point --url / LIVEBOARD_URL at it.`;
    }
    return error.message;
  }
  return String(error);
}
