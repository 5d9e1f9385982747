import type { Board, Member } from '../domain/index.js';

/**
 * The latest value known for each board, tagged with the seq it was taken at, for the most recently
 * used boards. An entry is only trusted at that seq: callers compare it with the seq they read
 * (inside their transaction, or in the same statement), which keeps it right even if another
 * process wrote since. Values are immutable (applyEvent copies what changes), so sharing them is safe.
 */
export class SeqCache<T extends { seq: number }> {
  private readonly byBoard = new Map<string, T>();
  private held = 0;

  /**
   * `budget`: how much the cache holds at most, each entry weighing `weightOf` (1 unless given);
   * past it the least recently used go, though never the one just set.
   */
  constructor(
    private readonly boardIdOf: (value: T) => string,
    private readonly budget: number,
    private readonly weightOf: (value: T) => number = () => 1,
  ) {}

  get(boardId: string, seq: number): T | undefined {
    const value = this.byBoard.get(boardId);
    if (!value || value.seq !== seq) return undefined;
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.byBoard.delete(boardId);
    this.byBoard.set(boardId, value);
    return value;
  }

  /** The entry held for the board, whatever its seq (a base to bring forward, never to trust as is). */
  latest(boardId: string): T | undefined {
    return this.byBoard.get(boardId);
  }

  set(value: T): void {
    const boardId = this.boardIdOf(value);
    this.delete(boardId);
    this.byBoard.set(boardId, value);
    this.held += this.weightOf(value);
    while (this.held > this.budget && this.byBoard.size > 1) {
      const oldest = this.byBoard.keys().next().value as string;
      this.delete(oldest);
    }
  }

  delete(boardId: string): void {
    const value = this.byBoard.get(boardId);
    if (!value) return;
    this.byBoard.delete(boardId);
    this.held -= this.weightOf(value);
  }
}

/**
 * Recently used board snapshots, so that a write need not read every list and task of its board
 * again. Bounded by the cards they hold (a board weighs 1 and each of its cards 1), not by boards:
 * 512 boards were too few for a server whose writes go round 1,000 small boards (every write read
 * its board whole, 0.79× the build before the group commit on PostgreSQL in bench:writes), and
 * could be 2.5 million cards of 5,000-card boards. 200,000 cards are about 100 MB of heap (510 bytes
 * a card, measured in docs/SCALING.md): 40 boards of 5,000, or thousands of small ones.
 */
export class BoardCache extends SeqCache<Board> {
  constructor(cards = 200_000) {
    super((board) => board.id, cards, cardsOf);
  }
}

function cardsOf(board: Board): number {
  let cards = 1;
  for (const list of board.lists) cards += list.tasks.length;
  return cards;
}

/** A board's members as of a seq (only an access event changes them, and it moves the seq). */
export interface MembersAt {
  boardId: string;
  seq: number;
  members: Member[];
}

/**
 * Members of recently opened boards: a stream that opens or resumes is authorized against its
 * board's members, and 10,000 streams coming back to one board of 200 members after a restart
 * would otherwise read (and make objects of) those 200 rows 10,000 times.
 */
export class MembersCache extends SeqCache<MembersAt> {
  constructor(capacity = 4096) {
    super((entry) => entry.boardId, capacity);
  }

  /** The members of `boardId` at `seq`, from a full snapshot of that seq or a read of the members. */
  membersAt(boardId: string, seq: number, boards: BoardCache): Member[] | undefined {
    return boards.get(boardId, seq)?.members ?? this.get(boardId, seq)?.members;
  }
}
