import { memo } from 'react';
import type { Board, Label, Member, Task } from '../../domain/index.js';
import {
  ArchivedBadge,
  AssigneeInitials,
  ChecklistBadge,
  CommentCountBadge,
  DescriptionMarker,
  DueBadge,
  LabelChips,
  LinkCountBadge,
} from './card-badges.js';
import { checklistProgress } from './checklist-ops.js';
import { MoveMenu } from './move-menu.js';
import type { PendingOp } from './pending-op.js';
import { noteRender } from './render-probe.js';
import { useSortableItem } from './sortable-item.js';

interface TaskCardProps {
  getBoard(): Board;
  task: Task;
  /** The board's labels and members by id: the same maps until a label or member changes. */
  labelsById: ReadonlyMap<string, Label>;
  membersById: ReadonlyMap<string, Member>;
  /** A list is being dragged: tasks are not drop targets then. */
  listDragging: boolean;
  /** Only to look at: it opens, but has no handle and no "Move to…". */
  readOnly: boolean;
  onOpen(taskId: string): void;
  write(op: PendingOp): void;
}

/**
 * A task on the board. The mouse drags the whole card (after a few pixels, so a click still opens
 * it); the keyboard drags by the grip button (Space or Enter to lift, arrows to move, Space to drop).
 */
export const TaskCard = memo(function TaskCard({
  getBoard,
  task,
  labelsById,
  membersById,
  listDragging,
  readOnly,
  onOpen,
  write,
}: TaskCardProps) {
  noteRender('card', task.id);
  const { sortable, onPointerDown, onKeyDown, style } = useSortableItem({
    id: task.id,
    data: { type: 'task', listId: task.listId },
    disabled: { draggable: readOnly, droppable: listDragging },
  });
  return (
    <li
      ref={sortable.setNodeRef}
      style={style}
      className={`task-card${sortable.isDragging ? ' is-placeholder' : ''}`}
      data-testid="task"
      data-task-id={task.id}
      onPointerDown={readOnly ? undefined : onPointerDown}
    >
      <TaskCardBody task={task} labelsById={labelsById} membersById={membersById} onOpen={onOpen} />
      {!readOnly && (
        <div className="card-actions">
          <MoveMenu getBoard={getBoard} task={task} onMove={write} />
          <button
            ref={sortable.setActivatorNodeRef}
            type="button"
            className="icon-button drag-handle card-action"
            data-testid="task-drag-handle"
            {...sortable.attributes}
            aria-label={`Drag “${task.title}”`}
            onKeyDown={onKeyDown}
          >
            <Grip />
          </button>
        </div>
      )}
    </li>
  );
});

interface TaskCardBodyProps {
  task: Task;
  labelsById: ReadonlyMap<string, Label>;
  membersById: ReadonlyMap<string, Member>;
  onOpen?: (taskId: string) => void;
}

/**
 * The card's face: cover, labels, title, then its badges (due date, description, checklist progress,
 * comments, links, assignees).
 */
export const TaskCardBody = memo(function TaskCardBody({
  task,
  labelsById,
  membersById,
  onOpen,
}: TaskCardBodyProps) {
  const progress = checklistProgress(task.checklists);
  const hasBadges =
    task.dueAt !== null ||
    task.description !== '' ||
    progress.total > 0 ||
    task.links.length > 0 ||
    task.commentCount > 0 ||
    task.assigneeIds.length > 0 ||
    task.archivedAt !== null;
  return (
    <button type="button" className="task-open" onClick={() => onOpen?.(task.id)} data-testid="task-open">
      {task.coverColor && (
        <span className="card-cover" data-cover-color={task.coverColor} data-testid="card-cover">
          <span className="visually-hidden">Cover: {task.coverColor}. </span>
        </span>
      )}
      <LabelChips ids={task.labelIds} labelsById={labelsById} />
      <span className="task-title" data-testid="task-title">
        {task.title}
      </span>
      {hasBadges && (
        <span className="card-badges">
          {task.archivedAt !== null && <ArchivedBadge />}
          <DueBadge task={task} />
          {task.description !== '' && <DescriptionMarker />}
          {progress.total > 0 && <ChecklistBadge done={progress.done} total={progress.total} />}
          {task.commentCount > 0 && <CommentCountBadge count={task.commentCount} />}
          {task.links.length > 0 && <LinkCountBadge count={task.links.length} />}
          <AssigneeInitials ids={task.assigneeIds} membersById={membersById} />
        </span>
      )}
    </button>
  );
});

/** The drag preview under the pointer while a task is dragged. */
export function TaskCardPreview(props: Omit<TaskCardBodyProps, 'onOpen'>) {
  return (
    <div className="task-card is-overlay">
      <TaskCardBody {...props} />
    </div>
  );
}

export function Grip() {
  return (
    <svg width="12" height="16" viewBox="0 0 12 16" aria-hidden="true" focusable="false">
      {[3, 8, 13].map((y) => (
        <g key={y}>
          <circle cx="3.5" cy={y} r="1.4" />
          <circle cx="8.5" cy={y} r="1.4" />
        </g>
      ))}
    </svg>
  );
}
