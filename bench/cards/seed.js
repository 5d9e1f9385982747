// Seeding in process, through the store's write path: store.executeBatch with operator writes,
// the same rows and events the API makes (no server is running on the store meanwhile).
import { boardPlan, vocabulary } from './corpus.js';

/** A board and its plan's commands, `batch` at a time in one transaction each, as operator. */
export async function seedBoard(store, boardId, plan, title, batch = 500) {
  await store.createBoard(
    { id: boardId, title, visibility: 'public_edit', listed: false },
    { operator: true, now: plan.commands[0]?.now ?? new Date() },
  );
  for (let i = 0; i < plan.commands.length; i += batch) {
    const writes = plan.commands
      .slice(i, i + batch)
      .map(({ command, now }) => ({ command, options: { operator: true, now } }));
    const out = await store.executeBatch(boardId, writes);
    const refused = out.find((r) => !r.ok);
    if (refused) throw new Error(`seeding ${boardId}: ${refused.error.code} ${refused.error.message}`);
  }
}

export const SEARCH_BOARD = 'board-benchsearch01';

/** The search corpus: one board of `cards` cards (a comment per two) and `noiseBoards` small boards. */
export async function seedSearchCorpus(store, { cards, noiseBoards, noiseCards }) {
  const words = vocabulary();
  const plan = boardPlan({ prefix: 'search01', cards, lists: 8, commentsPerCard: 0.5, seed: 15, words });
  await seedBoard(store, SEARCH_BOARD, plan, 'Search', 1000);
  for (let b = 0; b < noiseBoards; b++) {
    const noise = boardPlan({
      prefix: `noise${String(b).padStart(3, '0')}`,
      cards: noiseCards,
      lists: 3,
      labels: 2,
      commentsPerCard: 1,
      seed: 1000 + b,
      words,
    });
    await seedBoard(store, `board-benchnoise${String(b).padStart(3, '0')}`, noise, `Noise ${b}`, 1000);
  }
}
