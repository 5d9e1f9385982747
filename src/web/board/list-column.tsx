import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { memo, useMemo, useRef, useState } from 'react';
import type { Board, Label, List, Member, Task } from '../../domain/index.js';
import { drawCards, type DrawnCards } from './card-runs.js';
import { InlineEdit } from './inline-edit.js';
import { newId } from '../sdk.js';
import type { PendingOp } from './pending-op.js';
import { noteRender } from './render-probe.js';
import { useSortableItem } from './sortable-item.js';
import { Grip, TaskCard } from './task-card.js';
import { WipMenu } from './wip-menu.js';

interface ListColumnProps {
  getBoard(): Board;
  list: List;
  /** The tasks to show, in order: the list's own, or the drag's layout while a task is dragged. */
  tasks: Task[];
  /** How many cards the list holds that the board would show unfiltered (archived ones aside). */
  total: number;
  /** How many count against its WIP limit (archived ones do not). */
  wip: number;
  filtering: boolean;
  newCardFields: { labelIds?: string[]; assigneeIds?: string[] };
  labelsById: ReadonlyMap<string, Label>;
  membersById: ReadonlyMap<string, Member>;
  dragging: 'task' | 'list' | null;
  /** Only to look at: the title is text, and there is nothing to drag, delete or add. */
  readOnly: boolean;
  onOpenTask(taskId: string): void;
  write(op: PendingOp): void;
}

/** One list: its header (rename, delete, drag), its tasks, and the form to add one. */
export const ListColumn = memo(function ListColumn({
  getBoard,
  list,
  tasks,
  total,
  wip,
  filtering,
  newCardFields,
  labelsById,
  membersById,
  dragging,
  readOnly,
  onOpenTask,
  write,
}: ListColumnProps) {
  noteRender('list', list.id);
  const [renaming, setRenaming] = useState(false);
  const [adding, setAdding] = useState(false);
  const [addFormKey, setAddFormKey] = useState(0);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { sortable, onPointerDown, onKeyDown, style } = useSortableItem({
    id: list.id,
    data: { type: 'list' },
    disabled: { draggable: readOnly, droppable: dragging === 'task' },
  });
  // The task area is a drop target of its own so that an empty list can receive a task.
  const body = useDroppable({
    id: `body:${list.id}`,
    data: { type: 'list-body', listId: list.id },
    disabled: dragging !== 'task',
  });
  // The same array while the list holds the same cards in the same order: a card changed in place
  // (a tick, a label) then leaves the sortable context as it was, and only that card renders again,
  // not every card of its list. The same for each run of cards that holds the same cards.
  const drawn = useRef<DrawnCards | undefined>(undefined);
  const { ids: taskIds, runs } = useMemo(() => (drawn.current = drawCards(tasks, drawn.current)), [tasks]);

  return (
    <section
      ref={sortable.setNodeRef}
      style={style}
      className={`list-column${sortable.isDragging ? ' is-placeholder' : ''}`}
      data-testid="list"
      data-list-id={list.id}
      aria-label={list.title}
    >
      <header
        className={`list-header${readOnly ? ' is-read-only' : ''}`}
        onPointerDown={renaming || readOnly ? undefined : onPointerDown}
      >
        {readOnly ? (
          <h2 className="list-title">
            <span className="list-title-text" data-testid="list-title">
              {list.title}
            </span>
          </h2>
        ) : renaming ? (
          <InlineEdit
            value={list.title}
            label="List name"
            testId="list-title-input"
            onSubmit={(title) => {
              setRenaming(false);
              write({ kind: 'renameList', listId: list.id, title });
            }}
            onCancel={() => setRenaming(false)}
          />
        ) : (
          <h2 className="list-title">
            <button
              type="button"
              className="list-title-button"
              data-testid="list-title"
              onClick={() => setRenaming(true)}
              title="Rename list"
            >
              {list.title}
            </button>
          </h2>
        )}
        {filtering ? (
          <span className="list-count" data-testid="list-count">
            {tasks.length} of {total}
            <span className="visually-hidden"> cards shown</span>
          </span>
        ) : list.wipLimit === null ? (
          <span className="list-count" data-testid="list-count">
            {total}
            <span className="visually-hidden"> cards</span>
          </span>
        ) : null}
        {list.wipLimit !== null && <WipCount count={wip} limit={list.wipLimit} hard={list.wipHard} />}
        {!readOnly && (
          <>
            <WipMenu list={list} write={write} />
            <button
              type="button"
              className={`icon-button list-delete${confirmDelete ? ' is-confirming' : ''}`}
              data-testid="list-delete"
              aria-label={
                confirmDelete
                  ? `Confirm: delete list “${list.title}” and its tasks`
                  : `Delete list “${list.title}”`
              }
              onClick={() =>
                confirmDelete ? write({ kind: 'deleteList', listId: list.id }) : setConfirmDelete(true)
              }
              onBlur={() => setConfirmDelete(false)}
            >
              {confirmDelete ? 'Delete?' : '×'}
            </button>
            <button
              ref={sortable.setActivatorNodeRef}
              type="button"
              className="icon-button drag-handle"
              data-testid="list-drag-handle"
              {...sortable.attributes}
              aria-label={`Drag list “${list.title}”`}
              onKeyDown={onKeyDown}
            >
              <Grip />
            </button>
          </>
        )}
      </header>
      <SortableContext items={taskIds} strategy={verticalListSortingStrategy}>
        <ol
          ref={body.setNodeRef}
          className={`task-list${body.isOver ? ' is-over' : ''}`}
          data-testid="task-list"
        >
          {runs.map((run) => (
            <CardRun
              key={run.key}
              getBoard={getBoard}
              tasks={run.tasks}
              labelsById={labelsById}
              membersById={membersById}
              listDragging={dragging === 'list'}
              readOnly={readOnly}
              onOpenTask={onOpenTask}
              write={write}
            />
          ))}
        </ol>
      </SortableContext>
      {!readOnly && (
        <footer className="list-footer">
          {adding ? (
            <InlineEdit
              key={addFormKey}
              value=""
              label="New task title"
              placeholder="What needs doing?"
              testId="new-task-input"
              onSubmit={(title, keepGoing) => {
                write({
                  kind: 'createTask',
                  taskId: newId('task'),
                  listId: list.id,
                  title,
                  ...newCardFields,
                });
                // After Enter, a fresh field so that several tasks can be typed in a row.
                if (keepGoing) setAddFormKey((key) => key + 1);
                else setAdding(false);
              }}
              onCancel={() => setAdding(false)}
            />
          ) : (
            <button
              type="button"
              className="add-button"
              data-testid="add-task"
              onClick={() => setAdding(true)}
            >
              + Add a task
            </button>
          )}
        </footer>
      )}
    </section>
  );
});

