import { generateKeyBetween } from 'fractional-indexing';
import { LiveboardError } from './errors.js';
import type { Placement } from './commands.js';

interface Positioned {
  id: string;
  position: string;
}

/**
 * The position key for an item placed among `siblings` (sorted, without the item itself):
 * before `beforeId`, after `afterId`, or at the end. Only the moved item gets a new key, so a move
 * writes one row, and fractional keys never run out of room between two neighbours.
 */
export function positionFor(
  siblings: readonly Positioned[],
  placement: Placement,
  scope: string,
  current?: string,
): string {
  const [before, after] = neighboursFor(siblings, placement, scope);
  // Already between its new neighbours (a drop where it was): it keeps its key, and the move is no change.
  if (current !== undefined && (before === null || before < current) && (after === null || current < after)) {
    return current;
  }
  return generateKeyBetween(before, after);
}

/** The positions of the neighbours the placement puts an item between (null: an end). */
function neighboursFor(
  siblings: readonly Positioned[],
  placement: Placement,
  scope: string,
): [string | null, string | null] {
  const { beforeId, afterId } = placement;
  if (beforeId !== undefined && afterId !== undefined) {
    throw new LiveboardError('invalid_position', 'give beforeId or afterId, not both', { field: 'beforeId' });
  }
  if (beforeId !== undefined) {
    const index = siblings.findIndex((item) => item.id === beforeId);
    if (index < 0) throw notAmong('beforeId', beforeId, scope);
    return [siblings[index - 1]?.position ?? null, siblings[index]!.position];
  }
  if (afterId !== undefined) {
    const index = siblings.findIndex((item) => item.id === afterId);
    if (index < 0) throw notAmong('afterId', afterId, scope);
    return [siblings[index]!.position, siblings[index + 1]?.position ?? null];
  }
  return [siblings.at(-1)?.position ?? null, null];
}

function notAmong(field: 'beforeId' | 'afterId', id: string, scope: string): LiveboardError {
  return new LiveboardError('invalid_position', `${field}: '${id}' is not ${scope}`, { field });
}
