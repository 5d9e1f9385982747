/**
 * How a subscription ends when its access does, against a scripted fake server (a fake fetch under
 * the real `eventsource` package): never a retry of a 401, 403 or 404; `revoked` is final; a
 * removal followed by a 404 is `access_revoked`; a `too_many_streams` notice is waited out.
 */
import { EventSource } from 'eventsource';
import { describe, expect, it } from 'vitest';
import type { StreamMessage } from '../domain/index.js';
import { AccessWatch, accessRevoked, revokedEventError } from './access-loss.js';
import { LiveboardApiError, LiveboardClient, type Transport } from './index.js';

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const notFound = (): Response => json(404, { error: { code: 'board_not_found', message: "no board 'b'" } });

/** An SSE answer that sends `text` and then closes (or stays open, like a live stream). */
function sse(text: string, options: { keepOpen?: boolean } = {}): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      if (!options.keepOpen) controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

const event = (seq: number, body: Record<string, unknown>): string =>
  `id: ${seq}\ndata: ${JSON.stringify({ seq, at: '2026-01-01T00:00:00.000Z', by: null, ...body })}\n\n`;

const taskDeleted = (seq: number): string => event(seq, { type: 'task_deleted', taskId: `task-${seq}` });

interface Request {
  method: string;
  path: string;
  authorization: string | undefined;
}

/** A fake server: `route` answers each request (the stream's, the board's, the poll's) and sees them all. */
function fakeServer(route: (request: Request, count: number) => Response) {
  const requests: Request[] = [];
  const counts = new Map<string, number>();
  const fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    const headers = new Headers(init.headers);
    const request = {
      method: init.method ?? 'GET',
      path: url.pathname + url.search,
      authorization: headers.get('authorization') ?? undefined,
    };
    requests.push(request);
    const key = url.pathname;
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    return route(request, count);
  };
  return { requests, fetch: fetch as typeof globalThis.fetch };
}

async function collect(
  client: LiveboardClient,
  transport: Transport,
): Promise<{ seen: StreamMessage[]; error: unknown }> {
  const seen: StreamMessage[] = [];
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 8000);
  try {
    for await (const message of client.subscribe('b', {
      from: 0,
      transport,
      signal: abort.signal,
      pollTimeoutSeconds: 1,
    })) {
      seen.push(message);
    }
    return { seen, error: abort.signal.aborted ? new Error('timed out') : undefined };
  } catch (error) {
    return { seen, error };
  } finally {
    clearTimeout(timer);
  }
}

function clientOf(fetch: typeof globalThis.fetch, options: { token?: string } = {}): LiveboardClient {
  return new LiveboardClient({
    baseUrl: 'http://lb.test',
    fetch,
    EventSource,
    backoff: { initialMs: 20, maxMs: 50 },
    ...(options.token ? { token: options.token } : {}),
  });
}

