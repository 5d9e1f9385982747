// The `revocation` phase (issue 13): how long after a credential or a membership is taken away do
// the streams that used it end? On a fresh server of the build (per store: SQLite, PostgreSQL, and
// optionally a cluster of either), `users` users, each a member (editor) of one private board, each
// holding `perUser` streams of that board with each of three credentials:
//
//   token    `Authorization: Bearer` with the user's API token;  revoked by DELETE /me/tokens/:id
//            (the token revoking itself, as `liveboard logout` does)
//   signout  the cookie of the session made at sign-up;          revoked by POST /auth/signout
//   member   the cookie of a second session (a second sign-in);   revoked by the owner's
//            DELETE /boards/:id/members/:userId (the member must get its member_removed, then the end)
//
// One kind after the other, one user after the other (`gapMs` apart, each request awaited), every
// revocation's answer is timed; each affected stream's end (the server's FIN) and the event before
// it (`event: revoked`, or the member's own `member_removed`) are timed when their bytes arrive.
// Latency = stream end − the revoking request's answer (negative: the stream ended before the
// answer was in); also from the request's start. After the last revocation of a kind, up to
// `waitMs` for the stragglers; a stream still open then is counted, never waited for longer.
// Streams of the kinds not yet revoked must stay open (collateral closes are counted).
//
// The streams are held in this process on raw sockets (3 × users × perUser: 3,000 by default),
// read only for those two markers and the end, so that a measured end is not a parse away.
import { connect } from 'node:net';
import { monotonicMs } from './clock.js';
import { round, summarize } from './stats.js';
import {
  call,
  cookieHeader,
  createToken,
  hasAccounts,
  inTurn,
  privateBoard,
  signIn,
  signUpUsers,
} from './accounts.js';
import { freePort, freshStore, liveboardServer, postgresProblem } from '../writes/servers.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The servers and stores of the phase while it runs, for `abandonRevocation` (the time limit). */
const running = new Set();

/** Kills the phase's server and drops its store: the run's time limit, or a crash. */
export async function abandonRevocation() {
  for (const entry of running) {
    for (const watch of entry.watches) watch.destroy();
    entry.server.kill();
    await entry.store.dispose().catch(() => {});
  }
  running.clear();
}

export const KINDS = ['token', 'signout', 'member'];

/** The stores the phase can run on: [store kind, processes]. */
export const STORES = {
  sqlite: ['sqlite', 1],
  postgres: ['postgres', 1],
  'sqlite-cluster': ['sqlite', 2],
  'postgres-cluster': ['postgres', 2],
};

/**
 * The figures of one kind: `answers` [{user, sentAt, answeredAt, status}], `watches` [{user,
 * closedAt, eventAt, status}] (monotonic ms; closedAt/eventAt null when not seen). Pure.
 */
export function revocationFigures(answers, watches) {
  const byUser = new Map(answers.map((answer) => [answer.user, answer]));
  const closeMs = [];
  const closeFromSentMs = [];
  const eventMs = [];
  const eventToCloseMs = [];
  let stillOpen = 0;
  let withoutEvent = 0;
  let notOpened = 0;
  let unanswered = 0;
  for (const watch of watches) {
    if (watch.status !== 200) {
      notOpened++;
      continue;
    }
    const answer = byUser.get(watch.user);
    if (!answer || !(answer.status >= 200 && answer.status < 300)) {
      unanswered++;
      continue;
    }
    if (watch.closedAt == null) {
      stillOpen++;
      continue;
    }
    closeMs.push(watch.closedAt - answer.answeredAt);
    closeFromSentMs.push(watch.closedAt - answer.sentAt);
    if (watch.eventAt == null) withoutEvent++;
    else {
      eventMs.push(watch.eventAt - answer.answeredAt);
      eventToCloseMs.push(watch.closedAt - watch.eventAt);
    }
  }
  const failed = answers.filter((answer) => !(answer.status >= 200 && answer.status < 300));
  return {
    revocations: answers.length,
    failedRevocations: failed.length,
    failedStatuses: [...new Set(failed.map((answer) => answer.status))],
    streams: watches.length,
    closed: closeMs.length,
    stillOpen,
    withoutEvent,
    notOpened,
    unanswered,
    answerMs: summarize(answers.map((answer) => answer.answeredAt - answer.sentAt)),
    closeMs: summarize(closeMs),
    closeFromSentMs: summarize(closeFromSentMs),
    eventMs: summarize(eventMs),
    eventToCloseMs: summarize(eventToCloseMs),
    closedBeforeAnswer: closeMs.filter((ms) => ms < 0).length,
  };
}

