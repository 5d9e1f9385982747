// One load-client process: holds a share of the SSE subscribers on raw node:net sockets and
// answers the orchestrator (bench/run.js) over IPC. Raw sockets rather than EventSource or
// node:http because the client shares two cores with the server under test: every cycle spent
// here is taken from the thing being measured, so it parses only what the figures need.
//
// Commands (parent → child), each answered by one message with the same `id`:
//   config {target}              where streams go; `target.credentials` (optional): header lines
//                                (`Cookie: …`), each new stream presenting one held by fewer than
//                                `target.perCredential` streams (a signed-in user's streams, issue 13)
//   open {count, lastEventId?}   open `count` more streams; resolves when all answered 200 (or failed)
//   open {specs}                 open one stream per spec {path, boards, from, multi}: a board's
//                                stream (`boards: [id]`, resumed from `from[0]` by Last-Event-ID) or
//                                one stream for several boards (`multi`, its path names their positions)
//   close {count}                reset-close `count` streams (RST: no TIME_WAIT piling up on our ports)
//   reconnect {on}               reconnect after `retry:` when a stream ends, resuming with Last-Event-ID
//   reset {record}               zero the per-stream counters; record latencies if `record`
//   wait {events?, seq?, seqs?, timeoutMs}  resolve when every stream got `events` since reset / reached
//                                id `seq` / reached, on each of its boards, that board's seq in `seqs`
//   stats                        counters, without waiting
//   exit
import { connect } from 'node:net';
import { monotonicMs } from './lib/clock.js';
import { KIND_EVENT, KIND_MALFORMED, KIND_RESET, readBoardData } from './lib/board-frame.js';
import { ChunkedDecoder } from './lib/chunked.js';
import { CredentialPool } from './lib/accounts.js';

const MARKER = Buffer.from('bench@');
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
const [CR, COLON, LETTER_D, LETTER_I, LETTER_R] = Buffer.from('\r:dir');

/** Set by the `config` command. */
let target = { host: '127.0.0.1', port: 0, path: '/', localAddresses: ['127.0.0.1'], numericIds: true };
let reconnecting = false;
let recording = false;
let nextLocal = 0;
/** Which of `target.credentials` each new stream presents; null: none (anonymous streams). */
let credentials = null;

const streams = new Set();
const totals = { opened: 0, failedOpens: 0, unexpectedCloses: 0, reconnects: 0, badStatus: 0, errors: [] };
/** The data line just read on a stream of several boards (readBoardData's `out`, reused). */
const frame = { kind: KIND_MALFORMED, seq: NaN, boardStart: 0, boardEnd: 0 };
let latencies = [];
let waiter = null;

function noteError(message) {
  if (totals.errors.length < 20) totals.errors.push(message);
}

class Stream {
  /** `spec` (optional): {path, boards, from, multi}; without it, the stream of `target.path`. */
  constructor(spec) {
    this.path = spec?.path ?? target.path;
    // Index into target.credentials, kept across reconnects (-1: anonymous).
    this.credential = credentials ? credentials.acquire() : -1;
    // Per board of this stream: its id (as bytes, to compare in place), its position (the seq of
    // its last event received, or where the stream started it) and the seq a wait asks for.
    this.boards = spec?.boards ?? null;
    this.boardBytes = this.boards?.map((board) => Buffer.from(board));
    this.positions = spec?.from ? [...spec.from] : null;
    this.goal = null;
    this.multi = Boolean(spec?.multi);
    this.pendingBoard = -1;
    this.pendingSeq = NaN;
    this.pendingKind = KIND_MALFORMED;
    this.controls = 0; // reset, unavailable, or a data line that could not be read
    this.socket = null;
    this.connected = false; // response head with 200 seen
    this.closedByUs = false;
    this.lastId = ''; // the last dispatched event's id, sent as Last-Event-ID on reconnect
    this.lastNum = NaN;
    this.pendingId = null;
    this.hasData = false;
    this.retryMs = 3000;
    this.events = 0; // events dispatched since the last reset
    this.bytes = 0;
    this.reads = 0; // socket reads since the last reset: about one per server write when it keeps up
    this.gaps = 0;
    this.dups = 0;
    this.done = false;
    this.lastAt = 0;
    this.now = 0;
    this.onSseBytes = (bytes, from, to) => this.onSse(bytes, from, to);
    this.resetParser();
  }

  resetParser() {
    this.head = '';
    this.inBody = false;
    this.decoder = null;
    this.carry = null;
    this.pendingId = null;
    this.hasData = false;
    this.pendingBoard = -1;
  }

