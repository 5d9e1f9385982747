import { useEffect, useRef, useState } from 'react';
import { LIMITS, type BoardInfo } from '../../domain/index.js';
import { Link } from '../link.js';
import { boardPath, navigate } from '../router.js';
import { client, isTemporary, LiveboardApiError, newId } from '../sdk.js';

/** `/`: the boards there are, and a form to make a new one. */
export function BoardsPage() {
  const [boards, setBoards] = useState<BoardInfo[]>();
  const [error, setError] = useState<string>();
  const [title, setTitle] = useState('');
  const [creating, setCreating] = useState(false);
  // One board per name typed: trying again after a failure sends the same id and Idempotency-Key,
  // so a first try that was committed but not answered is replayed, not made a second time.
  const attempt = useRef<{ title: string; id: string; key: string }>(undefined);

  useEffect(() => {
    document.title = 'Boards · Liveboard';
    client.listBoards().then(setBoards, () => setError('Could not load the boards. Is the server running?'));
  }, []);

  const create = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    if (!title.trim() || creating) return;
    setCreating(true);
    if (attempt.current?.title !== title.trim())
      attempt.current = { title: title.trim(), id: newId('board'), key: crypto.randomUUID() };
    const { id, key } = attempt.current;
    try {
      const { data } = await client.createBoard({ id, title: title.trim() }, { idempotencyKey: key });
      navigate(boardPath(data.id));
    } catch (failure) {
      setError(
        failure instanceof LiveboardApiError && !isTemporary(failure)
          ? `Could not create the board: ${failure.message}`
          : 'Could not create the board. Try again.',
      );
      setCreating(false);
    }
  };

  return (
    <div className="home">
      <header className="home-header">
        <h1 className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Liveboard
        </h1>
        <p className="tagline">Boards that stay in sync, in every open window.</p>
      </header>
      <main className="home-main">
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
            Create board
          </button>
        </form>
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <h2 className="section-title">Your boards</h2>
        {boards === undefined && !error && <p className="muted">Loading…</p>}
        {boards?.length === 0 && <p className="muted">No boards yet. Name one above to start.</p>}
        <ul className="board-grid" data-testid="board-list">
          {boards?.map((board) => (
            <li key={board.id}>
              <Link to={boardPath(board.id)} className="board-tile" data-testid="board-link">
                <span className="board-tile-title">{board.title}</span>
                <span className="board-tile-meta">Updated {new Date(board.updatedAt).toLocaleString()}</span>
              </Link>
            </li>
          ))}
        </ul>
      </main>
    </div>
  );
}