interface CardRunProps {
  getBoard(): Board;
  /** The cards of one run (card-runs.ts): the same array while they are the same cards. */
  tasks: readonly Task[];
  labelsById: ReadonlyMap<string, Label>;
  membersById: ReadonlyMap<string, Member>;
  listDragging: boolean;
  readOnly: boolean;
  onOpenTask(taskId: string): void;
  write(op: PendingOp): void;
}

/** One run of a list's cards, straight into the list's <ol>. */
const CardRun = memo(function CardRun({ tasks, onOpenTask, ...card }: CardRunProps) {
  return tasks.map((task) => <TaskCard key={task.id} task={task} onOpen={onOpenTask} {...card} />);
});

/**
 * "4 / 5": the cards that count against the limit, and the limit. Amber at it; past a soft limit,
 * red and said in words ("over limit"), so that colour is never the only signal.
 */
function WipCount({ count, limit, hard }: { count: number; limit: number; hard: boolean }) {
  const state = count > limit ? 'over' : count === limit ? 'at' : 'under';
  return (
    <span className={`wip-count is-${state}`} data-testid="wip-count" data-wip-state={state}>
      {count} / {limit}
      <span className="visually-hidden">
        {' '}
        cards, a {hard ? 'hard' : 'soft'} limit{state === 'at' ? ', full' : ''}
      </span>
      {state === 'over' && <span className="wip-over"> over limit</span>}
    </span>
  );
}
