/**
 * What the contract suites of comments, search, checklists and links start each test from: a
 * migrated store of its own, boards owned by OWNER with ANA an editor, writes at known increasing
 * times, and the rule that a board's snapshot is the fold of its log.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import {
  applyEvents,
  emptyBoard,
  type Author,
  type Board,
  type BoardCommand,
  type BoardEvent,
} from '../../domain/index.js';
import type { StoreFixture } from './store-contract.js';
import type { Store, WriteOptions, WriteOutcome } from '../store.js';

/**
 * The owner of the boards the rules make (a board is private by default: only its members write).
 * The store keeps members by user id and never looks a user up, so no account is needed.
 */
export const OWNER: Author = { userId: 'user-contract01', username: 'olga' };
export const ANA: Author = { userId: 'user-contract02', username: 'ana' };

export interface ContractBoards {
  /** The store under test: opened on empty storage and migrated before each test, closed and dropped after it; a test may put another in its place (a reopen, a legacy storage). */
  store: Store;
  /** Write options by `by`, a second after the last: search orders each kind of field by its last change. */
  at(by?: Author): WriteOptions;
  write(boardId: string, command: BoardCommand, by?: Author): Promise<WriteOutcome>;
  /** A board titled 'Board', owned by OWNER, with ANA an editor. */
  newBoard(): Promise<string>;
  allEvents(boardId: string): Promise<BoardEvent[]>;
  /** Expects the board's snapshot to be its log folded over the board as created, and returns it. */
  expectSnapshotIsFold(boardId: string): Promise<Board>;
}

/** Registers, in the describe it is called in, the hooks that give each test its store. */
export function useContractBoards(fixture: StoreFixture, clockStart: string): ContractBoards {
  let clock = Date.parse(clockStart);
  const boards: ContractBoards = {
    store: undefined as unknown as Store,
    at: (by = OWNER) => ({ by, now: new Date((clock += 1000)) }),
    write: (boardId, command, by = OWNER) => boards.store.execute(boardId, command, boards.at(by)),
    async newBoard() {
      const outcome = await boards.store.createBoard({ owner: OWNER, title: 'Board' }, boards.at());
      await boards.store.execute(
        outcome.boardId,
        { type: 'add_member', ...ANA, role: 'editor' },
        boards.at(),
      );
      return outcome.boardId;
    },
    async allEvents(boardId) {
      return (await boards.store.readEvents(boardId, 0, 10_000)).map(
        (logged) => JSON.parse(logged.json) as BoardEvent,
      );
    },
    async expectSnapshotIsFold(boardId) {
      const board = (await boards.store.getBoard(boardId))!;
      const created = emptyBoard({
        id: boardId,
        title: 'Board',
        createdAt: board.createdAt,
        members: [{ ...OWNER, role: 'owner' }],
      });
      expect(board).toEqual(applyEvents(created, await boards.allEvents(boardId)));
      return board;
    },
  };
  beforeEach(async () => {
    boards.store = await fixture.open();
    await boards.store.migrate();
  });
  afterEach(async () => {
    await boards.store.close();
    await fixture.cleanup();
  });
  return boards;
}
