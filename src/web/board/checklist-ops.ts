import type { Checklist, ChecklistItem, Link, Task } from '../../domain/index.js';
import type { LiveboardClient, Written } from '../sdk.js';

/**
 * The writes to a card's checklists, items and links, as the outbox keeps them. Each names its card
 * (`taskId`), so that the overlay finds it and a card deleted before it was ever sent takes them
 * along. Creates carry the id the app proposed; a tick sets `done`, never toggles, so a retry or an
 * overlay laid twice converges.
 */
export type ChecklistOp =
  | { kind: 'addChecklist'; taskId: string; checklistId: string; title: string }
  | { kind: 'renameChecklist'; taskId: string; checklistId: string; title: string }
  | { kind: 'moveChecklist'; taskId: string; checklistId: string; beforeId?: string; afterId?: string }
  | { kind: 'deleteChecklist'; taskId: string; checklistId: string }
  | { kind: 'addItem'; taskId: string; checklistId: string; itemId: string; text: string }
  | {
      kind: 'updateItem';
      taskId: string;
      itemId: string;
      done?: boolean;
      text?: string;
      /** The item's text version the user's edit started from: the server refuses it if the text moved on. */
      version?: number;
      /** Another checklist of the card to move it to: at its end, unless placed among its items. */
      checklistId?: string;
      beforeId?: string;
      afterId?: string;
    }
  | { kind: 'deleteItem'; taskId: string; itemId: string }
  | { kind: 'addLink'; taskId: string; linkId: string; url: string; title?: string }
  | { kind: 'updateLink'; taskId: string; linkId: string; url?: string; title?: string }
  | { kind: 'removeLink'; taskId: string; linkId: string };

export const CHECKLIST_OP_KINDS: ReadonlySet<string> = new Set<ChecklistOp['kind']>([
  'addChecklist',
  'renameChecklist',
  'moveChecklist',
  'deleteChecklist',
  'addItem',
  'updateItem',
  'deleteItem',
  'addLink',
  'updateLink',
  'removeLink',
]);

export function isChecklistOp(op: { kind: string }): op is ChecklistOp {
  return CHECKLIST_OP_KINDS.has(op.kind);
}

export function sendChecklistOp(
  client: LiveboardClient,
  boardId: string,
  op: ChecklistOp,
  idempotencyKey: string,
): Promise<Written<unknown>> {
  const options = { idempotencyKey };
  switch (op.kind) {
    case 'addChecklist':
      return client.addChecklist(
        boardId,
        { taskId: op.taskId, id: op.checklistId, title: op.title },
        options,
      );
    case 'renameChecklist':
      return client.updateChecklist(boardId, op.checklistId, { title: op.title }, options);
    case 'moveChecklist':
      return client.updateChecklist(boardId, op.checklistId, where(op), options);
    case 'deleteChecklist':
      return client.deleteChecklist(boardId, op.checklistId, options);
    case 'addItem':
      return client.addItem(boardId, { checklistId: op.checklistId, id: op.itemId, text: op.text }, options);
    case 'updateItem': {
      const { kind: _kind, taskId: _taskId, itemId, ...patch } = op;
      return client.updateItem(boardId, itemId, patch, options);
    }
    case 'deleteItem':
      return client.deleteItem(boardId, op.itemId, options);
    case 'addLink': {
      const title = op.title ? { title: op.title } : {};
      return client.addLink(boardId, { taskId: op.taskId, id: op.linkId, url: op.url, ...title }, options);
    }
    case 'updateLink': {
      const { kind: _kind, taskId: _taskId, linkId, ...patch } = op;
      return client.updateLink(boardId, linkId, patch, options);
    }
    case 'removeLink':
      return client.removeLink(boardId, op.linkId, options);
  }
}

/** A place said the server's way: after one sibling, or before one, or neither (the end). */
function where(op: { beforeId?: string; afterId?: string }): { beforeId?: string; afterId?: string } {
  return op.afterId ? { afterId: op.afterId } : op.beforeId ? { beforeId: op.beforeId } : {};
}

/**
 * The card as the user expects it once `op` lands, or the very same task when it already shows it
 * (the op's event came first, or the overlay is laid again). New things go at the end, where the
 * server puts what is made without a place; only the server computes positions.
 */
