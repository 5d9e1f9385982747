import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../test/support/http.js';
import { useServer } from '../../test/support/server.js';
import { openRawStream } from '../../test/support/sse.js';

const live = useServer();

describe('operations endpoints', () => {
  it('GET /healthz answers 200 {ok:true, store} naming the store in use', async () => {
    const response = await live.api.get('/healthz');
    expect(response.status).toBe(200);
    const store = process.env.LIVEBOARD_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
    expect(response.body).toEqual({ ok: true, store });
  });

  it('GET /metrics is Prometheus text with liveboard_ metrics for open streams and events written', async () => {
    const board = await live.api.createBoard('Metrics');
    await live.api.createList(board.id, 'L');
    const response = await live.api.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const names = new Set(
      response.text
        .split('\n')
        .filter((line) => line.startsWith('# TYPE '))
        .map((line) => line.split(' ')[2]),
    );
    const ours = [...names].filter((name) => name?.startsWith('liveboard_'));
    expect(ours).toContain('liveboard_open_streams');
    expect(ours).toContain('liveboard_events_written_total');
    // The write above must have been counted.
    const written = response.text
      .split('\n')
      .filter((line) => line.startsWith('liveboard_events_written_total'))
      .map((line) => Number(line.trim().split(/\s+/).at(-1)))
      .reduce((sum, value) => sum + value, 0);
    expect(written).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['GET', '/nope'],
    ['GET', '/boards/board-1/nope'],
    ['POST', '/definitely/not/a/route'],
  ])('an unknown route (%s %s) is 404 route_not_found as JSON', async (method, path) => {
    const response = await live.api.call<ErrorBody>(method, path, method === 'POST' ? { json: {} } : {});
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body.error.code).toBe('route_not_found');
    expect(typeof response.body.error.message).toBe('string');
  });

  // Last: it stops this file's server.
  it('SIGTERM closes open streams and exits 0', async () => {
    const stream = await openRawStream(`${live.server.url}/boards/board-1/events`);
    expect(stream.status).toBe(200);
    await stream.waitForText((text) => text.includes('\n'));
    const exitCode = await Promise.race([
      live.server.stop(),
      new Promise((resolve) => setTimeout(() => resolve('still running after 10 s'), 10_000)),
    ]);
    expect(exitCode).toBe(0);
    const closed = await Promise.race([
      stream.ended.then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 1000)),
    ]);
    expect(closed).toBe('closed');
  }, 20_000);
});
