import { Command, CommanderError, Option } from 'commander';
import { LABEL_COLORS, LIMITS } from '../domain/index.js';
import { LiveboardApiError } from '../client/index.js';
import * as accounts from './account-commands.js';
import * as cards from './card-commands.js';
import * as fields from './card-field-commands.js';
import { WHEN_HELP } from './card-input.js';
import { addChecklistCommands } from './checklist-commands.js';
import * as commands from './commands.js';
import { contextFor, DEFAULT_URL, type CliContext, type GlobalOptions } from './context.js';
import { authHint, EXIT, EXIT_CODES_HELP, exitCodeFor, isAuthError, UsageError } from './exit-codes.js';
import { serve } from './serve.js';
import { DUE_FILTERS, type ShowOptions } from './show-filter.js';
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
  liveboard comment board-1 "Write docs" "Done, see the PR"
  liveboard history board-1 "Write docs"  who did what to a task, newest first
  liveboard search board-1 cafe menu       titles, descriptions and comments with both words
  liveboard label board-1 bug --color red  make a label (liveboard label board-1: list them)
  liveboard labels board-1 "Write docs" +bug -urgent
  liveboard due board-1 "Write docs" tomorrow 17:00 --remind 60
  liveboard due board-1 "Write docs" --done
  liveboard assign board-1 "Write docs" +me -bob
  liveboard archive board-1 "Write docs"  (liveboard restore … brings it back)
  liveboard wip board-1 Doing 5 --hard
  liveboard show board-1 --label bug --assignee me --due overdue
  liveboard login                         sign in (asks for username and password); keeps an API token
  liveboard share my-board ana --role viewer
  liveboard invite my-board --role editor --expires 7d --uses 5

Lists and tasks may be named by id (list-done) or by title ("Done", any case).
Titles are 1 to ${LIMITS.titleLength} characters; a description is at most ${LIMITS.descriptionLength}.
The server is --url, or LIVEBOARD_URL, or ${DEFAULT_URL}.
Signed in: LIVEBOARD_TOKEN, or the token \`liveboard login\` saved for that server; else anonymous.
${EXIT_CODES_HELP}`;

/** Runs the CLI with `argv` (without `node` and the script) and resolves with the exit code. */
export async function run(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const state: ProgramState = { context: undefined };
  const program = buildProgram((code) => {
    exitCode = code;
  }, state);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed the message (and our hint); help and --version are not errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    process.stderr.write(`liveboard: ${describe(error, state.context)}\n`);
    return exitCodeFor(error);
  }
}

/** What the error message needs to know of the command that ran. */
interface ProgramState {
  context: CliContext | undefined;
}

function buildProgram(setExitCode: (code: number) => void, state: ProgramState): Command {
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
    (handler: (ctx: CliContext, ...args: never[]) => Promise<void>) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args[args.length - 1] as Command;
      const ctx = await contextFor(command.optsWithGlobals<GlobalOptions>());
      state.context = ctx;
      await (handler as (ctx: CliContext, ...rest: unknown[]) => Promise<void>)(ctx, ...args.slice(0, -1));
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
  sub('show <board>', 'show a board as columns, each task with its labels, due date, assignees, comments')
    .option(
      '--label <label>',
      'only tasks with this label (name or id; repeat for any of several; none: without a label)',
      collect,
    )
    .option('--all-labels', 'only tasks with every --label given')
    .option(
      '--assignee <user>',
      'only tasks assigned to this member (username, me; repeat for any; none: no one)',
      collect,
    )
    .option('--due <when>', `only tasks by due date: ${DUE_FILTERS.join(', ')}`)
    .option('--text <words>', 'only tasks with every word in the title, description or a label')
    .option('--archived', 'show archived tasks too')
    .addHelpText(
      'after',
      '\nFiltered, each list header says how many of how many: "To do (3 of 12)"; a WIP limit: "Doing (4 / 5)".',
    )
    .action(action((ctx, board: string, options: ShowOptions) => commands.showBoard(ctx, board, options)));
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

  sub(
    'comment <board> <task> <text>',
    `comment on a task (at most ${LIMITS.commentLength} characters)`,
  ).action(
    action((ctx, board: string, task: string, text: string) => cards.addComment(ctx, board, task, text)),
  );
  sub('comments <board> <task>', "a task's comments, newest first")
    .option('--limit <n>', 'how many (1-100, default 50)')
    .action(
      action((ctx, board: string, task: string, options: { limit?: string }) =>
        cards.listComments(ctx, board, task, options),
      ),
    );
  sub('history <board> <task>', "a task's history from the board's log, newest first")
    .option('--limit <n>', 'how many events (1-100, default 50)')
    .action(
      action((ctx, board: string, task: string, options: { limit?: string }) =>
        cards.history(ctx, board, task, options),
      ),
    );
  sub('search <board> <words...>', 'find tasks by words of their title, description or comments')
    .option('--limit <n>', 'how many results (1-50, default 20)')
    .action(
      action((ctx, board: string, words: string[], options: { limit?: string }) =>
        cards.search(ctx, board, words, options),
      ),
    );

  addCardFieldCommands(sub, action);

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

  addChecklistCommands(program, sub, action);
  addAccountCommands(program, sub, action);
  addAdminCommands(program, action);
  return program;
}

