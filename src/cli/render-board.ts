import type { Board, List, Task } from '../client/index.js';
import { taskBadges, wipWords } from './badges.js';
import type { Colors } from './colors.js';

const GAP = '  ';
const MIN_COLUMN = 18;
const MAX_COLUMN = 40;

export interface RenderOptions {
  width: number;
  colors: Colors;
  /** For due badges ("overdue", "due soon"); default: the time now. */
  now?: Date;
  /** The tasks to show; default: those not archived (the board hides them, as the web app does). */
  matches?: (task: Task) => boolean;
  /** Whether `matches` filters more than archived cards: headers then say "3 of 12". */
  filtering?: boolean;
  /** Archived tasks are shown too (and counted in the "of 12"). */
  archived?: boolean;
}

/**
 * A board as it looks on screen: its lists side by side as columns, or one under the other when
 * the terminal is too narrow for columns to stay readable. Each task has its badges under it.
 */
export function renderBoard(board: Board, options: RenderOptions): string {
  const { colors } = options;
  const view: View = {
    board,
    colors,
    now: options.now ?? new Date(),
    archived: options.archived ?? false,
    matches: options.matches ?? ((task) => options.archived === true || task.archivedAt === null),
    filtering: options.filtering ?? false,
  };
  const heading = `${colors.bold(board.title)} ${colors.dim(`${board.id} · seq ${board.seq}`)}`;
  if (board.lists.length === 0)
    return `${heading}\n${colors.dim('(no lists yet: liveboard add-list ' + board.id + ' "To do")')}\n`;

  const columns = board.lists.length;
  const fitted = Math.floor((options.width - GAP.length * (columns - 1)) / columns);
  if (fitted < MIN_COLUMN)
    return `${heading}\n\n${board.lists.map((list) => renderStacked(list, view)).join('\n')}`;

  const width = Math.min(MAX_COLUMN, fitted);
  const cells = board.lists.map((list) => columnLines(list, width, view));
  const height = Math.max(...cells.map((lines) => lines.length));
  const rows: string[] = [];
  for (let row = 0; row < height; row++) {
    const line = cells.map((lines) => lines[row] ?? { text: '', style: (text: string) => text });
    rows.push(
      line
        .map(({ text, style }, index) => style(index === line.length - 1 ? text : text.padEnd(width)))
        .join(GAP)
        .trimEnd(),
    );
  }
  return `${heading}\n\n${rows.join('\n')}\n`;
}

interface Cell {
  text: string;
  style: (text: string) => string;
}

interface View {
  board: Board;
  colors: Colors;
  now: Date;
  matches: (task: Task) => boolean;
  filtering: boolean;
  archived: boolean;
}

/**
 * "To do (3)"; filtered "To do (3 of 12)", where 12 is what the list shows unfiltered; with a WIP
 * limit "Doing (4 / 5)", ", hard" for a hard one, ", over limit" past it (in colour at and past).
 */
function header(list: List, shown: Task[], view: View): { text: string; style: (text: string) => string } {
  const { colors } = view;
  const unfiltered = list.tasks.filter((task) => view.archived || task.archivedAt === null);
  const count = view.filtering ? `${shown.length} of ${unfiltered.length}` : `${shown.length}`;
  const wip = wipWords(list);
  let style = colors.bold;
  if (list.wipLimit !== null) {
    const active = list.tasks.filter((task) => task.archivedAt === null).length;
    if (active > list.wipLimit) style = (text) => colors.bold(colors.red(text));
    else if (active === list.wipLimit) style = (text) => colors.bold(colors.yellow(text));
  }
  // The WIP count leaves archived tasks out: beside a count that has them in, it is said as such.
  const parts = (view.filtering || view.archived) && wip ? `${count}, WIP ${wip}` : wip || count;
  return { text: `${list.title} (${parts})`, style };
}

/** The task's badges packed into lines of `width`, a badge never split unless it alone is wider. */
function badgeLines(task: Task, view: View, width: number): string[] {
  const lines: string[] = [];
  for (const { text } of taskBadges(task, view.board, view.now, view.colors)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 3 + text.length <= width)
      lines[lines.length - 1] = `${last} · ${text}`;
    else lines.push(...wrap(text, width));
  }
  return lines;
}

function columnLines(list: List, width: number, view: View): Cell[] {
  const { colors } = view;
  const plain = (text: string): string => text;
  const shown = list.tasks.filter(view.matches);
  const head = header(list, shown, view);
  const lines: Cell[] = [
    { text: truncate(head.text, width), style: head.style },
    { text: truncate(list.id, width), style: colors.dim },
    { text: '─'.repeat(width), style: colors.dim },
  ];
  for (const task of shown) {
    wrap(task.title, width - 2).forEach((part, index) =>
      lines.push({ text: `${index === 0 ? '• ' : '  '}${part}`, style: plain }),
    );
    for (const part of badgeLines(task, view, width - 2))
      lines.push({ text: `  ${part}`, style: colors.cyan });
    lines.push({ text: `  ${truncate(task.id, width - 2)}`, style: colors.dim });
  }
  if (shown.length === 0) {
    lines.push({
      text: view.filtering && list.tasks.length > 0 ? '(none match)' : '(empty)',
      style: colors.dim,
    });
  }
  return lines;
}

function renderStacked(list: List, view: View): string {
  const { colors } = view;
  const shown = list.tasks.filter(view.matches);
  const head = header(list, shown, view);
  const tasks = shown.map((task) => {
    const styled = taskBadges(task, view.board, view.now, colors)
      .map((badge) => badge.styled)
      .join(colors.dim(' · '));
    return `  • ${task.title} ${colors.dim(task.id)}${styled ? `\n    ${styled}` : ''}`;
  });
  if (tasks.length === 0) tasks.push(colors.dim(view.filtering ? '  (none match)' : '  (empty)'));
  return `${head.style(head.text)} ${colors.dim(list.id)}\n${tasks.join('\n')}\n`;
}

/** Word-wraps to `width`, breaking words longer than a line. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > width) {
      if (current) lines.push(current);
      current = '';
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    if (!current) current = rest;
    else if (current.length + 1 + rest.length <= width) current += ` ${rest}`;
    else {
      lines.push(current);
      current = rest;
    }
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
