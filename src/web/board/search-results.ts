import {
  excerptOf,
  highlightsOf,
  isLegacyTaskEvent,
  matches,
  type Board,
  type StreamMessage,
  type Task,
} from '../../domain/index.js';
import type { SearchResult } from '../../client/index.js';
import { findTask } from './pending-op.js';

/** A result's identity across two answers to the same query: its card, its field, its comment or item. */
export function resultKey(result: SearchResult): string {
  return `${result.taskId}:${result.field}:${result.commentId ?? result.itemId ?? ''}`;
}

/**
 * Whether a message of the board's stream can change what a search finds: the texts the server
 * indexes (titles, descriptions, checklist items, comments) or the cards they are on. A move, a
 * label, a tick or a due date rewrite no search row (store/batch-rows.ts), so they ask nothing.
 */
export function changesSearch(message: StreamMessage): boolean {
  switch (message.type) {
    case 'task_updated':
    case 'task_moved':
      if (isLegacyTaskEvent(message)) return true;
      return Boolean(message.changes && ('title' in message.changes || 'description' in message.changes));
    case 'checklist_item_updated':
      return message.changes.text !== undefined;
    case 'task_created':
    case 'task_deleted':
    case 'list_deleted':
    case 'checklist_added':
    case 'checklist_deleted':
    case 'checklist_item_added':
    case 'checklist_item_deleted':
    case 'comment_added':
    case 'comment_edited':
    case 'comment_deleted':
    case 'reset':
      return true;
    default:
      return false;
  }
}

/**
 * The results as the board shown now has them, until the query is asked again: a result whose card
 * is gone is dropped; one in a title, a description or a checklist item is read again from the
 * board's text (the same tokenizer as the server's), dropped when its words no longer match and
 * its excerpt made again when they still do. Comments are not in the board: theirs stay as found.
 * Unchanged results keep their identity, and so does the array when none changed.
 */
export function resultsOnBoard(
  results: readonly SearchResult[],
  board: Board,
  terms: readonly string[],
): readonly SearchResult[] {
  let changed = false;
  const kept: SearchResult[] = [];
  for (const result of results) {
    const task = findTask(board, result.taskId);
    const text = task ? fieldText(task, result) : undefined;
    if (!task || text === null) {
      changed = true;
      continue;
    }
    // The whole field, as it was found: unchanged.
    if (text === undefined || (result.offset === 0 && text === result.text)) {
      kept.push(result);
      continue;
    }
    if (!matches(text, terms)) {
      changed = true;
      continue;
    }
    const excerpt = excerptOf(text, highlightsOf(text, terms));
    if (excerpt.offset === result.offset && excerpt.text === result.text) {
      kept.push(result);
      continue;
    }
    changed = true;
    kept.push({ ...result, ...excerpt });
  }
  return changed ? kept : results;
}

/**
 * The text of the result's field as the card now holds it; null when the field is gone (an item
 * deleted); undefined when the board does not hold it (a comment).
 */
function fieldText(task: Task, result: SearchResult): string | null | undefined {
  switch (result.field) {
    case 'title':
      return task.title;
    case 'description':
      return task.description;
    case 'item':
      for (const checklist of task.checklists) {
        const item = checklist.items.find((candidate) => candidate.id === result.itemId);
        if (item) return item.text;
      }
      return null;
    default:
      return undefined;
  }
}
