/**
 * Accounts for the browser tests: a user signed up over real HTTP, with the session cookie a
 * browser context can carry and an API token for the SDK (as a program would use it), so a test
 * can make boards as that user and open pages signed in as them.
 */
import type { BrowserContext } from 'playwright-core';
import { LiveboardClient, type User } from '../../client/index.js';

export const PASSWORD = 'correct horse battery staple';

export interface TestUser {
  user: User;
  username: string;
  password: string;
  /** The session cookie the sign-up set. */
  cookie: { name: string; value: string };
  /** The SDK with a write token of this user's. */
  api: LiveboardClient;
}

/** Signs `username` up (POST /auth/signup), and makes a write token for the SDK with its session. */
export async function signUpUser(baseUrl: string, username: string, displayName?: string): Promise<TestUser> {
  const signup = await fetch(`${baseUrl}/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD, ...(displayName ? { displayName } : {}) }),
  });
  if (signup.status !== 201)
    throw new Error(`sign-up of ${username}: ${signup.status} ${await signup.text()}`);
  const { user } = (await signup.json()) as { user: User };
  const cookie = sessionCookie(signup.headers);
  const made = await fetch(`${baseUrl}/me/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `${cookie.name}=${cookie.value}` },
    body: JSON.stringify({ name: 'e2e', scope: 'write' }),
  });
  if (made.status !== 201) throw new Error(`token of ${username}: ${made.status} ${await made.text()}`);
  const { secret } = (await made.json()) as { secret: string };
  return {
    user,
    username,
    password: PASSWORD,
    cookie,
    api: new LiveboardClient({ baseUrl, token: secret }),
  };
}

/** A board of `owner`'s with lists To do, Doing and Done, and `editor` an editor of it: two people on one board. */
export async function sharedBoard(
  owner: TestUser,
  editor: TestUser,
  title: string,
): Promise<{ boardId: string; lists: string[] }> {
  const { data: board } = await owner.api.createBoard({ title });
  const lists: string[] = [];
  for (const name of ['To do', 'Doing', 'Done'])
    lists.push((await owner.api.createList(board.id, { title: name })).data.id);
  await owner.api.addMember(board.id, { username: editor.username, role: 'editor' });
  return { boardId: board.id, lists };
}

/** A new session of the user (POST /auth/signin), e.g. for a second browser signed in as them. */
export async function signInCookie(
  baseUrl: string,
  username: string,
): Promise<{ name: string; value: string }> {
  const response = await fetch(`${baseUrl}/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (response.status !== 200)
    throw new Error(`sign-in of ${username}: ${response.status} ${await response.text()}`);
  return sessionCookie(response.headers);
}

/** Puts a session cookie in a browser context: its pages are signed in as that user. */
export async function signInContext(
  context: BrowserContext,
  baseUrl: string,
  cookie: { name: string; value: string },
): Promise<void> {
  await context.addCookies([{ name: cookie.name, value: cookie.value, url: baseUrl }]);
}

function sessionCookie(headers: Headers): { name: string; value: string } {
  for (const line of headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair!.indexOf('=');
    const name = pair!.slice(0, at).trim();
    if (name.endsWith('liveboard_session')) return { name, value: pair!.slice(at + 1).trim() };
  }
  throw new Error(`no session cookie in ${JSON.stringify(headers.getSetCookie())}`);
}
