import type { StreamMessage, Task } from '../client/index.js';
import type { Colors } from './colors.js';

/** What `tail` knows about names, so a line can say "→ Done" rather than "→ list-done". */
export interface NameBook {
  listTitles: Map<string, string>;
  taskTitles: Map<string, string>;
}

/** One readable line for a stream message, and keeps `names` up to date with it. */
export function formatEvent(message: StreamMessage, names: NameBook, colors: Colors): string {
  const seq = colors.dim(`#${message.seq}`.padStart(6));
  if (message.type === 'reset') {
    return `${seq} ${colors.yellow('reset')}          the server cannot replay from here; the board is at seq ${message.seq}`;
  }
  const time = colors.dim(message.at.slice(11, 19));
  const kind = colors[colorOf(message.type)](message.type.padEnd(14));
  const list = (listId: string): string => colors.cyan(names.listTitles.get(listId) ?? listId);
  const by = message.by ? ` ${colors.dim(`by ${message.by.username}`)}` : '';
  return `${describeEvent(message, names, colors, seq, time, kind, list)}${by}`;
}

function describeEvent(
  message: Exclude<StreamMessage, { type: 'reset' }>,
  names: NameBook,
  colors: Colors,
  seq: string,
  time: string,
  kind: string,
  list: (listId: string) => string,
): string {
  switch (message.type) {
    case 'task_updated':
    case 'task_moved': {
      if ('task' in message)
        return describeWholeTask(message, message.task, names, colors, seq, time, kind, list);
      const taskId = message.taskId;
      const renamed = message.changes?.title;
      const before = names.taskTitles.get(taskId);
      if (renamed) names.taskTitles.set(taskId, renamed.to);
      const title = renamed ? `"${renamed.to}" (was "${renamed.from}")` : before ? `"${before}"` : undefined;
      const what = Object.keys(message.changes ?? {}).filter((field) => field !== 'title');
      const parts = [
        title,
        message.type === 'task_moved' ? `→ ${list(message.listId)}` : undefined,
        what.length > 0 ? colors.dim(what.join(', ')) : undefined,
        colors.dim(taskId),
      ];
      return [`${seq} ${time} ${kind}`, ...parts.filter((part) => part !== undefined)].join(' ');
    }
    case 'label_created':
    case 'label_updated':
      return `${seq} ${time} ${kind} label "${message.label.name}" ${colors.dim(message.label.color ?? 'no colour')}`;
    case 'label_deleted':
      return `${seq} ${time} ${kind} label ${colors.dim(message.labelId)}`;
    case 'task_created':
      return describeWholeTask(message, message.task, names, colors, seq, time, kind, list);
    case 'task_deleted': {
      const title = names.taskTitles.get(message.taskId);
      names.taskTitles.delete(message.taskId);
      return `${seq} ${time} ${kind} ${title ? `"${title}" ` : ''}${colors.dim(message.taskId)}`;
    }
    case 'list_created':
    case 'list_updated':
    case 'list_moved': {
      names.listTitles.set(message.list.id, message.list.title);
      return `${seq} ${time} ${kind} list "${message.list.title}" ${colors.dim(message.list.id)}`;
    }
    case 'list_deleted': {
      const title = names.listTitles.get(message.listId);
      names.listTitles.delete(message.listId);
      return `${seq} ${time} ${kind} list ${title ? `"${title}" ` : ''}${colors.dim(message.listId)}`;
    }
    case 'board_updated':
      return `${seq} ${time} ${kind} board renamed "${message.board.title}"`;
    case 'board_deleted':
      return `${seq} ${time} ${kind} board ${message.boardId} was deleted`;
    case 'member_added':
    case 'member_updated':
      return `${seq} ${time} ${kind} ${message.member.username} is ${message.member.role}`;
    case 'member_removed':
      return `${seq} ${time} ${kind} ${message.username} is no longer a member`;
    case 'visibility_changed':
      return `${seq} ${time} ${kind} the board is ${message.visibility}, ${message.listed ? 'listed' : 'unlisted'}`;
  }
}

/** A task event that carries the whole task: task_created, and the old shapes of updates and moves. */
function describeWholeTask(
  message: { type: string },
  task: Task,
  names: NameBook,
  colors: Colors,
  seq: string,
  time: string,
  kind: string,
  list: (listId: string) => string,
): string {
  const before = names.taskTitles.get(task.id);
  names.taskTitles.set(task.id, task.title);
  const renamed =
    message.type === 'task_updated' && before !== undefined && before !== task.title
      ? ` (was "${before}")`
      : '';
  const where = message.type === 'task_updated' ? `in ${list(task.listId)}` : `→ ${list(task.listId)}`;
  return `${seq} ${time} ${kind} "${task.title}"${renamed} ${where} ${colors.dim(task.id)}`;
}

/** An event's colour says what happened: green created, blue moved, yellow changed, red deleted. */
function colorOf(type: string): 'green' | 'blue' | 'yellow' | 'red' {
  if (type.endsWith('_created') || type === 'member_added') return 'green';
  if (type.endsWith('_moved')) return 'blue';
  if (type.endsWith('_deleted') || type === 'member_removed') return 'red';
  return 'yellow';
}
