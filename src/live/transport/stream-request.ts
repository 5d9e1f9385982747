/**
 * The one rule for what asks for a board's SSE stream, used by both ways a request reaches us: the
 * bare socket of a new connection (stream-request-head.ts) and the HTTP server's parsed request
 * (stream-server.ts). Anything it does not recognize is left to the ordinary HTTP server, which
 * answers it (errors included) like any other request.
 */
export interface StreamRequest {
  boardId: string;
  /** The position the client claims, unjudged: resume.ts decides what it means. */
  lastEventId: string | undefined;
}

/** How every stream's request line starts: lets a reader of raw bytes give up on others early. */
export const STREAM_REQUEST_LINE_START = 'GET /boards/';

const EVENTS_TARGET = /^\/boards\/([^/?#]+)\/events(?:\?(.*))?$/;

/**
 * `target` is the request target as sent (path and query, still percent-encoded). The header wins
 * over `?lastEventId=`: it is what EventSource sends when it reconnects, so it is the newer claim.
 */
export function recognizeStreamRequest(
  method: string,
  target: string,
  lastEventIdHeader: string | undefined,
): StreamRequest | undefined {
  if (method !== 'GET') return undefined;
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
