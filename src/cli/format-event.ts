import { applyEvent, describeEvent, type Board, type StreamMessage } from '../client/index.js';
import type { Colors } from './colors.js';

/**
 * One readable line for a stream message: its seq, time and type, then the domain's sentence for it
 * (describeEvent, the one the web app and `history` use). `board` is the board as it stood before
 * the message, for the names; the caller folds the message into it afterwards (nextBoard).
 */
export function formatEvent(message: StreamMessage, board: Board, colors: Colors): string {
  const seq = colors.dim(`#${message.seq}`.padStart(6));
  if (message.type === 'reset') {
    return `${seq} ${colors.yellow('reset')}          the server cannot replay from here; the board is at seq ${message.seq}`;
  }
  const time = colors.dim(message.at.slice(11, 19));
  const kind = colors[colorOf(message.type)](message.type.padEnd(14));
  return `${seq} ${time} ${kind} ${describeEvent(message, board)}`;
}

/** The board after the message, when the board is where the message follows on (else as it was). */
export function nextBoard(board: Board, message: StreamMessage): Board {
  if (message.type === 'reset' || message.seq !== board.seq + 1) return board;
  return applyEvent(board, message);
}

/** An event's colour says what happened: green created, blue moved, yellow changed, red deleted. */
function colorOf(type: string): 'green' | 'blue' | 'yellow' | 'red' {
  if (type.endsWith('_created') || type === 'member_added' || type === 'comment_added') return 'green';
  if (type.endsWith('_moved')) return 'blue';
  if (type.endsWith('_deleted') || type === 'member_removed') return 'red';
  return 'yellow';
}