/**
 * One SSE stream held for the phase: `status` of its head, `eventAt` when the event that announces
 * its end arrived (`event: revoked`, or a member_removed naming `userId`), `closedAt` its end.
 */
export class Watch {
  constructor({ port, path, header, kind, user, userId }) {
    Object.assign(this, { port, path, header, kind, user, userId });
    this.status = 0;
    this.openedAt = null;
    this.eventAt = null;
    this.closedAt = null;
    this.endedBy = null; // 'revoked' | 'member_removed' when seen
    this.head = '';
    this.tail = ''; // the last bytes of the body: a marker may straddle two reads
    this.socket = null;
  }

  /** Resolves when the head is in (its status) or the socket ends first (0). */
  open() {
    return new Promise((resolve) => {
      let answered = false;
      const answer = (status) => {
        if (answered) return;
        answered = true;
        resolve(status);
      };
      const socket = connect({ host: '127.0.0.1', port: this.port, noDelay: true });
      this.socket = socket;
      socket.on('connect', () =>
        socket.write(
          `GET ${this.path} HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\nAccept: text/event-stream\r\n` +
            `Cache-Control: no-cache\r\n${this.header}\r\n\r\n`,
        ),
      );
      socket.on('data', (bytes) => {
        const now = monotonicMs();
        const text = bytes.toString('latin1');
        if (this.status === 0) {
          this.head += text;
          const end = this.head.indexOf('\r\n\r\n');
          if (end < 0) return;
          this.status = Number(this.head.slice(9, 12));
          this.openedAt = now;
          const body = this.head.slice(end + 4);
          this.head = '';
          answer(this.status);
          if (this.status !== 200) return socket.destroy();
          this.onBody(body, now);
        } else this.onBody(text, now);
      });
      const ended = () => {
        if (this.closedAt === null && this.status === 200) this.closedAt = monotonicMs();
        answer(this.status);
      };
      socket.on('end', ended);
      socket.on('close', ended);
      socket.on('error', () => {});
    });
  }

  onBody(text, now) {
    if (this.eventAt !== null) return;
    const window = this.tail + text;
    this.tail = window.slice(-160);
    if (window.includes('event: revoked')) {
      this.eventAt = now;
      this.endedBy = 'revoked';
    } else if (
      window.includes('"type":"member_removed"') &&
      window.includes(`"userId":"${this.userId}","username"`)
    ) {
      this.eventAt = now;
      this.endedBy = 'member_removed';
    }
  }

  get isOpen() {
    return this.status === 200 && this.closedAt === null;
  }

  destroy() {
    this.socket?.resetAndDestroy();
  }
}

/** Users, their credentials and the private board, on a server with accounts. */
async function setUp(url, users, log) {
  const people = await signUpUsers(url, users, { prefix: 'bench-r', block: 240 });
  log(`revocation: ${users} users signed up; a private board, a token and a second session each`);
  const board = await privateBoard(url, people.owner, people.users, { title: 'Bench revocation' });
  await inTurn(users, 4, async (i) => {
    const user = people.users[i];
    user.token = await createToken(url, user.session, { name: 'bench revocation' });
    user.secondSession = await signIn(url, user.username, user.address);
  });
  return { ...people, board };
}

/** The header each kind's streams present. */
function headerOf(kind, user) {
  if (kind === 'token') return `Authorization: Bearer ${user.token.secret}`;
  if (kind === 'signout') return `Cookie: ${cookieHeader(user.session)}`;
  return `Cookie: ${cookieHeader(user.secondSession)}`;
}

/** Revokes what `kind` takes away from `user`; resolves the timed answer. */
async function revoke(url, kind, user, owner, boardId) {
  let res;
  if (kind === 'token')
    res = await call(`${url}/me/tokens/${user.token.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${user.token.secret}` },
    });
  else if (kind === 'signout')
    res = await call(`${url}/auth/signout`, {
      method: 'POST',
      headers: { Cookie: cookieHeader(user.session) },
    });
  else
    res = await call(`${url}/boards/${boardId}/members/${user.id}`, {
      method: 'DELETE',
      headers: { Cookie: cookieHeader(owner.session) },
    });
  return { user: user.username, sentAt: res.sentAt, answeredAt: res.answeredAt, status: res.status };
}

