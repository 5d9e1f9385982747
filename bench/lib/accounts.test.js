// Run with `node --test bench/`: the pure parts of the bench's accounts (lib/accounts.js), and
// boardMaker against a fake server.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import {
  CredentialPool,
  boardMaker,
  inTurn,
  sessionFromSetCookie,
  shareOf,
  signupAddress,
  userName,
  usersFor,
} from './accounts.js';

describe('bench users', () => {
  it('are named within the username rule, in order', () => {
    assert.equal(userName(1), 'bench-u0001');
    assert.equal(userName(380, 'bench-r'), 'bench-r0380');
    for (const name of [userName(1), userName(9999), 'bench-u-owner'])
      assert.match(name, /^[a-z0-9](?:[a-z0-9-]{0,37}[a-z0-9])?$/);
  });

  it('sign up from a new source address every 10, under the 20 per address the server allows', () => {
    assert.equal(signupAddress(0), '127.0.250.2');
    assert.equal(signupAddress(9), '127.0.250.2');
    assert.equal(signupAddress(10), '127.0.250.3');
    assert.equal(signupAddress(2499), '127.0.250.251');
    assert.equal(signupAddress(2500), '127.0.251.2');
    assert.equal(signupAddress(0, { block: 240 }), '127.0.240.2');
    const perAddress = new Map();
    for (let i = 0; i < 380; i++)
      perAddress.set(signupAddress(i), (perAddress.get(signupAddress(i)) ?? 0) + 1);
    assert.ok(Math.max(...perAddress.values()) <= 10);
  });

  it('are as many as the streams need at their share each, a multiple of the load processes', () => {
    assert.equal(usersFor(10_000, 50, 4), 200);
    assert.equal(usersFor(19_000, 50, 4), 380);
    assert.equal(usersFor(1000, 50, 4), 20);
    assert.equal(usersFor(1001, 50, 4), 24);
  });

  it('are dealt out to the load processes in turn', () => {
    const all = Array.from({ length: 10 }, (_, k) => k);
    assert.deepEqual(shareOf(all, 0, 4), [0, 4, 8]);
    assert.deepEqual(shareOf(all, 3, 4), [3, 7]);
    assert.equal([0, 1, 2, 3].flatMap((i) => shareOf(all, i, 4)).length, 10);
  });
});

describe('sessionFromSetCookie', () => {
  it('reads the session cookie from one or several Set-Cookie lines', () => {
    const line = 'liveboard_session=abc_-123; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000';
    assert.equal(sessionFromSetCookie([line]), 'abc_-123');
    assert.equal(sessionFromSetCookie(line), 'abc_-123');
    assert.equal(sessionFromSetCookie(['other=1; Path=/', line]), 'abc_-123');
    assert.equal(sessionFromSetCookie(['liveboard_session=; Max-Age=0']), undefined);
    assert.equal(sessionFromSetCookie(undefined), undefined);
  });
});

describe('CredentialPool', () => {
  it('fills each credential to its share before the next', () => {
    const pool = new CredentialPool(3, 2);
    assert.deepEqual(
      Array.from({ length: 6 }, () => pool.acquire()),
      [0, 0, 1, 1, 2, 2],
    );
    assert.deepEqual(pool.counts, [2, 2, 2]);
  });

  it('gives a released place back first, and past every share the least used', () => {
    const pool = new CredentialPool(3, 2);
    for (let i = 0; i < 6; i++) pool.acquire();
    pool.release(1);
    assert.equal(pool.acquire(), 1);
    pool.release(0);
    pool.release(0);
    pool.release(2);
    assert.equal(pool.acquire(), 0);
    assert.equal(pool.acquire(), 0);
    assert.equal(pool.acquire(), 2);
    // All full: the least used, so no credential runs far over its share.
    assert.equal(pool.acquire(), 0);
    assert.equal(pool.acquire(), 1);
    assert.deepEqual(pool.counts, [3, 3, 2]);
  });

  it('never counts below zero, and has nothing to give without credentials', () => {
    const pool = new CredentialPool(2, 1);
    pool.release(0);
    pool.release(5);
    assert.deepEqual(pool.counts, [0, 0]);
    assert.equal(new CredentialPool(0, 50).acquire(), -1);
  });

  it('keeps 10,000 streams of 200 users at 50 each through closes and reopens', () => {
    const pool = new CredentialPool(200, 50);
    const held = Array.from({ length: 10_000 }, () => pool.acquire());
    assert.ok(pool.counts.every((count) => count === 50));
    // Close the oldest 9,000 (as closeTo does), then open 9,000 again.
    for (const k of held.splice(0, 9000)) pool.release(k);
    for (let i = 0; i < 9000; i++) held.push(pool.acquire());
    assert.ok(pool.counts.every((count) => count === 50));
  });
});

describe('inTurn', () => {
  it('runs every task once, at most `concurrency` at a time, results in order', async () => {
    let running = 0;
    let most = 0;
    const results = await inTurn(10, 3, async (i) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return i * 2;
    });
    assert.deepEqual(
      results,
      Array.from({ length: 10 }, (_, i) => i * 2),
    );
    assert.equal(most, 3);
    assert.deepEqual(await inTurn(0, 4, async () => 1), []);
  });
});

describe('boardMaker', () => {
  /** A fake server: `routes[method path]` answers [status, headers, body]; every request is recorded. */
  async function fake(routes) {
    const seen = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (part) => (body += part));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${body}`);
        const [status, headers, answer] = routes[`${req.method} ${req.url}`] ?? [404, {}, '{}'];
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(answer);
      });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => server.close() };
  }
  const user = JSON.stringify({ user: { id: 'user-1', username: 'bench-maker' } });

  it('on a build with accounts: signs a user up, and makes boards public_edit with its cookie', async () => {
    const server = await fake({
      'POST /auth/signup': [201, { 'Set-Cookie': 'liveboard_session=abc; Path=/; HttpOnly' }, user],
    });
    try {
      assert.deepEqual(await boardMaker(server.url), {
        headers: { Cookie: 'liveboard_session=abc' },
        fields: { visibility: 'public_edit' },
      });
      assert.equal(server.seen.length, 1);
      assert.match(server.seen[0], /"username":"bench-maker"/);
    } finally {
      server.close();
    }
  });

  it('signs in when the user exists already (409), and needs nothing on a build without accounts (404)', async () => {
    const existing = await fake({
      'POST /auth/signup': [409, {}, '{"error":{"code":"username_taken"}}'],
      'POST /auth/signin': [200, { 'Set-Cookie': 'liveboard_session=again; Path=/' }, user],
    });
    const before = await fake({});
    try {
      assert.deepEqual((await boardMaker(existing.url)).headers, { Cookie: 'liveboard_session=again' });
      assert.deepEqual(await boardMaker(before.url), { headers: {}, fields: {} });
    } finally {
      existing.close();
      before.close();
    }
  });

  it('fails loudly on any other answer', async () => {
    const closed = await fake({ 'POST /auth/signup': [403, {}, '{"error":{"code":"signup_closed"}}'] });
    try {
      await assert.rejects(boardMaker(closed.url), /403/);
    } finally {
      closed.close();
    }
  });
});
