import { labelColor, limitReached } from './card-values.js';
import type { BoardCommand } from './commands.js';
import { LiveboardError, idTaken } from './errors.js';
import type { EventDraft } from './events.js';
import { LIMITS } from './limits.js';
import type { Board, Label } from './model.js';
import { positionFor } from './positions.js';
import { lineText } from './text.js';

type LabelCommand = Extract<BoardCommand, { type: 'create_label' | 'update_label' | 'delete_label' }>;

/** A board's labels: made, renamed, recoloured, reordered and deleted; null when nothing would change. */
export function decideLabel(board: Board, command: LabelCommand, id: () => string): EventDraft | null {
  switch (command.type) {
    case 'create_label': {
      if (board.labels.length >= LIMITS.labelsPerBoard) {
        throw limitReached('labels', 'labels on one board', LIMITS.labelsPerBoard, board.labels.length + 1);
      }
      const labelId = command.id ?? id();
      if (board.labels.some((label) => label.id === labelId)) throw idTaken(labelId);
      const label: Label = {
        id: labelId,
        boardId: board.id,
        name: lineText('name', command.name, LIMITS.labelNameLength),
        color: labelColor(command.color),
        position: positionFor(board.labels, command, 'a label of this board'),
      };
      return { type: 'label_created', label };
    }
    case 'update_label': {
      const label = findLabel(board, command.labelId);
      if (command.beforeId === label.id || command.afterId === label.id) {
        throw new LiveboardError('invalid_position', 'a label cannot be placed relative to itself', {
          field: command.beforeId === label.id ? 'beforeId' : 'afterId',
        });
      }
      const placed = command.beforeId !== undefined || command.afterId !== undefined;
      const others = board.labels.filter((other) => other.id !== label.id);
      const next: Label = {
        ...label,
        name:
          command.name === undefined ? label.name : lineText('name', command.name, LIMITS.labelNameLength),
        color: command.color === undefined ? label.color : labelColor(command.color),
        position: placed
          ? positionFor(others, command, 'another label of this board', label.position)
          : label.position,
      };
      if (next.name === label.name && next.color === label.color && next.position === label.position)
        return null;
      return { type: 'label_updated', label: next };
    }
    case 'delete_label':
      findLabel(board, command.labelId);
      return { type: 'label_deleted', labelId: command.labelId };
  }
}

function findLabel(board: Board, labelId: string): Label {
  const label = board.labels.find((candidate) => candidate.id === labelId);
  if (!label) throw new LiveboardError('label_not_found', `no label '${labelId}' on board '${board.id}'`);
  return label;
}
