import type { Board } from '../../domain/index.js';
import { Backoff, isTemporary, LiveboardApiError, type Written } from '../sdk.js';
import { isCommentOp } from './comment-ops.js';
import { applyOp, othersNamedBy, subjectOf, type PendingOp } from './pending-op.js';

export interface OutboxEntry {
  /** The Idempotency-Key of this write: the same on every retry, so a retry never writes twice. */
  key: string;
  op: PendingOp;
  /** queued → sending → sent (answered with `seq`, kept as overlay until the board reaches it). */
  state: 'queued' | 'sending' | 'sent';
  seq?: number;
  /** Tries so far. At 0 the server has certainly never seen this write. */
  attempts: number;
  /** Of those, the tries the server answered with a 5xx. */
  serverErrors: number;
}

export interface OutboxSnapshot {
  entries: readonly OutboxEntry[];
  /** True while the last attempt failed for want of a network: the queue waits and retries. */
  waiting: boolean;
}

export type SendOp = (op: PendingOp, idempotencyKey: string) => Promise<Written<unknown>>;

/**
 * A write the server fails five times in a row is given up (and reported): a 5xx usually passes
 * (a process stopping, a restart), but one that does not would hold every later write back forever.
 * Network failures and 429s are not counted: they say nothing about the write itself.
 */
const MAX_SERVER_ERRORS = 5;

/**
 * Between tries, 0.5 s doubling to 5 s (with jitter, from the SDK's Backoff). Capped well below
 * the SDK's default because a person is waiting to see their change saved; retryNow() cuts the
 * wait short anyway as soon as the board's stream is live again.
 */
const RETRY_DELAYS = { initialMs: 500, maxMs: 5_000 };

/**
 * The queue of the user's writes. Sent one at a time, in order, because later writes may name
 * things earlier ones create (a task added to a list made offline). The app proposes the id of
 * everything it creates, so an op names the server's own ids from the start, and a create is known
 * on the board by its id alone. A temporary failure (the SDK's `isTemporary`) keeps the write and
 * retries it with the same key; any other refusal drops it and tells the user why.
 */
