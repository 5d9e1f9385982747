/**
 * The CLI's accounts commands against a real started server: `login --password-stdin` keeps only a
 * token, in a 0600 file; LIVEBOARD_TOKEN wins over it; `logout` revokes it; a read token's write
 * exits 4; `tail` with a token follows a private board through a SIGKILL of the server; sharing;
 * and `liveboard admin` on the server's database.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveboardClient } from '../client/index.js';
import type { StreamMessage } from '../domain/index.js';
import {
  outputOf,
  runCli,
  spawnCli,
  waitFor,
  type CliOptions,
  type CliResult,
} from '../../test/support/cli.js';
import { useServer } from '../../test/support/server.js';
import { sessionFetch } from './session-fetch.js';

const PASSWORD = 'correct horse battery';

const live = useServer({ env: { LIVEBOARD_RETRY_MS: '100' } });
const homes: string[] = [];

afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** A config folder of its own, so that each test's credentials file is its own. */
function configHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'liveboard-cli-config-'));
  homes.push(home);
  return home;
}

/** Signed in by `env` alone: no LIVEBOARD_TOKEN unless the test gives one. */
function signedIn(env: Record<string, string | undefined>, input?: string): CliOptions {
  return { url: live.server.url, env: { LIVEBOARD_TOKEN: '', ...env }, input };
}

function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
  input?: string,
): Promise<CliResult> {
  return runCli(args, signedIn(env, input), 20_000);
}

/** The command succeeded (else the failure shows what it said on stderr). */
function expectOk(result: CliResult): CliResult {
  expect(result, result.stderr).toMatchObject({ code: 0 });
  return result;
}

let counter = 0;
/** A new user, signed in on a client with its session (a cookie jar, as a browser would keep). */
async function newUser(): Promise<{ username: string; session: LiveboardClient; userId: string }> {
  const username = `cli-user-${process.pid}-${++counter}`;
  const session = new LiveboardClient({ baseUrl: live.server.url, fetch: sessionFetch() });
  const user = await session.signUp({ username, password: PASSWORD });
  return { username, session, userId: user.id };
}

async function tokenOf(session: LiveboardClient, scope: 'read' | 'write'): Promise<string> {
  return (await session.createToken({ name: `test ${scope}`, scope })).secret;
}

const asToken = (token: string): LiveboardClient => new LiveboardClient({ baseUrl: live.server.url, token });

function credentialsFile(home: string): string {
  return join(home, 'liveboard', 'credentials.json');
}

async function loginAs(username: string, home: string): Promise<CliResult> {
  return cli(
    ['login', '--username', username, '--password-stdin'],
    { XDG_CONFIG_HOME: home },
    `${PASSWORD}\n`,
  );
}

