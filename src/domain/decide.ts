import { actionOf, authorize, roleOf } from './access.js';
import { boolean, wipLimit } from './card-values.js';
import type { BoardCommand } from './commands.js';
import { decideChecklist, decideLink } from './decide-checklist.js';
import { decideLabel } from './decide-label.js';
import { decideCreateTask, decideUpdateTask, findList, findTask } from './decide-task.js';
import { LiveboardError, idTaken } from './errors.js';
import type { BoardEvent, EventDraft } from './events.js';
import type { IdKind } from './ids.js';
import type { Author, Board, Comment, ListInfo, Member } from './model.js';
import { boardInfo, listInfo } from './model.js';
import { positionFor } from './positions.js';
import { commentText, requiredText } from './text.js';

export interface DecideContext {
  /** The time the change happens, ISO 8601. */
  now: string;
  newId: (kind: IdKind) => string;
  /** Who asks: checked against the board's members and visibility as they stand, before anything else. */
  by: Author | null;
  /**
   * An operator's command (`liveboard admin grant`), run on the database by whoever may open it:
   * not checked against the board's members (an ownerless board has nobody who could), and signed
   * `by: null`.
   */
  operator?: boolean;
  /**
   * The board's comment with this id, as it stands (comments are rows apart from the snapshot: the
   * store reads the ones a batch names inside its transaction). Absent: the board has none known.
   */
  findComment?: (commentId: string) => Comment | undefined;
}

/**
 * The heart of every write: given the board as it stands and a command, the one event that the
 * command becomes, null when it would change nothing (a double click, a retry: no event, no
 * fan-out), or a LiveboardError that says why not. Pure: the store runs it inside the transaction
 * that then writes the event, so what is decided is what is written.
 */
export function decide(board: Board, command: BoardCommand, ctx: DecideContext): EventDraft | null {
  if (!ctx.operator) authorize(board, ctx.by, actionOf(command, ctx.by));
  switch (command.type) {
    case 'update_board': {
      const title = requiredText('title', command.title);
      if (title === board.title) return null;
      return { type: 'board_updated', board: { ...boardInfo(board), title, updatedAt: ctx.now } };
    }

    case 'delete_board':
      return { type: 'board_deleted', boardId: board.id };

    case 'create_list': {
      const id = command.id ?? ctx.newId('list');
      if (board.lists.some((list) => list.id === id)) throw idTaken(id);
      return {
        type: 'list_created',
        list: {
          id,
          boardId: board.id,
          title: requiredText('title', command.title),
          position: positionFor(board.lists, command, 'a list of this board'),
          wipLimit:
            command.wipLimit === undefined || command.wipLimit === null ? null : wipLimit(command.wipLimit),
          wipHard: command.wipHard === undefined ? false : boolean('wipHard', command.wipHard),
        },
      };
    }

    case 'update_list': {
      const list = findList(board, command.listId);
      const next: ListInfo = {
        ...listInfo(list),
        title: command.title === undefined ? list.title : requiredText('title', command.title),
        // A limit below the tasks already there is allowed: it holds for what arrives next.
        wipLimit:
          command.wipLimit === undefined
            ? list.wipLimit
            : command.wipLimit === null
              ? null
              : wipLimit(command.wipLimit),
        wipHard: command.wipHard === undefined ? list.wipHard : boolean('wipHard', command.wipHard),
      };
      const unchanged =
        next.title === list.title && next.wipLimit === list.wipLimit && next.wipHard === list.wipHard;
      if (!movesPlacement(command)) return unchanged ? null : { type: 'list_updated', list: next };
      const siblings = board.lists.filter((other) => other.id !== list.id);
      if (command.beforeId === list.id || command.afterId === list.id) {
        throw new LiveboardError('invalid_position', 'a list cannot be placed relative to itself', {
          field: command.beforeId === list.id ? 'beforeId' : 'afterId',
        });
      }
      const position = positionFor(siblings, command, 'another list of this board', list.position);
      if (position === list.position) return unchanged ? null : { type: 'list_updated', list: next };
      return { type: 'list_moved', list: { ...next, position } };
    }

    case 'delete_list':
      findList(board, command.listId);
      return { type: 'list_deleted', listId: command.listId };

    case 'create_task':
      return decideCreateTask(board, command, ctx.now, command.id ?? ctx.newId('task'));

    case 'update_task':
      return decideUpdateTask(board, command, ctx.now);

    case 'create_label':
    case 'update_label':
    case 'delete_label':
      return decideLabel(board, command, () => ctx.newId('label'));

    case 'add_checklist':
    case 'update_checklist':
    case 'delete_checklist':
    case 'add_item':
    case 'update_item':
    case 'delete_item':
      return decideChecklist(board, command, ctx.newId);

    case 'add_link':
    case 'update_link':
    case 'remove_link':
      return decideLink(board, command, ctx.newId);

    case 'delete_task':
      findTask(board, command.taskId);
      return { type: 'task_deleted', taskId: command.taskId };

    case 'add_comment': {
      const { task } = findTask(board, command.taskId, 'taskId');
      // A proposed id is checked against every id ever used when the store claims it (write-plan.ts).
      const id = command.id ?? ctx.newId('comment');
      return {
        type: 'comment_added',
        comment: {
          id,
          boardId: board.id,
          taskId: task.id,
          body: commentText('body', command.body),
          by: ctx.by,
          createdAt: ctx.now,
          editedAt: null,
        },
      };
    }

    case 'edit_comment': {
      const comment = findComment(board, command.commentId, ctx);
      mayTouchComment(board, comment, ctx, 'edit');
      const body = commentText('body', command.body);
      // The same words again (a double click, a retry): nothing changes, so no event.
      if (body === comment.body) return null;
      return { type: 'comment_edited', comment: { ...comment, body, editedAt: ctx.now } };
    }

    case 'delete_comment': {
      const comment = findComment(board, command.commentId, ctx);
      mayTouchComment(board, comment, ctx, 'delete');
      return { type: 'comment_deleted', commentId: comment.id, taskId: comment.taskId };
    }

    case 'set_visibility': {
      const visibility = command.visibility ?? board.visibility;
      const listed = command.listed ?? board.listed;
      if (visibility === board.visibility && listed === board.listed) return null;
      return { type: 'visibility_changed', visibility, listed };
    }

    case 'add_member': {
      if (board.members.some((member) => member.userId === command.userId)) {
        throw new LiveboardError('already_member', `${command.username} is already a member of this board`, {
          field: 'username',
        });
      }
      return {
        type: 'member_added',
        member: { userId: command.userId, username: command.username, role: command.role },
      };
    }

    case 'update_member': {
      const member = findMember(board, command.userId);
      if (member.role === command.role) return null;
      if (member.role === 'owner') keepAnOwner(board, 'role');
      return { type: 'member_updated', member: { ...member, role: command.role } };
    }

    case 'remove_member': {
      const member = findMember(board, command.userId);
      if (member.role === 'owner') keepAnOwner(board);
      return { type: 'member_removed', userId: member.userId, username: member.username };
    }
  }
}

