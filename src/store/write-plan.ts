import {
  LiveboardError,
  idTaken,
  applyEvent,
  decide,
  emptyBoard,
  newId,
  requiredText,
  stampEvent,
  type Board,
  type BoardCommand,
  type BoardEvent,
  type BoardInfo,
  type CreateBoardCommand,
} from '../domain/index.js';
import { taskRowValues, type TaskRowValues } from './board-rows.js';
import type {
  LoggedEvent,
  QueuedWrite,
  WriteChange,
  WriteOptions,
  WriteOutcome,
  WriteResult,
  WrittenEntity,
} from './store.js';

/**
 * What every backend does inside its write transaction, apart from the SQL. The backend reads the
 * Idempotency-Key record and the board, hands them here, and gets back the answer and the rows to
 * write, as data: it then runs one statement per row change and calls nothing back. So both
 * backends decide, number, encode and answer alike, and differ only in their statements.
 */
export interface WritePlan {
  outcome: WriteOutcome;
  /** The board after the write (for the snapshot cache); undefined for a deleted board. */
  boardAfter: Board | undefined;
  /** In order; `claim_id` first, so a taken id is found before anything else is written. */
  rows: RowChange[];
}

/** One change to the store's rows. Every backend has one statement (or a fixed few) for each kind. */
export type RowChange =
  /** Records that an id is used, for good: refused (the write with it) if it ever was. */
  | { kind: 'claim_id'; id: string; boardId: string }
  | { kind: 'insert_board'; board: BoardInfo }
  | { kind: 'rename_board'; boardId: string; title: string }
  /** Removes the board's lists and tasks and marks it deleted; its log and head stay. */
  | { kind: 'delete_board'; boardId: string; at: string }
  | { kind: 'upsert_list'; id: string; boardId: string; title: string; position: string }
  /** Removes the list and its tasks. */
  | { kind: 'delete_list'; listId: string }
  | { kind: 'upsert_task'; values: TaskRowValues }
  | { kind: 'delete_task'; taskId: string }
  /** Appends the event to the board's log and moves the board's head (seq, updated_at) to it. */
  | { kind: 'append_event'; boardId: string; seq: number; type: BoardEvent['type']; json: string; at: string }
  | { kind: 'remember_key'; record: IdempotencyRecord; key: string; at: string };

/** A command on a board as it stands (read inside the transaction, its row locked). */
export function planCommand(board: Board, command: BoardCommand, options: WriteOptions): WritePlan {
  const at = timeOf(options);
  const event = stampEvent(decide(board, command, { now: at, newId }), board.seq + 1, at);
  const json = JSON.stringify(event);
  const boardAfter = applyEvent(board, event);
  const { change, entity } = resultOf(event, boardAfter);
  const outcome: WriteOutcome = {
    change,
    entity,
    entityJson: entity === null ? null : JSON.stringify(entity),
    boardId: board.id,
    seq: event.seq,
    event: { boardId: board.id, seq: event.seq, type: event.type, json },
    replayed: false,
  };
  const rows: RowChange[] = [
    ...claimsOf(event, board.id),
    ...projectionOf(event, board.id),
    { kind: 'append_event', boardId: board.id, seq: event.seq, type: event.type, json, at },
    ...keyRecordOf(options, outcome, at),
  ];
  return { outcome, boardAfter: event.type === 'board_deleted' ? undefined : boardAfter, rows };
}

/** What a batch of writes on one board does, decided in one go inside its transaction. */
export interface BatchPlan {
  /** One per write, in order. */
  results: WriteResult[];
  /** Every write that changed something, in order; `rows` is theirs. */
  plans: WritePlan[];
  rows: RowChange[];
  /** The board's events of this batch, seqs consecutive. */
  events: LoggedEvent[];
  /** The board after the batch; undefined when it was deleted. */
  boardAfter: Board | undefined;
}

/** What the backend read, inside the transaction, for the batch's Idempotency-Keys and proposed ids. */
export interface BatchLookups {
  /** Records of the batch's keys that earlier transactions left. */
  recordsByKey: ReadonlyMap<string, IdempotencyRecord>;
  /** The batch's proposed ids that are already used. */
  takenIds: ReadonlySet<string>;
}

/** The Idempotency-Keys and proposed ids a batch names: what its backend looks up before planning. */
export function lookupsOf(writes: readonly QueuedWrite[]): { keys: string[]; proposedIds: string[] } {
  const keys = new Set<string>();
  const proposedIds = new Set<string>();
  for (const { command, options } of writes) {
    if (options.idempotencyKey !== undefined) keys.add(options.idempotencyKey);
    if ((command.type === 'create_list' || command.type === 'create_task') && command.id !== undefined) {
      proposedIds.add(command.id);
    }
  }
  return { keys: [...keys], proposedIds: [...proposedIds] };
}

/**
 * A group commit, decided: each write against the board as the one before it left it. A write the
 * domain refuses (or whose id is taken, or whose key was used for another request) gets its error
 * and writes nothing; a write whose key was seen, in an earlier transaction or earlier in this
 * batch, gets the first outcome again. `board` undefined: the board is unknown or deleted.
 */
