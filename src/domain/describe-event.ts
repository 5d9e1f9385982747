import { isLegacyTaskEvent, taskIdOf } from './events.js';
import type { BoardEvent } from './events.js';
import type { Board, Task, Visibility } from './model.js';
import type { TaskChanges } from './task-changes.js';

export interface DescribeOptions {
  /** Told from inside the card (its history): "this card" rather than its title. */
  inCard?: boolean;
}

const VISIBILITY_WORDS: Record<Visibility, string> = {
  private: 'private',
  public: 'public (read-only to non-members)',
  public_edit: 'public and open to anyone’s edits',
};

/**
 * One sentence for an event, as a person would say it: "Ana moved this card from To do to Doing".
 * The web app, `liveboard tail` and `liveboard history` all use it. `board` is where names are
 * looked up: the board as it stood just before the event (its seq is the event's − 1) when the
 * caller folds as it goes (tail), else the board as it is now (history), in which a list, label or
 * card may since be gone. Events that say what changed (`changes`, `fromListId`) read fully with
 * either; the old whole-task shapes tell where a card came from and what it was called only with
 * the board just before them. What cannot be found is said without its name, never with an id.
 */
export function describeEvent(event: BoardEvent, board: Board, options: DescribeOptions = {}): string {
  const who = event.by?.username ?? 'Someone';
  const isBefore = board.seq === event.seq - 1;
  const listName = (listId: string): string => {
    const title = board.lists.find((list) => list.id === listId)?.title;
    return title === undefined ? 'a deleted list' : title;
  };
  const taskBefore = (taskId: string): Task | undefined => {
    for (const list of board.lists) {
      const task = list.tasks.find((candidate) => candidate.id === taskId);
      if (task) return task;
    }
    return undefined;
  };
  const card = (taskId: string, title?: string): string => {
    if (options.inCard) return 'this card';
    const known = title ?? taskBefore(taskId)?.title;
    return known === undefined ? 'a card' : `“${known}”`;
  };
  const checklistOf = (taskId: string, checklistId: string) =>
    taskBefore(taskId)?.checklists.find((checklist) => checklist.id === checklistId);
  const itemOf = (taskId: string, itemId: string) => {
    for (const checklist of taskBefore(taskId)?.checklists ?? []) {
      const item = checklist.items.find((candidate) => candidate.id === itemId);
      if (item) return item;
    }
    return undefined;
  };
  /** "the checklist “Launch” on “Card”", or "a checklist of “Card”"; `alone`: without the card. */
  const checklistWords = (taskId: string, checklistId: string, alone = false): string => {
    const title = checklistOf(taskId, checklistId)?.title;
    const named = title === undefined ? 'a checklist' : `the checklist “${title}”`;
    return alone ? named : `${named} on ${card(taskId)}`;
  };
  const changes = (taskId: string, what: TaskChanges): string[] => {
    const labelName = (labelId: string): string => {
      const label = board.labels.find((candidate) => candidate.id === labelId);
      if (!label) return 'a label';
      return label.name === '' ? `the ${label.color ?? 'plain'} label` : `the label “${label.name}”`;
    };
    const userName = (userId: string): string =>
      board.members.find((member) => member.userId === userId)?.username ?? 'someone';
    // The card is named once, in the first phrase: "renamed “A” to “B” and set its due date …".
    let named = false;
    const subject = (title?: string): string => {
      if (named) return 'it';
      named = true;
      return card(taskId, title);
    };
    const said: string[] = [];
    if (what.title) said.push(`renamed ${subject(what.title.from)} to “${what.title.to}”`);
    if (what.description) said.push(`edited the description of ${subject()}`);
    if (what.startAt) said.push(dateChange('start', what.startAt.to, subject()));
    if (what.dueAt) said.push(dateChange('due', what.dueAt.to, subject()));
    if (what.dueComplete) {
      said.push(`marked ${subject()} ${what.dueComplete.to ? 'done' : 'not done'}`);
    }
    if (what.reminder) {
      said.push(
        what.reminder.to === null
          ? `removed the reminder of ${subject()}`
          : `set a reminder ${what.reminder.to} minutes before ${subject()} is due`,
      );
    }
    if (what.coverColor) {
      said.push(
        what.coverColor.to === null
          ? `removed the cover of ${subject()}`
          : `gave ${subject()} a ${what.coverColor.to} cover`,
      );
    }
    if (what.archivedAt) said.push(`${what.archivedAt.to === null ? 'restored' : 'archived'} ${subject()}`);
    for (const id of what.labelIds?.add ?? []) said.push(`added ${labelName(id)} to ${subject()}`);
    for (const id of what.labelIds?.remove ?? []) said.push(`took ${labelName(id)} off ${subject()}`);
    for (const id of what.assigneeIds?.add ?? []) said.push(`assigned ${userName(id)} to ${subject()}`);
    for (const id of what.assigneeIds?.remove ?? []) said.push(`took ${userName(id)} off ${subject()}`);
    return said;
  };

  switch (event.type) {
    case 'task_created':
      return `${who} added ${card(event.task.id, event.task.title)} to ${listName(event.task.listId)}`;
    case 'task_updated': {
      const taskId = taskIdOf(event);
      if (!isLegacyTaskEvent(event)) {
        const said = changes(taskId, event.changes);
        return said.length === 0 ? `${who} edited ${card(taskId)}` : `${who} ${joinPhrases(said)}`;
      }
      const before = isBefore ? taskBefore(taskId) : undefined;
      const said: string[] = [];
      if (before && before.title !== event.task.title) {
        said.push(`renamed ${card(taskId, before.title)} to “${event.task.title}”`);
      }
      if (before && before.description !== event.task.description) {
        said.push(`edited the description of ${said.length ? 'it' : card(taskId, event.task.title)}`);
      }
      return said.length === 0
        ? `${who} edited ${card(taskId, event.task.title)}`
        : `${who} ${joinPhrases(said)}`;
    }
    case 'task_moved': {
      const taskId = taskIdOf(event);
      if (!isLegacyTaskEvent(event)) {
        const to = listName(event.listId);
        const subject = card(taskId, event.changes?.title?.from);
        const moved =
          event.fromListId === event.listId
            ? `moved ${subject} within ${to}`
            : `moved ${subject} from ${listName(event.fromListId)} to ${to}`;
        const also = changes(taskId, event.changes ?? {}).map((phrase) => phrase.replace(subject, 'it'));
        return `${who} ${joinPhrases([moved, ...also])}`;
      }
      const fromListId = isBefore ? taskBefore(taskId)?.listId : undefined;
      const to = listName(event.task.listId);
      const subject = card(taskId, event.task.title);
      if (fromListId === undefined) return `${who} moved ${subject} to ${to}`;
      if (fromListId === event.task.listId) return `${who} moved ${subject} within ${to}`;
      return `${who} moved ${subject} from ${listName(fromListId)} to ${to}`;
    }
    case 'task_deleted':
      return `${who} deleted ${card(event.taskId)}`;
    case 'checklist_added': {
      const count = event.checklist.items.length;
      const items = count === 0 ? '' : ` with ${count} item${count === 1 ? '' : 's'}`;
      return `${who} added the checklist “${event.checklist.title}”${items} to ${card(event.taskId)}`;
    }
    case 'checklist_updated': {
      const said: string[] = [];
      const before = checklistOf(event.taskId, event.checklistId)?.title;
      const title = event.changes.title?.from ?? before;
      const named = title === undefined ? 'a checklist' : `the checklist “${title}”`;
      if (event.changes.title)
        said.push(`renamed ${named} on ${card(event.taskId)} to “${event.changes.title.to}”`);
      if (event.changes.position)
        said.push(said.length ? 'moved it' : `moved ${named} on ${card(event.taskId)}`);
      return `${who} ${joinPhrases(said)}`;
    }
    case 'checklist_deleted': {
      const title = checklistOf(event.taskId, event.checklistId)?.title;
      const named = title === undefined ? 'a checklist' : `the checklist “${title}”`;
      return `${who} deleted ${named} from ${card(event.taskId)}`;
    }
    case 'checklist_item_added':
      return `${who} added “${preview(event.item.text)}” to ${checklistWords(event.taskId, event.checklistId)}`;
    case 'checklist_item_updated': {
      const { changes } = event;
      const text = changes.text?.from ?? itemOf(event.taskId, event.itemId)?.text;
      const named = text === undefined ? 'an item' : `“${preview(text)}”`;
      const said: string[] = [];
      if (changes.done) said.push(`${changes.done.to ? 'checked' : 'unchecked'} ${named}`);
      if (changes.text) {
        said.push(`${said.length ? 'reworded it' : `reworded ${named}`} to “${preview(changes.text.to)}”`);
      }
      if (changes.checklistId) {
        said.push(
          `moved ${said.length ? 'it' : named} to ${checklistWords(event.taskId, changes.checklistId.to, true)}`,
        );
      } else if (changes.position) said.push(`moved ${said.length ? 'it' : named}`);
      return `${who} ${joinPhrases(said)} on ${card(event.taskId)}`;
    }
    case 'checklist_item_deleted': {
      const text = itemOf(event.taskId, event.itemId)?.text;
      const named = text === undefined ? 'an item' : `“${preview(text)}”`;
      return `${who} deleted ${named} from ${checklistWords(event.taskId, event.checklistId)}`;
    }
    case 'link_added':
      return `${who} linked ${event.link.title === '' ? event.link.url : `“${event.link.title}”`} to ${card(event.taskId)}`;
    case 'link_updated': {
      const { changes } = event;
      const link = taskBefore(event.taskId)?.links.find((candidate) => candidate.id === event.linkId);
      const title = changes.title?.from ?? link?.title;
      const url = changes.url?.from ?? link?.url;
      const named = title ? `the link “${title}”` : url === undefined ? 'a link' : `the link ${url}`;
      const said: string[] = [];
      if (changes.title) {
        const to = changes.title.to;
        said.push(
          to === ''
            ? `took the title off ${named}`
            : changes.title.from === ''
              ? `titled ${named} “${to}”`
              : `renamed ${named} to “${to}”`,
        );
      }
      if (changes.url) said.push(`pointed ${said.length ? 'it' : named} to ${changes.url.to}`);
      return `${who} ${joinPhrases(said)} on ${card(event.taskId)}`;
    }
    case 'link_removed': {
      const link = taskBefore(event.taskId)?.links.find((candidate) => candidate.id === event.linkId);
      const named = link === undefined ? 'a link' : link.title === '' ? link.url : `“${link.title}”`;
      return `${who} removed ${named} from ${card(event.taskId)}`;
    }
    case 'comment_added':
      return `${who} commented on ${card(event.comment.taskId)}: “${preview(event.comment.body)}”`;
    case 'comment_edited':
      return `${who} edited a comment on ${card(event.comment.taskId)}`;
    case 'comment_deleted':
      return `${who} deleted a comment on ${card(event.taskId)}`;
    case 'label_created':
      return `${who} made the label ${labelWords(event.label)}`;
    case 'label_updated':
      return `${who} edited the label ${labelWords(event.label)}`;
    case 'label_deleted': {
      const label = board.labels.find((candidate) => candidate.id === event.labelId);
      return label ? `${who} deleted the label ${labelWords(label)}` : `${who} deleted a label`;
    }
    case 'list_created':
      return `${who} added the list “${event.list.title}”`;
    case 'list_updated': {
      const before = isBefore ? board.lists.find((list) => list.id === event.list.id)?.title : undefined;
      if (before !== undefined && before !== event.list.title) {
        return `${who} renamed the list “${before}” to “${event.list.title}”`;
      }
      return `${who} edited the list “${event.list.title}”`;
    }
    case 'list_moved':
      return `${who} moved the list “${event.list.title}”`;
    case 'list_deleted': {
      const title = board.lists.find((list) => list.id === event.listId)?.title;
      return title === undefined ? `${who} deleted a list` : `${who} deleted the list “${title}”`;
    }
    case 'board_updated':
      return `${who} renamed the board to “${event.board.title}”`;
    case 'board_deleted':
      return `${who} deleted the board`;
    case 'member_added':
      return `${who} added ${event.member.username} as ${event.member.role}`;
    case 'member_updated':
      return `${who} made ${event.member.username} ${event.member.role === 'viewer' ? 'a' : 'an'} ${event.member.role}`;
    case 'member_removed':
      return event.by?.userId === event.userId
        ? `${event.username} left the board`
        : `${who} removed ${event.username} from the board`;
    case 'visibility_changed':
      return `${who} made the board ${VISIBILITY_WORDS[event.visibility]}, ${event.listed ? 'listed' : 'unlisted'}`;
    default:
      return unknownEvent(event);
  }
}

/** Every event type is told above: a new one fails to compile here until it is. */
function unknownEvent(event: never): string {
  return `${(event as BoardEvent).by?.username ?? 'Someone'} changed the board`;
}

function labelWords(label: { name: string; color: string | null }): string {
  const colour = label.color === null ? '' : ` (${label.color.replaceAll('_', ' ')})`;
  return label.name === '' ? `of colour ${label.color ?? 'none'}` : `“${label.name}”${colour}`;
}

function dateChange(which: 'start' | 'due', to: string | null, subject: string): string {
  if (to === null) return `removed the ${which} date of ${subject}`;
  return `set the ${which} date of ${subject} to ${to.slice(0, 10)} ${to.slice(11, 16)} UTC`;
}

/** "a", "a and b", "a, b and c". */
function joinPhrases(phrases: readonly string[]): string {
  if (phrases.length <= 1) return phrases.join('');
  return `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}`;
}

/** The first line of a comment, at most 60 characters: enough to recognise it in a feed. */
function preview(body: string): string {
  const line = body.trim().split('\n')[0]!.trim();
  const chars = Array.from(line);
  return chars.length > 60 ? `${chars.slice(0, 59).join('')}…` : line;
}