  open(onFirstResponse) {
    this.resetParser();
    this.onFirstResponse = onFirstResponse;
    const localAddress = target.localAddresses[nextLocal++ % target.localAddresses.length];
    const socket = connect({
      host: target.host,
      port: target.port,
      localAddress,
      noDelay: true,
      // One read buffer for every socket of the process: parsing is synchronous, so it is free
      // again when the callback returns; no Buffer per read, no stream machinery.
      onread: {
        buffer: READ_BUFFER,
        callback: (nread, buffer) => {
          this.now = 0; // one clock read per socket read, taken when first needed
          this.onRead(buffer.subarray(0, nread));
        },
      },
    });
    this.socket = socket;
    let extra = this.lastId ? `Last-Event-ID: ${this.lastId}\r\n` : '';
    if (this.credential >= 0) extra += `${target.credentials[this.credential]}\r\n`;
    socket.on('connect', () => {
      socket.write(
        `GET ${this.path} HTTP/1.1\r\nHost: ${target.host}:${target.port}\r\nAccept: text/event-stream\r\n` +
          `Cache-Control: no-cache\r\n${extra}\r\n`,
      );
    });
    socket.on('error', (error) => {
      if (!this.closedByUs && !reconnecting) noteError(`${error.code ?? error.message}`);
    });
    socket.on('close', () => this.onClose());
  }

  answered(ok) {
    const callback = this.onFirstResponse;
    this.onFirstResponse = null;
    if (callback) callback(ok);
  }

  onClose() {
    const wasConnected = this.connected;
    this.connected = false;
    this.socket = null;
    if (this.closedByUs) return;
    if (!wasConnected) this.answered(false);
    if (reconnecting) {
      totals.reconnects++;
      setTimeout(() => this.open(null), this.retryMs);
    } else if (wasConnected) {
      totals.unexpectedCloses++;
      noteError('stream closed by the server');
    }
  }

  onRead(bytes) {
    this.bytes += bytes.length;
    this.reads++;
    if (this.inBody) return this.onBody(bytes);
    this.head += bytes.toString('latin1');
    const end = this.head.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.head;
    this.head = '';
    this.inBody = true;
    const status = Number(head.slice(9, 12));
    if (status !== 200) {
      totals.badStatus++;
      noteError(`status ${status}`);
      this.answered(false);
      // EventSource gives up for good on any status but 200: so do we.
      this.closedByUs = true;
      this.socket?.destroy();
      return;
    }
    this.connected = true;
    this.answered(true);
    if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) this.decoder = new ChunkedDecoder();
    // latin1 maps bytes to chars one to one: the body starts `end + 4` chars into the head,
    // and these bytes are the head's last `bytes.length` chars.
    const bodyAt = end + 4 - (head.length - bytes.length);
    if (bodyAt < bytes.length) this.onBody(bytes.subarray(bodyAt));
  }

  onBody(bytes) {
    if (this.decoder) this.decoder.push(bytes, this.onSseBytes);
    else this.onSse(bytes, 0, bytes.length);
  }

  /** Parses SSE lines in bytes[from, to) in place: no strings but the few values we keep. */
  onSse(bytes, from, to) {
    let start = from;
    if (this.carry) {
      const nl = bytes.indexOf(10, start);
      if (nl < 0 || nl >= to) {
        // The socket's read buffer is reused: keep a copy.
        this.carry = Buffer.concat([this.carry, bytes.subarray(start, to)]);
        return;
      }
      const line = Buffer.concat([this.carry, bytes.subarray(start, nl)]);
      this.carry = null;
      this.onLine(line, 0, line.length);
      start = nl + 1;
    }
    while (start < to) {
      const nl = bytes.indexOf(10, start);
      if (nl < 0 || nl >= to) {
        this.carry = Buffer.from(bytes.subarray(start, to));
        return;
      }
      this.onLine(bytes, start, nl);
      start = nl + 1;
    }
  }

  onLine(bytes, start, end) {
    if (end > start && bytes[end - 1] === CR) end--;
    if (end === start) {
      if (this.hasData) {
        this.now ||= monotonicMs();
        this.dispatch(this.now);
      }
      return;
    }
    const first = bytes[start];
    if (first === LETTER_I && bytes[start + 1] === LETTER_D && bytes[start + 2] === COLON) {
      this.pendingId = bytes.toString('latin1', start + 3, end).trim();
    } else if (first === LETTER_D && bytes[start + 4] === COLON) {
      this.hasData = true;
      if (this.multi) this.readBoardData(bytes, start, end);
      if (recording) {
        const at = bytes.indexOf(MARKER, start);
        if (at >= 0 && at < end) {
          this.now ||= monotonicMs();
          const from = at + MARKER.length;
          latencies.push(this.now - parseFloat(bytes.toString('latin1', from, Math.min(end, from + 24))));
        }
      }
    } else if (first === LETTER_R && bytes[start + 5] === COLON) {
      const retry = Number(bytes.toString('latin1', start + 6, end).trim());
      if (Number.isFinite(retry) && retry >= 0) this.retryMs = retry;
    }
  }

  /** Which of this stream's boards the data line is about, and its seq: in place, no string. */
  readBoardData(bytes, start, end) {
    this.pendingBoard = -1;
    this.pendingKind = readBoardData(bytes, start, end, frame);
    if (this.pendingKind === KIND_MALFORMED) return;
    this.pendingSeq = frame.seq;
    const length = frame.boardEnd - frame.boardStart;
    const ids = this.boardBytes;
    for (let k = 0; k < ids.length; k++) {
      if (ids[k].length === length && ids[k].compare(bytes, frame.boardStart, frame.boardEnd) === 0) {
        this.pendingBoard = k;
        return;
      }
    }
  }

  /** An event of a stream of several boards: each board's seqs must go up by exactly 1. */
  dispatchBoardEvent() {
    const k = this.pendingBoard;
    if (this.pendingKind !== KIND_EVENT || k < 0) {
      // A control message (reset, unavailable), or data for no board of ours: not a delivery. A
      // reset moves the board to its seq (its events after it follow), as a client would.
      if (this.pendingKind === KIND_RESET && k >= 0) this.positions[k] = this.pendingSeq;
      this.controls++;
      if (this.controls === 1) noteError(`stream ${this.path}: control message or unknown board`);
      return;
    }
    this.events++;
    const seq = this.pendingSeq;
    const position = this.positions[k];
    if (seq > position + 1) this.gaps++;
    else if (seq <= position) this.dups++;
    if (seq > position) this.positions[k] = seq;
  }

  /** This stream has reached, on each of its boards, the seq the wait asks for. */
  reachedGoal() {
    if (!this.connected) return false;
    for (let k = 0; k < this.goal.length; k++) if (this.positions[k] < this.goal[k]) return false;
    return true;
  }

  dispatch(now) {
    this.hasData = false;
    this.lastAt = now;
    if (this.multi) {
      this.dispatchBoardEvent();
      if (this.pendingId !== null) this.lastId = this.pendingId; // the positions vector, for a resume
    } else this.events++;
    if (!this.multi && this.pendingId !== null) {
      const id = this.pendingId;
      if (target.numericIds) {
        const num = Number(id);
        if (this.lastId !== '') {
          if (num > this.lastNum + 1) this.gaps++;
          else if (num <= this.lastNum) this.dups++;
        }
        this.lastNum = num;
        if (this.positions) this.positions[0] = num;
      }
      this.lastId = id;
    }
    if (waiter && !this.done && waiter.satisfied(this)) {
      this.done = true;
      waiter.doneCount++;
      waiter.lastAt = Math.max(waiter.lastAt, now);
      if (waiter.doneCount === streams.size) finishWait(false);
    }
  }

  close() {
    this.closedByUs = true;
    if (this.credential >= 0) credentials?.release(this.credential);
    this.credential = -1;
    if (this.socket) this.socket.resetAndDestroy();
    streams.delete(this);
  }
}

