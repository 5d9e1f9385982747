import {
  taskMatcher,
  type Board,
  type FilterClock,
  type List,
  type Task,
  type TaskFilter,
} from '../../domain/index.js';

/**
 * The board as the filter shows it, each list the very object it was last time when its cards did
 * not change: the reducer replaces only the list a change touches, so the memoized columns of the
 * others do not render again (one tick on a board of 5,000 cards re-rendered every list).
 */
export class ShownLists {
  private key = '';
  private labels: Board['labels'] | undefined;
  private bySource = new WeakMap<List, List>();

  filter(board: Board, filter: TaskFilter, filterKey: string, clock: FilterClock): Board {
    // What a list shows depends on the filter, the minute and (for words) the labels' names.
    const key = `${filterKey}@${clock.now.getTime()}`;
    if (key !== this.key || board.labels !== this.labels) {
      this.key = key;
      this.labels = board.labels;
      this.bySource = new WeakMap();
    }
    let matches: ((task: Task) => boolean) | undefined;
    const lists = board.lists.map((list) => {
      let shown = this.bySource.get(list);
      if (!shown) {
        matches ??= taskMatcher(board, filter, clock);
        const tasks = list.tasks.filter(matches);
        shown = tasks.length === list.tasks.length ? list : { ...list, tasks };
        this.bySource.set(list, shown);
      }
      return shown;
    });
    return { ...board, lists };
  }
}
