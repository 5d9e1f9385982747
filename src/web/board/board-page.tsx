import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { permissionsOf } from '../../domain/index.js';
import { UserMenu } from '../account/user-menu.js';
import { LiveboardApiError } from '../sdk.js';
import { Link } from '../link.js';
import { authPath, boardPath, cardPath, navigate } from '../router.js';
import { useUser } from '../session.js';
import { AccessBanner } from './access-banner.js';
import { BoardView } from './board-view.js';
import { fieldsForNewCard, isFiltering, taskFilterOf } from './card-filter.js';
import { isCommentOp } from './comment-ops.js';
import { ConnectionIndicator } from './connection-indicator.js';
import { loadMarkdown } from './description-field.js';
import { FilterBar, useBoardFilter } from './filter-bar.js';
import { Notices } from './notices.js';
import { findTask } from './pending-op.js';
import { SearchBox } from './search-box.js';
import { ShareDialog } from './share-dialog.js';
import { MissingCardDialog, TaskDialog } from './task-dialog.js';
import { useLiveBoard } from './use-live-board.js';
import { useReminders } from './use-reminders.js';

/**
 * `/b/:boardId`: the board, live; read-only for those who may only look. `/b/:boardId/c/:taskId`:
 * the same with that card's dialog open. The filter is in the query, so it survives a reload.
 */
export function BoardPage({ boardId, taskId }: { boardId: string; taskId?: string | undefined }) {
  const live = useLiveBoard(boardId);
  const user = useUser();
  const [filter, setFilter] = useBoardFilter();
  const [sharing, setSharing] = useState(false);
  const openTaskId = taskId ?? null;
  // The card's address keeps the query (the filter, a forced transport): closing it keeps them too.
  const setOpenTaskId = useCallback(
    (id: string | null): void =>
      navigate((id ? cardPath(boardId, id) : boardPath(boardId)) + window.location.search),
    [boardId],
  );
  // Stable, so that the memoized cards it is handed to do not render again for it.
  const openCard = useCallback((id: string) => setOpenTaskId(id), [setOpenTaskId]);
  useReminders(live.board, (text) => live.notify(text, 'info'));
  // Fetched while the server is there, so that a card opened offline still renders its Markdown.
  useEffect(() => {
    loadMarkdown().catch(() => undefined);
  }, []);
  const newCardFieldsKey = live.board ? JSON.stringify(fieldsForNewCard(filter, live.board, user?.id)) : '{}';
  const newCardFields = useMemo(
    () => JSON.parse(newCardFieldsKey) as { labelIds?: string[]; assigneeIds?: string[] },
    [newCardFieldsKey],
  );
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
  // The fields of the open card with the user's own saves still on their way.
  const pendingFields = new Set(
    live.pending.entries.flatMap((entry) =>
      entry.op.kind === 'updateTask' && entry.op.taskId === openTaskId ? Object.keys(entry.op) : [],
    ),
  );
  const pendingItemTexts = new Set(
    live.pending.entries.flatMap((entry) =>
      entry.op.kind === 'updateItem' && entry.op.taskId === openTaskId && entry.op.text !== undefined
        ? [entry.op.itemId]
        : [],
    ),
  );
  const pendingComments = {
    ops: live.pending.entries.flatMap((entry) =>
      isCommentOp(entry.op) && entry.op.taskId === openTaskId ? [entry.op] : [],
    ),
    waiting: live.pending.waiting,
  };
  const { write } = live;
  const member = permissions?.role != null;
  const taskFilter = ready ? taskFilterOf(filter, ready, user?.id) : { archived: 'hide' as const };
  const filtering = isFiltering(filter);

  return (
    <div className={`board-page${live.ended ? ' is-ended' : ''}`}>
      <header className="board-header">
        <Link to="/" className="back-link" aria-label="All boards">
          ←<span className="back-text"> Boards</span>
        </Link>
        <h1 className="board-title" data-testid="board-title">
          {board?.title ?? ' '}
        </h1>
        {ready && (
          <FilterBar filter={filter} labels={ready.labels} signedIn={Boolean(user)} onChange={setFilter} />
        )}
        {ready && <SearchBox board={ready} onOpenCard={openCard} onMessage={live.onMessage} />}
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
          <BoardView
            source={live.source}
            filter={taskFilter}
            filtering={filtering}
            newCardFields={newCardFields}
            readOnly={readOnly}
            write={write}
            onOpenTask={openCard}
            notify={live.notify}
          />
        ) : (
          <div className="board-loading" aria-label="Loading board" />
        )}
      </main>
      {ready && openTask && (
        <TaskDialog
          key={openTask.id}
          board={ready}
          task={openTask}
          pendingFields={pendingFields}
          pendingItemTexts={pendingItemTexts}
          pendingComments={pendingComments}
          rejectedEdits={live.rejectedEdits}
          settleRejectedEdit={live.settleRejectedEdit}
          readOnly={readOnly}
          userId={user?.id ?? null}
          isOwner={permissions?.role === 'owner'}
          write={write}
          onMessage={live.onMessage}
          notify={live.notify}
          onClose={() => setOpenTaskId(null)}
        />
      )}
      {ready && openTaskId && !openTask && <MissingCardDialog onClose={() => setOpenTaskId(null)} />}
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