function openStreams(count, lastEventId, inFlightLimit, specs) {
  if (specs) count = specs.length;
  const started = monotonicMs();
  return new Promise((resolve) => {
    let launched = 0;
    let answered = 0;
    let failed = 0;
    const launchMore = () => {
      while (launched < count && launched - answered < inFlightLimit) {
        launched++;
        const spec = specs?.[launched - 1];
        const stream = new Stream(spec);
        if (spec && !spec.multi && spec.from) {
          // A board's own stream resumes from its position the way EventSource does.
          stream.lastId = String(spec.from[0]);
          stream.lastNum = spec.from[0];
        } else if (lastEventId !== undefined) {
          stream.lastId = String(lastEventId);
          stream.lastNum = Number(lastEventId);
        }
        streams.add(stream);
        stream.open((ok) => {
          answered++;
          if (ok) totals.opened++;
          else {
            failed++;
            totals.failedOpens++;
            stream.close();
          }
          if (answered === count) resolve({ opened: count - failed, failed, ms: monotonicMs() - started });
          else launchMore();
        });
      }
    };
    if (count === 0) resolve({ opened: 0, failed: 0, ms: 0 });
    else launchMore();
  });
}

function summary() {
  let connected = 0;
  let events = 0;
  let bytes = 0;
  let reads = 0;
  let gaps = 0;
  let dups = 0;
  let controls = 0;
  let minEvents = Infinity;
  let lastAt = 0;
  for (const stream of streams) {
    if (stream.connected) connected++;
    events += stream.events;
    bytes += stream.bytes;
    reads += stream.reads;
    gaps += stream.gaps;
    dups += stream.dups;
    controls += stream.controls;
    minEvents = Math.min(minEvents, stream.events);
    lastAt = Math.max(lastAt, stream.lastAt);
  }
  return {
    streams: streams.size,
    connected,
    events,
    bytes,
    reads,
    gaps,
    dups,
    controls,
    minEvents: streams.size ? minEvents : 0,
    lastAt,
    ...totals,
    errors: [...totals.errors],
  };
}