describe('liveboard login, whoami, logout', () => {
  it('login --password-stdin keeps only an API token, in a file of mode 0600 in a folder of mode 0700', async () => {
    const { username } = await newUser();
    const home = configHome();
    const result = await loginAs(username, home);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(`signed in to .* as ${username}`),
    });

    const file = credentialsFile(home);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'liveboard')).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as {
      servers: Record<string, { token: string; tokenId: string; username: string }>;
    };
    const entry = saved.servers[new URL(live.server.url).origin]!;
    expect(entry).toMatchObject({
      username,
      token: expect.stringMatching(/^lbp_/),
      tokenId: expect.any(String),
    });
    expect(readFileSync(file, 'utf8')).not.toContain(PASSWORD);

    const whoami = await cli(['whoami'], { XDG_CONFIG_HOME: home });
    expect(whoami).toMatchObject({ code: 0, stdout: expect.stringContaining(username) });
    // The saved token writes: a board of the user's own.
    const created = await cli(['new-board', 'Mine', '--json'], { XDG_CONFIG_HOME: home });
    expectOk(created);
    const boardId = (JSON.parse(created.stdout) as { data: { id: string } }).data.id;
    expect(await asToken(entry.token).getAccess(boardId)).toMatchObject({
      role: 'owner',
      visibility: 'private',
    });
  });

  it('refuses a wrong password with exit 4 and saves nothing', async () => {
    const { username } = await newUser();
    const home = configHome();
    const result = await cli(
      ['login', '--username', username, '--password-stdin'],
      { XDG_CONFIG_HOME: home },
      'not the password\n',
    );
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/invalid_credentials/);
    expect(() => statSync(credentialsFile(home))).toThrow();
  });

  it('LIVEBOARD_TOKEN wins over the saved token', async () => {
    const ana = await newUser();
    const bo = await newUser();
    const home = configHome();
    expectOk(await loginAs(ana.username, home));
    const boToken = await tokenOf(bo.session, 'write');

    const asBo = await cli(['whoami'], { XDG_CONFIG_HOME: home, LIVEBOARD_TOKEN: boToken });
    expect(asBo).toMatchObject({ code: 0, stdout: expect.stringContaining(bo.username) });
    expect(asBo.stdout).toContain('LIVEBOARD_TOKEN');
    expect((await cli(['whoami'], { XDG_CONFIG_HOME: home })).stdout).toContain(ana.username);

    const refused = await cli(['whoami'], { XDG_CONFIG_HOME: home, LIVEBOARD_TOKEN: 'lbp_notarealtoken' });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/liveboard login/);
  });

  it('logout revokes the token on the server (it then gets 401) and forgets it', async () => {
    const { username } = await newUser();
    const home = configHome();
    await loginAs(username, home);
    const file = credentialsFile(home);
    const token = Object.values(
      (JSON.parse(readFileSync(file, 'utf8')) as { servers: Record<string, { token: string }> }).servers,
    )[0]!.token;
    expect(await asToken(token).me()).toMatchObject({ username });

    const result = await cli(['logout'], { XDG_CONFIG_HOME: home });
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/revoked/) });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ servers: {} });
    await expect(asToken(token).listBoards()).rejects.toMatchObject({ status: 401, code: 'invalid_token' });
    const after = await cli(['whoami'], { XDG_CONFIG_HOME: home });
    expect(after.code).toBe(4);
    expect(after.stderr).toMatch(/liveboard login/);
  });

  it('login --with-token checks the token and keeps it', async () => {
    const ana = await newUser();
    const home = configHome();
    const token = await tokenOf(ana.session, 'read');
    const result = await cli(['login', '--with-token'], { XDG_CONFIG_HOME: home }, `${token}\n`);
    expectOk(result);
    expect((await cli(['whoami'], { XDG_CONFIG_HOME: home })).stdout).toContain(ana.username);
    const bad = await cli(['login', '--with-token'], { XDG_CONFIG_HOME: configHome() }, 'lbp_nope\n');
    expect(bad.code).toBe(4);
  });
});

describe('exit code 4', () => {
  it("a read token's write exits 4, naming liveboard login; nothing changes", async () => {
    const ana = await newUser();
    const boardId = (await ana.session.createBoard({ title: 'Read only here' })).data.id;
    const listId = (await ana.session.createList(boardId, { title: 'To do' })).data.id;
    const readToken = await tokenOf(ana.session, 'read');
    const env = { XDG_CONFIG_HOME: configHome(), LIVEBOARD_TOKEN: readToken };

    expectOk(await cli(['show', boardId], env));
    const write = await cli(['add', boardId, 'Nope', '--list', listId], env);
    expect(write.code).toBe(4);
    expect(write.stderr).toMatch(/403 insufficient_scope/);
    expect(write.stderr).toMatch(/liveboard login/);
    expect((await ana.session.getBoard(boardId)).seq).toBe(1);
  });

  it('anonymous: a write on a private board is a 404, creating a board is 401 (exit 4)', async () => {
    const ana = await newUser();
    const boardId = (await ana.session.createBoard({ title: 'Private' })).data.id;
    const env = { XDG_CONFIG_HOME: configHome() };
    const shown = await cli(['show', boardId], env);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toMatch(/board_not_found[\s\S]*liveboard login/);
    const created = await cli(['new-board', 'Anonymous'], env);
    expect(created.code).toBe(4);
    expect(created.stderr).toMatch(/401 unauthenticated[\s\S]*liveboard login/);
  });
});

