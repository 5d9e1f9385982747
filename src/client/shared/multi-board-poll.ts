import { Backoff, sleep } from '../backoff.js';
import { LiveboardApiError, LiveboardNetworkError, isAbortError, isTemporary } from '../errors.js';
import type { ConnectionStatus } from '../types.js';
import { parsePositions, readBoardMessage, type BoardPosition } from './board-positions.js';
import type { BoardSetConnection, BoardSetReader, ConnectionEvents } from './board-set-connection.js';

/**
 * `GET /poll?boards=…` for a set of boards, one waiting request at a time: each answer's
 * `positions` are the next request's. The first request does not wait, so that "live" means what
 * it says from the start; closing aborts the waiting request.
 */
export class MultiBoardPoll implements BoardSetConnection {
  status: ConnectionStatus = 'connecting';
  live = false;
  private readonly positions: Map<string, number>;
  private readonly backoff: Backoff;
  private readonly stopper = new AbortController();

  constructor(
    private readonly reader: BoardSetReader,
    start: readonly BoardPosition[],
    private readonly events: ConnectionEvents,
    private readonly timeoutSeconds: number,
  ) {
    this.positions = new Map(start.map(({ boardId, seq }) => [boardId, seq]));
    this.backoff = new Backoff(reader.backoff);
    void this.run();
  }

  close(): void {
    this.stopper.abort();
    this.live = false;
  }

  private get closed(): boolean {
    return this.stopper.signal.aborted;
  }

  private async run(): Promise<void> {
    let opened = false;
    while (!this.closed && this.positions.size > 0) {
      const asked = [...this.positions].map(([boardId, seq]) => ({ boardId, seq }));
      let answer;
      try {
        answer = await this.reader.pollBoards(asked, {
          timeoutSeconds: opened ? this.timeoutSeconds : 0,
          signal: this.stopper.signal,
        });
      } catch (error) {
        if (this.closed || isAbortError(error)) return;
        if (error instanceof LiveboardApiError && !isTemporary(error)) {
          this.close();
          this.events.onRefused(error);
          return;
        }
        this.live = false;
        const offline = error instanceof LiveboardNetworkError && this.backoff.failures > 0;
        this.setStatus(offline ? 'offline' : 'reconnecting');
        await sleep(this.backoff.next(), this.stopper.signal);
        continue;
      }
      if (this.closed) return;
      this.backoff.reset();
      this.live = true;
      this.setStatus('live');
      if (!opened) {
        opened = true;
        this.events.onOpen();
      }
      for (const entry of answer.events) {
        const read = readBoardMessage(entry);
        if (!read || !this.positions.has(read.boardId)) continue;
        if (read.kind === 'unavailable') {
          // It would answer at once every time: the next request leaves it out, as the server asks.
          this.positions.delete(read.boardId);
          this.events.onUnavailable(read.boardId);
          continue;
        }
        this.positions.set(read.boardId, read.message.seq);
        this.events.onMessage(read.boardId, read.message);
        if (this.closed) return;
      }
      const told = parsePositions(
        answer.positions,
        asked.map((position) => position.boardId),
      );
      if (told)
        for (const [boardId, seq] of told) if (this.positions.has(boardId)) this.positions.set(boardId, seq);
    }
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.status || this.closed) return;
    this.status = status;
    this.events.onStatus(status);
  }
}
