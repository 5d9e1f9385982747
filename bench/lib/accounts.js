// Accounts for the fan-out bench (issue 13): on a build with accounts, the streams are those of
// signed-in users on a PRIVATE board they are members of, and the writes carry API tokens, as the
// web app and the SDK make them; on a build without accounts (`POST /auth/signup` answers 404: the
// build before issue 13, run as `liveboard-alt`), everything stays as it was: anonymous streams
// of the open demo board `board-1`.
//
// `prepareAccounts(target)` finds out which kind of server it faces and, on one with accounts:
//   - signs up an owner and `users` users (10 per source address: sign-ups are throttled at 20 per
//     address per hour, and the bench is one machine), each with its session cookie;
//   - the owner makes a private board with one list and adds every user as an editor;
//   - `writers` of the users make a `write` API token each;
//   - and re-points the target: its streams at the private board, each stream presenting one of
//     the users' cookies (`perUser` streams per user, under the per-user cap of 64), its position
//     read with the owner's cookie, its publishes made with the tokens, in turn.
import { request } from 'node:http';
import { monotonicMs } from './clock.js';

export const SESSION_COOKIE = 'liveboard_session';
export const PASSWORD = 'bench-password-0123';
/** Sign-ups per source address: the server allows 20 per address per hour. */
export const SIGNUPS_PER_ADDRESS = 10;

/** The i-th bench user's name (1-based): `bench-u0001`. */
export function userName(i, prefix = 'bench-u') {
  return `${prefix}${String(i).padStart(4, '0')}`;
}

/**
 * The loopback source address the i-th sign-up comes from (0-based): `perAddress` sign-ups from
 * each of 127.0.<block>.2, .3, … .251, then 127.0.<block + 1>.2, …
 */
export function signupAddress(i, { block = 250, perAddress = SIGNUPS_PER_ADDRESS } = {}) {
  const k = Math.floor(i / perAddress);
  return `127.0.${block + Math.floor(k / 250)}.${2 + (k % 250)}`;
}

/** The session cookie's value from a response's Set-Cookie headers, or undefined. */
export function sessionFromSetCookie(setCookie, name = SESSION_COOKIE) {
  for (const line of [setCookie ?? []].flat()) {
    const match = new RegExp(`^\\s*${name}=([^;]*)`).exec(line);
    if (match && match[1] !== '') return match[1];
  }
  return undefined;
}

/** How many users hold `streams` streams at `perUser` each, rounded up to a multiple of `processes`. */
export function usersFor(streams, perUser, processes = 1) {
  const users = Math.ceil(streams / perUser);
  return Math.ceil(users / processes) * processes;
}

/** The credentials of one load-client process out of `processes`: every `processes`-th, from `index`. */
export function shareOf(credentials, index, processes) {
  return credentials.filter((_, k) => k % processes === index);
}

/**
 * Which credential each new stream presents: the first one holding fewer than `perCredential`
 * streams, so that no user goes over its share (and the server's per-user cap) while others have
 * room; past every credential's share, the least used. `release` when a stream is closed for good.
 */
export class CredentialPool {
  constructor(count, perCredential) {
    this.counts = new Array(count).fill(0);
    this.perCredential = perCredential;
    this.cursor = 0; // every credential before it is full
  }

  acquire() {
    const { counts } = this;
    if (!counts.length) return -1;
    while (this.cursor < counts.length && counts[this.cursor] >= this.perCredential) this.cursor++;
    let k = this.cursor;
    if (k === counts.length) {
      k = 0;
      for (let j = 1; j < counts.length; j++) if (counts[j] < counts[k]) k = j;
    }
    counts[k]++;
    return k;
  }

  release(k) {
    if (k < 0 || k >= this.counts.length || this.counts[k] === 0) return;
    this.counts[k]--;
    if (k < this.cursor && this.counts[k] < this.perCredential) this.cursor = k;
  }
}

/**
 * One request; resolves {status, headers, body, sentAt, answeredAt, ms} (monotonic ms; answeredAt:
 * the answer's last byte). `localAddress` picks the loopback source address. Never rejects on status.
 */
