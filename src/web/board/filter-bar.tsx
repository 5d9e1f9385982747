import { memo, useEffect, useId, useMemo, useState } from 'react';
import type { Label } from '../../domain/index.js';
import { navigate } from '../router.js';
import { filterFromSearch, isFiltering, searchWithFilter, type BoardFilter } from './card-filter.js';

/** The board's filter, read from the URL and written back to it (replacing, not adding, history). */
export function useBoardFilter(): [BoardFilter, (filter: BoardFilter) => void] {
  const [search, setSearch] = useState(() => window.location.search);
  useEffect(() => {
    const onPop = (): void => setSearch(window.location.search);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  // The same filter object and setter until the query changes: the filter bar is memoized, and the
  // board page renders for every change of the board.
  const filter = useMemo(() => filterFromSearch(search), [search]);
  return [filter, setFilter];
}

function setFilter(filter: BoardFilter): void {
  const query = searchWithFilter(new URLSearchParams(window.location.search), filter);
  const suffix = query.size > 0 ? `?${query}` : '';
  navigate(window.location.pathname + suffix, { replace: true });
}

const DUE_CHOICES: [BoardFilter['due'], string][] = [
  [undefined, 'Any'],
  ['overdue', 'Overdue'],
  ['today', 'Due today'],
  ['week', 'Due this week'],
  ['none', 'No due date'],
  ['done', 'Done'],
];

interface FilterBarProps {
  filter: BoardFilter;
  labels: readonly Label[];
  /** "Me" needs someone signed in. */
  signedIn: boolean;
  onChange(filter: BoardFilter): void;
}

/**
 * The filter bar in the board header: quick text always there, the rest behind a disclosure (a
 * native <details>, so keyboard and screen readers know it as they know any other). Every choice
 * lands in the URL at once.
 */
export const FilterBar = memo(function FilterBar({ filter, labels, signedIn, onChange }: FilterBarProps) {
  const [text, setText] = useState(filter.text ?? '');
  const name = useId();
  useEffect(() => setText(filter.text ?? ''), [filter.text]);
  const set = (part: Partial<BoardFilter>): void => {
    const next = { ...filter, ...part };
    for (const key of Object.keys(next) as (keyof BoardFilter)[])
      if (next[key] === undefined) delete next[key];
    onChange(next);
  };
  const labelIds = filter.labels && filter.labels !== 'none' ? filter.labels.ids : [];
  const labelMode = filter.labels && filter.labels !== 'none' ? filter.labels.mode : 'any';
  const toggleLabel = (id: string, on: boolean): void => {
    const ids = on ? [...labelIds, id] : labelIds.filter((other) => other !== id);
    set({ labels: ids.length > 0 ? { mode: labelMode, ids } : undefined });
  };
  const active = isFiltering(filter);
  const onText = (value: string): void => {
    setText(value);
    set({ text: value.trim() || undefined });
  };

  return (
    <div className="filter-bar" role="search" aria-label="Filter cards" data-testid="filter-bar">
      <QuickText className="filter-text" text={text} onText={onText} testId="filter-text" />
      <details className="filter-menu">
        <summary className={`button small${active ? ' is-active' : ''}`} data-testid="filter-toggle">
          Filter{active ? ' (on)' : ''}
        </summary>
        <div className="filter-panel" data-testid="filter-panel">
          {/* On a phone the header has no room for the quick text: it is here instead (one shows at a time). */}
          <QuickText
            className="filter-text-in-panel"
            text={text}
            onText={onText}
            testId="filter-text-panel"
          />
          <fieldset>
            <legend>Labels</legend>
            <div className="segmented" role="group" aria-label="Cards with">
              {(['any', 'all'] as const).map((mode) => (
                <button
                  key={mode}
                  type="button"
                  aria-pressed={labelMode === mode && filter.labels !== 'none'}
                  data-testid={`filter-labels-${mode}`}
                  onClick={() => set({ labels: { mode, ids: labelIds } })}
                >
                  {mode === 'any' ? 'Any of' : 'All of'}
                </button>
              ))}
            </div>
            <label className="checkbox-row">
              <input
                type="checkbox"
                checked={filter.labels === 'none'}
                data-testid="filter-labels-none"
                onChange={(event) => set({ labels: event.target.checked ? 'none' : undefined })}
              />
              No label
            </label>
            {labels.map((label) => (
              <label key={label.id} className="checkbox-row">
                <input
                  type="checkbox"
                  checked={labelIds.includes(label.id)}
                  disabled={filter.labels === 'none'}
                  data-testid="filter-label"
                  data-label-name={label.name}
                  onChange={(event) => toggleLabel(label.id, event.target.checked)}
                />
                <span className="label-chip" data-label-color={label.color ?? 'none'}>
                  {label.name || label.color}
                </span>
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Assigned to</legend>
            {(
              [
                [undefined, 'Anyone'],
                ['me', 'Me'],
                ['none', 'No one'],
              ] as const
            ).map(([value, text]) => (
              <label key={text} className="checkbox-row">
                <input
                  type="radio"
                  name={`${name}-assignees`}
                  checked={filter.assignees === value}
                  disabled={value === 'me' && !signedIn}
                  data-testid={`filter-assignees-${value ?? 'any'}`}
                  onChange={() => set({ assignees: value })}
                />
                {text}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Due</legend>
            {DUE_CHOICES.map(([value, text]) => (
              <label key={text} className="checkbox-row">
                <input
                  type="radio"
                  name={`${name}-due`}
                  checked={filter.due === value}
                  data-testid={`filter-due-${value ?? 'any'}`}
                  onChange={() => set({ due: value })}
                />
                {text}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Archived</legend>
            <label className="checkbox-row">
              <input
                type="checkbox"
                checked={filter.archived !== undefined}
                data-testid="filter-archived"
                onChange={(event) => set({ archived: event.target.checked ? 'include' : undefined })}
              />
              Show archived cards
            </label>
          </fieldset>
          {active && (
            <button
              type="button"
              className="button small"
              data-testid="filter-clear"
              onClick={() => onChange({})}
            >
              Clear filter
            </button>
          )}
        </div>
      </details>
    </div>
  );
});

function QuickText({
  className,
  text,
  onText,
  testId,
}: {
  className: string;
  text: string;
  onText(value: string): void;
  testId: string;
}) {
  return (
    <input
      type="search"
      className={className}
      aria-label="Filter cards by text"
      placeholder="Filter cards…"
      value={text}
      data-testid={testId}
      onChange={(event) => onText(event.target.value)}
    />
  );
}
