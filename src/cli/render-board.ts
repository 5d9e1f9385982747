import type { Board, List } from '../client/index.js';
import type { Colors } from './colors.js';

const GAP = '  ';
const MIN_COLUMN = 18;
const MAX_COLUMN = 40;

/**
 * A board as it looks on screen: its lists side by side as columns, or one under the other when
 * the terminal is too narrow for columns to stay readable.
 */
export function renderBoard(board: Board, options: { width: number; colors: Colors }): string {
  const { colors } = options;
  const heading = `${colors.bold(board.title)} ${colors.dim(`${board.id} · seq ${board.seq}`)}`;
  if (board.lists.length === 0)
    return `${heading}\n${colors.dim('(no lists yet: liveboard add-list ' + board.id + ' "To do")')}\n`;

  const columns = board.lists.length;
  const fitted = Math.floor((options.width - GAP.length * (columns - 1)) / columns);
  if (fitted < MIN_COLUMN)
    return `${heading}\n\n${board.lists.map((list) => renderStacked(list, colors)).join('\n')}`;

  const width = Math.min(MAX_COLUMN, fitted);
  const cells = board.lists.map((list) => columnLines(list, width, colors));
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

function columnLines(list: List, width: number, colors: Colors): Cell[] {
  const plain = (text: string): string => text;
  const lines: Cell[] = [
    { text: truncate(`${list.title} (${list.tasks.length})`, width), style: colors.bold },
    { text: truncate(list.id, width), style: colors.dim },
    { text: '─'.repeat(width), style: colors.dim },
  ];
  for (const task of list.tasks) {
    wrap(task.title, width - 2).forEach((part, index) =>
      lines.push({ text: `${index === 0 ? '• ' : '  '}${part}`, style: plain }),
    );
    lines.push({ text: `  ${truncate(task.id, width - 2)}`, style: colors.dim });
  }
  if (list.tasks.length === 0) lines.push({ text: '(empty)', style: colors.dim });
  return lines;
}

function renderStacked(list: List, colors: Colors): string {
  const tasks = list.tasks.map((task) => `  • ${task.title} ${colors.dim(task.id)}`);
  if (tasks.length === 0) tasks.push(colors.dim('  (empty)'));
  return `${colors.bold(list.title)} ${colors.dim(list.id)}\n${tasks.join('\n')}\n`;
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
