import { describe, expect, it } from 'vitest';
import { MAX_STREAM_REQUEST_HEAD, classifyRequestHead } from './stream-request-head.js';
import type { StreamHeaders } from './stream-request.js';

const head = (text: string): Buffer => Buffer.from(text, 'latin1');
const headers = (given: Partial<StreamHeaders>): StreamHeaders => ({
  host: undefined,
  cookie: undefined,
  authorization: [],
  lastEventId: undefined,
  forwardedFor: undefined,
  ...given,
});
const STREAM_REQUEST =
  'GET /boards/board-1/events?lastEventId=5 HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n';

describe('classifyRequestHead', () => {
  it('recognizes a stream request, with its board and ?lastEventId', () => {
    expect(classifyRequestHead(head(STREAM_REQUEST))).toEqual({
      kind: 'stream',
      boardId: 'board-1',
      lastEventId: '5',
      target: '/boards/board-1/events?lastEventId=5',
      headers: headers({ host: 'x' }),
    });
  });

  it('prefers the Last-Event-ID header (what EventSource sends on reconnect) to the query', () => {
    const request = 'GET /boards/b%20x/events?lastEventId=5 HTTP/1.1\r\nlast-event-id: 9\r\n\r\n';
    expect(classifyRequestHead(head(request))).toEqual({
      kind: 'stream',
      boardId: 'b x',
      lastEventId: '9',
      target: '/boards/b%20x/events?lastEventId=5',
      headers: headers({ lastEventId: '9' }),
    });
  });

  it('waits for more bytes at every split of a stream request, then decides once', () => {
    for (let cut = 1; cut < STREAM_REQUEST.length; cut++) {
      expect(classifyRequestHead(head(STREAM_REQUEST.slice(0, cut))), `cut at ${cut}`).toEqual({
        kind: 'incomplete',
      });
    }
  });

  it('hands everything else to the HTTP server as early as it can tell', () => {
    for (const other of [
      'POST /boards/board-1/tasks HTTP/1.1\r\n\r\n',
      'GET /boards/board-1 HTTP/1.1\r\n\r\n',
      'GET /boards/board-1/poll?after=1 HTTP/1.1\r\n\r\n',
      'GET /b/board-1 HTTP/1.1\r\n\r\n',
      'HEAD /boards/board-1/events HTTP/1.1\r\n\r\n',
      'GET /boards/a/b/events HTTP/1.1\r\n\r\n',
      'GET /boards/board-1/events HTTP/2.0\r\n\r\n',
    ]) {
      expect(classifyRequestHead(head(other)), other).toEqual({ kind: 'http' });
    }
    expect(classifyRequestHead(head('PO'))).toEqual({ kind: 'http' });
    expect(classifyRequestHead(head('GET /a'))).toEqual({ kind: 'http' });
  });

  it('leaves requests with a body, a pipelined request or an upgrade to the HTTP server', () => {
    const base = 'GET /boards/board-1/events HTTP/1.1\r\n';
    expect(classifyRequestHead(head(`${base}Content-Length: 3\r\n\r\nabc`))).toEqual({ kind: 'http' });
    expect(classifyRequestHead(head(`${base}Transfer-Encoding: chunked\r\n\r\n`))).toEqual({ kind: 'http' });
    expect(classifyRequestHead(head(`${base}\r\nGET / HTTP/1.1\r\n\r\n`))).toEqual({ kind: 'http' });
    expect(classifyRequestHead(head(`${base}Upgrade: websocket\r\n\r\n`))).toEqual({ kind: 'http' });
    expect(classifyRequestHead(head(`${base}Content-Length: 0\r\n\r\n`))).toMatchObject({ kind: 'stream' });
  });

  it('keeps what the stream door needs of the headers: Host, every Cookie and Authorization, the forwarded address', () => {
    const request =
      'GET /boards/board-1/events HTTP/1.1\r\nHost: board.example\r\nCookie: a=1\r\ncookie: liveboard_session=s\r\n' +
      'Authorization: Bearer one\r\nauthorization: Bearer two\r\nX-Forwarded-For: 10.0.0.7\r\n\r\n';
    expect(classifyRequestHead(head(request))).toMatchObject({
      headers: {
        host: 'board.example',
        cookie: 'a=1; liveboard_session=s',
        authorization: ['Bearer one', 'Bearer two'],
        forwardedFor: '10.0.0.7',
      },
    });
  });

  it('gives up on a head longer than it judges, and on malformed percent-encoding', () => {
    const long = `GET /boards/board-1/events HTTP/1.1\r\nX: ${'a'.repeat(MAX_STREAM_REQUEST_HEAD)}`;
    expect(classifyRequestHead(head(long))).toEqual({ kind: 'http' });
    expect(classifyRequestHead(head('GET /boards/%E0%A4%A/events HTTP/1.1\r\n\r\n'))).toEqual({
      kind: 'http',
    });
  });

  it('recognizes the stream of several boards at every split, with its Last-Event-ID header', () => {
    const request = 'GET /events?boards=board-1:5,board-2 HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 6.0\r\n\r\n';
    for (let cut = 1; cut < request.length; cut++) {
      expect(classifyRequestHead(head(request.slice(0, cut))), `cut at ${cut}`).toEqual({
        kind: 'incomplete',
      });
    }
    expect(classifyRequestHead(head(request))).toEqual({
      kind: 'stream',
      boards: ['board-1:5,board-2'],
      lastEventId: '6.0',
      lastEventIdField: 'Last-Event-ID',
      target: '/events?boards=board-1:5,board-2',
      headers: headers({ host: 'x', lastEventId: '6.0' }),
    });
    for (const other of ['GET /eventsource HTTP/1.1\r\n\r\n', 'GET /events/x HTTP/1.1\r\n\r\n', 'GET /ex']) {
      expect(classifyRequestHead(head(other)), other).toEqual({ kind: 'http' });
    }
    expect(classifyRequestHead(head('GET /events?boards=a HTTP/1.1\r\nContent-Length: 1\r\n\r\nx'))).toEqual({
      kind: 'http',
    });
  });
});