export function withChecklistOp(task: Task, op: ChecklistOp): Task {
  switch (op.kind) {
    case 'addChecklist': {
      if (task.checklists.some((checklist) => checklist.id === op.checklistId)) return task;
      const checklist: Checklist = { id: op.checklistId, title: op.title, position: '', items: [] };
      return { ...task, checklists: [...task.checklists, checklist] };
    }
    case 'renameChecklist':
      return mapChecklists(task, (checklist) =>
        checklist.id === op.checklistId && checklist.title !== op.title
          ? { ...checklist, title: op.title }
          : checklist,
      );
    case 'moveChecklist': {
      const checklist = task.checklists.find((candidate) => candidate.id === op.checklistId);
      if (!checklist) return task;
      const checklists = moveWithin(task.checklists, checklist, op.beforeId, op.afterId);
      return sameOrder(checklists, task.checklists) ? task : { ...task, checklists };
    }
    case 'deleteChecklist': {
      const checklists = task.checklists.filter((checklist) => checklist.id !== op.checklistId);
      return checklists.length === task.checklists.length ? task : { ...task, checklists };
    }
    case 'addItem': {
      if (task.checklists.some((checklist) => checklist.items.some((item) => item.id === op.itemId))) {
        return task;
      }
      // Its author is known once its event comes; nobody is told of an item's author before then.
      const item: ChecklistItem = {
        id: op.itemId,
        text: op.text,
        done: false,
        position: '',
        version: 1,
        textBy: null,
      };
      return mapChecklists(task, (checklist) =>
        checklist.id === op.checklistId ? { ...checklist, items: [...checklist.items, item] } : checklist,
      );
    }
    case 'updateItem': {
      const from = task.checklists.find((checklist) => checklist.items.some((item) => item.id === op.itemId));
      const to = task.checklists.find((checklist) => checklist.id === op.checklistId);
      // To another checklist: out of its own, into that one where said (an unknown one: it stays).
      if (from && to && to !== from) {
        const item = from.items.find((candidate) => candidate.id === op.itemId)!;
        const changed: ChecklistItem = { ...item, done: op.done ?? item.done, text: op.text ?? item.text };
        return mapChecklists(task, (checklist) =>
          checklist === from
            ? { ...checklist, items: checklist.items.filter((candidate) => candidate !== item) }
            : checklist === to
              ? { ...checklist, items: moveWithin(checklist.items, changed, op.beforeId, op.afterId) }
              : checklist,
        );
      }
      // Within its checklist; once there, a move to it without a place is done, whatever came after.
      return mapChecklists(task, (checklist) => {
        const item = checklist.items.find((candidate) => candidate.id === op.itemId);
        if (!item) return checklist;
        const changed: ChecklistItem = {
          ...item,
          done: op.done ?? item.done,
          text: op.text ?? item.text,
        };
        const same = changed.done === item.done && changed.text === item.text;
        const items = checklist.items.map((candidate) => (candidate === item ? changed : candidate));
        // Placed here only when here is where it goes (a move to a checklist since deleted: it stays).
        const here = op.checklistId === undefined || op.checklistId === checklist.id;
        const placed =
          here && (op.beforeId || op.afterId) ? moveWithin(items, changed, op.beforeId, op.afterId) : items;
        if (same && sameOrder(placed, checklist.items)) return checklist;
        return { ...checklist, items: placed };
      });
    }
    case 'deleteItem':
      return mapChecklists(task, (checklist) => {
        const items = checklist.items.filter((item) => item.id !== op.itemId);
        return items.length === checklist.items.length ? checklist : { ...checklist, items };
      });
    case 'addLink': {
      if (task.links.some((link) => link.id === op.linkId)) return task;
      const link: Link = { id: op.linkId, url: op.url, title: op.title ?? '' };
      return { ...task, links: [...task.links, link] };
    }
    case 'updateLink': {
      const link = task.links.find((candidate) => candidate.id === op.linkId);
      if (!link) return task;
      const changed: Link = { ...link, url: op.url ?? link.url, title: op.title ?? link.title };
      if (changed.url === link.url && changed.title === link.title) return task;
      return { ...task, links: task.links.map((candidate) => (candidate === link ? changed : candidate)) };
    }
    case 'removeLink': {
      const links = task.links.filter((link) => link.id !== op.linkId);
      return links.length === task.links.length ? task : { ...task, links };
    }
  }
}

/** Whether two lists hold the same things in the same order. */
function sameOrder(next: readonly { id: string }[], before: readonly { id: string }[]): boolean {
  return next.length === before.length && next.every((entry, index) => entry.id === before[index]!.id);
}

/** The task with each checklist changed; the very same task when none changes. */
function mapChecklists(task: Task, change: (checklist: Checklist) => Checklist): Task {
  let changed = false;
  const checklists = task.checklists.map((checklist) => {
    const next = change(checklist);
    if (next !== checklist) changed = true;
    return next;
  });
  return changed ? { ...task, checklists } : task;
}

/** `entries` with `entry` put (back) before or after a sibling, or at the end. */
function moveWithin<T extends { id: string }>(
  entries: readonly T[],
  entry: T,
  beforeId?: string,
  afterId?: string,
): T[] {
  const rest = entries.filter((candidate) => candidate.id !== entry.id);
  let index = rest.length;
  const anchor = rest.findIndex((candidate) => candidate.id === (afterId ?? beforeId));
  if (anchor >= 0) index = afterId ? anchor + 1 : anchor;
  return [...rest.slice(0, index), entry, ...rest.slice(index)];
}

/** "3 of 5": the items done and all items of a card's checklists. */
export function checklistProgress(checklists: readonly Checklist[]): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const checklist of checklists) {
    for (const item of checklist.items) {
      total += 1;
      if (item.done) done += 1;
    }
  }
  return { done, total };
}
