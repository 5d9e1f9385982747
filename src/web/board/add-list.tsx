import { useState } from 'react';
import type { Board } from '../../domain/index.js';
import { InlineEdit } from './inline-edit.js';
import { newId } from '../sdk.js';
import type { PendingOp } from './pending-op.js';

/** The last column of a board: a button that becomes a field for a new list's name. */
export function AddList({ board, write }: { board: Board; write(op: PendingOp): void }) {
  const [adding, setAdding] = useState(false);
  const last = board.lists.at(-1);
  return (
    <div className="add-list">
      {adding ? (
        <InlineEdit
          value=""
          label="New list name"
          placeholder="List name"
          testId="new-list-input"
          onSubmit={(title) => {
            setAdding(false);
            write({
              kind: 'createList',
              listId: newId('list'),
              title,
              ...(last ? { afterId: last.id } : {}),
            });
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <button type="button" className="add-button" data-testid="add-list" onClick={() => setAdding(true)}>
          + Add a list
        </button>
      )}
    </div>
  );
}
