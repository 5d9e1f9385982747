/**
 * The one rule for what asks for an SSE stream, used by both ways a request reaches us: the bare
 * socket of a new connection (stream-request-head.ts) and the HTTP server's parsed request
 * (stream-server.ts). Two streams: a board's (`GET /boards/:boardId/events`) and one for several
 * boards (`GET /events?boards=…`). Anything it does not recognize is left to the ordinary HTTP
 * server, which answers it (errors included) like any other request.
 */
export type StreamRequest = StreamRequestHead & {
  /**
   * The peer's address (the proxy's, behind one; the caller works out the client's). Read when
   * asked: it is a system call, and its answer stays on the socket for the stream's whole life,
   * while only anonymous readers need it (for the per-address caps).
   */
  readonly remoteAddress: string;
};

/** A stream request as its head says it: its boards, and who asks. */
export type StreamRequestHead = (BoardStreamRequest | BoardSetStreamRequest) & {
  /** The request target as sent (path and query), for the rule against credentials in URLs. */
  target: string;
  headers: StreamHeaders;
};

/** The headers a stream needs: its Host, credentials and the client's address behind proxies. */
export interface StreamHeaders {
  host: string | undefined;
  cookie: string | undefined;
  /** Every Authorization header sent: more than one is refused. */
  authorization: string[];
  lastEventId: string | undefined;
  forwardedFor: string | undefined;
}

export interface BoardStreamRequest {
  boardId: string;
  /** The position the client claims, unjudged: resume.ts decides what it means. */
  lastEventId: string | undefined;
}

export interface BoardSetStreamRequest {
  /** Every `boards` value of the query, percent-decoded and unjudged: board-set.ts judges them. */
  boards: string[];
  /** The positions the client claims (`<p1>.<p2>.….<pN>`), unjudged. */
  lastEventId: string | undefined;
  /** Where lastEventId came from, to name it in an error. */
  lastEventIdField: 'Last-Event-ID' | 'lastEventId';
}

/** How every stream's request line starts: lets a reader of raw bytes give up on others early. */
export const STREAM_REQUEST_LINE_STARTS = ['GET /boards/', 'GET /events'] as const;

const EVENTS_TARGET = /^\/boards\/([^/?#]+)\/events(?:\?(.*))?$/;
const BOARD_SET_EVENTS_TARGET = /^\/events(?:\?([^#]*))?$/;

/**
 * `target` is the request target as sent (path and query, still percent-encoded). The header wins
 * over `?lastEventId=`: it is what EventSource sends when it reconnects, so it is the newer claim.
 */
export function recognizeStreamRequest(
  method: string,
  target: string,
  lastEventIdHeader: string | undefined,
): BoardStreamRequest | BoardSetStreamRequest | undefined {
  if (method !== 'GET') return undefined;
  const boardSet = BOARD_SET_EVENTS_TARGET.exec(target);
  if (boardSet) {
    const query = new URLSearchParams(boardSet[1] ?? '');
    return {
      boards: query.getAll('boards'),
      lastEventId: lastEventIdHeader ?? query.get('lastEventId') ?? undefined,
      lastEventIdField: lastEventIdHeader === undefined ? 'lastEventId' : 'Last-Event-ID',
    };
  }
  const match = EVENTS_TARGET.exec(target);
  if (!match) return undefined;
  let boardId: string;
  try {
    boardId = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  const lastEventId =
    lastEventIdHeader ?? new URLSearchParams(match[2] ?? '').get('lastEventId') ?? undefined;
  return { boardId, lastEventId };
}
