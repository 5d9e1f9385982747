import { DragOverlay } from '@dnd-kit/core';
import { horizontalListSortingStrategy, SortableContext } from '@dnd-kit/sortable';
import { createContext, useContext, useMemo, useSyncExternalStore, type RefObject } from 'react';
import type { Board, Label, List, Member, Task } from '../../domain/index.js';
import type { DragLayout } from './announcements.js';
import { AddList } from './add-list.js';
import type { BoardSource } from './board-source.js';
import { ListColumn } from './list-column.js';
import { findTask, type PendingOp } from './pending-op.js';
import { noteRender } from './render-probe.js';
import { TaskCardPreview } from './task-card.js';

export type TasksByList = Record<string, string[]>;

/**
 * What the lists are drawn with besides the board itself, from BoardView. The same object while
 * the filter, the permissions and the drag stay as they are: a remote change never makes it new.
 */
export interface BoardSurface {
  source: BoardSource;
  /** The board as the filter shows it (ShownLists: each untouched list the object it was). */
  show(board: Board): Board;
  /** Whether archived cards are shown, and so counted in a list's header. */
  archivedShown: boolean;
  filtering: boolean;
  newCardFields: { labelIds?: string[]; assigneeIds?: string[] };
  readOnly: boolean;
  write(op: PendingOp): void;
  onOpenTask(taskId: string): void;
  dragging: 'task' | 'list' | null;
  /** The task being dragged, for the overlay under the pointer. */
  activeTaskId: string | null;
  /** Task ids by list while a task is dragged: the layout it makes, which may cross lists. */
  tasksByList: TasksByList | null;
  /** The board the lists last showed, for the drag's handlers and announcements. */
  layout: RefObject<DragLayout>;
  getBoard(): Board;
}

export const BoardSurfaceContext = createContext<BoardSurface | null>(null);

function useBoardSurface(): BoardSurface {
  const surface = useContext(BoardSurfaceContext);
  if (!surface) throw new Error('the lists are drawn inside BoardView');
  return surface;
}

/** Tasks that count against a list's WIP limit: archived ones do not. */
export function wipCount(list: List): number {
  return list.tasks.reduce((count, task) => (task.archivedAt === null ? count + 1 : count), 0);
}

/** Whether one more card would pass the list's hard limit. */
export function isFullHardList(list: List): boolean {
  return list.wipHard && list.wipLimit !== null && wipCount(list) >= list.wipLimit;
}

/**
 * The lists side by side, and the form to add one. This is what follows the board (from its
 * source): a remote change renders it, the list that holds the changed card, and that card.
 */
export function BoardLists() {
  const surface = useBoardSurface();
  const allCards = useSyncExternalStore(surface.source.subscribe, surface.source.get);
  if (!allCards) throw new Error('BoardView is shown once the board is there');
  noteRender('lists');
  const { show, archivedShown, tasksByList, readOnly, write } = surface;
  const board = useMemo(() => show(allCards), [show, allCards]);
  surface.layout.current.board = board;
  const labelsById = useMemo(
    () => new Map<string, Label>(allCards.labels.map((label) => [label.id, label])),
    [allCards.labels],
  );
  const membersById = useMemo(
    () => new Map<string, Member>(allCards.members.map((member) => [member.userId, member])),
    [allCards.members],
  );
  const { totals, wips } = useMemo(() => {
    const wips = new Map(allCards.lists.map((list) => [list.id, wipCount(list)] as const));
    const totals = archivedShown
      ? new Map(allCards.lists.map((list) => [list.id, list.tasks.length] as const))
      : wips;
    return { totals, wips };
  }, [allCards, archivedShown]);
  const tasksOf = useMemo(() => {
    if (!tasksByList) return (list: List): Task[] => list.tasks;
    const tasksById = new Map<string, Task>();
    for (const list of board.lists) for (const task of list.tasks) tasksById.set(task.id, task);
    const placed = new Set(Object.values(tasksByList).flat());
    return (list: List): Task[] => {
      const shown = (tasksByList[list.id] ?? []).flatMap((id) => tasksById.get(id) ?? []);
      // A task that arrived from someone else mid-drag still shows, at the end of its list.
      return [...shown, ...list.tasks.filter((task) => !placed.has(task.id))];
    };
  }, [board, tasksByList]);
  // The same array while the lists are the same, in the same order: the lists' sortable context
  // (read by every list) then stays as it was.
  const idsKey = board.lists.map((list) => list.id).join(' ');
  const listIds = useMemo(() => (idsKey === '' ? [] : idsKey.split(' ')), [idsKey]);

  return (
    <div className="board-lists" data-testid="board-lists">
      <SortableContext items={listIds} strategy={horizontalListSortingStrategy}>
        {board.lists.map((list) => (
          <ListColumn
            key={list.id}
            getBoard={surface.getBoard}
            list={list}
            tasks={tasksOf(list)}
            total={totals.get(list.id) ?? list.tasks.length}
            wip={wips.get(list.id) ?? wipCount(list)}
            filtering={surface.filtering}
            newCardFields={surface.newCardFields}
            labelsById={labelsById}
            membersById={membersById}
            dragging={surface.dragging}
            readOnly={readOnly}
            onOpenTask={surface.onOpenTask}
            write={write}
          />
        ))}
      </SortableContext>
      {!readOnly && <AddList board={board} write={write} />}
    </div>
  );
}

/**
 * The card under the pointer while a task is dragged. It follows the board only then: a remote
 * change of the dragged card shows on it, and no change renders it otherwise.
 */
export function ActiveCardOverlay() {
  const { source, activeTaskId } = useBoardSurface();
  const board = useSyncExternalStore(source.subscribe, () => (activeTaskId ? source.get() : undefined));
  const task = board && activeTaskId ? findTask(board, activeTaskId) : undefined;
  const labelsById = useMemo(
    () => new Map<string, Label>(board?.labels.map((label) => [label.id, label]) ?? []),
    [board?.labels],
  );
  const membersById = useMemo(
    () => new Map<string, Member>(board?.members.map((member) => [member.userId, member]) ?? []),
    [board?.members],
  );
  return (
    <DragOverlay dropAnimation={null}>
      {task ? <TaskCardPreview task={task} labelsById={labelsById} membersById={membersById} /> : null}
    </DragOverlay>
  );
}
