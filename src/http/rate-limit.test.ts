import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('write rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { LIVEBOARD_WRITE_RATE_LIMIT: '5' } });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('answers 429 rate_limited with Retry-After past the limit, and the refused write changes nothing', async () => {
    const create = () =>
      fetch(`${server.url}/boards/board-1/lists`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'L' }),
      });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) statuses.push((await create()).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    const seqBefore = ((await (await fetch(`${server.url}/boards/board-1`)).json()) as { seq: number }).seq;

    const refused = await create();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited' } });

    // Reads are not limited, and nothing was written.
    const board = await fetch(`${server.url}/boards/board-1`);
    expect(board.status).toBe(200);
    expect(((await board.json()) as { seq: number }).seq).toBe(seqBefore);
  });
});
