import {
  normalizeTask,
  taskIdOf,
  taskOfEvent,
  type Board,
  type BoardEvent,
  type Task,
  type Visibility,
} from '../domain/index.js';
import {
  commentRowValues,
  taskRowValues,
  type CommentRowValues,
  type LabelRowValues,
  type MemberRowValues,
  type TaskRowValues,
} from './board-rows.js';
import { commentSearchDoc, docKeyOf, itemSearchDoc, searchDoc, type SearchDocValues } from './search-rows.js';
import type { IdempotencyRecord } from './write-plan.js';
import type { LoggedEvent } from './store.js';

/** An Idempotency-Key to record, with the outcome it will replay. */
export interface KeyRecord {
  key: string;
  record: IdempotencyRecord;
  at: string;
}

/** A list's values in the column order both backends write them: id, board_id, title, position, wip_limit, wip_hard. */
export type ListRowValues = [string, string, string, string, number | null, boolean];

/**
 * The net change a batch makes to its board's rows: each row written once, however many of the
 * batch's writes touched it, so a backend can write a batch with one statement per kind of row (a
 * few round trips on PostgreSQL, whatever the batch's size). Every backend writes the kinds in the
 * order of the fields below, which keeps each foreign key satisfied as it goes: a list before the
 * tasks put in it, a task moved off a list before that list goes.
 */
export interface BatchRows {
  boardId: string;
  upsertLabels: LabelRowValues[];
  upsertLists: ListRowValues[];
  upsertTasks: TaskRowValues[];
  deleteTaskIds: string[];
  deleteListIds: string[];
  deleteLabelIds: string[];
  upsertMembers: MemberRowValues[];
  /** User ids whose membership ends. */
  deleteMemberIds: string[];
  /**
   * Tasks gone (deleted, or with their list or board): their comments' and search rows go with them,
   * whatever rows of theirs the batch also wrote (so no backend writes and deletes one row at once).
   */
  purgeTaskIds: string[];
  upsertComments: CommentRowValues[];
  deleteCommentIds: string[];
  upsertSearchDocs: SearchDocValues[];
  deleteSearchDocKeys: string[];
  /** The batch's events, seqs consecutive, each with the task it is about (the log's task_id). */
  events: Array<LoggedEvent & { taskId: string | null }>;
  /** Ids brought into use (refused if ever used before: see the backends' used_ids). */
  claims: string[];
  keys: KeyRecord[];
  /** The board's row after the batch. */
  head: {
    seq: number;
    updatedAt: string;
    title: string;
    deletedAt: string | null;
    visibility: Visibility;
    listed: boolean;
  };
}

/**
 * Gathers a batch's rows event by event: the last word on each row wins. Its cost follows the
 * batch's events, not the board's size (a list's or the board's deletion reads what it removes).
 */
export class BatchRowsBuilder {
  private readonly labels = new Map<string, LabelRowValues | 'deleted'>();
  private readonly lists = new Map<string, ListRowValues | 'deleted'>();
  private readonly tasks = new Map<string, TaskRowValues | 'deleted'>();
  private readonly members = new Map<string, MemberRowValues | 'deleted'>();
  private readonly comments = new Map<string, CommentRowValues | 'deleted'>();
  private readonly searchDocs = new Map<string, SearchDocValues | 'deleted'>();
  private readonly purgedTasks = new Set<string>();
  private readonly events: Array<LoggedEvent & { taskId: string | null }> = [];
  private title: string;
  private updatedAt: string;
  private deletedAt: string | null = null;
  private visibility: Visibility;
  private listed: boolean;

  constructor(private readonly board: Board) {
    this.updatedAt = board.updatedAt;
    this.title = board.title;
    this.visibility = board.visibility;
    this.listed = board.listed;
  }

