import {
  LiveboardError,
  applyEvent,
  decide,
  emptyBoard,
  eventForLog,
  idTaken,
  newId,
  normalizeTask,
  requiredText,
  stampEvent,
  type Board,
  type BoardCommand,
  type BoardEvent,
  type BoardInfo,
  type Comment,
  type CreateBoardCommand,
  type Label,
  type Member,
  type Task,
  type TaskChecklist,
  type TaskChecklistItem,
  type TaskLink,
  findChecklist,
  findItem,
  findLink,
  taskIdOf,
} from '../domain/index.js';
import { BatchRowsBuilder, type BatchRows, type KeyRecord } from './batch-rows.js';
import type {
  QueuedWrite,
  WriteChange,
  WriteOptions,
  WriteOutcome,
  WriteResult,
  WrittenEntity,
} from './store.js';

/**
 * What every backend does inside its write transaction, apart from the SQL. The backend reads the
 * board, the batch's Idempotency-Key records and which of its proposed ids are taken, hands them
 * here, and gets back every write's answer and the net change to the rows, as data (batch-rows.ts):
 * it then runs its statements and calls nothing back. So both backends decide, number, encode and
 * answer alike, and differ only in their SQL.
 */
export interface BatchPlan {
  /** One per write, in order. */
  results: WriteResult[];
  /** What to write; undefined when no write of the batch changed anything. */
  rows: BatchRows | undefined;
  /** The board after the batch; undefined when it is unknown or was deleted. */
  boardAfter: Board | undefined;
}

/** What the backend read, inside the transaction, for the batch's Idempotency-Keys and proposed ids. */
export interface BatchLookups {
  /** Records of the batch's keys that earlier transactions left. */
  recordsByKey: ReadonlyMap<string, IdempotencyRecord>;
  /** The batch's proposed ids that are already used. */
  takenIds: ReadonlySet<string>;
  /** The comments the batch edits or deletes, as stored (those of the board that exist). */
  comments: ReadonlyMap<string, Comment>;
}

/** An Idempotency-Key's stored answer, as every backend keeps it: the typed outcome, not a status. */
export interface IdempotencyRecord {
  fingerprint: string;
  boardId: string;
  seq: number;
  change: WriteChange;
  entityJson: string | null;
}

/** The Idempotency-Keys and proposed ids a batch names: what its backend looks up before planning. */
export function lookupsOf(writes: readonly QueuedWrite[]): {
  keys: string[];
  proposedIds: string[];
  commentIds: string[];
} {
  const keys = new Set<string>();
  const proposedIds = new Set<string>();
  const commentIds = new Set<string>();
  for (const { command, options } of writes) {
    if (options.idempotencyKey !== undefined) keys.add(options.idempotencyKey);
    const creates =
      command.type === 'create_list' ||
      command.type === 'create_task' ||
      command.type === 'create_label' ||
      command.type === 'add_comment' ||
      command.type === 'add_checklist' ||
      command.type === 'add_item' ||
      command.type === 'add_link';
    if (creates && command.id !== undefined) {
      proposedIds.add(command.id);
    }
    if (command.type === 'edit_comment' || command.type === 'delete_comment')
      commentIds.add(command.commentId);
  }
  return { keys: [...keys], proposedIds: [...proposedIds], commentIds: [...commentIds] };
}

/** Keeps the batch's view of its comments up to date, so a later write of the batch sees an earlier one's. */
function noteComment(comments: Map<string, Comment | null>, event: BoardEvent): void {
  if (event.type === 'comment_added' || event.type === 'comment_edited')
    comments.set(event.comment.id, event.comment);
  if (event.type === 'comment_deleted') comments.set(event.commentId, null);
}

/**
 * A group commit, decided: each write against the board as the one before it left it, one event
 * each, seqs consecutive. A write the domain refuses (or whose id is taken, or whose key was used
 * for another request) gets its error and changes nothing; a write whose key was seen, in an
 * earlier transaction or earlier in this batch, gets the first outcome again. `board` undefined:
 * the board is unknown or deleted.
 */
