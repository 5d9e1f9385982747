import type { ConnectionStatus } from '../client/index.js';
import type { CliContext } from './context.js';
import { UsageError } from './exit-codes.js';
import { formatEvent, nextBoard } from './format-event.js';

export interface TailOptions {
  from?: string;
  poll?: boolean;
}

/**
 * Follows a board until Ctrl-C or until it is deleted. Events go to stdout (one JSON object per line
 * with --json); everything about the connection goes to stderr, so a pipe only ever sees events.
 */
export async function tail(ctx: CliContext, boardId: string, options: TailOptions): Promise<void> {
  const from = parseFrom(options.from);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // `liveboard tail … | head` closes the pipe: that is a way to stop, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') stop.abort();
  });

  try {
    const board = await ctx.client.getBoard(boardId);
    // Names are looked up in the board as each event found it: folded as the events come, once the
    // stream reaches the snapshot's seq (before it, the snapshot is the best there is).
    let names = board;
    const start = from ?? board.seq;
    const note = (text: string): void => ctx.err(ctx.errColors.dim(`liveboard: ${text}`));
    note(`tailing ${board.id} "${board.title}" at ${ctx.url} after seq ${start} (Ctrl-C to stop)`);

    let last = start;
    let wasLive = false;
    let lost = false;
    const onStatus = (status: ConnectionStatus): void => {
      if (status === 'live') {
        if (lost) ctx.err(ctx.errColors.green(`liveboard: reconnected, resuming after seq ${last}`));
        lost = false;
        wasLive = true;
      } else if (status === 'reconnecting' || status === 'offline') {
        if (!lost && wasLive)
          ctx.err(ctx.errColors.yellow(`liveboard: connection lost after seq ${last}; reconnecting…`));
        if (status === 'offline' && !lost) note(`cannot reach ${ctx.url}; retrying…`);
        lost = true;
      }
    };

    const events = ctx.client.subscribe(boardId, {
      from: start,
      signal: stop.signal,
      onStatus,
      transport: options.poll ? 'poll' : 'auto',
    });
    for await (const message of events) {
      last = message.seq;
      ctx.out(ctx.json ? JSON.stringify(message) : formatEvent(message, names, ctx.colors));
      names = nextBoard(names, message);
      if (message.type === 'reset')
        note('the server could not replay from there; run `liveboard show` for the current board');
      if (message.type === 'board_deleted') note(`${boardId} was deleted; nothing more will come`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function parseFrom(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new UsageError(`--from takes a seq (a whole number ≥ 0), got '${raw}'`);
  return Number(raw);
}
