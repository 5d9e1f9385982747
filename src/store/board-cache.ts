import type { Board } from '../domain/index.js';

/**
 * Recently used board snapshots, so that a write need not read every list and task of its board
 * again. An entry is only trusted at the seq it was taken at: callers compare it with the seq they
 * read inside their transaction, which keeps the cache right even if another process wrote since.
 * Snapshots are immutable (applyEvent copies what changes), so sharing them is safe.
 */
export class BoardCache {
  private readonly boardsById = new Map<string, Board>();

  constructor(private readonly capacity = 512) {}

  get(boardId: string, seq: number): Board | undefined {
    const board = this.boardsById.get(boardId);
    if (!board || board.seq !== seq) return undefined;
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.boardsById.delete(boardId);
    this.boardsById.set(boardId, board);
    return board;
  }

  set(board: Board): void {
    this.boardsById.delete(board.id);
    this.boardsById.set(board.id, board);
    if (this.boardsById.size > this.capacity) {
      const oldest = this.boardsById.keys().next().value;
      if (oldest !== undefined) this.boardsById.delete(oldest);
    }
  }

  delete(boardId: string): void {
    this.boardsById.delete(boardId);
  }
}