export function planBatch(
  board: Board | undefined,
  boardId: string,
  writes: readonly QueuedWrite[],
  lookups: BatchLookups,
): BatchPlan {
  const recordsByKey = new Map(lookups.recordsByKey);
  const claims: string[] = [];
  const keys: KeyRecord[] = [];
  const results: WriteResult[] = [];
  const rows = board && new BatchRowsBuilder(board);
  // The comments the batch names, as each write leaves them for the next.
  const comments = new Map<string, Comment | null>(lookups.comments);
  let current = board;
  for (const { command, options } of writes) {
    try {
      const key = options.idempotencyKey;
      const replay = key === undefined ? undefined : replayOf(recordsByKey.get(key), options);
      if (replay) {
        results.push({ ok: true, outcome: replay });
        continue;
      }
      if (!current) throw notFound(boardId);
      const plan = planCommand(current, command, options, (id) => comments.get(id) ?? undefined);
      if (plan.event) {
        const claimed = claimsOf(plan.event);
        for (const claim of claimed) {
          if (lookups.takenIds.has(claim) || claims.includes(claim)) throw idTaken(claim);
        }
        claims.push(...claimed);
        rows!.add(plan.event, plan.outcome.event!, current, plan.boardAfter ?? current);
        noteComment(comments, plan.event);
        current = plan.boardAfter;
      }
      results.push({ ok: true, outcome: plan.outcome });
      // A write that changed nothing keeps its key too: its retry, after someone else's change,
      // must get this answer again, not make a change of its own.
      if (key !== undefined) {
        const record = recordOf(options, plan.outcome);
        recordsByKey.set(key, record);
        keys.push({ key, record, at: plan.event?.at ?? timeOf(options) });
      }
    } catch (error) {
      if (!(error instanceof LiveboardError)) throw error;
      results.push({ ok: false, error });
    }
  }
  return { results, rows: rows?.build(claims, keys), boardAfter: current };
}

/** The one outcome of a batch of one, or its error. */
export function onlyOutcome(results: readonly WriteResult[]): WriteOutcome {
  const result = results[0]!;
  if (!result.ok) throw result.error;
  return result.outcome;
}

/** A new board, to be inserted with its id claimed (and its key recorded): seq 0, no event. */
export interface BoardCreationPlan {
  outcome: WriteOutcome;
  board: BoardInfo;
  /** Its first member, the owner; none for an ownerless board. */
  members: Member[];
  key: KeyRecord | undefined;
}

