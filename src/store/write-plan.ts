import {
  LiveboardError,
  applyEvent,
  decide,
  emptyBoard,
  newId,
  requiredText,
  stampEvent,
  type Board,
  type BoardCommand,
  type BoardEvent,
  type CreateBoardCommand,
} from '../domain/index.js';
import type { WriteOptions, WriteOutcome } from './store.js';
import { responseForEvent } from './write-response.js';

/**
 * What every backend does inside its write transaction, apart from the SQL: decide the event,
 * number it, encode it once, and work out the answer. Backends only read and write rows.
 */
export interface CommandPlan {
  event: BoardEvent;
  boardAfter: Board;
  outcome: WriteOutcome;
}

export function planCommand(board: Board, command: BoardCommand, at: string): CommandPlan {
  const event = stampEvent(decide(board, command, { now: at, newId }), board.seq + 1, at);
  const json = JSON.stringify(event);
  const boardAfter = applyEvent(board, event);
  const outcome: WriteOutcome = {
    ...responseForEvent(event, boardAfter),
    boardId: board.id,
    seq: event.seq,
    event: { boardId: board.id, seq: event.seq, type: event.type, json },
    replayed: false,
  };
  return { event, boardAfter, outcome };
}

export function planBoardCreation(
  command: CreateBoardCommand,
  at: string,
): { board: Board; outcome: WriteOutcome } {
  const board = emptyBoard({
    id: command.id ?? newId('board'),
    title: requiredText('title', command.title),
    createdAt: at,
  });
  return {
    board,
    outcome: {
      status: 201,
      bodyJson: JSON.stringify(board),
      boardId: board.id,
      seq: 0,
      event: undefined,
      replayed: false,
    },
  };
}

/** An Idempotency-Key's stored answer, as every backend keeps it. */
export interface IdempotencyRecord {
  fingerprint: string;
  boardId: string;
  seq: number;
  status: number;
  body: string | null;
}

/** The first answer again, if this key was seen; refused if it was seen for another request. */
export function replayOf(
  record: IdempotencyRecord | undefined,
  options: WriteOptions,
): WriteOutcome | undefined {
  if (!record) return undefined;
  if (record.fingerprint !== (options.requestFingerprint ?? '')) {
    throw new LiveboardError(
      'idempotency_key_reused',
      'this Idempotency-Key was already used for a different request; use a new key for a new request',
      { field: 'Idempotency-Key' },
    );
  }
  return {
    status: record.status,
    bodyJson: record.body,
    boardId: record.boardId,
    seq: record.seq,
    event: undefined,
    replayed: true,
  };
}

/** An Idempotency-Key record in the column order both backends write it: key, fingerprint,
 * board_id, seq, status, body, created_at. */
export type IdempotencyRowValues = [string, string, string, number, number, string | null, string];

export function idempotencyRowValues(
  key: string,
  options: WriteOptions,
  outcome: WriteOutcome,
  at: string,
): IdempotencyRowValues {
  return [
    key,
    options.requestFingerprint ?? '',
    outcome.boardId,
    outcome.seq,
    outcome.status,
    outcome.bodyJson,
    at,
  ];
}

export function notFound(boardId: string): LiveboardError {
  return new LiveboardError('board_not_found', `no board '${boardId}'`);
}
