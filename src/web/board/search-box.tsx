import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { SEARCH_LIMITS, type Board, type Task } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { client } from '../sdk.js';
import type { SearchResult } from '../../client/index.js';
import { findTask } from './pending-op.js';

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

/**
 * The board's search, in its header: titles, descriptions and comments, on the server (comments
 * are not in the snapshot), asked as the user pauses typing. A combobox with its list of results:
 * ↑/↓ move, Enter or a click opens the card's dialog, Escape closes the list (then clears the box).
 * How many were found is said politely to screen readers. On a phone it is a button that opens
 * the box under the header, so that the header keeps to one row.
 */
export function SearchBox({ board, onOpenCard }: { board: Board; onOpenCard(taskId: string): void }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found>({ state: 'idle' });
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  /** On a phone: whether the box is shown under the header. */
  const [expanded, setExpanded] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const asked = useRef(0);
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
          setFound({ state: 'done', query: trimmed, results: page.results, cursor: page.nextCursor });
          setActive(-1);
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

  const results = found.state === 'done' ? found.results : [];
  const loadMore = (): void => {
    if (found.state !== 'done' || !found.cursor) return;
    const { query: asking, cursor } = found;
    const ask = asked.current;
    setLoadingMore(true);
    client.search(boardId, asking, { limit: PAGE_SIZE, cursor }).then(
      (page) => {
        setLoadingMore(false);
        if (ask !== asked.current) return;
        setFound((current) =>
          current.state === 'done'
            ? { ...current, results: [...current.results, ...page.results], cursor: page.nextCursor }
            : current,
        );
      },
      () => setLoadingMore(false),
    );
  };
  const showList = open && found.state !== 'idle';
  const choose = (result: SearchResult): void => {
    setOpen(false);
    setExpanded(false);
    onOpenCard(result.taskId);
  };

  const status =
    found.state === 'done'
      ? found.results.length === 0
        ? `No cards found for “${found.query}”.`
        : `${found.results.length}${found.cursor ? '+' : ''} result${found.results.length === 1 ? '' : 's'} for “${found.query}”.`
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
              setActive((current) =>
                event.key === 'ArrowDown'
                  ? current >= last
                    ? 0
                    : current + 1
                  : current <= 0
                    ? last
                    : current - 1,
              );
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
                key={`${result.taskId}:${result.field}:${result.commentId ?? ''}`}
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
          {found.state !== 'done' || found.results.length === 0 ? (
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