/** A new board: seq 0, no event (a board's log starts with its first change). */
export function planBoardCreation(command: CreateBoardCommand, options: WriteOptions): BoardCreationPlan {
  const at = timeOf(options);
  const owner = command.owner;
  const board = emptyBoard({
    id: command.id ?? newId('board'),
    title: requiredText('title', command.title),
    createdAt: at,
    visibility: command.visibility ?? 'private',
    listed: command.listed ?? false,
    members: owner ? [{ userId: owner.userId, username: owner.username, role: 'owner' }] : [],
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
  const { lists: _lists, members, ...info } = board;
  const key = options.idempotencyKey;
  return {
    outcome,
    board: info,
    members,
    key: key === undefined ? undefined : { key, record: recordOf(options, outcome), at },
  };
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

/**
 * One command on the board as it stands: its event, numbered and encoded once, and its answer; or,
 * for a command that changes nothing, no event and the entity as it stands at the board's seq.
 */
interface CommandPlan {
  event: BoardEvent | undefined;
  outcome: WriteOutcome;
  /** Undefined once the board is deleted. */
  boardAfter: Board | undefined;
}

function planCommand(
  board: Board,
  command: BoardCommand,
  options: WriteOptions,
  findComment: (commentId: string) => Comment | undefined,
): CommandPlan {
  const at = timeOf(options);
  const by = options.by ?? null;
  const operator = options.operator === true;
  const draft = decide(board, command, { now: at, newId, by, operator, findComment });
  if (draft === null) {
    const entity = unchangedEntity(board, command, findComment);
    const outcome: WriteOutcome = {
      change: 'changed',
      entity,
      entityJson: JSON.stringify(entity),
      boardId: board.id,
      seq: board.seq,
      event: undefined,
      replayed: false,
    };
    return { event: undefined, outcome, boardAfter: board };
  }
  const event = stampEvent(draft, board.seq + 1, at, by);
  const json = JSON.stringify(eventForLog(event));
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
  return { event, outcome, boardAfter: event.type === 'board_deleted' ? undefined : boardAfter };
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
      return { change: 'created', entity: normalizeTask(event.task) };
    case 'task_updated':
    case 'task_moved':
      return { change: 'changed', entity: taskOf(boardAfter, taskIdOf(event)) };
    case 'label_created':
      return { change: 'created', entity: labelOf(boardAfter, event.label.id) };
    case 'label_updated':
      return { change: 'changed', entity: labelOf(boardAfter, event.label.id) };
    case 'label_deleted':
      return { change: 'deleted', entity: null };
    case 'list_created':
    case 'list_updated':
    case 'list_moved': {
      const list = boardAfter.lists.find((candidate) => candidate.id === event.list.id)!;
      return { change: event.type === 'list_created' ? 'created' : 'changed', entity: list };
    }
    case 'board_updated':
      return { change: 'changed', entity: boardAfter };
    case 'checklist_added':
      return { change: 'created', entity: checklistOf(boardAfter, event.checklist.id) };
    case 'checklist_updated':
      return { change: 'changed', entity: checklistOf(boardAfter, event.checklistId) };
    case 'checklist_item_added':
      return { change: 'created', entity: itemOf(boardAfter, event.item.id) };
    case 'checklist_item_updated':
      return { change: 'changed', entity: itemOf(boardAfter, event.itemId) };
    case 'link_added':
      return { change: 'created', entity: { ...event.link, taskId: event.taskId } };
    case 'link_updated':
      return { change: 'changed', entity: linkOf(boardAfter, event.linkId) };
    case 'checklist_deleted':
    case 'checklist_item_deleted':
    case 'link_removed':
      return { change: 'deleted', entity: null };
    case 'comment_added':
      return { change: 'created', entity: event.comment };
    case 'comment_edited':
      return { change: 'changed', entity: event.comment };
    case 'member_added':
      return { change: 'created', entity: event.member };
    case 'member_updated':
      return { change: 'changed', entity: event.member };
    case 'visibility_changed':
      return { change: 'changed', entity: { visibility: event.visibility, listed: event.listed } };
    case 'member_removed':
    case 'comment_deleted':
    case 'task_deleted':
    case 'list_deleted':
    case 'board_deleted':
      return { change: 'deleted', entity: null };
  }
}

/** The ids an event brings into use, which no later write may use again. */
function claimsOf(event: BoardEvent): string[] {
  if (event.type === 'task_created') return [event.task.id];
  if (event.type === 'list_created') return [event.list.id];
  if (event.type === 'label_created') return [event.label.id];
  if (event.type === 'comment_added') return [event.comment.id];
  if (event.type === 'checklist_added')
    return [event.checklist.id, ...event.checklist.items.map((item) => item.id)];
  if (event.type === 'checklist_item_added') return [event.item.id];
  if (event.type === 'link_added') return [event.link.id];
  return [];
}

function taskOf(board: Board, taskId: string): Task {
  for (const list of board.lists) {
    const task = list.tasks.find((candidate) => candidate.id === taskId);
    if (task) return task;
  }
  throw new Error(`task '${taskId}' is not on board '${board.id}' after its own event`);
}

/** A checklist as a write answers it: with its card's id. */
function checklistOf(board: Board, checklistId: string): TaskChecklist {
  const { task, checklist } = findChecklist(board, checklistId);
  return { ...checklist, taskId: task.id };
}

/** An item as a write answers it: with its card's and checklist's ids. */
function itemOf(board: Board, itemId: string): TaskChecklistItem {
  const { task, checklist, item } = findItem(board, itemId);
  return { ...item, taskId: task.id, checklistId: checklist.id };
}

/** A link as a write answers it: with its card's id. */
function linkOf(board: Board, linkId: string): TaskLink {
  const { task, link } = findLink(board, linkId);
  return { ...link, taskId: task.id };
}

function labelOf(board: Board, labelId: string): Label {
  const label = board.labels.find((candidate) => candidate.id === labelId);
  if (!label) throw new Error(`label '${labelId}' is not on board '${board.id}' after its own event`);
  return label;
}

/** What a write that changed nothing answers: the thing it named, as it stands. */
function unchangedEntity(
  board: Board,
  command: BoardCommand,
  findComment: (commentId: string) => Comment | undefined,
): WrittenEntity {
  switch (command.type) {
    case 'update_board':
      return board;
    case 'set_visibility':
      return { visibility: board.visibility, listed: board.listed };
    case 'update_member':
      return board.members.find((member) => member.userId === command.userId)!;
    case 'edit_comment':
      return findComment(command.commentId)!;
    case 'update_task':
      return taskOf(board, command.taskId);
    case 'update_list':
      return board.lists.find((list) => list.id === command.listId)!;
    case 'update_label':
      return labelOf(board, command.labelId);
    case 'update_checklist':
      return checklistOf(board, command.checklistId);
    case 'update_item':
      return itemOf(board, command.itemId);
    case 'update_link':
      return linkOf(board, command.linkId);
    default:
      // Only the commands above may decide that nothing changes.
      throw new Error(`command '${command.type}' cannot be a no-change`);
  }
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
