import { memo } from 'react';
import type { Board, Task } from '../../domain/index.js';
import { MoveMenu } from './move-menu.js';
import type { PendingOp } from './pending-op.js';
import { useSortableItem } from './sortable-item.js';

interface TaskCardProps {
  getBoard(): Board;
  task: Task;
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
  listDragging,
  readOnly,
  onOpen,
  write,
}: TaskCardProps) {
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
      <TaskCardBody task={task} onOpen={onOpen} />
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

export const TaskCardBody = memo(function TaskCardBody({
  task,
  onOpen,
}: {
  task: Task;
  onOpen?: (taskId: string) => void;
}) {
  return (
    <button type="button" className="task-open" onClick={() => onOpen?.(task.id)} data-testid="task-open">
      <span className="task-title" data-testid="task-title">
        {task.title}
      </span>
      {task.description && (
        <span className="task-description" data-testid="task-description">
          {task.description}
        </span>
      )}
    </button>
  );
});

/** The drag preview under the pointer while a task is dragged. */
export function TaskCardPreview({ task }: { task: Task }) {
  return (
    <div className="task-card is-overlay">
      <TaskCardBody task={task} />
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