describe('liveboard tail with a token', () => {
  it('follows a private board through a SIGKILL and restart of the server, every event once', async () => {
    const ana = await newUser();
    const boardId = (await ana.session.createBoard({ title: 'Tailed' })).data.id;
    const listId = (await ana.session.createList(boardId, { title: 'To do' })).data.id;
    const token = await tokenOf(ana.session, 'read');
    const writer = asToken(await tokenOf(ana.session, 'write'));

    const child = spawnCli(
      ['tail', boardId, '--from', '0', '--json'],
      signedIn({ XDG_CONFIG_HOME: configHome(), LIVEBOARD_TOKEN: token }),
    );
    const output = outputOf(child);
    const lines = (): StreamMessage[] =>
      output
        .stdout()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as StreamMessage);
    try {
      await waitFor(() => lines().length === 1, 'the list event');
      await writer.createTask(boardId, { listId, title: 'before the crash' });
      await waitFor(() => lines().length === 2, 'the first task');

      await live.server.kill();
      await live.server.restart();
      // The session cookie of the test's client is in the database: it survives the restart too.
      await writer.createTask(boardId, { listId, title: 'after the crash' });
      await waitFor(() => lines().length === 3, 'the event after the restart');
      await waitFor(() => /reconnected/.test(output.stderr()), 'the reconnect notice');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(lines().map((message) => [message.seq, message.type])).toEqual([
        [1, 'list_created'],
        [2, 'task_created'],
        [3, 'task_created'],
      ]);
    } finally {
      const exited = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });

  it('ends with exit 4 when its token is revoked', async () => {
    const ana = await newUser();
    const boardId = (await ana.session.createBoard({ title: 'Revoked under it' })).data.id;
    const { token, secret } = await ana.session.createToken({ name: 'tail', scope: 'read' });
    const tailing = cli(['tail', boardId], { XDG_CONFIG_HOME: configHome(), LIVEBOARD_TOKEN: secret });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await ana.session.revokeToken(token.id);
    const ended = await tailing;
    expect(ended.code).toBe(4);
    expect(ended.stderr).toMatch(/access_revoked|invalid_token/);
  });
});

describe('sharing from the CLI', () => {
  it('share, members, visibility, invite, unshare', async () => {
    const ana = await newUser();
    const bo = await newUser();
    const home = configHome();
    await loginAs(ana.username, home);
    const env = { XDG_CONFIG_HOME: home };
    const boardId = (
      JSON.parse((await cli(['new-board', 'Shared', '--json'], env)).stdout) as {
        data: { id: string };
      }
    ).data.id;

    expectOk(await cli(['share', boardId, bo.username, '--role', 'viewer'], env));
    expect(await bo.session.getAccess(boardId)).toMatchObject({ role: 'viewer' });
    // Sharing again changes the role.
    expect(expectOk(await cli(['share', boardId, bo.username], env)).stdout).toMatch(
      `${bo.username} is editor`,
    );
    const members = await cli(['members', boardId], env);
    expect(members.stdout).toMatch(new RegExp(`${ana.username} +owner`));
    expect(members.stdout).toMatch(new RegExp(`${bo.username} +editor`));

    const visibility = await cli(['visibility', boardId, 'public', '--listed'], env);
    expect(visibility).toMatchObject({ code: 0, stdout: expect.stringMatching(/public, listed/) });
    expect(await asToken(await tokenOf(bo.session, 'read')).getAccess(boardId)).toMatchObject({
      visibility: 'public',
      listed: true,
    });

    const invite = await cli(['invite', boardId, '--role', 'viewer', '--expires', '7d', '--uses', '2'], env);
    expectOk(invite);
    const link = invite.stdout.trim();
    expect(link).toMatch(new RegExp(`^${live.server.url}/invite#.+`));
    const preview = await bo.session.previewInvitation(link.split('#')[1]!);
    expect(preview).toMatchObject({ boardId, role: 'viewer', invitedBy: { username: ana.username } });

    expectOk(await cli(['unshare', boardId, bo.username], env));
    expect((await bo.session.getAccess(boardId)).role).toBeNull();
    const missing = await cli(['unshare', boardId, bo.username], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not a member/);

    // A non-owner may not share.
    const boHome = configHome();
    await loginAs(bo.username, boHome);
    const refused = await cli(['share', boardId, ana.username], { XDG_CONFIG_HOME: boHome });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/403 forbidden/);
  });

  it('tokens, tokens create and tokens revoke sign in for the moment they take', async () => {
    const ana = await newUser();
    const home = configHome();
    await loginAs(ana.username, home);
    const env = { XDG_CONFIG_HOME: home };
    const created = await cli(
      ['tokens', 'create', 'ci', '--scope', 'read', '--expires', '30d', '--password-stdin'],
      env,
      PASSWORD,
    );
    expect(created).toMatchObject({ code: 0, stderr: expect.stringMatching(/shown this once/) });
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^lbp_/);
    expect(await asToken(secret).me()).toMatchObject({ username: ana.username });

    const listed = await cli(['tokens', '--password-stdin', '--json'], env, PASSWORD);
    const tokens = JSON.parse(listed.stdout) as Array<{ id: string; name: string; scope: string }>;
    const ci = tokens.find((token) => token.name === 'ci')!;
    expect(ci.scope).toBe('read');
    expect(tokens.some((token) => token.name.startsWith('liveboard CLI on '))).toBe(true);

    expectOk(await cli(['tokens', 'revoke', ci.id, '--password-stdin'], env, PASSWORD));
    await expect(asToken(secret).listBoards()).rejects.toMatchObject({ status: 401 });
  });
});

