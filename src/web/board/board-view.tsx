import {
  closestCenter,
  closestCorners,
  DndContext,
  type CollisionDetection,
  type DndContextProps,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { arrayMove } from '@dnd-kit/sortable';
import { memo, useCallback, useMemo, useRef, useState } from 'react';
import type { Board, TaskFilter } from '../../domain/index.js';
import { announcementsFor, screenReaderInstructions, type DragLayout } from './announcements.js';
import {
  ActiveCardOverlay,
  BoardLists,
  BoardSurfaceContext,
  isFullHardList,
  wipCount,
  type BoardSurface,
  type TasksByList,
} from './board-lists.js';
import type { BoardSource } from './board-source.js';
import { useMinute } from './card-badges.js';
import { findTask, placement, type PendingOp } from './pending-op.js';
import { noteRender } from './render-probe.js';
import { ShownLists } from './shown-lists.js';
import { useDragSensors } from './sortable-item.js';

interface BoardViewProps {
  /** Every card of the board (with the user's writes laid over it), followed by the lists. */
  source: BoardSource;
  /** What the board shows of it (archived cards are hidden unless the filter says otherwise). */
  filter: TaskFilter;
  /** Whether the filter hides anything beyond archived cards: list headers then say "3 of 12". */
  filtering: boolean;
  /** What a card made now starts with, so that it does not vanish from a filtered board. */
  newCardFields: { labelIds?: string[]; assigneeIds?: string[] };
  /** The user may only look: no handles, no add buttons, no edits, nothing to drag. */
  readOnly: boolean;
  write(op: PendingOp): void;
  onOpenTask(taskId: string): void;
  /** Says something in words (the notices, announced politely). */
  notify(text: string): void;
}

/**
 * The lists side by side, with drag and drop of tasks (within and between lists) and of lists.
 * While a task is dragged, the layout lives in `tasksByList` (so it can cross lists); on drop it
 * becomes one move, said with beforeId/afterId, and the optimistic overlay shows the same order.
 *
 * A remote change renders the card it changed, its list and BoardLists, nothing else of the board
 * (issue 15: one tick on a 5,000-card board within a frame). So the board does not come down
 * through here: BoardLists follows the board's source itself, and DndContext (memoized) is handed
 * only what stays the same — the sensors, the collision detection (new as a drag starts),
 * handlers that call the latest ones, and the same children. Were it rendered again, it would give
 * its contexts new values (a new `transform` object each time), and so would any provider above
 * the cards that changed with the board; React then searches the subtree of every card that bails
 * out for readers of that context: 20–30 ms a tick at 4,500 cards, more than the rest of the work.
 */
export function BoardView({
  source,
  filter,
  filtering,
  newCardFields,
  readOnly,
  write,
  onOpenTask,
  notify,
}: BoardViewProps) {
  noteRender('board');
  const [active, setActive] = useState<{ type: 'task' | 'list'; id: string } | null>(null);
  const [tasksByList, setTasksByList] = useState<TasksByList | null>(null);
  // "Overdue", "today" and "this week" move with the clock: only a filter by them is worked out
  // again each minute (and so may hand the lists new objects).
  const minute = useMinute(filter.due === 'overdue' || filter.due === 'today' || filter.due === 'week');
  const filterKey = JSON.stringify(filter);
  const shownLists = useRef(new ShownLists());
  const show = useMemo(() => {
    const clock = { now: minute, timeZoneOffsetMinutes: -minute.getTimezoneOffset() };
    return (board: Board) => shownLists.current.filter(board, filter, filterKey, clock);
    // Keyed by the filter's value and the minute, not by objects that are new on every render.
  }, [filterKey, minute]);
  const layout = useRef<DragLayout | null>(null);
  // What the lists show, until BoardLists (which renders with every change) says it again. A new
  // object on each render here, so a refusal said in a drop is not said for the next one.
  layout.current = { board: layout.current?.board ?? show(source.get()!), tasksByList };
  const getBoard = useCallback(() => layout.current!.board, []);

  const sensors = useDragSensors();

  const containerOf = (order: TasksByList, id: string): string | undefined =>
    id.startsWith('body:') ? id.slice(5) : Object.keys(order).find((listId) => order[listId]!.includes(id));

  const onDragStart = ({ active: dragged }: DragStartEvent): void => {
    const type = dragged.data.current?.type === 'list' ? 'list' : 'task';
    setActive({ type, id: String(dragged.id) });
    if (type === 'task') {
      setTasksByList(
        Object.fromEntries(getBoard().lists.map((list) => [list.id, list.tasks.map((task) => task.id)])),
      );
    }
  };

  // Crossing into another list moves the task there now, so that list makes room for it.
  const onDragOver = ({ active: dragged, over }: DragOverEvent): void => {
    if (!over || !tasksByList || active?.type !== 'task') return;
    const activeId = String(dragged.id);
    const from = containerOf(tasksByList, activeId);
    const to = containerOf(tasksByList, String(over.id));
    if (!from || !to || from === to) return;
    const target = tasksByList[to]!;
    const overIndex = target.indexOf(String(over.id));
    const translated = dragged.rect.current.translated;
    const below = translated && translated.top > over.rect.top + over.rect.height / 2 ? 1 : 0;
    const index = overIndex >= 0 ? overIndex + below : target.length;
    setTasksByList({
      ...tasksByList,
      [from]: tasksByList[from]!.filter((id) => id !== activeId),
      [to]: [...target.slice(0, index), activeId, ...target.slice(index)],
    });
  };

  const onDragEnd = ({ active: dragged, over }: DragEndEvent): void => {
    const activeId = String(dragged.id);
    const board = getBoard();
    if (active?.type === 'list') {
      const ids = board.lists.map((list) => list.id);
      const from = ids.indexOf(activeId);
      const to = over ? ids.indexOf(String(over.id)) : -1;
      if (from >= 0 && to >= 0 && from !== to) {
        const order = arrayMove(ids, from, to);
        const rest = order.filter((id) => id !== activeId);
        write({ kind: 'moveList', listId: activeId, ...placement(rest, order.indexOf(activeId)) });
      }
    } else if (tasksByList && over) {
      const listId = containerOf(tasksByList, activeId);
      const task = findTask(board, activeId);
      const target = source.get()?.lists.find((list) => list.id === listId);
      if (target && task && task.listId !== target.id && task.archivedAt === null && isFullHardList(target)) {
        // Refused here rather than by the server a moment later: the card never looks moved. The
        // drag's own announcement (read synchronously by dnd-kit's monitor) says it too.
        const refusal = `“${target.title}” is full (${wipCount(target)} of ${target.wipLimit}, a hard limit): “${task.title}” was put back.`;
        layout.current!.refusal = refusal;
        notify(refusal);
      } else if (listId) {
        let order = tasksByList[listId]!;
        const overIndex = order.indexOf(String(over.id));
        if (overIndex >= 0) order = arrayMove(order, order.indexOf(activeId), overIndex);
        const index = order.indexOf(activeId);
        const rest = order.filter((id) => id !== activeId);
        const before =
          board.lists.find((list) => list.id === task?.listId)?.tasks.map((item) => item.id) ?? [];
        const moved =
          task?.listId !== listId ||
          before.filter((id) => id !== activeId).join() !== rest.join() ||
          before.indexOf(activeId) !== index;
        if (moved) write({ kind: 'moveTask', taskId: activeId, listId, ...placement(rest, index) });
      }
    }
    setActive(null);
    setTasksByList(null);
  };

  const onDragCancel = (): void => {
    setActive(null);
    setTasksByList(null);
  };

  // DndContext is handed handlers that stay the same and call those of the latest render.
  const latest = useRef({ onDragStart, onDragOver, onDragEnd, onDragCancel });
  latest.current = { onDragStart, onDragOver, onDragEnd, onDragCancel };
  const handlers = useMemo(
    () => ({
      onDragStart: (event: DragStartEvent) => latest.current.onDragStart(event),
      onDragOver: (event: DragOverEvent) => latest.current.onDragOver(event),
      onDragEnd: (event: DragEndEvent) => latest.current.onDragEnd(event),
      onDragCancel: () => latest.current.onDragCancel(),
    }),
    [],
  );
  const accessibility = useMemo(
    () => ({ announcements: announcementsFor(() => layout.current!), screenReaderInstructions }),
    [],
  );
  const dragging = active?.type ?? null;
  const collisionDetection = useMemo(() => collisionFor(dragging), [dragging]);
  const activeTaskId = active?.type === 'task' ? active.id : null;
  const archivedShown = filter.archived === 'include' || filter.archived === 'only';

  const surface = useMemo(
    (): BoardSurface => ({
      source,
      show,
      archivedShown,
      filtering,
      newCardFields,
      readOnly,
      write,
      onOpenTask,
      dragging,
      activeTaskId,
      tasksByList,
      layout: layout as BoardSurface['layout'],
      getBoard,
    }),
    [
      source,
      show,
      archivedShown,
      filtering,
      newCardFields,
      readOnly,
      write,
      onOpenTask,
      dragging,
      activeTaskId,
      tasksByList,
      getBoard,
    ],
  );
  return (
    <BoardSurfaceContext.Provider value={surface}>
      <DragAndDrop
        sensors={sensors}
        collisionDetection={collisionDetection}
        accessibility={accessibility}
        {...handlers}
      />
    </BoardSurfaceContext.Provider>
  );
}

/**
 * DndContext with the board's lists and the drag overlay, always the same children. Memoized with
 * props that stay the same (BoardView), so a change of the board renders neither this nor DndContext.
 */
const DragAndDrop = memo(function DragAndDrop(props: Omit<DndContextProps, 'children'>) {
  noteRender('dnd');
  return <DndContext {...props}>{BOARD_SURFACE}</DndContext>;
});

const BOARD_SURFACE = (
  <>
    <BoardLists />
    <ActiveCardOverlay />
  </>
);

/** Tasks land on tasks or list bodies; lists only on lists. */
function collisionFor(type: 'task' | 'list' | null): CollisionDetection {
  return (args) => {
    const droppableContainers = args.droppableContainers.filter((container) => {
      const kind = container.data.current?.type;
      return type === 'list' ? kind === 'list' : kind === 'task' || kind === 'list-body';
    });
    return type === 'list'
      ? closestCenter({ ...args, droppableContainers })
      : closestCorners({ ...args, droppableContainers });
  };
}