describe('a subscription whose access ends', () => {
  it('sends the token on the stream (through the eventsource fetch option) and the probe', async () => {
    const server = fakeServer(({ path }, count) => {
      if (path.includes('/events')) return count === 1 ? sse(`retry: 10\n\n${taskDeleted(1)}`) : notFound();
      return notFound();
    });
    const { seen, error } = await collect(clientOf(server.fetch, { token: 'lbp_abc' }), 'sse');
    expect(seen.map((m) => m.seq)).toEqual([1]);
    expect(error).toMatchObject({ status: 404, code: 'board_not_found' });
    expect(server.requests.length).toBeGreaterThan(1);
    for (const request of server.requests) expect(request.authorization).toBe('Bearer lbp_abc');
  });

  it.each([
    [401, 'invalid_token'],
    [403, 'forbidden'],
    [404, 'board_not_found'],
  ] as const)('ends with a %i on (re)connect, never retrying it (SSE)', async (status, code) => {
    const server = fakeServer(({ path }, count) => {
      if (path.includes('/events') && count === 1) return sse(`retry: 10\n\n${taskDeleted(1)}`);
      return json(status, { error: { code, message: code } });
    });
    const { seen, error } = await collect(clientOf(server.fetch, { token: 'lbp_abc' }), 'sse');
    expect(seen.map((m) => m.seq)).toEqual([1]);
    expect(error).toBeInstanceOf(LiveboardApiError);
    expect(error).toMatchObject({ status, code });
    // The stream, its one native reconnect, the one probe: then nothing more.
    const before = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.requests.length).toBe(before);
    expect(before).toBeLessThanOrEqual(3);
  });

  it.each([
    [401, 'unauthenticated'],
    [403, 'insufficient_scope'],
    [404, 'board_not_found'],
  ] as const)('ends with a %i on the long poll, never retrying it', async (status, code) => {
    const server = fakeServer(({ path }, count) => {
      if (path.includes('/poll') && count === 1) {
        return json(200, { events: [JSON.parse(taskDeleted(1).split('data: ')[1]!)], seq: 1 });
      }
      return json(status, { error: { code, message: code } });
    });
    const { seen, error } = await collect(clientOf(server.fetch), 'poll');
    expect(seen.map((m) => m.seq)).toEqual([1]);
    expect(error).toMatchObject({ status, code });
    expect(server.requests.filter((r) => r.path.includes('/poll'))).toHaveLength(2);
  });

  it('ends with access_revoked on a `revoked` event, and does not reconnect', async () => {
    const server = fakeServer(({ path }) => {
      if (path.includes('/events')) {
        return sse(`retry: 10\n\n${taskDeleted(1)}event: revoked\ndata: {"reason":"token_revoked"}\n\n`, {
          keepOpen: true,
        });
      }
      return json(200, { id: 'b', seq: 1 });
    });
    const { seen, error } = await collect(clientOf(server.fetch, { token: 'lbp_abc' }), 'sse');
    expect(seen.map((m) => m.seq)).toEqual([1]);
    expect(error).toMatchObject({
      status: 403,
      code: 'access_revoked',
      details: { reason: 'token_revoked' },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests).toHaveLength(1);
  });

  it('surfaces its own removal from a private board (member_removed, a close, a 404) as access_revoked', async () => {
    const server = fakeServer(({ path }, count) => {
      if (path.includes('/events') && count === 1) {
        // A long retry: the SDK asks at once instead of waiting it out.
        return sse(
          `retry: 60000\n\n${taskDeleted(1)}${event(2, { type: 'member_removed', userId: 'u-me', username: 'me' })}`,
        );
      }
      return notFound();
    });
    const started = Date.now();
    const { seen, error } = await collect(clientOf(server.fetch, { token: 'lbp_abc' }), 'sse');
    expect(seen.map((m) => m.type)).toEqual(['task_deleted', 'member_removed']);
    expect(error).toMatchObject({
      status: 403,
      code: 'access_revoked',
      details: { reason: 'member_removed' },
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('and over the long poll', async () => {
    const server = fakeServer(({ path }, count) => {
      if (path.includes('/poll') && count === 1) {
        const removed = { type: 'member_removed', seq: 1, at: 'x', by: null, userId: 'u-me', username: 'me' };
        return json(200, { events: [removed], seq: 1 });
      }
      return notFound();
    });
    const { error } = await collect(clientOf(server.fetch), 'poll');
    expect(error).toMatchObject({ code: 'access_revoked' });
  });

  it('goes on after another member is removed from a board it may still read', async () => {
    const client = clientOf(
      fakeServer(({ path }, count) => {
        if (path.includes('/events') && count === 1) {
          return sse(
            `retry: 10\n\n${event(1, { type: 'member_removed', userId: 'u-other', username: 'bo' })}`,
          );
        }
        if (path.includes('/events'))
          return sse(`retry: 10\n\n${event(2, { type: 'board_deleted', boardId: 'b' })}`);
        return json(200, { id: 'b', seq: 1 });
      }).fetch,
    );
    const { seen, error } = await collect(client, 'sse');
    expect(error).toBeUndefined();
    expect(seen.map((m) => m.type)).toEqual(['member_removed', 'board_deleted']);
  });

  it('waits out a too_many_streams notice: EventSource comes back after the retry it was given', async () => {
    const server = fakeServer(({ path }, count) => {
      if (!path.includes('/events')) return json(200, { id: 'b', seq: 0 });
      if (count <= 3) return sse(`retry: 20\n\nevent: notice\ndata: {"code":"too_many_streams"}\n\n`);
      return sse(`retry: 20\n\n${taskDeleted(1)}${event(2, { type: 'board_deleted', boardId: 'b' })}`);
    });
    const { seen, error } = await collect(clientOf(server.fetch), 'sse');
    expect(error).toBeUndefined();
    expect(seen.map((m) => m.seq)).toEqual([1, 2]);
    // Waited out by EventSource's own reconnects, not a probe.
    expect(server.requests.filter((r) => !r.path.includes('/events'))).toHaveLength(0);
  });
});

describe('AccessWatch', () => {
  const removed = (userId: string): StreamMessage => ({
    type: 'member_removed',
    seq: 1,
    at: 'x',
    by: null,
    userId,
    username: 'someone',
  });

  it('suspects its own removal, anyone removed when it does not know its user, and a board made private', () => {
    let self: string | undefined = 'u-me';
    const watch = new AccessWatch('b', () => self);
    expect(watch.note(removed('u-other'))).toBe(false);
    expect(watch.note(removed('u-me'))).toBe(true);
    watch.clear();
    self = undefined;
    expect(watch.note(removed('u-other'))).toBe(true);
    expect(watch.note({ type: 'task_deleted', seq: 2, at: 'x', taskId: 't' })).toBe(false);
    expect(
      watch.note({ type: 'visibility_changed', seq: 3, at: 'x', visibility: 'private', listed: false }),
    ).toBe(true);
    const error = watch.translate(new LiveboardApiError(404, 'board_not_found', 'no board'));
    expect(error).toMatchObject({
      code: 'access_revoked',
      details: { reason: 'visibility_changed', boardId: 'b' },
    });
    expect(watch.translate(new LiveboardApiError(401, 'unauthenticated', 'x'))).toMatchObject({
      code: 'unauthenticated',
    });
  });

  it('reads the revoked event', () => {
    expect(revokedEventError('{"reason":"signed_out"}').details).toEqual({ reason: 'signed_out' });
    expect(revokedEventError('garbage').details).toEqual({ reason: 'revoked' });
    expect(accessRevoked('member_removed', 'b')).toMatchObject({ status: 403, code: 'access_revoked' });
  });
});
