import type { Author, BoardEvent, Checklist } from '../domain/index.js';

/**
 * The event types that write an item's text, as both backends' migrations ask their logs for them:
 * its making (alone, or with its checklist) and its rewording (a `checklist_item_updated` with a
 * text change: each backend keeps only those of that type, by its own JSON operator).
 */
export const ITEM_TEXT_EVENT_TYPES = ['checklist_added', 'checklist_item_added', 'checklist_item_updated'];

/**
 * Who wrote each checklist item's text, as a log tells it: the `by` of the last event that made the
 * item or reworded it. The migration that gave items their `textBy` reads every such stored event
 * into this, in seq order, then fills the tasks' checklists from it, so that a migrated snapshot is
 * the fold of its log. An item whose writing the log no longer holds (pruned) keeps null: nobody
 * can say who wrote it.
 */
export class ItemTextAuthors {
  private readonly authorByItem = new Map<string, Author | null>();

  /** One stored event's JSON; events of other types or without a text change are ignored. */
  note(json: string): void {
    const event = JSON.parse(json) as BoardEvent;
    const by = event.by ?? null;
    if (event.type === 'checklist_added') {
      for (const item of event.checklist.items) this.authorByItem.set(item.id, by);
    } else if (event.type === 'checklist_item_added') {
      this.authorByItem.set(event.item.id, by);
    } else if (event.type === 'checklist_item_updated' && event.changes.text) {
      this.authorByItem.set(event.itemId, by);
    }
  }

  /** A task's stored checklists (JSON) with each item's `textBy`, as JSON again. */
  fill(checklistsJson: string): string {
    const checklists = JSON.parse(checklistsJson) as Checklist[];
    for (const checklist of checklists) {
      checklist.items = checklist.items.map((item) => ({
        ...item,
        textBy: this.authorByItem.get(item.id) ?? null,
      }));
    }
    return JSON.stringify(checklists);
  }
}
