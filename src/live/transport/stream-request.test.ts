import { describe, expect, it } from 'vitest';
import { recognizeStreamRequest } from './stream-request.js';

describe('recognizeStreamRequest', () => {
  it('names the board, percent-decoded, and the position from ?lastEventId=', () => {
    expect(recognizeStreamRequest('GET', '/boards/b%20x/events?a=1&lastEventId=5', undefined)).toEqual({
      boardId: 'b x',
      lastEventId: '5',
    });
    expect(recognizeStreamRequest('GET', '/boards/board-1/events', undefined)).toEqual({
      boardId: 'board-1',
      lastEventId: undefined,
    });
  });

  it('takes the Last-Event-ID header over the query, even when it is empty', () => {
    const target = '/boards/board-1/events?lastEventId=5';
    expect(recognizeStreamRequest('GET', target, '9')?.lastEventId).toBe('9');
    expect(recognizeStreamRequest('GET', target, '')?.lastEventId).toBe('');
  });

  it('leaves every other request to the HTTP server', () => {
    for (const [method, target] of [
      ['HEAD', '/boards/board-1/events'],
      ['POST', '/boards/board-1/events'],
      ['GET', '/boards/board-1'],
      ['GET', '/boards/board-1/poll?after=1'],
      ['GET', '/boards/a/b/events'],
      ['GET', '/boards/board-1/events/'],
      ['GET', '/boards/a#b/events'],
      ['GET', '/boards/%E0%A4%A/events'],
    ] as const) {
      expect(recognizeStreamRequest(method, target, undefined), `${method} ${target}`).toBeUndefined();
    }
  });
});
