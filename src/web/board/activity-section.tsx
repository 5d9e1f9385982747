import { useEffect, useId, useRef, useState } from 'react';
import {
  describeEvent,
  isBoardEvent,
  taskOfEvent,
  type Board,
  type BoardEvent,
  type StreamMessage,
} from '../../domain/index.js';
import { describeError } from '../errors.js';
import { client } from '../sdk.js';
import { formatInstant } from './card-badges.js';

const PAGE_SIZE = 25;

interface ActivityState {
  /** Newest first, each seq once. */
  events: BoardEvent[];
  /** undefined until the first page is read. */
  nextBefore: number | null | undefined;
  historyStartsAt: number | null;
}

function merged(events: readonly BoardEvent[], more: readonly BoardEvent[]): BoardEvent[] {
  const bySeq = new Map(events.map((event) => [event.seq, event]));
  for (const event of more) bySeq.set(event.seq, event);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq);
}

/**
 * A card's history, read from the board's log (`GET /activity?taskId=`) when first opened, each
 * event told in one sentence by the domain's describeEvent ("Ana moved this card from To do to
 * Done"). Events of this card that arrive while it is open go on top.
 */
export function ActivitySection({
  board,
  taskId,
  onMessage,
}: {
  board: Board;
  taskId: string;
  onMessage(listener: (message: StreamMessage) => void): () => void;
}) {
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<ActivityState>({
    events: [],
    nextBefore: undefined,
    historyStartsAt: null,
  });
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const headingId = useId();
  const loaded = state.nextBefore !== undefined;
  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;

  const load = (before?: number): void => {
    setLoading(true);
    client.activity(board.id, { taskId, limit: PAGE_SIZE, ...(before ? { before } : {}) }).then(
      (page) => {
        setLoading(false);
        setError(undefined);
        setState((current) => ({
          events: merged(current.events, page.events),
          // The first page read again (after a reset) keeps the older pages already shown.
          nextBefore:
            before === undefined && current.nextBefore !== undefined ? current.nextBefore : page.nextBefore,
          historyStartsAt: page.historyStartsAt,
        }));
      },
      (failure: unknown) => {
        setLoading(false);
        setError(describeError(failure));
      },
    );
  };

  useEffect(() => {
    if (open && !loaded && !loading) load();
    // Loaded once, when first opened.
  }, [open]);

  useEffect(
    () =>
      onMessage((message) => {
        if (!loadedRef.current) return;
        if (!isBoardEvent(message)) return load();
        if (taskOfEvent(message) !== taskId) return;
        setState((current) => ({ ...current, events: merged(current.events, [message]) }));
      }),
    [onMessage, taskId],
  );

  return (
    <details
      className="dialog-section activity"
      data-testid="activity"
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary className="activity-summary" data-testid="activity-toggle">
        <h3 id={headingId}>Activity</h3>
      </summary>
      {error && !loaded ? (
        <p className="muted note">The history could not be loaded: {error}</p>
      ) : !loaded ? (
        <p className="muted note" aria-busy="true">
          Loading the history…
        </p>
      ) : (
        <>
          <ol className="activity-list" aria-labelledby={headingId}>
            {state.events.map((event) => (
              <li key={event.seq} className="activity-item" data-testid="activity-item">
                <span data-testid="activity-text">{describeEvent(event, board, { inCard: true })}</span>{' '}
                <time dateTime={event.at} className="muted">
                  {formatInstant(event.at)}
                </time>
              </li>
            ))}
          </ol>
          {state.nextBefore !== null ? (
            <button
              type="button"
              className="button small"
              data-testid="activity-older"
              disabled={loading}
              onClick={() => load(state.nextBefore ?? undefined)}
            >
              {loading ? 'Loading…' : 'Older activity'}
            </button>
          ) : (
            state.historyStartsAt !== null && (
              <p className="muted note" data-testid="activity-pruned">
                Older history was removed: the board keeps its most recent events only.
              </p>
            )
          )}
        </>
      )}
    </details>
  );
}
