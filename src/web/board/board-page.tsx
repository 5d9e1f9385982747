import { useEffect, useState } from 'react';
import { LiveboardApiError } from '../sdk.js';
import { Link } from '../link.js';
import { BoardView } from './board-view.js';
import { ConnectionIndicator } from './connection-indicator.js';
import { Notices } from './notices.js';
import { findTask } from './pending-op.js';
import { TaskDialog } from './task-dialog.js';
import { useLiveBoard } from './use-live-board.js';

/** `/b/:boardId`: the board, live. */
export function BoardPage({ boardId }: { boardId: string }) {
  const live = useLiveBoard(boardId);
  const [openTaskId, setOpenTaskId] = useState<string | null>(null);
  const { board } = live;

  useEffect(() => {
    document.title = board ? `${board.title} · Liveboard` : 'Liveboard';
  }, [board?.title]);

  if (live.loadError && !board) {
    const missing = live.loadError instanceof LiveboardApiError && live.loadError.status === 404;
    return (
      <Centered>
        <h1>{missing ? 'This board does not exist' : 'Could not load this board'}</h1>
        <p>{missing ? 'It may have been deleted.' : 'The server cannot be reached. Trying again…'}</p>
        <Link to="/">All boards</Link>
      </Centered>
    );
  }
  if (live.deleted) {
    return (
      <Centered>
        <h1 data-testid="board-deleted">This board was deleted</h1>
        <p>Someone deleted it while you had it open.</p>
        <Link to="/">All boards</Link>
      </Centered>
    );
  }

  const openTask = board && openTaskId ? findTask(board, openTaskId) : undefined;
  // Its create counts too: a task still on its way has no version of the server's yet.
  const hasPending = (taskId: string): boolean =>
    live.pending.entries.some((entry) => 'taskId' in entry.op && entry.op.taskId === taskId);
  const { write } = live;

  return (
    <div className="board-page">
      <header className="board-header">
        <Link to="/" className="back-link" aria-label="All boards">
          ← Boards
        </Link>
        <h1 className="board-title" data-testid="board-title">
          {board?.title ?? ' '}
        </h1>
        <ConnectionIndicator status={live.status} pending={live.pending} />
      </header>
      <main className="board-main" aria-busy={!board}>
        {board ? (
          <BoardView board={board} write={write} onOpenTask={setOpenTaskId} />
        ) : (
          <div className="board-loading" aria-label="Loading board" />
        )}
      </main>
      {board && openTask && (
        <TaskDialog
          key={openTask.id}
          task={openTask}
          listTitle={board.lists.find((list) => list.id === openTask.listId)?.title ?? ''}
          hasPendingWrites={hasPending(openTask.id)}
          write={write}
          onClose={() => setOpenTaskId(null)}
        />
      )}
      <Notices notices={live.notices} onDismiss={live.dismissNotice} />
    </div>
  );
}

function Centered({ children }: { children: React.ReactNode }) {
  return <div className="centered">{children}</div>;
}
