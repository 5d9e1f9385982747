import type { Board } from '../../domain/index.js';
import type { Outbox } from './outbox.js';

/**
 * The board as the user sees it, for `useSyncExternalStore`: a component that follows it itself
 * renders for a change without its parents handing it the board. The board's lists do (BoardView):
 * handed down as props or context, each change would reach them through DndContext and its
 * contexts, and React would then search every card for readers of those contexts.
 */
export interface BoardSource {
  /** The same object until the board or the user's writes on their way change. */
  get(): Board | undefined;
  subscribe(listener: () => void): () => void;
}

/** The board as the server confirmed it, with the writes still in the outbox laid over it. */
export class OverlaidBoard implements BoardSource {
  private confirmed: Board | undefined;
  private readonly listeners = new Set<() => void>();
  private shown: { confirmed: Board | undefined; pending: unknown; board: Board | undefined } = {
    confirmed: undefined,
    pending: undefined,
    board: undefined,
  };

  constructor(private readonly outbox: Outbox) {}

  /** The board the stream brought (undefined: none yet, or another board is being opened). */
  setConfirmed(board: Board | undefined): void {
    if (board === this.confirmed) return;
    this.confirmed = board;
    for (const listener of this.listeners) listener();
  }

  get = (): Board | undefined => {
    // The outbox's snapshot changes whenever its entries do: that is when the overlay does.
    const pending = this.outbox.getSnapshot();
    if (this.shown.confirmed !== this.confirmed || this.shown.pending !== pending) {
      const board = this.confirmed && this.outbox.overlay(this.confirmed);
      this.shown = { confirmed: this.confirmed, pending, board };
    }
    return this.shown.board;
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    const unsubscribe = this.outbox.subscribe(listener);
    return () => {
      this.listeners.delete(listener);
      unsubscribe();
    };
  };
}