function findMember(board: Board, userId: string): Member {
  const member = board.members.find((candidate) => candidate.userId === userId);
  if (!member) throw new LiveboardError('member_not_found', `no member '${userId}' on board '${board.id}'`);
  return member;
}

/** A board that has owners keeps at least one (boards that never had one, like the demo board, stay so). */
function keepAnOwner(board: Board, field?: string): void {
  if (board.members.filter((member) => member.role === 'owner').length > 1) return;
  throw new LiveboardError(
    'last_owner',
    'a board keeps at least one owner: make someone else an owner first, or delete the board',
    field ? { field } : undefined,
  );
}

function movesPlacement(command: { beforeId?: string | undefined; afterId?: string | undefined }): boolean {
  return command.beforeId !== undefined || command.afterId !== undefined;
}

function findComment(board: Board, commentId: string, ctx: DecideContext): Comment {
  const comment = ctx.findComment?.(commentId);
  if (!comment || comment.boardId !== board.id) {
    throw new LiveboardError('comment_not_found', `no comment '${commentId}' on board '${board.id}'`);
  }
  return comment;
}

/**
 * A comment's words are its author's: only they edit it. Only they delete it too, and so may the
 * board's owners (moderation: an owner can take down what should not be there, but never put words
 * in someone's mouth). An anonymous comment has no author to prove: only an owner may delete it.
 * An operator's command is not checked (see DecideContext.operator).
 */
function mayTouchComment(board: Board, comment: Comment, ctx: DecideContext, what: 'edit' | 'delete'): void {
  if (ctx.operator) return;
  if (ctx.by !== null && comment.by !== null && comment.by.userId === ctx.by.userId) return;
  if (what === 'delete' && roleOf(board, ctx.by?.userId) === 'owner') return;
  if (ctx.by === null) {
    throw new LiveboardError('unauthenticated', `sign in to ${what} a comment: only its author may`);
  }
  throw new LiveboardError(
    'forbidden',
    what === 'edit'
      ? 'only the author of a comment may edit it'
      : "only the author of a comment, or the board's owner, may delete it",
  );
}

/**
 * Numbers and stamps a decided event, `type`, `seq` and `at` first (as the contract shows them); a
 * board_updated carries the board as it is after the event.
 */
export function stampEvent(draft: EventDraft, seq: number, at: string, by: Author | null): BoardEvent {
  const { type, ...payload } = draft;
  if (draft.type === 'board_updated') {
    return { type: 'board_updated', seq, at, by, board: { ...draft.board, seq, updatedAt: at } };
  }
  return { type, seq, at, by, ...payload } as BoardEvent;
}
