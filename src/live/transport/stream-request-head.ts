import {
  STREAM_REQUEST_LINE_STARTS,
  recognizeStreamRequest,
  type StreamHeaders,
  type StreamRequestHead,
} from './stream-request.js';

/**
 * Recognizes an SSE request from the first bytes of a new connection, before any HTTP parser sees
 * them (see new-connections.ts). This file only splits the head into its request line and headers,
 * and refuses what a bare socket cannot serve (a body, an upgrade, a pipelined request); whether it
 * is a stream is stream-request.ts's to say. Anything it is not sure of is `http`: the ordinary
 * HTTP server then handles it, including every error. Pure, so it is tested byte by byte.
 */
export type RequestHeadVerdict =
  ({ kind: 'stream' } & StreamRequestHead) | { kind: 'http' } | { kind: 'incomplete' };

/** A longer head is not ours to judge: the HTTP server answers it (431). */
export const MAX_STREAM_REQUEST_HEAD = 8192;

const REQUEST_LINE = /^(\S+) (\S+) HTTP\/1\.[01]$/;
const HTTP: RequestHeadVerdict = { kind: 'http' };
const INCOMPLETE: RequestHeadVerdict = { kind: 'incomplete' };

export function classifyRequestHead(head: Buffer): RequestHeadVerdict {
  const text = head.toString('latin1');
  const mayBeStream = STREAM_REQUEST_LINE_STARTS.some((start) =>
    text.startsWith(start.slice(0, Math.min(text.length, start.length))),
  );
  if (!mayBeStream) return HTTP;
  const lineEnd = text.indexOf('\r\n');
  if (lineEnd < 0) return text.length < MAX_STREAM_REQUEST_HEAD ? INCOMPLETE : HTTP;
  const requestLine = REQUEST_LINE.exec(text.slice(0, lineEnd));
  const method = requestLine?.[1] ?? '';
  const target = requestLine?.[2] ?? '';
  // Judged once the request line is in, without waiting for the headers (which cannot make a
  // stream of anything else), so that every other request reaches the HTTP server at once.
  if (!recognizeStreamRequest(method, target, undefined)) return HTTP;
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) return text.length < MAX_STREAM_REQUEST_HEAD ? INCOMPLETE : HTTP;
  // Bytes after the head (a body, a pipelined request) are the HTTP server's business.
  if (headEnd + 4 !== text.length) return HTTP;

  const headers: StreamHeaders = {
    host: undefined,
    cookie: undefined,
    authorization: [],
    lastEventId: undefined,
    forwardedFor: undefined,
  };
  const cookies: string[] = [];
  for (const line of text.slice(lineEnd + 2, headEnd).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return HTTP;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'last-event-id') headers.lastEventId = value;
    else if (name === 'host') headers.host = value;
    else if (name === 'cookie') cookies.push(value);
    else if (name === 'authorization') headers.authorization.push(value);
    else if (name === 'x-forwarded-for') headers.forwardedFor = value;
    else if (name === 'transfer-encoding' || (name === 'content-length' && value !== '0')) return HTTP;
    else if (name === 'upgrade' || name === 'expect') return HTTP;
  }
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  const request = recognizeStreamRequest(method, target, headers.lastEventId);
  return request ? { kind: 'stream', ...request, target, headers } : HTTP;
}