export function planBatch(
  board: Board | undefined,
  boardId: string,
  writes: readonly QueuedWrite[],
  lookups: BatchLookups,
): BatchPlan {
  const recordsByKey = new Map(lookups.recordsByKey);
  const claimed = new Set<string>();
  const batch: BatchPlan = { results: [], plans: [], rows: [], events: [], boardAfter: board };
  for (const { command, options } of writes) {
    try {
      const key = options.idempotencyKey;
      const replay = key === undefined ? undefined : replayOf(recordsByKey.get(key), options);
      if (replay) {
        batch.results.push({ ok: true, outcome: replay });
        continue;
      }
      if (!batch.boardAfter) throw notFound(boardId);
      const plan = planCommand(batch.boardAfter, command, options);
      for (const row of plan.rows) {
        if (row.kind !== 'claim_id') continue;
        if (lookups.takenIds.has(row.id) || claimed.has(row.id)) throw idTaken(row.id);
        claimed.add(row.id);
      }
      batch.boardAfter = plan.boardAfter;
      batch.plans.push(plan);
      batch.rows.push(...plan.rows);
      batch.events.push(plan.outcome.event!);
      batch.results.push({ ok: true, outcome: plan.outcome });
      if (key !== undefined) recordsByKey.set(key, recordOf(options, plan.outcome));
    } catch (error) {
      if (!(error instanceof LiveboardError)) throw error;
      batch.results.push({ ok: false, error });
    }
  }
  return batch;
}

/** The one outcome of a batch of one, or its error. */
export function onlyOutcome(results: readonly WriteResult[]): WriteOutcome {
  const result = results[0]!;
  if (!result.ok) throw result.error;
  return result.outcome;
}

/** A new board: seq 0, no event (a board's log starts with its first change). */
export function planBoardCreation(command: CreateBoardCommand, options: WriteOptions): WritePlan {
  const at = timeOf(options);
  const board = emptyBoard({
    id: command.id ?? newId('board'),
    title: requiredText('title', command.title),
    createdAt: at,
  });
  const outcome: WriteOutcome = {
    change: 'created',
    entity: board,
    entityJson: JSON.stringify(board),
    boardId: board.id,
    seq: 0,
    event: undefined,
    replayed: false,
  };
  const { lists: _lists, ...info } = board;
  return {
    outcome,
    boardAfter: board,
    rows: [
      { kind: 'claim_id', id: board.id, boardId: board.id },
      { kind: 'insert_board', board: info },
      ...keyRecordOf(options, outcome, at),
    ],
  };
}

/** An Idempotency-Key's stored answer, as every backend keeps it: the typed outcome, not a status. */
export interface IdempotencyRecord {
  fingerprint: string;
  boardId: string;
  seq: number;
  change: WriteChange;
  entityJson: string | null;
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
    change: record.change,
    entity: record.entityJson === null ? null : (JSON.parse(record.entityJson) as WrittenEntity),
    entityJson: record.entityJson,
    boardId: record.boardId,
    seq: record.seq,
    event: undefined,
    replayed: true,
  };
}

export function notFound(boardId: string): LiveboardError {
  return new LiveboardError('board_not_found', `no board '${boardId}'`);
}

function timeOf(options: WriteOptions): string {
  return (options.now ?? new Date()).toISOString();
}

/**
 * What a write answers, derived from the event and the board after it, so that every backend
 * answers alike: the new or changed entity (a list with its tasks, a board with its lists), or
 * nothing for a deletion.
 */
function resultOf(
  event: BoardEvent,
  boardAfter: Board,
): { change: WriteChange; entity: WrittenEntity | null } {
  switch (event.type) {
    case 'task_created':
      return { change: 'created', entity: event.task };
    case 'task_updated':
    case 'task_moved':
      return { change: 'changed', entity: event.task };
    case 'list_created':
    case 'list_updated':
    case 'list_moved': {
      const list = boardAfter.lists.find((candidate) => candidate.id === event.list.id)!;
      return { change: event.type === 'list_created' ? 'created' : 'changed', entity: list };
    }
    case 'board_updated':
      return { change: 'changed', entity: boardAfter };
    case 'task_deleted':
    case 'list_deleted':
    case 'board_deleted':
      return { change: 'deleted', entity: null };
  }
}

function claimsOf(event: BoardEvent, boardId: string): RowChange[] {
  if (event.type === 'task_created') return [{ kind: 'claim_id', id: event.task.id, boardId }];
  if (event.type === 'list_created') return [{ kind: 'claim_id', id: event.list.id, boardId }];
  return [];
}

/** What an event changes in the board's rows (the log row is appended apart). */
function projectionOf(event: BoardEvent, boardId: string): RowChange[] {
  switch (event.type) {
    case 'task_created':
    case 'task_updated':
    case 'task_moved':
      return [{ kind: 'upsert_task', values: taskRowValues(boardId, event.task) }];
    case 'task_deleted':
      return [{ kind: 'delete_task', taskId: event.taskId }];
    case 'list_created':
    case 'list_updated':
    case 'list_moved': {
      const { id, title, position } = event.list;
      return [{ kind: 'upsert_list', id, boardId, title, position }];
    }
    case 'list_deleted':
      return [{ kind: 'delete_list', listId: event.listId }];
    case 'board_updated':
      return [{ kind: 'rename_board', boardId, title: event.board.title }];
    case 'board_deleted':
      return [{ kind: 'delete_board', boardId, at: event.at }];
  }
}

function keyRecordOf(options: WriteOptions, outcome: WriteOutcome, at: string): RowChange[] {
  if (options.idempotencyKey === undefined) return [];
  return [{ kind: 'remember_key', key: options.idempotencyKey, record: recordOf(options, outcome), at }];
}

function recordOf(options: WriteOptions, outcome: WriteOutcome): IdempotencyRecord {
  return {
    fingerprint: options.requestFingerprint ?? '',
    boardId: outcome.boardId,
    seq: outcome.seq,
    change: outcome.change,
    entityJson: outcome.entityJson,
  };
}
