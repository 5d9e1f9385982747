import { useEffect, useRef, useState } from 'react';
import { permissionsOf } from '../../domain/index.js';
import { UserMenu } from '../account/user-menu.js';
import { LiveboardApiError } from '../sdk.js';
import { Link } from '../link.js';
import { authPath, boardPath } from '../router.js';
import { useUser } from '../session.js';
import { AccessBanner } from './access-banner.js';
import { BoardView } from './board-view.js';
import { ConnectionIndicator } from './connection-indicator.js';
import { Notices } from './notices.js';
import { findTask } from './pending-op.js';
import { ShareDialog } from './share-dialog.js';
import { TaskDialog } from './task-dialog.js';
import { useLiveBoard } from './use-live-board.js';

/** `/b/:boardId`: the board, live; read-only for those who may only look. */
export function BoardPage({ boardId }: { boardId: string }) {
  const live = useLiveBoard(boardId);
  const user = useUser();
  const [openTaskId, setOpenTaskId] = useState<string | null>(null);
  const [sharing, setSharing] = useState(false);
  const shareButton = useRef<HTMLButtonElement>(null);
  const { board } = live;

  useEffect(() => {
    document.title = board ? `${board.title} · Liveboard` : 'Liveboard';
  }, [board?.title]);

  // Focus goes back to the button that opened the dialog once it is gone (not before: nothing
  // outside a modal dialog can take focus while it is open).
  const wasSharing = useRef(false);
  useEffect(() => {
    if (wasSharing.current && !sharing) shareButton.current?.focus();
    wasSharing.current = sharing;
  }, [sharing]);

  if (live.loadError && !board && user !== undefined) {
    const missing = live.loadError instanceof LiveboardApiError && live.loadError.status === 404;
    if (missing) {
      return (
        <Centered>
          {user ? (
            <>
              <h1 data-testid="board-missing">This board doesn’t exist, or you don’t have access to it</h1>
              <p>
                It may have been deleted, or it is private and you are not a member. Ask an owner to add you.
              </p>
              <Link to="/">All boards</Link>
            </>
          ) : (
            <>
              <h1 data-testid="board-missing">
                This board doesn’t exist, or it is private:{' '}
                <Link to={authPath('signin', boardPath(boardId))} data-testid="board-sign-in">
                  sign in
                </Link>
              </h1>
              <p>If it is yours, or shared with you, sign in to see it.</p>
              <Link to="/">All boards</Link>
            </>
          )}
        </Centered>
      );
    }
    return (
      <Centered>
        <h1>Could not load this board</h1>
        <p>The server cannot be reached. Trying again…</p>
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

  // Who may do what is worked out from the board itself, so a role changed live takes effect at once.
  const ready = board && user !== undefined ? board : undefined;
  const permissions = ready ? permissionsOf(ready, user?.id) : undefined;
  const readOnly = !permissions?.edit || live.ended !== undefined;
  const openTask = ready && openTaskId ? findTask(ready, openTaskId) : undefined;
  // Its create counts too: a task still on its way has no version of the server's yet.
  const hasPending = (taskId: string): boolean =>
    live.pending.entries.some((entry) => 'taskId' in entry.op && entry.op.taskId === taskId);
  const { write } = live;
  const member = permissions?.role != null;

  return (
    <div className={`board-page${live.ended ? ' is-ended' : ''}`}>
      <header className="board-header">
        <Link to="/" className="back-link" aria-label="All boards">
          ←<span className="back-text"> Boards</span>
        </Link>
        <h1 className="board-title" data-testid="board-title">
          {board?.title ?? ' '}
        </h1>
        <ConnectionIndicator status={live.status} pending={live.pending} stopped={live.ended !== undefined} />
        {ready && user && member && !live.ended && (
          <button
            ref={shareButton}
            type="button"
            className="button small share-button"
            data-testid="share-button"
            aria-haspopup="dialog"
            onClick={() => setSharing(true)}
          >
            {permissions?.manage ? 'Share' : 'Members'}
          </button>
        )}
        <UserMenu />
      </header>
      {ready && permissions && (
        <AccessBanner
          boardId={boardId}
          ended={live.ended}
          permissions={permissions}
          signedIn={Boolean(user)}
        />
      )}
      <main className="board-main" aria-busy={!ready}>
        {ready ? (
          <BoardView board={ready} readOnly={readOnly} write={write} onOpenTask={setOpenTaskId} />
        ) : (
          <div className="board-loading" aria-label="Loading board" />
        )}
      </main>
      {ready && openTask && (
        <TaskDialog
          key={openTask.id}
          task={openTask}
          listTitle={ready.lists.find((list) => list.id === openTask.listId)?.title ?? ''}
          hasPendingWrites={hasPending(openTask.id)}
          readOnly={readOnly}
          write={write}
          onClose={() => setOpenTaskId(null)}
        />
      )}
      {ready && user && sharing && !live.ended && (
        <ShareDialog board={ready} user={user} onClose={() => setSharing(false)} />
      )}
      <Notices notices={live.notices} onDismiss={live.dismissNotice} />
    </div>
  );
}

function Centered({ children }: { children: React.ReactNode }) {
  return <div className="centered">{children}</div>;
}