export class Outbox {
  private entries: OutboxEntry[] = [];
  private waiting = false;
  private pumping = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly backoff = new Backoff(RETRY_DELAYS);
  private stopped = true;
  private snapshot: OutboxSnapshot = { entries: [], waiting: false };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly send: SendOp,
    private readonly onRejected: (op: PendingOp, error: LiveboardApiError) => void,
    private readonly currentBoard: () => Board | undefined,
  ) {}

  enqueue(op: PendingOp): void {
    if (!this.cancelUnsentCreate(op)) {
      this.entries.push({ key: crypto.randomUUID(), op, state: 'queued', attempts: 0, serverErrors: 0 });
    }
    this.changed();
    void this.pump();
  }

  /** The board has reached `boardSeq`: writes whose events it now contains leave the overlay. */
  confirm(boardSeq: number): void {
    const before = this.entries.length;
    this.entries = this.entries.filter((entry) => !(entry.state === 'sent' && (entry.seq ?? 0) <= boardSeq));
    if (this.entries.length !== before) this.changed();
  }

  /** The connection came back: try now rather than at the next backoff tick. */
  retryNow(): void {
    if (!this.waiting) return;
    clearTimeout(this.retryTimer);
    void this.pump();
  }

  /**
   * The confirmed board with every unconfirmed write laid over it. A create whose list or task is
   * on the board already (its event came before its answer) changes nothing: the id says it is ours.
   */
  overlay(board: Board): Board {
    return this.entries.reduce((shown, entry) => applyOp(shown, entry.op), board);
  }

  getSnapshot = (): OutboxSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Sending starts (again): React may stop and start an effect's resources more than once. */
  start(): void {
    this.stopped = false;
    void this.pump();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  /**
   * A delete of a list or task whose create the server has never seen (never tried: queued behind
   * a write that waits for the network) cancels that create and every op on it, and is not queued
   * itself: there is nothing for the server to do, and the other windows never see a task appear
   * and vanish. Not when another op names it (a task added to the list, a card placed after the
   * task): that op needs it to exist when it is sent, so then everything goes as made. And never
   * once the create was tried: it may have been committed with its answer lost, so it must be
   * followed by its delete.
   */
  private cancelUnsentCreate(op: PendingOp): boolean {
    if (op.kind === 'deleteComment') return this.cancelUnsentComment(op.commentId);
    if (op.kind !== 'deleteList' && op.kind !== 'deleteTask') return false;
    const id = subjectOf(op);
    const create = this.entries.find(
      (entry) =>
        (entry.op.kind === 'createList' || entry.op.kind === 'createTask') && subjectOf(entry.op) === id,
    );
    if (!create || create.state !== 'queued' || create.attempts > 0) return false;
    if (this.entries.some((entry) => othersNamedBy(entry.op).includes(id))) return false;
    // Every op on it comes after its create, so none of them has been tried either.
    this.entries = this.entries.filter((entry) => subjectOf(entry.op) !== id);
    return true;
  }

  /** The same for a comment: written and deleted before the server saw it, it was never there. */
  private cancelUnsentComment(commentId: string): boolean {
    const add = this.entries.find(
      (entry) => entry.op.kind === 'addComment' && entry.op.commentId === commentId,
    );
    if (!add || add.state !== 'queued' || add.attempts > 0) return false;
    this.entries = this.entries.filter(
      (entry) => !(isCommentOp(entry.op) && entry.op.commentId === commentId),
    );
    return true;
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    try {
      for (;;) {
        const entry = this.entries.find((candidate) => candidate.state === 'queued');
        if (!entry || this.stopped) return;
        if (!(await this.attempt(entry))) return;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** One try of one write; false when the queue should pause and retry later. */
  private async attempt(entry: OutboxEntry): Promise<boolean> {
    entry.state = 'sending';
    entry.attempts += 1;
    this.changed();
    try {
      const written = await this.send(entry.op, entry.key);
      entry.state = 'sent';
      entry.seq = written.seq;
      this.backoff.reset();
      this.waiting = false;
      this.changed();
      this.confirm(this.currentBoard()?.seq ?? 0);
      return true;
    } catch (error) {
      if (error instanceof LiveboardApiError && error.status >= 500) entry.serverErrors += 1;
      if (isTemporary(error) && entry.serverErrors < MAX_SERVER_ERRORS) {
        entry.state = 'queued';
        this.waiting = true;
        this.changed();
        this.retryTimer = setTimeout(() => void this.pump(), this.backoff.next());
        return false;
      }
      this.entries = this.entries.filter((candidate) => candidate !== entry);
      this.waiting = false;
      this.changed();
      if (!(error instanceof LiveboardApiError)) console.error('liveboard: write failed', error);
      else if (!alreadyDone(entry, error)) this.onRejected(entry.op, error);
      return true;
    }
  }

  private changed(): void {
    this.snapshot = { entries: this.entries.map((entry) => ({ ...entry })), waiting: this.waiting };
    for (const listener of this.listeners) listener();
  }
}

/**
 * A refusal that means the write had already been done by an earlier try of ours: a delete whose
 * list or task is gone (the first try committed, then the server crashed before answering), or a
 * create whose proposed id is taken although we tried before (ids are random, so what holds it is
 * what we made; the Idempotency-Key replays the first answer instead, unless it has expired).
 */
function alreadyDone(entry: OutboxEntry, error: LiveboardApiError): boolean {
  const { kind } = entry.op;
  if (
    kind === 'deleteList' ||
    kind === 'deleteTask' ||
    kind === 'deleteLabel' ||
    kind === 'deleteChecklist' ||
    kind === 'deleteItem' ||
    kind === 'removeLink' ||
    kind === 'deleteComment'
  ) {
    return error.status === 404;
  }
  if (
    kind === 'createList' ||
    kind === 'createTask' ||
    kind === 'createLabel' ||
    kind === 'addChecklist' ||
    kind === 'addItem' ||
    kind === 'addLink' ||
    kind === 'addComment'
  ) {
    return error.code === 'id_taken' && entry.attempts > 1;
  }
  return false;
}
