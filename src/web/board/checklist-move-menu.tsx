import { useEffect, useId, useRef, useState, type Ref } from 'react';

/**
 * "Move to…" on a checklist item: the way to take it to another checklist of the card without
 * dragging (the keyboard drag keeps an item within its checklist). The menu lists the card's other
 * checklists; the arrow keys go through them, Escape closes it (and only it: the dialog stays).
 */
export function ItemMoveMenu({
  itemText,
  checklists,
  onMove,
  buttonRef,
}: {
  itemText: string;
  /** The card's other checklists, in order. */
  checklists: readonly { id: string; title: string }[];
  onMove(checklistId: string): void;
  /** The menu's button, so that the item can take the focus back there once it has moved. */
  buttonRef: Ref<HTMLButtonElement>;
}) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const ownButton = useRef<HTMLButtonElement | null>(null);

  useEffect(() => {
    if (!open) return;
    rootRef.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const onPointer = (event: PointerEvent): void => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = (): void => {
    setOpen(false);
    ownButton.current?.focus();
  };
  const onKeyDown = (event: React.KeyboardEvent): void => {
    const items = [...(rootRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape' && open) {
      // The menu closes; the card's dialog, which Escape would also close, stays.
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (open && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    }
  };
  const setButton = (node: HTMLButtonElement | null): void => {
    ownButton.current = node;
    if (typeof buttonRef === 'function') buttonRef(node);
    else if (buttonRef) buttonRef.current = node;
  };

  return (
    <div className="move-menu" ref={rootRef} onKeyDown={onKeyDown}>
      <button
        ref={setButton}
        type="button"
        className="icon-button small"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={`Move item “${itemText}” to another checklist`}
        data-testid="item-move"
        onClick={() => setOpen((value) => !value)}
      >
        ⋯
      </button>
      {open && (
        <div className="menu" role="menu" id={menuId} aria-label="Move to">
          {checklists.map((checklist) => (
            <button
              key={checklist.id}
              type="button"
              role="menuitem"
              data-testid="item-move-to"
              onClick={() => {
                setOpen(false);
                onMove(checklist.id);
              }}
            >
              Move to “{checklist.title}”
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