function finishWait(timedOut) {
  const current = waiter;
  if (!current) return;
  waiter = null;
  clearTimeout(current.timer);
  const lats = Float64Array.from(latencies);
  // On a timeout, what the streams that did not get there look like: the first clue to why.
  const stuck = [];
  if (timedOut) {
    for (const stream of streams) {
      if (stream.done || stuck.length >= 3) continue;
      const { connected, lastId, events, bytes, retryMs, path, positions, goal } = stream;
      stuck.push({
        path,
        positions,
        goal,
        connected,
        lastId,
        events,
        bytes,
        retryMs,
        inBody: stream.inBody,
        carry: stream.carry?.length ?? 0,
      });
    }
  }
  process.send({
    id: current.id,
    timedOut,
    stuck,
    done: current.doneCount,
    lastAt: current.lastAt,
    latencies: lats,
    ...summary(),
  });
}

function startWait(id, { events, seq, seqs, timeoutMs }) {
  if (seqs) {
    // Each stream waits for the seq of each of its boards (a board with no goal: where it is;
    // a stream opened without boards: until it is connected).
    for (const stream of streams) {
      stream.goal = stream.boards ? stream.boards.map((board, k) => seqs[board] ?? stream.positions[k]) : [];
    }
  }
  const satisfied = seqs
    ? (stream) => stream.reachedGoal()
    : seq !== undefined
      ? (stream) => stream.connected && stream.lastNum >= seq
      : (stream) => stream.events >= events;
  waiter = { id, satisfied, doneCount: 0, lastAt: 0, timer: null };
  for (const stream of streams) {
    stream.done = satisfied(stream);
    if (stream.done) {
      waiter.doneCount++;
      waiter.lastAt = Math.max(waiter.lastAt, stream.lastAt);
    }
  }
  if (waiter.doneCount === streams.size) return finishWait(false);
  waiter.timer = setTimeout(() => finishWait(true), timeoutMs);
  // A stream that reconnects and catches up by replay reaches `seq` inside dispatch, but one
  // that was already there only becomes `connected` later: re-check those on a slow tick.
  if (seq !== undefined || seqs) {
    const recheck = setInterval(() => {
      if (!waiter || waiter.id !== id) return clearInterval(recheck);
      for (const stream of streams) {
        if (!stream.done && satisfied(stream)) {
          stream.done = true;
          waiter.doneCount++;
          waiter.lastAt = Math.max(waiter.lastAt, monotonicMs());
        }
      }
      if (waiter.doneCount === streams.size) {
        clearInterval(recheck);
        finishWait(false);
      }
    }, 20);
  }
}

process.on('message', async (message) => {
  const { id, cmd } = message;
  switch (cmd) {
    case 'config':
      target = { ...target, credentials: null, perCredential: null, ...message.target };
      credentials = target.credentials?.length
        ? new CredentialPool(target.credentials.length, target.perCredential ?? Infinity)
        : null;
      Object.assign(totals, {
        opened: 0,
        failedOpens: 0,
        unexpectedCloses: 0,
        reconnects: 0,
        badStatus: 0,
        errors: [],
      });
      process.send({ id, ok: true });
      break;
    case 'open':
      process.send({
        id,
        ...(await openStreams(message.count, message.lastEventId, message.inFlight ?? 128, message.specs)),
      });
      break;
    case 'close': {
      let left = message.count ?? streams.size;
      for (const stream of [...streams]) {
        if (left-- <= 0) break;
        stream.close();
      }
      process.send({ id, streams: streams.size });
      break;
    }
    case 'reconnect':
      reconnecting = message.on;
      process.send({ id, ok: true });
      break;
    case 'reset':
      for (const stream of streams) {
        stream.events = 0;
        stream.bytes = 0;
        stream.reads = 0;
        stream.gaps = 0;
        stream.dups = 0;
        stream.controls = 0;
        stream.lastAt = 0;
      }
      Object.assign(totals, { unexpectedCloses: 0, reconnects: 0, badStatus: 0, errors: [] });
      latencies = [];
      recording = Boolean(message.record);
      process.send({ id, ok: true });
      break;
    case 'wait':
      startWait(id, message);
      break;
    case 'stats':
      process.send({ id, ...summary() });
      break;
    case 'exit':
      for (const stream of [...streams]) stream.close();
      process.send({ id, ok: true });
      setTimeout(() => process.exit(0), 50);
      break;
    default:
      process.send({ id, error: `unknown command ${cmd}` });
  }
});

// Never outlive the orchestrator.
process.on('disconnect', () => process.exit(0));
