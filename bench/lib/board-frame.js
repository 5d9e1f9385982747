// The `data:` line of a stream of several boards (docs/API.md, "One stream for several boards"):
//   data: {"boardId":"board-k3j9x0q2","type":"task_created","seq":6,…}
// read in place, without a string or a JSON parse: the load client only needs which board and
// which seq, and whether it is a control message (`reset`, `unavailable`) rather than an event.

export const KIND_EVENT = 0;
export const KIND_RESET = 1;
export const KIND_UNAVAILABLE = 2;
export const KIND_MALFORMED = -1;

const BOARD_KEY = Buffer.from('{"boardId":"');
const BOARD_KEY_ANYWHERE = Buffer.from('"boardId":"');
const TYPE_KEY = Buffer.from(',"type":"');
const SEQ_KEY = Buffer.from('"seq":');
const RESET = Buffer.from('reset"');
const UNAVAILABLE = Buffer.from('unavailable"');
const [QUOTE, SPACE, ZERO, NINE] = Buffer.from('" 09');

/** `bytes[at, at + key.length)` equals `key`, without a copy. */
function matchesAt(bytes, at, end, key) {
  return at + key.length <= end && key.compare(bytes, at, at + key.length) === 0;
}

/**
 * Reads the `data:` line in `bytes[start, end)` (without its newline) into `out`, reused by the
 * caller: `out.boardStart`/`out.boardEnd` delimit the board id's bytes, `out.seq` is the seq (NaN
 * when the message has none: `unavailable`), `out.kind` one of the KIND_ constants. Returns `out.kind`.
 */
export function readBoardData(bytes, start, end, out) {
  out.kind = KIND_MALFORMED;
  out.seq = NaN;
  out.boardStart = out.boardEnd = 0;
  let at = start + 5; // after `data:`
  if (bytes[at] === SPACE) at++;
  // The server puts boardId first; look further only if it did not.
  if (matchesAt(bytes, at, end, BOARD_KEY)) at += BOARD_KEY.length;
  else {
    const key = bytes.indexOf(BOARD_KEY_ANYWHERE, at);
    if (key < 0 || key >= end) return out.kind;
    at = key + BOARD_KEY_ANYWHERE.length;
  }
  // Board ids are [a-z0-9-]: no escapes, the next quote ends them.
  const close = bytes.indexOf(QUOTE, at);
  if (close < 0 || close >= end) return out.kind;
  out.boardStart = at;
  out.boardEnd = close;
  at = close + 1;
  let kind = KIND_EVENT;
  if (matchesAt(bytes, at, end, TYPE_KEY)) {
    const type = at + TYPE_KEY.length;
    if (matchesAt(bytes, type, end, RESET)) kind = KIND_RESET;
    else if (matchesAt(bytes, type, end, UNAVAILABLE)) kind = KIND_UNAVAILABLE;
  }
  const seqKey = bytes.indexOf(SEQ_KEY, at);
  if (seqKey >= 0 && seqKey < end) {
    let digit = seqKey + SEQ_KEY.length;
    let seq = 0;
    let digits = 0;
    for (; digit < end && bytes[digit] >= ZERO && bytes[digit] <= NINE; digit++, digits++) {
      seq = seq * 10 + (bytes[digit] - ZERO);
    }
    if (digits) out.seq = seq;
  }
  if (kind !== KIND_UNAVAILABLE && Number.isNaN(out.seq)) return out.kind;
  out.kind = kind;
  return kind;
}

/** The `boards` query value and path of a stream of several boards, each from its position. */
export function multiBoardPath(boards, positions) {
  return `/events?boards=${boards.map((board, k) => `${board}:${positions[k]}`).join(',')}`;
}
