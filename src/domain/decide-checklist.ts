import { boolean, limitReached } from './card-values.js';
import type { BoardCommand, ChecklistCommand, NewItem } from './commands.js';
import { LiveboardError, idTaken, invalid } from './errors.js';
import type { EventDraft, ItemChanges, LinkChanges } from './events.js';
import type { IdKind } from './ids.js';
import { LIMITS } from './limits.js';
import type {
  Board,
  Checklist,
  ChecklistItem,
  EventChecklist,
  EventChecklistItem,
  Link,
  Task,
} from './model.js';
import { positionFor } from './positions.js';
import { findTask } from './decide-task.js';
import { itemText, lineText, linkUrl, requiredText } from './text.js';

type LinkCommand = Extract<BoardCommand, { type: 'add_link' | 'update_link' | 'remove_link' }>;

/**
 * A card's checklists and their items: each command one event that carries what changed (never
 * the card), or null when nothing would change. Checklists and items are the card's own: an id of
 * another card's (or another board's) is not found, and the task's own fields and version are left
 * alone, so a tick never conflicts with an edit of the description.
 */
export function decideChecklist(
  board: Board,
  command: ChecklistCommand,
  newId: (kind: IdKind) => string,
): EventDraft | null {
  switch (command.type) {
    case 'add_checklist': {
      const { task } = findTask(board, command.taskId, 'taskId');
      const id = command.id ?? newId('checklist');
      if (task.checklists.some((checklist) => checklist.id === id)) throw idTaken(id);
      const first = command.items ?? [];
      if (!Array.isArray(first)) throw invalid('items', 'must be a list of items');
      if (first.length > LIMITS.itemsPerChecklist) {
        throw limitReached('items', 'items of one checklist', LIMITS.itemsPerChecklist, first.length);
      }
      const items: EventChecklistItem[] = [];
      first.forEach((item: NewItem, index) => {
        items.push({
          id: newId('item'),
          text: itemText(`items.${index}.text`, item.text),
          done: item.done === undefined ? false : boolean(`items.${index}.done`, item.done),
          // Each at the end of those before it.
          position: positionFor(items, {}, 'an item of this checklist'),
          version: 1,
        });
      });
      const checklist: EventChecklist = {
        id,
        title: requiredText('title', command.title),
        position: positionFor(task.checklists, command, `a checklist of task '${task.id}'`),
        items,
      };
      return { type: 'checklist_added', taskId: task.id, checklist };
    }

    case 'update_checklist': {
      const { task, checklist } = findChecklist(board, command.checklistId);
      notRelativeToItself(command, checklist.id, 'a checklist');
      const changes: { title?: { from: string; to: string }; position?: { from: string; to: string } } = {};
      if (command.title !== undefined) {
        const title = requiredText('title', command.title);
        if (title !== checklist.title) changes.title = { from: checklist.title, to: title };
      }
      if (placed(command)) {
        const others = task.checklists.filter((other) => other.id !== checklist.id);
        const position = positionFor(
          others,
          command,
          `another checklist of task '${task.id}'`,
          checklist.position,
        );
        if (position !== checklist.position) changes.position = { from: checklist.position, to: position };
      }
      if (Object.keys(changes).length === 0) return null;
      return { type: 'checklist_updated', taskId: task.id, checklistId: checklist.id, changes };
    }

    case 'delete_checklist': {
      const { task, checklist } = findChecklist(board, command.checklistId);
      return { type: 'checklist_deleted', taskId: task.id, checklistId: checklist.id };
    }

    case 'add_item': {
      const { task, checklist } = findChecklist(board, command.checklistId, 'checklistId');
      if (checklist.items.length >= LIMITS.itemsPerChecklist) {
        throw limitReached(
          'checklistId',
          'items of one checklist',
          LIMITS.itemsPerChecklist,
          checklist.items.length + 1,
        );
      }
      const id = command.id ?? newId('item');
      if (task.checklists.some((other) => other.items.some((item) => item.id === id))) throw idTaken(id);
      const item: EventChecklistItem = {
        id,
        text: itemText('text', command.text),
        done: command.done === undefined ? false : boolean('done', command.done),
        position: positionFor(checklist.items, command, `an item of checklist '${checklist.id}'`),
        version: 1,
      };
      return { type: 'checklist_item_added', taskId: task.id, checklistId: checklist.id, item };
    }

    case 'update_item': {
      const { task, checklist, item } = findItem(board, command.itemId);
      notRelativeToItself(command, item.id, 'an item');
      const changes: ItemChanges = {};
      if (command.text !== undefined) {
        const text = itemText('text', command.text);
        if (text !== item.text) changes.text = { from: item.text, to: text };
      }
      if (command.done !== undefined) {
        const done = boolean('done', command.done);
        if (done !== item.done) changes.done = { from: item.done, to: done };
      }
      let target = checklist;
      if (command.checklistId !== undefined && command.checklistId !== checklist.id) {
        // Only among the card's own checklists: another card's is as unknown as a made-up id.
        const found = task.checklists.find((other) => other.id === command.checklistId);
        if (!found) throw checklistNotFound(board, command.checklistId, 'checklistId');
        if (found.items.length >= LIMITS.itemsPerChecklist) {
          throw limitReached(
            'checklistId',
            'items of one checklist',
            LIMITS.itemsPerChecklist,
            found.items.length + 1,
          );
        }
        target = found;
        changes.checklistId = { from: checklist.id, to: found.id };
      }
      if (target.id !== checklist.id || placed(command)) {
        const siblings = target.items.filter((other) => other.id !== item.id);
        const current = target.id === checklist.id ? item.position : undefined;
        const position = positionFor(siblings, command, `another item of checklist '${target.id}'`, current);
        if (position !== item.position) changes.position = { from: item.position, to: position };
      }
      if (Object.keys(changes).length === 0) return null;
      if (changes.text && command.version !== undefined && command.version !== item.version) {
        throw new LiveboardError(
          'version_conflict',
          `the text of item '${item.id}' changed since version ${command.version}`,
          {
            field: 'text',
            currentVersion: item.version,
            // Who wrote the text that stands, as a task's field conflicts name theirs.
            conflicts: [{ field: 'text', value: item.text, version: item.version, by: item.textBy ?? null }],
          },
        );
      }
      return {
        type: 'checklist_item_updated',
        taskId: task.id,
        checklistId: target.id,
        itemId: item.id,
        version: changes.text ? item.version + 1 : item.version,
        changes,
      };
    }

    case 'delete_item': {
      const { task, checklist, item } = findItem(board, command.itemId);
      return { type: 'checklist_item_deleted', taskId: task.id, checklistId: checklist.id, itemId: item.id };
    }
  }
}

