import type { Task } from '../../domain/index.js';

/**
 * A list's cards are drawn in runs of about this many (each a memoized component of its own), so
 * that React, when one card changes, looks at the list's runs and the cards of one run rather than
 * at every card of the list: with 5,000 cards in one list, walking them all cost a remote tick more
 * than the rest of its work. The runs add no element to the page.
 */
export const CARDS_PER_RUN = 64;

export interface CardRun {
  /** "first" for the run the list starts with, else the id of the card that starts it. */
  key: string;
  tasks: readonly Task[];
}

/**
 * Whether a card starts a run: decided by its id alone (about one card in CARDS_PER_RUN), not by
 * its place, so that a card added, removed or moved leaves every other run as it was — a card
 * that changed runs is drawn anew, as one moved to another list is. Only when a card that starts a
 * run comes or goes do the cards of that run change runs with it.
 */
export function startsRun(taskId: string): boolean {
  // FNV-1a: the same split in every browser, from ids that are random already.
  let hash = 0x811c9dc5;
  for (let i = 0; i < taskId.length; i++) hash = Math.imul(hash ^ taskId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % CARDS_PER_RUN === 0;
}

/** A list's cards as last drawn: the cards, their ids and their runs. */
export interface DrawnCards {
  tasks: readonly Task[];
  /** The cards' ids in order: the same array while they are the same ids (dnd-kit's type is mutable). */
  ids: string[];
  runs: readonly CardRun[];
}

const NOTHING_DRAWN: DrawnCards = { tasks: [], ids: [], runs: [] };

/**
 * `tasks` in runs, after `previous`: every run that holds the very cards it held is handed back
 * as the same array, so that its memoized component does not render again, and the ids are the
 * same array while they are the same. A change in place (a tick, a title: the same ids in the same
 * order) only compares the cards, the usual remote change on a list of 5,000.
 */
export function drawCards(tasks: readonly Task[], previous: DrawnCards = NOTHING_DRAWN): DrawnCards {
  return changedInPlace(tasks, previous) ?? splitIntoRuns(tasks, previous);
}

function changedInPlace(tasks: readonly Task[], previous: DrawnCards): DrawnCards | undefined {
  if (tasks.length !== previous.tasks.length) return undefined;
  let runs: CardRun[] | undefined;
  let start = 0;
  for (const [index, run] of previous.runs.entries()) {
    let changed = false;
    for (let k = 0; k < run.tasks.length; k++) {
      const task = tasks[start + k]!;
      if (task === run.tasks[k]) continue;
      if (task.id !== run.tasks[k]!.id) return undefined;
      changed = true;
    }
    if (changed) {
      runs ??= [...previous.runs];
      runs[index] = { key: run.key, tasks: tasks.slice(start, start + run.tasks.length) };
    }
    start += run.tasks.length;
  }
  return { tasks, ids: previous.ids, runs: runs ?? previous.runs };
}

function splitIntoRuns(tasks: readonly Task[], previous: DrawnCards): DrawnCards {
  const runs: { key: string; tasks: Task[] }[] = [];
  let run: { key: string; tasks: Task[] } | undefined;
  for (const task of tasks) {
    if (!run || startsRun(task.id)) {
      run = { key: run ? task.id : 'first', tasks: [] };
      runs.push(run);
    }
    run.tasks.push(task);
  }
  const before = new Map(previous.runs.map((each) => [each.key, each.tasks]));
  const kept = runs.map((each): CardRun => {
    const same = before.get(each.key);
    return same && sameItems(same, each.tasks) ? { key: each.key, tasks: same } : each;
  });
  const ids = tasks.map((task) => task.id);
  return { tasks, ids: sameItems(ids, previous.ids) ? previous.ids : ids, runs: kept };
}

/** The same items in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
