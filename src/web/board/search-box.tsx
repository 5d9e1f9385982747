import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { SEARCH_LIMITS, queryTerms, type Board, type StreamMessage, type Task } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { client } from '../sdk.js';
import type { SearchResult } from '../../client/index.js';
import { findTask } from './pending-op.js';
import { changesSearch, resultKey, resultsOnBoard } from './search-results.js';

const DEBOUNCE_MS = 250;
const PAGE_SIZE = 20;
const FIELD_WORDS: Record<SearchResult['field'], string> = {
  title: 'Title',
  description: 'Description',
  comment: 'Comment',
  item: 'Checklist item',
};

/** The text with its matched words in <mark>: React text nodes only, never HTML. */
export function highlighted(
  text: string,
  highlights: readonly { start: number; end: number }[],
): ReactNode[] {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const { start, end } of [...highlights].sort((a, b) => a.start - b.start)) {
    if (start < at || end <= start) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

type Found =
  | { state: 'idle' }
  | { state: 'searching'; query: string }
  | { state: 'done'; query: string; results: SearchResult[]; cursor: string | null }
  | { state: 'failed'; query: string; message: string };

/** What asking a shown query again needs: one request at a time, and whether another is wanted. */
interface Refresh {
  timer: ReturnType<typeof setTimeout> | undefined;
  inFlight: boolean;
  wanted: boolean;
}

/**
 * The board's search, in its header: titles, descriptions and comments, on the server (comments
 * are not in the snapshot), asked as the user pauses typing. A combobox with its list of results:
 * ↑/↓ move, Enter or a click opens the card's dialog, Escape closes the list (then clears the box).
 * How many were found is said politely to screen readers. On a phone it is a button that opens
 * the box under the header, so that the header keeps to one row.
 *
 * The results follow the board while they are shown: what the board itself now contradicts (a card
 * deleted, a title no longer matching) goes at once (resultsOnBoard), and a change to any text the
 * server searches asks the query again (at most one request at a time, and one per DEBOUNCE_MS),
 * as many results as were shown, the selection kept on its result wherever that still is.
 */
export function SearchBox({
  board,
  onOpenCard,
  onMessage,
}: {
  board: Board;
  onOpenCard(taskId: string): void;
  onMessage(listener: (message: StreamMessage) => void): () => void;
}) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found>({ state: 'idle' });
  /** The selected result, by identity: it stays selected as results come and go around it. */
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  /** On a phone: whether the box is shown under the header. */
  const [expanded, setExpanded] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const asked = useRef(0);
  const refresh = useRef<Refresh>({ timer: undefined, inFlight: false, wanted: false });
  // For the stream's listener and the refresh's answer: what is shown now, not at subscription.
  const foundNow = useRef(found);
  foundNow.current = found;
  const showingNow = useRef(false);
  const id = useId();
  const listId = `${id}-results`;
  const boardId = board.id;

  const trimmed = query.trim();
  const searchable = /[\p{L}\p{N}]/u.test(trimmed) && trimmed.length <= SEARCH_LIMITS.queryLength;

  useEffect(() => {
    if (!searchable) {
      asked.current += 1;
      setFound({ state: 'idle' });
      return;
    }
    const timer = setTimeout(() => {
      const ask = ++asked.current;
      setFound({ state: 'searching', query: trimmed });
      client.search(boardId, trimmed, { limit: PAGE_SIZE }).then(
        (page) => {
          if (ask !== asked.current) return;
          refresh.current.wanted = false;
          setFound({ state: 'done', query: trimmed, results: page.results, cursor: page.nextCursor });
          setActiveKey(null);
        },
        (error: unknown) => {
          if (ask !== asked.current) return;
          setFound({ state: 'failed', query: trimmed, message: describeError(error) });
        },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [boardId, trimmed, searchable]);

  // A click outside closes the list (the box keeps its text).
  useEffect(() => {
    if (!open) return;
    const onDown = (event: PointerEvent): void => {
      if (root.current && !root.current.contains(event.target as Node)) {
        setOpen(false);
        setExpanded(false);
      }
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  const showList = open && found.state !== 'idle';
  showingNow.current = showList && found.state === 'done';

  // The shown query asked again: as many results as are shown (pages of the server's largest),
  // answered only if nothing else was asked meanwhile. A change while it is out asks once more after.
  const askAgain = useRef<() => void>(() => undefined);
  askAgain.current = () => {
    const state = refresh.current;
    state.timer = undefined;
    const current = foundNow.current;
    if (current.state !== 'done') return void (state.wanted = false);
    if (state.inFlight || !showingNow.current) return void (state.wanted = true);
    state.wanted = false;
    state.inFlight = true;
    const ask = ++asked.current;
    const wanted = Math.max(PAGE_SIZE, current.results.length);
    const collect = async (): Promise<{ results: SearchResult[]; cursor: string | null }> => {
      const results: SearchResult[] = [];
      let cursor: string | undefined;
      do {
        const limit = Math.min(SEARCH_LIMITS.resultsPerPage, wanted - results.length);
        const page = await client.search(boardId, current.query, { limit, ...(cursor ? { cursor } : {}) });
        results.push(...page.results);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && results.length < wanted && ask === asked.current);
      return { results, cursor: cursor ?? null };
    };
    collect()
      .then(
        ({ results, cursor }) => {
          if (ask === asked.current) setFound({ state: 'done', query: current.query, results, cursor });
        },
        // The results shown stay; the next change asks again.
        () => undefined,
      )
      .finally(() => {
        state.inFlight = false;
        if (state.wanted) scheduleRefresh();
      });
  };
  // At most one per DEBOUNCE_MS however many changes arrive: the first starts the wait, the rest join it.
  const scheduleRefresh = (): void => {
    const state = refresh.current;
    if (state.timer === undefined) state.timer = setTimeout(() => askAgain.current(), DEBOUNCE_MS);
  };
  const schedule = useRef(scheduleRefresh);
  schedule.current = scheduleRefresh;

  useEffect(
    () =>
      onMessage((message) => {
        if (foundNow.current.state === 'done' && changesSearch(message)) schedule.current();
      }),
    [onMessage],
  );
  // Changes that came while the list was closed are asked about once it shows again.
  useEffect(() => {
    if (showList && refresh.current.wanted) schedule.current();
  }, [showList]);
  useEffect(() => () => clearTimeout(refresh.current.timer), []);

  const terms = useMemo(() => (found.state === 'done' ? queryTerms(found.query) : []), [found]);
  const results = useMemo(
    () => (found.state === 'done' ? resultsOnBoard(found.results, board, terms) : []),
    [found, board, terms],
  );
  const active = activeKey === null ? -1 : results.findIndex((result) => resultKey(result) === activeKey);
  const loadMore = (): void => {
    if (found.state !== 'done' || !found.cursor || refresh.current.inFlight) return;
    const { query: asking, cursor } = found;
    const ask = asked.current;
    setLoadingMore(true);
    refresh.current.inFlight = true;
    client
      .search(boardId, asking, { limit: PAGE_SIZE, cursor })
      .then(
        (page) => {
          if (ask !== asked.current) return;
          setFound((current) =>
            current.state === 'done'
              ? { ...current, results: [...current.results, ...page.results], cursor: page.nextCursor }
              : current,
          );
        },
        () => undefined,
      )
      .finally(() => {
        setLoadingMore(false);
        refresh.current.inFlight = false;
        if (refresh.current.wanted) schedule.current();
      });
  };
  const choose = (result: SearchResult): void => {
    setOpen(false);
    setExpanded(false);
    onOpenCard(result.taskId);
  };

  const status =
    found.state === 'done'
      ? results.length === 0
        ? `No cards found for “${found.query}”.`
        : `${results.length}${found.cursor ? '+' : ''} result${results.length === 1 ? '' : 's'} for “${found.query}”.`
      : found.state === 'failed'
        ? `Search failed: ${found.message}`
        : found.state === 'searching'
          ? 'Searching…'
          : '';

  return (
    <div
      ref={root}
      className={`search-box${expanded ? ' is-expanded' : ''}`}
      role="search"
      aria-label="Search cards"
      data-testid="search-box"
    >
      <button
        ref={toggle}
        type="button"
        className="button small search-toggle"
        aria-expanded={expanded}
        aria-controls={`${id}-field`}
        data-testid="search-toggle"
        onClick={() => {
          setExpanded((was) => !was);
          // Focused once it shows.
          setTimeout(() => input.current?.focus(), 0);
        }}
      >
        <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <circle cx="7" cy="7" r="4.75" fill="none" stroke="currentColor" strokeWidth="1.75" />
          <path d="M10.5 10.5 14 14" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" />
        </svg>
        <span className="visually-hidden">Search</span>
      </button>
      <div className="search-field" id={`${id}-field`}>
        <input
          ref={input}
          type="search"
          role="combobox"
          aria-label="Search titles, descriptions and comments"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={showList && active >= 0 ? `${id}-result-${active}` : undefined}
          placeholder="Search all cards…"
          maxLength={SEARCH_LIMITS.queryLength}
          value={query}
          data-testid="search-input"
          onChange={(event) => {
            setQuery(event.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
              event.preventDefault();
              setOpen(true);
              if (results.length === 0) return;
              const last = results.length - 1;
              const next =
                event.key === 'ArrowDown'
                  ? active >= last
                    ? 0
                    : active + 1
                  : active <= 0
                    ? last
                    : active - 1;
              setActiveKey(resultKey(results[next]!));
            } else if (event.key === 'Enter') {
              event.preventDefault();
              const result = results[active >= 0 ? active : 0];
              if (result && showList) choose(result);
            } else if (event.key === 'Escape') {
              event.preventDefault();
              if (showList) setOpen(false);
              else if (query) setQuery('');
              else if (expanded) {
                // The box hides on a phone: focus goes back to the button that showed it.
                setExpanded(false);
                toggle.current?.focus();
              }
            }
          }}
        />
        <div className="search-results" hidden={!showList} data-testid="search-results">
          <ul id={listId} role="listbox" aria-label="Search results">
            {results.map((result, index) => (
              <SearchResultItem
                key={resultKey(result)}
                id={`${id}-result-${index}`}
                result={result}
                task={findTask(board, result.taskId)}
                active={index === active}
                onChoose={() => choose(result)}
              />
            ))}
          </ul>
          {found.state === 'done' && found.cursor && (
            <button
              type="button"
              className="button small search-more"
              data-testid="search-more"
              disabled={loadingMore}
              // The input keeps focus, so that the arrows go on through the longer list.
              onMouseDown={(event) => event.preventDefault()}
              onClick={loadMore}
            >
              {loadingMore ? 'Loading…' : 'More results'}
            </button>
          )}
          {found.state !== 'done' || results.length === 0 ? (
            <p className="muted note search-empty" aria-hidden="true">
              {status}
            </p>
          ) : null}
        </div>
      </div>
      <span className="visually-hidden" role="status" data-testid="search-status">
        {status}
      </span>
    </div>
  );
}

function SearchResultItem({
  id,
  result,
  task,
  active,
  onChoose,
}: {
  id: string;
  result: SearchResult;
  task: Task | undefined;
  active: boolean;
  onChoose(): void;
}) {
  const archived = task?.archivedAt != null;
  const lead = result.offset > 0 ? '…' : '';
  return (
    <li
      id={id}
      role="option"
      aria-selected={active}
      className={`search-result${active ? ' is-active' : ''}`}
      data-testid="search-result"
      data-task-id={result.taskId}
      data-field={result.field}
      // The input keeps focus: a press here must not take it away before the click opens the card.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onChoose}
    >
      <span className="search-result-head">
        <span className="search-result-title">{task?.title ?? 'A card'}</span>
        {archived && (
          <span className="badge archived-badge" data-testid="search-archived">
            Archived
          </span>
        )}
      </span>
      <span className="search-result-text">
        <span className="search-field-name">{FIELD_WORDS[result.field]}: </span>
        {lead}
        {highlighted(result.text, result.highlights)}
      </span>
    </li>
  );
}