export async function call(url, options = {}) {
  try {
    return await callOnce(url, options);
  } catch (error) {
    // A keep-alive socket the server closed (idle past its keep-alive timeout) just as it was
    // reused: the request never reached it. Once more, on a new socket, as browsers do.
    if (error.code !== 'ECONNRESET' || !error.reusedSocket) throw error;
    return callOnce(url, options);
  }
}

function callOnce(url, { method = 'GET', headers = {}, body, localAddress, agent, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const payload =
      body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const sentAt = monotonicMs();
    const req = request(
      url,
      {
        method,
        agent,
        localAddress,
        timeout: timeoutMs,
        headers: payload
          ? { 'Content-Type': 'application/json', 'Content-Length': payload.length, ...headers }
          : headers,
      },
      (res) => {
        const parts = [];
        res.on('data', (part) => parts.push(part));
        res.on('end', () => {
          const answeredAt = monotonicMs();
          resolve({
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(parts).toString(),
            sentAt,
            answeredAt,
            ms: answeredAt - sentAt,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', (error) => {
      error.reusedSocket = req.reusedSocket;
      reject(error);
    });
    req.end(payload);
  });
}

function expect(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.body.slice(0, 200)}`);
  return res.body ? JSON.parse(res.body) : undefined;
}

export const cookieHeader = (session) => `${SESSION_COOKIE}=${session}`;

/** Does the server have accounts? A build without them answers `POST /auth/signup` with 404. */
export async function hasAccounts(url) {
  const res = await call(`${url}/auth/signup`, { method: 'POST', body: {} });
  return res.status !== 404;
}

/** Runs `task(i)` for i in [0, count), `concurrency` at a time, in order of i; resolves the results. */
export async function inTurn(count, concurrency, task) {
  const results = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** Signs up `username`; resolves {id, username, session, address}. */
export async function signUp(url, username, address) {
  const res = await call(`${url}/auth/signup`, {
    method: 'POST',
    localAddress: address,
    body: { username, password: PASSWORD },
  });
  const { user } = expect(res, 201, `sign-up of ${username} from ${address}`);
  const session = sessionFromSetCookie(res.headers['set-cookie']);
  if (!session) throw new Error(`sign-up of ${username}: no ${SESSION_COOKIE} cookie`);
  return { id: user.id, username: user.username, session, address };
}

/** Signs in again: a second session of the same user. */
export async function signIn(url, username, address) {
  const res = await call(`${url}/auth/signin`, {
    method: 'POST',
    localAddress: address,
    body: { username, password: PASSWORD },
  });
  expect(res, 200, `sign-in of ${username}`);
  return sessionFromSetCookie(res.headers['set-cookie']);
}

/** A new API token of the signed-in user: {id, secret}. */
export async function createToken(url, session, { name = 'bench', scope = 'write' } = {}) {
  const res = await call(`${url}/me/tokens`, {
    method: 'POST',
    headers: { Cookie: cookieHeader(session) },
    body: { name, scope },
  });
  const { token, secret } = expect(res, 201, 'POST /me/tokens');
  return { id: token.id, secret };
}

/** A private board of the owner with one list, and `members` added to it: {boardId, listId, seq}. */
export async function privateBoard(
  url,
  owner,
  members,
  { role = 'editor', concurrency = 4, title = 'Bench private' } = {},
) {
  const headers = { Cookie: cookieHeader(owner.session) };
  const board = expect(
    await call(`${url}/boards`, { method: 'POST', headers, body: { title, visibility: 'private' } }),
    201,
    'POST /boards (private)',
  );
  if (board.visibility !== 'private') throw new Error(`the board is ${board.visibility}, not private`);
  const list = expect(
    await call(`${url}/boards/${board.id}/lists`, { method: 'POST', headers, body: { title: 'To do' } }),
    201,
    'POST /boards/:id/lists',
  );
  // One board's writes queue behind each other anyway; a few in flight keep its group commit busy.
  await inTurn(members.length, concurrency, async (i) => {
    const res = await call(`${url}/boards/${board.id}/members`, {
      method: 'POST',
      headers,
      body: { username: members[i].username, role },
    });
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`adding member ${members[i].username}: ${res.status} ${res.body.slice(0, 200)}`);
  });
  const snapshot = expect(await call(`${url}/boards/${board.id}`, { headers }), 200, 'GET /boards/:id');
  if (snapshot.members.length !== members.length + 1)
    throw new Error(`the board has ${snapshot.members.length} members, not ${members.length + 1}`);
  return { boardId: board.id, listId: list.id, seq: snapshot.seq };
}

/**
 * What `POST /boards` needs, for benches that are not about access: a bench user's session cookie,
 * and the body fields that open its boards to everyone (`public_edit`, as every board was before
 * accounts), so that their writes and streams stay anonymous, as they were. A build without accounts
 * (`POST /auth/signup` answers 404, e.g. liveboard-alt) needs neither. Signs the user up (signs in
 * when it exists already): call it once per server. Resolves {headers, fields}.
 */
export async function boardMaker(url, { username = 'bench-maker', agent } = {}) {
  const body = { username, password: PASSWORD };
  let res = await call(`${url}/auth/signup`, { method: 'POST', body, agent });
  if (res.status === 404) return { headers: {}, fields: {} };
  if (res.status === 409) res = await call(`${url}/auth/signin`, { method: 'POST', body, agent });
  if (res.status !== 201 && res.status !== 200) {
    throw new Error(`the bench user ${username}: ${res.status} ${res.body.slice(0, 200)}`);
  }
  const session = sessionFromSetCookie(res.headers['set-cookie']);
  if (!session) throw new Error(`the bench user ${username}: no ${SESSION_COOKIE} cookie`);
  return { headers: { Cookie: cookieHeader(session) }, fields: { visibility: 'public_edit' } };
}

/** An owner and `count` users, signed up `concurrency` at a time from their own source addresses. */
export async function signUpUsers(url, count, { prefix = 'bench-u', block = 250, concurrency = 4 } = {}) {
  const owner = await signUp(url, `${prefix}-owner`, signupAddress(0, { block: block - 1 }));
  const users = await inTurn(count, concurrency, (i) =>
    signUp(url, userName(i + 1, prefix), signupAddress(i, { block })),
  );
  return { owner, users };
}

/**
 * On a build with accounts, the users, the private board and the tokens, and the target re-pointed
 * at them (see the top of this file); resolves a summary for the report, or {accounts: false}.
 */
export async function prepareAccounts(target, { users, perUser, writers = 4, log = () => {} }) {
  if (!(await hasAccounts(target.url))) return { accounts: false };
  const startedAt = monotonicMs();
  log(`${target.name}: accounts: signing up ${users} users`);
  const people = await signUpUsers(target.url, users);
  const signedUpAt = monotonicMs();
  log(`${target.name}: accounts: a private board with ${users} members`);
  const board = await privateBoard(target.url, people.owner, people.users);
  const tokens = await inTurn(Math.min(writers, users), 4, (i) =>
    createToken(target.url, people.users[i].session, { name: `bench writer ${i + 1}` }),
  );
  const ownerCookie = { Cookie: cookieHeader(people.owner.session) };
  let turn = 0;
  Object.assign(target, {
    eventsPath: `/boards/${board.boardId}/events`,
    // Each stream presents one user's cookie, as a browser's EventSource does.
    credentials: people.users.map((user) => `Cookie: ${cookieHeader(user.session)}`),
    perCredential: perUser,
    async position() {
      const res = await call(`${target.url}/boards/${board.boardId}`, { headers: ownerCookie });
      return JSON.parse(res.body).seq;
    },
    async publish(agent, title) {
      const token = tokens[turn++ % tokens.length];
      const res = await call(`${target.url}/boards/${board.boardId}/tasks`, {
        method: 'POST',
        agent,
        headers: { Authorization: `Bearer ${token.secret}` },
        body: JSON.stringify({ listId: board.listId, title }),
      });
      return {
        status: res.status,
        ok: res.status === 201,
        seq: Number(res.headers['board-seq']),
        ms: res.ms,
      };
    },
  });
  return {
    accounts: true,
    users,
    perUser,
    writers: tokens.length,
    boardId: board.boardId,
    visibility: 'private',
    members: users + 1,
    signUpSeconds: Math.round(signedUpAt - startedAt) / 1000,
    setupSeconds: Math.round(monotonicMs() - startedAt) / 1000,
  };
}
