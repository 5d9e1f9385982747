import type { LoggedEvent } from '../store/store.js';
import {
  boardMessageJson,
  formatPositions,
  parseBoardSet,
  parsePositions,
  withPositions,
} from './board-set.js';
import type { SendResult, Sink, Subscription } from './broadcaster.js';
import type { EventBatch } from './event-batch.js';
import { MAX_EVENTS_PER_ANSWER, revokedPollError, whenRevoked, type PollDependencies } from './long-poll.js';
import { readableEvents, readerAccessAt } from './reader-access.js';
import type { Reader } from './reader.js';
import { startBoardSet, startPositions, type BoardStart } from './start-position.js';

export interface BoardSetPollRequest {
  /** Every `boards` value of the query, unjudged (board-set.ts judges them). */
  boards: string[];
  /** `?positions=<p1>.….<pN>`: overrides each board's `:<seq>`. */
  positions: string | undefined;
  timeoutMs: number;
  /** Who polls: each board is authorized as a board's own poll is. */
  reader: Reader;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/**
 * `GET /poll?boards=…`: the long poll for several boards, with the same messages as their stream
 * (multi-board-stream.ts). Returns the response body's JSON, `{"events":[…],"positions":"…"}`,
 * whose positions the client passes back next time. Like a board's poll, it answers at once what
 * the log already holds, and otherwise waits for the first batch of any of the boards.
 */
export async function pollBoards(request: BoardSetPollRequest, deps: PollDependencies): Promise<string> {
  let claims = parseBoardSet(request.boards);
  if (request.positions !== undefined) {
    claims = withPositions(claims, parsePositions(request.positions, claims.length, 'positions'));
  }
  const starts = await startBoardSet(claims, 'positions', deps, request.reader);
  const answer = new BoardSetAnswer(starts);

  // What is already in the log is answered at once, whatever the timeout (even 0); a board's
  // events end at the one that takes the reader's access away, as on its own poll.
  const waiting = await Promise.all(
    starts.map(async (board) =>
      board.available
        ? readableEvents(
            readerAccessAt(board.start.head, request.reader.userId),
            await deps.store.readEvents(board.boardId, board.start.afterSeq, MAX_EVENTS_PER_ANSWER),
          ).events
        : [],
    ),
  );
  const shares = fairShares(
    waiting.map((events) => events.length),
    MAX_EVENTS_PER_ANSWER,
  );
  waiting.forEach((events, index) => answer.addEvents(index, events.slice(0, shares[index])));
  if (answer.hasMessages || request.timeoutMs <= 0 || request.signal.aborted) {
    return answer.toJson(deps);
  }

  // Nothing yet: wait for the first batch of any board. Each subscription reads the log again
  // first, so an event committed between the reads above and now is not missed.
  const first = await firstBatch(starts, request, deps);
  if (first) answer.addEvents(first.index, first.batch.events.slice(0, MAX_EVENTS_PER_ANSWER));
  return answer.toJson(deps);
}

/** The messages of an answer, in the order of `boards`, and each board's position after them. */
class BoardSetAnswer {
  private readonly messagesByBoard: string[][];
  private readonly positions: number[];
  private eventCount = 0;

  constructor(private readonly starts: readonly BoardStart[]) {
    this.positions = startPositions(starts);
    // The same control messages as the stream opens with: `unavailable`, `reset`.
    this.messagesByBoard = starts.map((board) => {
      if (!board.available) return [JSON.stringify({ boardId: board.boardId, type: 'unavailable' })];
      if (board.start.reset) {
        return [JSON.stringify({ boardId: board.boardId, type: 'reset', seq: board.start.head.seq })];
      }
      return [];
    });
  }

  get hasMessages(): boolean {
    return this.messagesByBoard.some((messages) => messages.length > 0);
  }

  /** Events of one board, following its position. */
  addEvents(index: number, events: readonly LoggedEvent[]): void {
    if (events.length === 0) return;
    const boardId = this.starts[index]!.boardId;
    for (const event of events) this.messagesByBoard[index]!.push(boardMessageJson(boardId, event.json));
    this.positions[index] = events.at(-1)!.seq;
    this.eventCount += events.length;
  }

  toJson(deps: PollDependencies): string {
    deps.metrics.deliveries.poll += this.eventCount;
    const events = this.messagesByBoard.flat().join(',');
    return `{"events":[${events}],"positions":"${formatPositions(this.positions)}"}`;
  }
}

/**
 * Shares `budget` out among boards that have `counts` events waiting: each gets an equal part, and
 * what a board does not need goes to the others, so that a board far behind does not hold the
 * others' events back. Each board's share is taken from its position on, so nothing is skipped.
 */
export function fairShares(counts: readonly number[], budget: number): number[] {
  const shares = counts.map(() => 0);
  let left = budget;
  let wanting = counts.flatMap((count, index) => (count > 0 ? [index] : []));
  while (left > 0 && wanting.length > 0) {
    const each = Math.max(1, Math.floor(left / wanting.length));
    for (const index of wanting) {
      const take = Math.min(each, counts[index]! - shares[index]!, left);
      shares[index]! += take;
      left -= take;
    }
    wanting = wanting.filter((index) => shares[index]! < counts[index]!);
  }
  return shares;
}

/**
 * Subscribes to every available board, and resolves with the first batch any of them sends (which
 * ends at the event that takes the reader's access away, if it holds one); rejects with 401 when
 * the reader's credential is revoked while it waits.
 */
function firstBatch(
  starts: readonly BoardStart[],
  request: BoardSetPollRequest,
  deps: PollDependencies,
): Promise<{ index: number; batch: EventBatch } | undefined> {
  return new Promise((resolve, reject) => {
    const subscriptions: Subscription[] = [];
    const place = deps.heartbeat.readers.admitPoll(request.reader);
    let settled = false;
    const settle = (first: { index: number; batch: EventBatch } | undefined, error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal.removeEventListener('abort', stop);
      place.release();
      deps.metrics.waitingPolls.dec();
      // The one that sent has closed itself; a board not subscribed yet will not be.
      for (const subscription of subscriptions) subscription.close('done');
      if (error) reject(error);
      else resolve(first);
    };
    const stop = (): void => settle(undefined);
    const timer = setTimeout(stop, request.timeoutMs);
    request.signal.addEventListener('abort', stop, { once: true });
    deps.metrics.waitingPolls.inc();
    whenRevoked(place, (reason) => settle(undefined, revokedPollError(reason)));

    starts.forEach((board, index) => {
      if (!board.available || settled) return;
      const sink: Sink = {
        send(batch): SendResult {
          settle({ index, batch });
          return 'done';
        },
        close(reason): void {
          // The server is stopping or the log failed: answer what there is (nothing) now.
          if (reason !== 'done') settle(undefined);
        },
      };
      subscriptions.push(
        deps.broadcaster.subscribe(
          board.boardId,
          board.start.afterSeq,
          board.start.head.seq,
          sink,
          readerAccessAt(board.start.head, request.reader.userId),
        ),
      );
    });
  });
}