type Sub = (name: string, description: string) => Command;

/** Repeatable options (--label a --label b) collect into an array. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const SET_HELP = (what: string, example: string) =>
  `\n+name adds, -name removes (a bare name adds too): ${example}.\nOne write, whatever the number of ${what}s, and never a conflict with anyone's other edits to the task.`;

/** A card's fields: labels, dates, assignees, archive, WIP limits (card-field-commands.ts). */
function addCardFieldCommands(sub: Sub, action: Action): void {
  sub('label <board> [name]', "the board's labels: list them, or make, change or delete one")
    .option('--color <colour>', 'its colour: a palette name (green, sky_dark, …) or none')
    .option('--rename <name>', 'a new name for the label')
    .option('--delete', 'delete it (it comes off every task that has it)')
    .addHelpText(
      'after',
      `\nWithout a name: every label (name, colour, id, how many tasks have it). A name the board has
not got makes a label; one it has (any case, or its id) is shown, or changed with --color / --rename.
Colours: ${LABEL_COLORS.join(', ')}.`,
    )
    .action(
      action((ctx, board: string, name: string | undefined, options: fields.LabelOptions) =>
        fields.label(ctx, board, name, options),
      ),
    );
  sub('labels <board> <task> <changes...>', "add and remove a task's labels: +bug -urgent")
    .option('--create', 'make the labels named with + that the board has not got (no colour)')
    .allowUnknownOption()
    .addHelpText(
      'after',
      `${SET_HELP('label', 'liveboard labels board-1 "Write docs" +bug -urgent')}
Labels by name (any case) or id. A name the board has not got exits 1, unless --create.`,
    )
    .action(
      action((ctx, board: string, task: string, changes: string[], options: { create?: boolean }) =>
        fields.labels(ctx, board, task, changes, options),
      ),
    );
  sub(
    'due <board> <task> [when...]',
    "set or clear a task's due date, and/or mark it done; without a date: show it",
  )
    .option('--done', 'mark the due date done')
    .option('--not-done', 'mark it not done')
    .option('--remind <minutes>', 'remind this many minutes before the due date (none: no reminder)')
    .option('--start <when>', 'the start date (same forms as the due date; none clears it)')
    .addHelpText('after', `\n${WHEN_HELP}\nClearing the due date clears done and the reminder with it.`)
    .action(
      action((ctx, board: string, task: string, when: string[], options: fields.DueOptions) =>
        fields.due(ctx, board, task, when, options),
      ),
    );
  sub('assign <board> <task> <changes...>', "add and remove a task's assignees: +ana -bob me")
    .allowUnknownOption()
    .addHelpText(
      'after',
      `${SET_HELP('member', 'liveboard assign board-1 "Write docs" +ana -bob')}
Members by username (any case); me is whoever the CLI is signed in as. Only members may be assigned.`,
    )
    .action(
      action((ctx, board: string, task: string, changes: string[]) =>
        fields.assign(ctx, board, task, changes),
      ),
    );
  sub(
    'archive <board> <task>',
    'archive a task: hidden from the board, found by search, not counted against WIP',
  ).action(action((ctx, board: string, task: string) => fields.setArchived(ctx, board, task, true)));
  sub(
    'restore <board> <task>',
    'bring an archived task back to its list (refused by a full hard WIP limit)',
  ).action(action((ctx, board: string, task: string) => fields.setArchived(ctx, board, task, false)));
  sub('wip <board> <list> [limit]', "set a list's WIP limit (1-999, or none); without one: show it")
    .option('--hard', 'refuse a task past the limit (created, moved or restored into the list)')
    .option('--soft', 'only show the limit (the default for a new limit)')
    .action(
      action(
        (
          ctx,
          board: string,
          list: string,
          limit: string | undefined,
          options: { hard?: boolean; soft?: boolean },
        ) => fields.wip(ctx, board, list, limit, options),
      ),
    );
}
type Action = (
  handler: (ctx: CliContext, ...args: never[]) => Promise<void>,
) => (...args: unknown[]) => Promise<void>;

