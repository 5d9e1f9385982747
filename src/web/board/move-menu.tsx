import { useEffect, useId, useRef, useState } from 'react';
import type { Board, Task } from '../../domain/index.js';
import type { PendingOp } from './pending-op.js';

/** "Move to…": the way to move a task without dragging: top or bottom of its list, or another list. */
export function MoveMenu({
  getBoard,
  task,
  onMove,
}: {
  /** The board as it is now, read when the menu opens: every card on the board has this menu, so
   *  it takes no board prop that would make all of them render again on every change. */
  getBoard(): Board;
  task: Task;
  onMove(op: PendingOp): void;
}) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const board = open ? getBoard() : undefined;
  const list = board?.lists.find((candidate) => candidate.id === task.listId);
  const siblings = list?.tasks.filter((candidate) => candidate.id !== task.id) ?? [];

  useEffect(() => {
    if (!open) return;
    rootRef.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const onPointer = (event: PointerEvent): void => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const choose = (op: PendingOp): void => {
    setOpen(false);
    onMove(op);
    buttonRef.current?.focus();
  };
  const onKeyDown = (event: React.KeyboardEvent): void => {
    const items = [...(rootRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.stopPropagation();
      setOpen(false);
      buttonRef.current?.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    }
  };

  return (
    <div className="move-menu" ref={rootRef} onKeyDown={onKeyDown}>
      <button
        ref={buttonRef}
        type="button"
        className="icon-button card-action"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={`Move “${task.title}” to…`}
        data-testid="move-menu-button"
        onClick={() => setOpen((value) => !value)}
      >
        ⋯
      </button>
      {board && (
        <div className="menu" role="menu" id={menuId} aria-label="Move to">
          {siblings.length > 0 && (
            <>
              <button
                type="button"
                role="menuitem"
                onClick={() => choose(moveTo(task, task.listId, siblings[0]?.id))}
              >
                Move to top
              </button>
              <button type="button" role="menuitem" onClick={() => choose(moveTo(task, task.listId))}>
                Move to bottom
              </button>
            </>
          )}
          {board.lists
            .filter((candidate) => candidate.id !== task.listId)
            .map((candidate) => (
              <button
                key={candidate.id}
                type="button"
                role="menuitem"
                data-testid="move-to-list"
                onClick={() => choose(moveTo(task, candidate.id))}
              >
                Move to {candidate.title}
              </button>
            ))}
        </div>
      )}
    </div>
  );
}

function moveTo(task: Task, listId: string, beforeId?: string): PendingOp {
  return beforeId
    ? { kind: 'moveTask', taskId: task.id, listId, beforeId }
    : { kind: 'moveTask', taskId: task.id, listId };
}