  /**
   * `before`: the board as the event found it (for what a deletion removes); `after`: as it left it
   * (events carry what changed, the rows hold the whole task).
   */
  add(event: BoardEvent, logged: LoggedEvent, before: Board, after: Board): void {
    this.events.push({ ...logged, taskId: taskOfEvent(event) });
    this.updatedAt = event.at;
    const boardId = this.board.id;
    // A task's row and its search rows from the board after the event, not from its payload:
    // whatever shape a task event has, the fold says what the task now is.
    const taskAfter = (taskId: string) => {
      const task = findTask(after, taskId);
      if (!task) return;
      this.tasks.set(taskId, taskRowValues(boardId, task));
      this.indexTask(findTask(before, taskId), task, event.at);
    };
    switch (event.type) {
      case 'task_created': {
        const task = normalizeTask(event.task);
        this.tasks.set(task.id, taskRowValues(boardId, task));
        this.indexTask(undefined, task, event.at);
        return;
      }
      case 'task_updated':
      case 'task_moved':
        taskAfter(taskIdOf(event));
        return;
      case 'checklist_added':
        taskAfter(event.taskId);
        for (const item of event.checklist.items) this.indexItem(event.taskId, item, event.at);
        return;
      case 'checklist_deleted': {
        taskAfter(event.taskId);
        const checklist = findTask(before, event.taskId)?.checklists.find(
          (candidate) => candidate.id === event.checklistId,
        );
        for (const item of checklist?.items ?? []) {
          this.searchDocs.set(docKeyOf(event.taskId, 'item', item.id), 'deleted');
        }
        return;
      }
      case 'checklist_item_added':
        taskAfter(event.taskId);
        this.indexItem(event.taskId, event.item, event.at);
        return;
      case 'checklist_item_updated':
        taskAfter(event.taskId);
        if (event.changes.text) {
          this.indexItem(event.taskId, { id: event.itemId, text: event.changes.text.to }, event.at);
        }
        return;
      case 'checklist_item_deleted':
        taskAfter(event.taskId);
        this.searchDocs.set(docKeyOf(event.taskId, 'item', event.itemId), 'deleted');
        return;
      case 'checklist_updated':
      case 'link_added':
      case 'link_updated':
      case 'link_removed':
        taskAfter(event.taskId);
        return;
      case 'label_created':
      case 'label_updated': {
        const { id, name, color, position } = event.label;
        this.labels.set(id, [id, boardId, name, color, position]);
        return;
      }
      case 'label_deleted':
        for (const list of before.lists) {
          for (const task of list.tasks) if (task.labelIds.includes(event.labelId)) taskAfter(task.id);
        }
        this.labels.set(event.labelId, 'deleted');
        return;
      case 'task_deleted':
        this.tasks.set(event.taskId, 'deleted');
        this.purgeTask(event.taskId);
        return;
      case 'comment_added':
      case 'comment_edited': {
        const { comment } = event;
        // An edit keeps the seq the comment was added at: the one in this batch, or (0) the stored one.
        const pending = this.comments.get(comment.id);
        const addedSeq =
          event.type === 'comment_added' ? event.seq : pending && pending !== 'deleted' ? pending[8] : 0;
        this.comments.set(comment.id, commentRowValues(comment, addedSeq));
        this.setSearchDoc(
          docKeyOf(comment.taskId, 'comment', comment.id),
          commentSearchDoc(comment, event.at),
        );
        return;
      }
      case 'comment_deleted':
        this.comments.set(event.commentId, 'deleted');
        this.searchDocs.set(docKeyOf(event.taskId, 'comment', event.commentId), 'deleted');
        return;
      case 'list_created':
      case 'list_updated':
      case 'list_moved':
        this.lists.set(event.list.id, [
          event.list.id,
          boardId,
          event.list.title,
          event.list.position,
          event.list.wipLimit ?? null,
          event.list.wipHard ?? false,
        ]);
        return;
      case 'list_deleted':
        for (const task of before.lists.find((list) => list.id === event.listId)?.tasks ?? []) {
          this.tasks.set(task.id, 'deleted');
          this.purgeTask(task.id);
        }
        this.lists.set(event.listId, 'deleted');
        return;
      case 'board_updated':
        this.title = event.board.title;
        return;
      case 'board_deleted':
        for (const list of before.lists) {
          for (const task of list.tasks) {
            this.tasks.set(task.id, 'deleted');
            this.purgeTask(task.id);
          }
          this.lists.set(list.id, 'deleted');
        }
        for (const label of before.labels) this.labels.set(label.id, 'deleted');
        this.deletedAt = event.at;
        return;
      case 'member_added':
        this.members.set(event.member.userId, [
          boardId,
          event.member.userId,
          event.member.username,
          event.member.role,
          event.seq,
        ]);
        return;
      case 'member_updated': {
        // The member keeps their place: an upsert with added_seq 0 keeps the seq the member was
        // added at (see the backends' upsertMember); a member added earlier in this same batch
        // (perhaps again, after a removal) carries the seq of that member_added.
        const row = this.members.get(event.member.userId);
        const addedSeq = row && row !== 'deleted' ? row[4] : 0;
        this.members.set(event.member.userId, [
          boardId,
          event.member.userId,
          event.member.username,
          event.member.role,
          addedSeq,
        ]);
        return;
      }
      case 'member_removed':
        this.members.set(event.userId, 'deleted');
        return;
      case 'visibility_changed':
        this.visibility = event.visibility;
        this.listed = event.listed;
        return;
    }
  }

