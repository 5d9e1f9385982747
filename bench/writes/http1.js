// The write load's side of HTTP/1.1, pure: the bytes of a task creation, built once per (board,
// list) before a point starts, and an incremental reader of the answers that finds each response's
// status and end without a parser, a string per header or a Buffer per read. Only what a
// Liveboard write answers needs reading: a head, then a Content-Length body (none on a 204).
const CRLF2 = Buffer.from('\r\n\r\n');

/** The whole request, as one Buffer: POST /boards/:id/tasks with {listId, title}, keep-alive. */
export function createTaskRequest({ host, port, boardId, listId, title }) {
  const body = Buffer.from(JSON.stringify({ listId, title }));
  const head =
    `POST /boards/${encodeURIComponent(boardId)}/tasks HTTP/1.1\r\n` +
    `Host: ${host}:${port}\r\n` +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${body.length}\r\n` +
    '\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** A response head's status and body length; `null` when the head is not one we can frame. */
export function parseHead(head) {
  if (!head.startsWith('HTTP/1.')) return null;
  const status = Number(head.slice(9, 12));
  if (!Number.isInteger(status)) return null;
  const lower = head.toLowerCase();
  if (/\r\ntransfer-encoding:\s*chunked/.test(lower)) return null;
  const match = /\r\ncontent-length:\s*(\d+)/.exec(lower);
  const close = /\r\nconnection:\s*close/.test(lower);
  // No Content-Length and not chunked: only a body-less answer (204, 304, 1xx) can be framed.
  if (!match && !(status === 204 || status === 304 || status < 200)) return null;
  return { status, bodyLength: match ? Number(match[1]) : 0, close };
}

/**
 * Reads responses off one connection, one after another, however the bytes are split across
 * reads: `push(bytes)` calls `onResponse(status, close)` once per complete response, and
 * `onError(message)` (then stops) on bytes it cannot frame.
 */
export class ResponseReader {
  constructor(onResponse, onError) {
    this.onResponse = onResponse;
    this.onError = onError;
    this.head = null; // a head split across reads, kept as a Buffer until it is whole
    this.bodyLeft = -1; // bytes of the current body still to come; -1 while reading a head
    this.status = 0;
    this.close = false;
    this.failed = false;
  }

  push(bytes) {
    let at = 0;
    while (at < bytes.length && !this.failed) {
      if (this.bodyLeft >= 0) {
        const n = Math.min(this.bodyLeft, bytes.length - at);
        this.bodyLeft -= n;
        at += n;
        if (this.bodyLeft === 0) this.finish();
        continue;
      }
      // Reading a head: find its end in what was carried plus what came.
      let source = bytes;
      let from = at;
      if (this.head) {
        source = Buffer.concat([this.head, bytes.subarray(at)]);
        from = 0;
      }
      const end = source.indexOf(CRLF2, from);
      if (end < 0) {
        if (source.length - from > 16 * 1024) return this.fail('response head over 16 KiB');
        this.head = Buffer.from(source.subarray(from));
        return;
      }
      const carried = this.head ? this.head.length : 0;
      this.head = null;
      const parsed = parseHead(source.toString('latin1', from, end));
      if (!parsed)
        return this.fail(`cannot frame: ${source.toString('latin1', from, Math.min(end, from + 80))}`);
      this.status = parsed.status;
      this.close = parsed.close;
      this.bodyLeft = parsed.bodyLength;
      // Where the body starts in `bytes`: the head's end in `source`, less what was carried.
      at = end + 4 - carried + (source === bytes ? 0 : at);
      if (this.bodyLeft === 0) this.finish();
    }
  }

  finish() {
    this.bodyLeft = -1;
    this.onResponse(this.status, this.close);
  }

  fail(message) {
    this.failed = true;
    this.onError(message);
  }
}