const PASSWORD_HELP =
  '\nAPI tokens are managed with a session: this signs in for the moment it takes (asking for the password, or reading it with --password-stdin) and signs out.';

function addAccountCommands(program: Command, sub: Sub, action: Action): void {
  sub('login', 'sign in to the server and save an API token for it')
    .option('--username <name>', 'the username (asked for when not given)')
    .option('--password-stdin', 'read the password from stdin instead of asking')
    .option('--with-token', 'read an API token (lbp_…) from stdin instead of signing in with a password')
    .option('--scope <scope>', 'the saved token may read, or also write (read|write)', 'write')
    .addHelpText(
      'after',
      '\nWith a password, the CLI signs in, makes an API token named "liveboard CLI on <host>", and signs out:\nonly the token is kept, per server, in $XDG_CONFIG_HOME/liveboard/credentials.json (~/.config/…), mode 0600.\nLIVEBOARD_TOKEN, when set, wins over the saved token.',
    )
    .action(action((ctx, options: accounts.LoginOptions) => accounts.login(ctx, options)));
  sub('logout', "revoke this server's saved token and forget it").action(
    action((ctx) => accounts.logout(ctx)),
  );
  sub('whoami', 'who the CLI is signed in as on the server').action(action((ctx) => accounts.whoami(ctx)));

  sub('members <board>', "a board's members and their roles").action(
    action((ctx, board: string) => accounts.members(ctx, board)),
  );
  sub('share <board> <username>', "make a user a member of a board (or change a member's role)")
    .option('--role <role>', 'owner, editor or viewer', 'editor')
    .action(
      action((ctx, board: string, username: string, options: { role?: string }) =>
        accounts.share(ctx, board, username, options),
      ),
    );
  sub('unshare <board> <username>', 'remove a member from a board (your own name: leave it)').action(
    action((ctx, board: string, username: string) => accounts.unshare(ctx, board, username)),
  );
  sub('invite <board>', 'make an invitation link to a board (printed on stdout)')
    .option('--role <role>', 'the role it gives: owner, editor or viewer', 'viewer')
    .option('--expires <days>', 'valid for this long: 7d, 2w (default: no expiry)')
    .option('--uses <n>', 'how many may accept it (default: any number)')
    .option('--label <text>', 'a note for yourself (who it is for); nothing is sent anywhere')
    .action(
      action(
        (ctx, board: string, options: { role?: string; expires?: string; uses?: string; label?: string }) =>
          accounts.invite(ctx, board, options),
      ),
    );
  sub('visibility <board> [visibility]', 'show or set who may read a board: private, public or public_edit')
    .option('--listed', "list it in everyone's board list (public boards)")
    .option('--unlisted', 'keep it out of the board list')
    .action(
      action(
        (ctx, board: string, value: string | undefined, options: { listed?: boolean; unlisted?: boolean }) =>
          accounts.visibility(ctx, board, value, options),
      ),
    );

  const tokens = program
    .command('tokens')
    .description('your API tokens: list, create, revoke')
    .exitOverride()
    .showHelpAfterError('(run liveboard tokens --help for usage)')
    .addHelpText('after', PASSWORD_HELP);
  const withPassword = (command: Command): Command =>
    command
      .option('--username <name>', "the username (default: the saved login's)")
      .option('--password-stdin', 'read the password from stdin instead of asking')
      .exitOverride();
  withPassword(tokens.command('list', { isDefault: true }).description('list your API tokens')).action(
    action((ctx, options: accounts.PasswordOptions) => accounts.listTokens(ctx, options)),
  );
  withPassword(tokens.command('create <name>').description('make an API token (its secret is printed once)'))
    .option('--scope <scope>', 'read, or write', 'read')
    .option('--expires <days>', 'valid for this long: 30d, 2w (default: no expiry)')
    .action(
      action((ctx, name: string, options: accounts.PasswordOptions & { scope?: string; expires?: string }) =>
        accounts.createToken(ctx, name, options),
      ),
    );
  withPassword(tokens.command('revoke <id>').description('revoke an API token (tok_…)')).action(
    action((ctx, id: string, options: accounts.PasswordOptions) => accounts.revokeToken(ctx, id, options)),
  );
}