describe('liveboard admin, on the database', () => {
  const db = (): Record<string, string> => ({
    DATABASE_URL: live.server.databaseUrl,
    XDG_CONFIG_HOME: configHome(),
  });

  async function adminUser(suffix: string): Promise<{ username: string; session: LiveboardClient }> {
    const username = `admin-made-${process.pid}-${suffix}`;
    const made = await cli(
      ['admin', 'create-user', username, '--password-stdin', '--display-name', 'Made'],
      db(),
      PASSWORD,
    );
    expect(made.stderr).toBe('');
    expectOk(made);
    const session = new LiveboardClient({ baseUrl: live.server.url, fetch: sessionFetch() });
    expect(await session.signIn({ username, password: PASSWORD })).toMatchObject({
      username,
      displayName: 'Made',
    });
    return { username, session };
  }

  it('create-user, reset-password and revoke-sessions', async () => {
    const { username, session } = await adminUser('a');
    const taken = await cli(['admin', 'create-user', username, '--password-stdin'], db(), PASSWORD);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/username_taken/);

    const token = await tokenOf(session, 'write');
    const reset = await cli(
      ['admin', 'reset-password', username, '--password-stdin'],
      db(),
      'another password\n',
    );
    expectOk(reset);
    expect(await session.me()).toBeNull();
    expect(await asToken(token).me()).toMatchObject({ username });
    await session.signIn({ username, password: 'another password' });

    expectOk(await cli(['admin', 'revoke-sessions', username], db()));
    // Another process revoked them, unannounced: its commit moves the database's data_version, so the
    // server reads the credentials again at once rather than reuse the lookups of the last second.
    expect(await session.me()).toBeNull();
    expect(await asToken(token).me()).toBeNull();

    const unknown = await cli(['admin', 'reset-password', 'nobody-here', '--password-stdin'], db(), PASSWORD);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/user_not_found/);
  });

  it('grant claims the ownerless demo board, through the write path (a member_added by null)', async () => {
    const { username, session } = await adminUser('b');
    const granted = await cli(['admin', 'grant', 'board-1', username, 'owner'], db());
    expect(granted.stderr).toBe('');
    expect(granted).toMatchObject({ code: 0, stdout: expect.stringMatching(/is now owner on board-1/) });
    expect(await session.getAccess('board-1')).toMatchObject({ role: 'owner' });
    expect(await session.listMembers('board-1')).toContainEqual(
      expect.objectContaining({ username, role: 'owner' }),
    );
    const events = await session.poll('board-1', { after: 0, timeoutSeconds: 0 });
    expect(events.events.at(-1)).toMatchObject({
      type: 'member_added',
      by: null,
      member: { username, role: 'owner' },
    });
    // Once a board has an owner, it keeps one, an operator's command included.
    const demoted = await cli(['admin', 'grant', 'board-1', username, 'editor'], db());
    expect(demoted.code).toBe(1);
    expect(demoted.stderr).toMatch(/last_owner/);
    const second = await adminUser('c');
    expectOk(await cli(['admin', 'grant', 'board-1', second.username, 'owner'], db()));
    const again = await cli(['admin', 'grant', 'board-1', username, 'editor'], db());
    expect(again).toMatchObject({ code: 0, stdout: expect.stringMatching(/is now editor on board-1/) });

    const unknown = await cli(['admin', 'grant', 'board-1', 'nobody-here', 'viewer'], db());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/user_not_found/);
  });
});
