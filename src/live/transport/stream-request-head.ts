/**
 * Recognizes an SSE request from the first bytes of a new connection, before any HTTP parser sees
 * them (see new-connections.ts). Anything it is not sure of is `http`: the ordinary HTTP server
 * then handles it, including every error. Pure, so it is tested byte by byte.
 */
export type RequestHeadVerdict =
  | { kind: 'stream'; boardId: string; lastEventId: string | undefined }
  | { kind: 'http' }
  | { kind: 'incomplete' };

/** A longer head is not ours to judge: the HTTP server answers it (431). */
export const MAX_STREAM_REQUEST_HEAD = 8192;

const PREFIX = 'GET /boards/';
const REQUEST_LINE = /^GET \/boards\/([^/?#\s]+)\/events(?:\?(\S*))? HTTP\/1\.[01]$/;

export function classifyRequestHead(head: Buffer): RequestHeadVerdict {
  const text = head.toString('latin1');
  if (!text.startsWith(PREFIX.slice(0, Math.min(text.length, PREFIX.length)))) return { kind: 'http' };
  const lineEnd = text.indexOf('\r\n');
  if (lineEnd < 0) return text.length < MAX_STREAM_REQUEST_HEAD ? { kind: 'incomplete' } : { kind: 'http' };
  const requestLine = REQUEST_LINE.exec(text.slice(0, lineEnd));
  if (!requestLine) return { kind: 'http' };
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) return text.length < MAX_STREAM_REQUEST_HEAD ? { kind: 'incomplete' } : { kind: 'http' };
  // Bytes after the head (a body, a pipelined request) are the HTTP server's business.
  if (headEnd + 4 !== text.length) return { kind: 'http' };

  let lastEventId: string | undefined;
  for (const line of text.slice(lineEnd + 2, headEnd).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return { kind: 'http' };
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'last-event-id') lastEventId = value;
    else if (name === 'transfer-encoding' || (name === 'content-length' && value !== '0'))
      return { kind: 'http' };
    else if (name === 'upgrade' || name === 'expect') return { kind: 'http' };
  }
  let boardId: string;
  try {
    boardId = decodeURIComponent(requestLine[1]!);
  } catch {
    return { kind: 'http' };
  }
  lastEventId ??= new URLSearchParams(requestLine[2] ?? '').get('lastEventId') ?? undefined;
  return { kind: 'stream', boardId, lastEventId };
}