/** `liveboard admin …` works on the database (DATABASE_URL or --db), not over HTTP: see admin.ts. */
function addAdminCommands(program: Command, action: Action): void {
  const admin = program
    .command('admin')
    .description('operator commands, on the database directly (DATABASE_URL or --db), not over HTTP')
    .exitOverride()
    .showHelpAfterError('(run liveboard admin --help for usage)');
  const onDatabase = (command: Command): Command =>
    command
      .option(
        '--db <url-or-path>',
        'file:<path> or a path (SQLite), or postgres://… (default: $DATABASE_URL or ./data/liveboard.db)',
      )
      .exitOverride();
  const load = () => import('./admin.js');
  onDatabase(admin.command('create-user <username>').description('make an account'))
    .option('--password-stdin', 'read the password from stdin instead of asking')
    .option('--display-name <name>', 'the name shown beside the username')
    .action(
      action(
        async (
          ctx,
          username: string,
          options: { db?: string; passwordStdin?: boolean; displayName?: string },
        ) => (await load()).createUser(ctx, username, options),
      ),
    );
  onDatabase(
    admin.command('reset-password <username>').description("set a user's password; their sessions end"),
  )
    .option('--password-stdin', 'read the password from stdin instead of asking')
    .action(
      action(async (ctx, username: string, options: { db?: string; passwordStdin?: boolean }) =>
        (await load()).resetPassword(ctx, username, options),
      ),
    );
  onDatabase(
    admin
      .command('grant <board> <username> <role>')
      .description('make a user owner, editor or viewer of a board (claims an ownerless board)'),
  ).action(
    action(async (ctx, board: string, username: string, role: string, options: { db?: string }) =>
      (await load()).grant(ctx, board, username, role, options),
    ),
  );
  onDatabase(
    admin.command('revoke-sessions <username>').description('end every session and API token of a user'),
  ).action(
    action(async (ctx, username: string, options: { db?: string }) =>
      (await load()).revokeSessions(ctx, username, options),
    ),
  );
}

function describe(error: unknown, context: CliContext | undefined): string {
  if (error instanceof UsageError) return `${error.message}\n(run with --help for usage)`;
  if (error instanceof LiveboardApiError && isAuthError(error)) {
    return `${error.message} (${error.status} ${error.code})\n${authHint(error, context?.tokenSource === 'env')}`;
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const status = (error as { status?: unknown }).status;
    if (code === 'board_not_found' && context?.tokenSource === 'none') {
      return `${error.message} (${status} ${code})\nIf it is a private board, sign in first: \`liveboard login\`.`;
    }
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
