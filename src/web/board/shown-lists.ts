import {
  taskMatcher,
  type Board,
  type FilterClock,
  type List,
  type Task,
  type TaskFilter,
} from '../../domain/index.js';

/**
 * The board as the filter shows it, each list the very object it was last time when what it shows
 * did not change: the reducer replaces only the list a change touches, so the memoized columns of
 * the others do not render again (one tick on a board of 5,000 cards re-rendered every list).
 */
export class ShownLists {
  private key = '';
  private labels: Board['labels'] | undefined;
  private bySource = new WeakMap<List, List>();
  /** What each list showed last, by id: kept when a new filter or minute shows it the same. */
  private byId = new Map<string, List>();

  filter(board: Board, filter: TaskFilter, filterKey: string, clock: FilterClock): Board {
    // What a list shows depends on the filter, the minute and (for words) the labels' names.
    const key = `${filterKey}@${clock.now.getTime()}`;
    if (key !== this.key || board.labels !== this.labels) {
      this.key = key;
      this.labels = board.labels;
      this.bySource = new WeakMap();
    }
    let matches: ((task: Task) => boolean) | undefined;
    const byId = new Map<string, List>();
    const lists = board.lists.map((list) => {
      let shown = this.bySource.get(list);
      if (!shown) {
        matches ??= taskMatcher(board, filter, clock);
        const tasks = list.tasks.filter(matches);
        const before = this.byId.get(list.id);
        shown =
          tasks.length === list.tasks.length
            ? list
            : before && sameList(before, list) && sameTasks(before.tasks, tasks)
              ? before
              : { ...list, tasks };
        this.bySource.set(list, shown);
      }
      byId.set(list.id, shown);
      return shown;
    });
    this.byId = byId;
    return { ...board, lists };
  }
}

/** The list's own fields (all but its tasks) are the same objects and values. */
function sameList(shown: List, source: List): boolean {
  for (const key of Object.keys(source) as (keyof List)[]) {
    if (key !== 'tasks' && shown[key] !== source[key]) return false;
  }
  return true;
}

function sameTasks(a: readonly Task[], b: readonly Task[]): boolean {
  return a.length === b.length && a.every((task, index) => task === b[index]);
}
