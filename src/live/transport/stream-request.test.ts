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

  it('recognizes the stream of several boards, with every boards value, decoded, and where the position came from', () => {
    expect(recognizeStreamRequest('GET', '/events?boards=a%3A5%2Cb,c&x=1', undefined)).toEqual({
      boards: ['a:5,b,c'],
      lastEventId: undefined,
      lastEventIdField: 'lastEventId',
    });
    expect(recognizeStreamRequest('GET', '/events?boards=a,b&lastEventId=1.2', undefined)).toEqual({
      boards: ['a,b'],
      lastEventId: '1.2',
      lastEventIdField: 'lastEventId',
    });
    expect(recognizeStreamRequest('GET', '/events?boards=a,b&lastEventId=1.2', '3.4')).toEqual({
      boards: ['a,b'],
      lastEventId: '3.4',
      lastEventIdField: 'Last-Event-ID',
    });
    // Judged later (a 400 as JSON): a stream request all the same.
    expect(recognizeStreamRequest('GET', '/events', undefined)).toEqual({
      boards: [],
      lastEventId: undefined,
      lastEventIdField: 'lastEventId',
    });
    expect(recognizeStreamRequest('GET', '/events?boards=a&boards=b', undefined)).toMatchObject({
      boards: ['a', 'b'],
    });
    for (const [method, target] of [
      ['HEAD', '/events?boards=a'],
      ['POST', '/events?boards=a'],
      ['GET', '/events/'],
      ['GET', '/eventsx?boards=a'],
      ['GET', '/poll?boards=a'],
    ] as const) {
      expect(recognizeStreamRequest(method, target, undefined), `${method} ${target}`).toBeUndefined();
    }
  });
});
