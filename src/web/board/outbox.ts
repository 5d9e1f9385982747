import type { Board } from '../../domain/index.js';
import { LiveboardApiError, LiveboardNetworkError, type Written } from '../sdk.js';
import { applyOp, type PendingOp } from './pending-op.js';

export interface OutboxEntry {
  /** The Idempotency-Key of this write: the same on every retry, so a retry never writes twice. */
  key: string;
  op: PendingOp;
  /** queued → sending → sent (answered with `seq`, kept as overlay until the board reaches it). */
  state: 'queued' | 'sending' | 'sent';
  seq?: number;
  attempts: number;
  /** Ids already on the board when a create was sent, to tell our own task_ or list_created apart. */
  knownIds?: Set<string>;
}

export interface OutboxSnapshot {
  entries: readonly OutboxEntry[];
  /** True while the last attempt failed for want of a network: the queue waits and retries. */
  waiting: boolean;
}

export type SendOp = (
  op: PendingOp,
  idempotencyKey: string,
  resolve: (id: string) => string,
) => Promise<Written<unknown>>;

const MAX_SERVER_ERROR_ATTEMPTS = 5;

/**
 * The queue of the user's writes. Sent one at a time, in order, because later writes may name
 * things earlier ones create (a task added to a list made offline). A network failure keeps the
 * write and retries it with the same key; a 4xx drops it and tells the user why.
 */
export class Outbox {
  private entries: OutboxEntry[] = [];
  private readonly serverIds = new Map<string, string>();
  private waiting = false;
  private pumping = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private snapshot: OutboxSnapshot = { entries: [], waiting: false };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly send: SendOp,
    private readonly onRejected: (op: PendingOp, error: LiveboardApiError) => void,
    private readonly currentBoard: () => Board | undefined,
  ) {}

  readonly resolve = (id: string): string => this.serverIds.get(id) ?? id;

  enqueue(op: PendingOp): void {
    this.entries.push({ key: crypto.randomUUID(), op, state: 'queued', attempts: 0 });
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

  /** The confirmed board with every unconfirmed write laid over it. */
  overlay(board: Board): Board {
    let shown = board;
    for (const entry of this.entries) {
      // Our own create's event can arrive before its answer: then it is on the board already.
      if (entry.state === 'sending' && this.ownCreateArrived(board, entry)) continue;
      shown = applyOp(shown, entry.op, this.resolve);
    }
    return shown;
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
    if (entry.op.kind === 'createTask' || entry.op.kind === 'createList')
      entry.knownIds = idsOn(this.currentBoard());
    this.changed();
    try {
      const written = await this.send(entry.op, entry.key, this.resolve);
      const created = written.data as { id?: string } | null;
      if ((entry.op.kind === 'createTask' || entry.op.kind === 'createList') && created?.id) {
        this.serverIds.set(entry.op.tempId, created.id);
      }
      entry.state = 'sent';
      entry.seq = written.seq;
      this.waiting = false;
      this.changed();
      this.confirm(this.currentBoard()?.seq ?? 0);
      return true;
    } catch (error) {
      if (isRetryable(error, entry.attempts)) {
        entry.state = 'queued';
        this.waiting = true;
        this.changed();
        const delay = Math.min(500 * 2 ** Math.min(entry.attempts - 1, 4), 5000) * (0.75 + Math.random() / 2);
        this.retryTimer = setTimeout(() => void this.pump(), delay);
        return false;
      }
      this.entries = this.entries.filter((candidate) => candidate !== entry);
      this.waiting = false;
      this.changed();
      // A delete whose thing is already gone did what it meant to (e.g. a retry after a crash).
      const alreadyGone =
        entry.op.kind.startsWith('delete') && error instanceof LiveboardApiError && error.status === 404;
      if (error instanceof LiveboardApiError && !alreadyGone) this.onRejected(entry.op, error);
      else if (!(error instanceof LiveboardApiError)) console.error('liveboard: write failed', error);
      return true;
    }
  }

  private ownCreateArrived(board: Board, entry: OutboxEntry): boolean {
    const { op, knownIds } = entry;
    if (op.kind === 'createList') {
      return board.lists.some((list) => list.title === op.title.trim() && !knownIds?.has(list.id));
    }
    if (op.kind !== 'createTask') return false;
    const list = board.lists.find((candidate) => candidate.id === this.resolve(op.listId));
    return !!list?.tasks.some((task) => task.title === op.title.trim() && !knownIds?.has(task.id));
  }

  private changed(): void {
    this.snapshot = { entries: this.entries.map((entry) => ({ ...entry })), waiting: this.waiting };
    for (const listener of this.listeners) listener();
  }
}

function isRetryable(error: unknown, attempts: number): boolean {
  if (error instanceof LiveboardNetworkError) return true;
  if (error instanceof LiveboardApiError) {
    return error.status === 429 || (error.status >= 500 && attempts < MAX_SERVER_ERROR_ATTEMPTS);
  }
  return false;
}

function idsOn(board: Board | undefined): Set<string> {
  const ids = new Set<string>();
  for (const list of board?.lists ?? []) {
    ids.add(list.id);
    for (const task of list.tasks) ids.add(task.id);
  }
  return ids;
}
