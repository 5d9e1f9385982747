import {
  closestCenter,
  closestCorners,
  DndContext,
  DragOverlay,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { arrayMove, horizontalListSortingStrategy, SortableContext } from '@dnd-kit/sortable';
import { useCallback, useMemo, useRef, useState } from 'react';
import {
  type Board,
  type Label,
  type List,
  type Member,
  type Task,
  type TaskFilter,
} from '../../domain/index.js';
import { announcementsFor, screenReaderInstructions, type DragLayout } from './announcements.js';
import { AddList } from './add-list.js';
import { ListColumn } from './list-column.js';
import { ShownLists } from './shown-lists.js';
import { placement, type PendingOp } from './pending-op.js';
import { useDragSensors } from './sortable-item.js';
import { useMinute } from './card-badges.js';
import { TaskCardPreview } from './task-card.js';

type TasksByList = Record<string, string[]>;

interface BoardViewProps {
  /** Every card of the board (with the user's writes laid over it). */
  board: Board;
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

/** Tasks that count against a list's WIP limit: archived ones do not. */
export function wipCount(list: List): number {
  return list.tasks.reduce((count, task) => (task.archivedAt === null ? count + 1 : count), 0);
}

/** Whether one more card would pass the list's hard limit. */
export function isFullHardList(list: List): boolean {
  return list.wipHard && list.wipLimit !== null && wipCount(list) >= list.wipLimit;
}

/**
 * The lists side by side, with drag and drop of tasks (within and between lists) and of lists.
 * While a task is dragged, the layout lives in `tasksByList` (so it can cross lists); on drop it
 * becomes one move, said with beforeId/afterId, and the optimistic overlay shows the same order.
 */
export function BoardView({
  board: allCards,
  filter,
  filtering,
  newCardFields,
  readOnly,
  write,
  onOpenTask,
  notify,
}: BoardViewProps) {
  const [active, setActive] = useState<{ type: 'task' | 'list'; id: string } | null>(null);
  const [tasksByList, setTasksByList] = useState<TasksByList | null>(null);
  // "Overdue" and "today" move with the clock: the filter is worked out again each minute.
  const minute = useMinute();
  const filterKey = JSON.stringify(filter);
  const shownLists = useRef(new ShownLists());
  const board = useMemo(
    () =>
      shownLists.current.filter(allCards, filter, filterKey, {
        now: minute,
        timeZoneOffsetMinutes: -minute.getTimezoneOffset(),
      }),
    // Keyed by the filter's value and the minute, not by objects that are new on every render.
    [allCards, filterKey, minute.getTime()],
  );
  const layoutRef = useRef<DragLayout>({ board, tasksByList });
  layoutRef.current = { board, tasksByList };
  const labelsById = useMemo(
    () => new Map<string, Label>(allCards.labels.map((label) => [label.id, label])),
    [allCards.labels],
  );
  const membersById = useMemo(
    () => new Map<string, Member>(allCards.members.map((member) => [member.userId, member])),
    [allCards.members],
  );
  const totals = useMemo(() => {
    const archivedShown = filter.archived === 'include' || filter.archived === 'only';
    return new Map(
      allCards.lists.map((list) => [list.id, archivedShown ? list.tasks.length : wipCount(list)] as const),
    );
  }, [allCards, filter.archived]);
  const announcements = useMemo(() => announcementsFor(() => layoutRef.current), []);
  // The lists and cards are memoized, so they are handed this stable getter rather than the board,
  // which is new after every change: a list whose tasks did not change does not render again.
  const getBoard = useCallback(() => layoutRef.current.board, []);

  const sensors = useDragSensors();

  const tasksById = useMemo(() => {
    const map = new Map<string, Task>();
    for (const list of board.lists) for (const task of list.tasks) map.set(task.id, task);
    return map;
  }, [board]);

  const tasksOf = (listId: string): Task[] => {
    const list = board.lists.find((candidate) => candidate.id === listId);
    if (!tasksByList || !list) return list?.tasks ?? [];
    const shown = (tasksByList[listId] ?? []).flatMap((id) => tasksById.get(id) ?? []);
    // A task that arrived from someone else mid-drag still shows, at the end of its list.
    const placed = new Set(Object.values(tasksByList).flat());
    return [...shown, ...list.tasks.filter((task) => !placed.has(task.id))];
  };

  const containerOf = (layout: TasksByList, id: string): string | undefined =>
    id.startsWith('body:') ? id.slice(5) : Object.keys(layout).find((listId) => layout[listId]!.includes(id));

  const onDragStart = ({ active: dragged }: DragStartEvent): void => {
    const type = dragged.data.current?.type === 'list' ? 'list' : 'task';
    setActive({ type, id: String(dragged.id) });
    if (type === 'task') {
      setTasksByList(
        Object.fromEntries(board.lists.map((list) => [list.id, list.tasks.map((task) => task.id)])),
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
      const task = tasksById.get(activeId);
      const target = allCards.lists.find((list) => list.id === listId);
      if (target && task && task.listId !== target.id && task.archivedAt === null && isFullHardList(target)) {
        // Refused here rather than by the server a moment later: the card never looks moved. The
        // drag's own announcement (read synchronously by dnd-kit's monitor) says it too.
        const refusal = `“${target.title}” is full (${wipCount(target)} of ${target.wipLimit}, a hard limit): “${task.title}” was put back.`;
        layoutRef.current.refusal = refusal;
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

  const activeTask = active?.type === 'task' ? tasksById.get(active.id) : undefined;
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisionFor(active?.type ?? null)}
      accessibility={{ announcements, screenReaderInstructions }}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={onDragCancel}
    >
      <div className="board-lists" data-testid="board-lists">
        <SortableContext items={board.lists.map((list) => list.id)} strategy={horizontalListSortingStrategy}>
          {board.lists.map((list) => (
            <ListColumn
              key={list.id}
              getBoard={getBoard}
              list={list}
              tasks={tasksOf(list.id)}
              total={totals.get(list.id) ?? list.tasks.length}
              wip={wipCount(allCards.lists.find((candidate) => candidate.id === list.id) ?? list)}
              filtering={filtering}
              newCardFields={newCardFields}
              labelsById={labelsById}
              membersById={membersById}
              dragging={active?.type ?? null}
              readOnly={readOnly}
              onOpenTask={onOpenTask}
              write={write}
            />
          ))}
        </SortableContext>
        {!readOnly && <AddList board={board} write={write} />}
      </div>
      <DragOverlay dropAnimation={null}>
        {activeTask ? (
          <TaskCardPreview task={activeTask} labelsById={labelsById} membersById={membersById} />
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}

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