/**
 * A card's links: added with a safe URL and an optional title, their title or URL edited (the same
 * rules; null when nothing would change), removed by id.
 */
export function decideLink(
  board: Board,
  command: LinkCommand,
  newId: (kind: IdKind) => string,
): EventDraft | null {
  switch (command.type) {
    case 'add_link': {
      const { task } = findTask(board, command.taskId, 'taskId');
      if (task.links.length >= LIMITS.linksPerCard) {
        throw limitReached('taskId', 'links on one card', LIMITS.linksPerCard, task.links.length + 1);
      }
      const id = command.id ?? newId('link');
      if (task.links.some((link) => link.id === id)) throw idTaken(id);
      const link: Link = {
        id,
        url: linkUrl('url', command.url),
        title: command.title === undefined ? '' : lineText('title', command.title, LIMITS.titleLength),
      };
      return { type: 'link_added', taskId: task.id, link };
    }
    case 'update_link': {
      const { task, link } = findLink(board, command.linkId);
      const changes: LinkChanges = {};
      if (command.url !== undefined) {
        const url = linkUrl('url', command.url);
        if (url !== link.url) changes.url = { from: link.url, to: url };
      }
      if (command.title !== undefined) {
        const title = lineText('title', command.title, LIMITS.titleLength);
        if (title !== link.title) changes.title = { from: link.title, to: title };
      }
      if (Object.keys(changes).length === 0) return null;
      return { type: 'link_updated', taskId: task.id, linkId: link.id, changes };
    }
    case 'remove_link': {
      const { task, link } = findLink(board, command.linkId);
      return { type: 'link_removed', taskId: task.id, linkId: link.id };
    }
  }
}

function placed(command: { beforeId?: string | undefined; afterId?: string | undefined }): boolean {
  return command.beforeId !== undefined || command.afterId !== undefined;
}

function notRelativeToItself(
  command: { beforeId?: string | undefined; afterId?: string | undefined },
  id: string,
  what: string,
): void {
  if (command.beforeId === id || command.afterId === id) {
    throw new LiveboardError('invalid_position', `${what} cannot be placed relative to itself`, {
      field: command.beforeId === id ? 'beforeId' : 'afterId',
    });
  }
}

function* tasksOf(board: Board): Generator<Task> {
  for (const list of board.lists) yield* list.tasks;
}

export function findChecklist(
  board: Board,
  checklistId: string,
  field?: string,
): { task: Task; checklist: Checklist } {
  for (const task of tasksOf(board)) {
    const checklist = task.checklists.find((candidate) => candidate.id === checklistId);
    if (checklist) return { task, checklist };
  }
  throw checklistNotFound(board, checklistId, field);
}

export function findItem(
  board: Board,
  itemId: string,
): { task: Task; checklist: Checklist; item: ChecklistItem } {
  for (const task of tasksOf(board)) {
    for (const checklist of task.checklists) {
      const item = checklist.items.find((candidate) => candidate.id === itemId);
      if (item) return { task, checklist, item };
    }
  }
  throw new LiveboardError('item_not_found', `no checklist item '${itemId}' on board '${board.id}'`);
}

export function findLink(board: Board, linkId: string): { task: Task; link: Link } {
  for (const task of tasksOf(board)) {
    const link = task.links.find((candidate) => candidate.id === linkId);
    if (link) return { task, link };
  }
  throw new LiveboardError('link_not_found', `no link '${linkId}' on board '${board.id}'`);
}

function checklistNotFound(board: Board, checklistId: string, field?: string): LiveboardError {
  return new LiveboardError('checklist_not_found', `no checklist '${checklistId}' on board '${board.id}'`, {
    ...(field ? { field } : {}),
  });
}