/** The phase on one store: a fresh server, its users and streams, the three kinds in turn. */
async function onStore(name, { main, users, perUser, gapMs, waitMs, postgresUrl, log }) {
  const [kind, processes] = STORES[name];
  const store = freshStore(kind, { postgresUrl, tag: `revocation_${name}` });
  const server = liveboardServer({
    name: `revocation-${name}`,
    main,
    processes,
    store,
    port: await freePort(),
  });
  const watches = [];
  const entry = { server, store, watches };
  running.add(entry);
  try {
    await server.start();
    if (!(await hasAccounts(server.url))) return { skipped: 'this build has no accounts' };
    const setupAt = monotonicMs();
    const { owner, users: people, board } = await setUp(server.url, users, log);
    const setupSeconds = round((monotonicMs() - setupAt) / 1000, 1);
    const path = `/boards/${board.boardId}/events`;
    for (const k of KINDS)
      for (const user of people)
        for (let s = 0; s < perUser; s++)
          watches.push(
            new Watch({
              port: server.port,
              path,
              header: headerOf(k, user),
              kind: k,
              user: user.username,
              userId: user.id,
            }),
          );
    const openAt = monotonicMs();
    const statuses = await inTurn(watches.length, 64, (i) => watches[i].open());
    const openSeconds = round((monotonicMs() - openAt) / 1000, 2);
    const refused = statuses.filter((status) => status !== 200).length;
    log(
      `revocation (${name}): ${watches.length - refused}/${watches.length} streams open in ${openSeconds} s`,
    );
    await sleep(1000);
    const earlyCloses = watches.filter((watch) => watch.closedAt !== null).length;
    const kinds = {};
    for (const k of KINDS) {
      const mine = watches.filter((watch) => watch.kind === k);
      const others = watches.filter(
        (watch) => watch.kind !== k && KINDS.indexOf(watch.kind) > KINDS.indexOf(k),
      );
      const othersOpen = others.filter((watch) => watch.isOpen).length;
      const answers = [];
      for (const user of people) {
        answers.push(await revoke(server.url, k, user, owner, board.boardId));
        if (gapMs) await sleep(gapMs);
      }
      const deadline = monotonicMs() + waitMs;
      while (mine.some((watch) => watch.isOpen) && monotonicMs() < deadline) await sleep(20);
      const figures = revocationFigures(answers, mine);
      // Streams of the kinds still to come that ended meanwhile: an end that was not asked for.
      figures.collateralCloses = othersOpen - others.filter((watch) => watch.isOpen).length;
      figures.endedBy = [...new Set(mine.map((watch) => watch.endedBy).filter(Boolean))];
      kinds[k] = figures;
      log(
        `revocation (${name}) ${k}: ${figures.closed}/${figures.streams} ended, p50 ${figures.closeMs.p50} ms, ` +
          `p99 ${figures.closeMs.p99} ms, max ${figures.closeMs.max} ms after the answer; still open ${figures.stillOpen}`,
      );
    }
    return {
      store: kind,
      processes,
      users,
      streamsPerUserPerKind: perUser,
      streams: watches.length,
      refused,
      earlyCloses,
      openSeconds,
      setupSeconds,
      gapMs,
      waitMs,
      kinds,
    };
  } finally {
    for (const watch of watches) watch.destroy();
    await server.stop().catch(() => server.kill());
    await store.dispose().catch(() => {});
    running.delete(entry);
  }
}

/**
 * The phase on each of `stores` (names of STORES) with the build at `main`; resolves
 * {[store]: figures | {skipped} | {error}}. PostgreSQL stores are skipped (with the reason) when
 * the server cannot be reached.
 */
export async function revocationPhase({
  main,
  stores = ['sqlite', 'postgres'],
  users = 200,
  perUser = 5,
  gapMs = 20,
  waitMs = 5000,
  postgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres',
  log = () => {},
}) {
  const results = {};
  let pgProblem;
  for (const name of stores) {
    if (!STORES[name]) {
      results[name] = { skipped: `unknown store ${name}` };
      continue;
    }
    if (STORES[name][0] === 'postgres') {
      pgProblem ??= (await postgresProblem(postgresUrl)) ?? '';
      if (pgProblem) {
        results[name] = { skipped: `PostgreSQL at ${postgresUrl}: ${pgProblem}` };
        continue;
      }
    }
    log(`revocation (${name}): ${users} users × ${perUser} streams × ${KINDS.length} kinds`);
    try {
      results[name] = await onStore(name, { main, users, perUser, gapMs, waitMs, postgresUrl, log });
    } catch (error) {
      log(`revocation (${name}) failed: ${error.stack}`);
      results[name] = { error: error.message.split('\n')[0] };
    }
  }
  return results;
}