  /** A task's title and description rows, rewritten only when their text changed (a move keeps them). */
  private indexTask(before: Task | undefined, task: Task, at: string): void {
    const boardId = this.board.id;
    if (before?.title !== task.title) {
      this.setSearchDoc(docKeyOf(task.id, 'title'), searchDoc(boardId, task, 'title', task.title, at));
    }
    if (before?.description !== task.description) {
      this.setSearchDoc(
        docKeyOf(task.id, 'description'),
        searchDoc(boardId, task, 'description', task.description, at),
      );
    }
  }

  /** A checklist item's row, from its text. */
  private indexItem(taskId: string, item: { id: string; text: string }, at: string): void {
    this.setSearchDoc(docKeyOf(taskId, 'item', item.id), itemSearchDoc(this.board.id, taskId, item, at));
  }

  /** A field that now holds no word has no row: null deletes it. */
  private setSearchDoc(docKey: string, doc: SearchDocValues | null): void {
    this.searchDocs.set(docKey, doc ?? 'deleted');
  }

  /** The task's comments and search rows go, those of this batch too (dropped here, never written). */
  private purgeTask(taskId: string): void {
    this.purgedTasks.add(taskId);
    for (const [id, row] of this.comments)
      if (row !== 'deleted' && row[2] === taskId) this.comments.delete(id);
    for (const [key, doc] of this.searchDocs)
      if (doc !== 'deleted' && doc[2] === taskId) this.searchDocs.delete(key);
  }

  /** The rows, or undefined when no write of the batch changed anything. */
  /**
   * The rows, or undefined when the batch changed nothing and recorded no key. A batch whose writes
   * all changed nothing still records their Idempotency-Keys (a retry must find the first answer,
   * even after someone else's change): its head is the board's as it was.
   */
  build(claims: string[], keys: KeyRecord[]): BatchRows | undefined {
    if (this.events.length === 0 && keys.length === 0) return undefined;
    return {
      boardId: this.board.id,
      upsertLabels: upserts(this.labels),
      upsertLists: upserts(this.lists),
      upsertTasks: upserts(this.tasks),
      deleteTaskIds: deletions(this.tasks),
      deleteListIds: deletions(this.lists),
      deleteLabelIds: deletions(this.labels),
      upsertMembers: upserts(this.members),
      deleteMemberIds: deletions(this.members),
      purgeTaskIds: [...this.purgedTasks],
      upsertComments: upserts(this.comments),
      deleteCommentIds: deletions(this.comments),
      upsertSearchDocs: upserts(this.searchDocs),
      deleteSearchDocKeys: deletions(this.searchDocs),
      events: this.events,
      claims,
      keys,
      head: {
        seq: this.events.at(-1)?.seq ?? this.board.seq,
        updatedAt: this.updatedAt,
        title: this.title,
        deletedAt: this.deletedAt,
        visibility: this.visibility,
        listed: this.listed,
      },
    };
  }
}

function findTask(board: Board, taskId: string): Task | undefined {
  for (const list of board.lists) {
    const task = list.tasks.find((candidate) => candidate.id === taskId);
    if (task) return task;
  }
  return undefined;
}

function upserts<T>(rows: Map<string, T | 'deleted'>): T[] {
  return [...rows.values()].filter((row): row is T => row !== 'deleted');
}

function deletions(rows: Map<string, unknown>): string[] {
  return [...rows].filter(([, row]) => row === 'deleted').map(([id]) => id);
}
