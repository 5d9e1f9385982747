import { useEffect, useRef, useState } from 'react';
import { LIMITS, type BoardInfo, type Role } from '../../domain/index.js';
import { SiteHeader } from '../account/site-header.js';
import { Link } from '../link.js';
import { ROLE_WORDS, VISIBILITY_WORDS } from '../roles.js';
import { authPath, boardPath, navigate } from '../router.js';
import { client, isTemporary, LiveboardApiError, newId } from '../sdk.js';
import { useUser } from '../session.js';

/** A board as GET /boards lists it: with the caller's role (null: a listed public board they are not a member of). */
type ListedBoard = BoardInfo & { role?: Role | null };

/** `/`: the user's boards with their role, then the listed public boards; a form to make a new one when signed in. */
export function BoardsPage() {
  const user = useUser();
  const [boards, setBoards] = useState<ListedBoard[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    document.title = 'Boards · Liveboard';
  }, []);

  // Again whenever who is signed in changes: the list depends on it.
  const userId = user === undefined ? undefined : (user?.id ?? null);
  useEffect(() => {
    if (userId === undefined) return;
    let live = true;
    setError(undefined);
    client.listBoards().then(
      (found) => live && setBoards(found),
      () => live && setError('Could not load the boards. Is the server running?'),
    );
    return () => {
      live = false;
    };
  }, [userId]);

  const mine = boards?.filter((board) => board.role);
  const others = boards?.filter((board) => !board.role);

  return (
    <div className="home">
      <SiteHeader home />
      <p className="tagline">Boards that stay in sync, in every open window.</p>
      <main className="home-main">
        {user ? (
          <NewBoardForm onError={setError} />
        ) : user === null ? (
          <p className="sign-in-prompt" data-testid="sign-in-prompt">
            <Link to={authPath('signin', '/')}>Sign in</Link> or{' '}
            <Link to={authPath('signup', '/')}>sign up</Link> to make boards of your own and share them.
          </p>
        ) : null}
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        {user && (
          <>
            <h2 className="section-title">Your boards</h2>
            {mine?.length === 0 && <p className="muted">No boards yet. Name one above to start.</p>}
            <BoardGrid boards={mine} testId="my-boards" />
          </>
        )}
        <h2 className="section-title">{user ? 'Public boards' : 'Boards'}</h2>
        {boards === undefined && !error && <p className="muted">Loading…</p>}
        {others?.length === 0 && <p className="muted">No public boards.</p>}
        <BoardGrid boards={others} testId="public-boards" />
      </main>
    </div>
  );
}

function BoardGrid({ boards, testId }: { boards: ListedBoard[] | undefined; testId: string }) {
  return (
    <ul className="board-grid" data-testid={testId}>
      {boards?.map((board) => (
        <li key={board.id}>
          <Link
            to={boardPath(board.id)}
            className="board-tile"
            data-testid="board-link"
            data-board-id={board.id}
          >
            <span className="board-tile-title">{board.title}</span>
            <span className="board-tile-badges">
              {board.role && (
                <span className={`badge role-${board.role}`} data-testid="board-role">
                  {ROLE_WORDS[board.role].name}
                </span>
              )}
              {board.visibility && (
                <span className="badge" data-testid="board-visibility">
                  {VISIBILITY_WORDS[board.visibility].name}
                </span>
              )}
            </span>
            <span className="board-tile-meta">Updated {new Date(board.updatedAt).toLocaleString()}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function NewBoardForm({ onError }: { onError(error: string | undefined): void }) {
  const [title, setTitle] = useState('');
  const [creating, setCreating] = useState(false);
  // One board per name typed: trying again after a failure sends the same id and Idempotency-Key,
  // so a first try that was committed but not answered is replayed, not made a second time.
  const attempt = useRef<{ title: string; id: string; key: string }>(undefined);

  const create = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    if (!title.trim() || creating) return;
    setCreating(true);
    onError(undefined);
    if (attempt.current?.title !== title.trim())
      attempt.current = { title: title.trim(), id: newId('board'), key: crypto.randomUUID() };
    const { id, key } = attempt.current;
    try {
      const { data } = await client.createBoard({ id, title: title.trim() }, { idempotencyKey: key });
      navigate(boardPath(data.id));
    } catch (failure) {
      onError(
        failure instanceof LiveboardApiError && !isTemporary(failure)
          ? `Could not create the board: ${failure.message}`
          : 'Could not create the board. Try again.',
      );
      setCreating(false);
    }
  };

  return (
    <form className="new-board" onSubmit={(event) => void create(event)}>
      <label htmlFor="new-board-title" className="visually-hidden">
        New board name
      </label>
      <input
        id="new-board-title"
        placeholder="Name a new board…"
        value={title}
        maxLength={LIMITS.titleLength}
        data-testid="new-board-input"
        onChange={(event) => setTitle(event.target.value)}
      />
      <button
        type="submit"
        className="button primary"
        disabled={!title.trim() || creating}
        data-testid="create-board"
      >
        New board
      </button>
    </form>
  );
}
