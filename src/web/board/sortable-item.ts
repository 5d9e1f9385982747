import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';

type Handler = (event: unknown) => void;

/**
 * A sortable list or card. Its listeners come apart: the mouse drags the whole item (its pointer
 * handler goes on the item), the keyboard drags by its grip button (the key handler goes there).
 */
export function useSortableItem(args: Parameters<typeof useSortable>[0]) {
  const sortable = useSortable(args);
  const { onPointerDown, onKeyDown } = (sortable.listeners ?? {}) as Record<string, Handler | undefined>;
  const style = { transform: CSS.Translate.toString(sortable.transform), transition: sortable.transition };
  return { sortable, onPointerDown, onKeyDown, style };
}
