import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import {
  ACCESS_EVENT_TYPES,
  permissionsOf,
  type Author,
  type Board,
  type StreamMessage,
} from '../../domain/index.js';
import { describeError } from '../errors.js';
import { client, type ConnectionStatus, type LiveboardApiError } from '../sdk.js';
import { shareFromLocation, transportFromLocation } from '../router.js';
import { session } from '../session.js';
import { endingOf, type Ended } from './ending.js';
import { OverlaidBoard, type BoardSource } from './board-source.js';
import { Outbox, type OutboxSnapshot } from './outbox.js';
import { FIELD_NAMES, type DraftField } from './field-drafts.js';
import { findTask, sendOp, type PendingOp } from './pending-op.js';

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

export type { Ended } from './ending.js';

/**
 * A save of a field the server refused (409 `version_conflict`) because someone changed it first:
 * what the user wrote, kept so that the card's dialog can offer theirs or mine — never lost.
 */
export interface RejectedEdit {
  id: number;
  taskId: string;
  /**
   * A field of the card, `itemText`: the text of the checklist item `itemId`, or `comment`: a new
   * comment the server would not add, which goes back to the card's comment box.
   */
  field: DraftField | 'itemText' | 'comment';
  itemId?: string;
  mine: unknown;
  /** For an item's text, the version that refused it: the window may not have seen it yet. */
  version?: number;
  by: Author | null;
}

export interface LiveBoard {
  /** What the user sees: the server's board with the writes still on their way laid over it. */
  board: Board | undefined;
  /** The same board, for components that follow it themselves (the board's lists). Stable. */
  source: BoardSource;
  status: ConnectionStatus;
  pending: OutboxSnapshot;
  deleted: boolean;
  ended: Ended | undefined;
  loadError: unknown;
  notices: Notice[];
  dismissNotice(id: number): void;
  /** Says something in the notices (announced politely to screen readers). */
  notify(text: string, tone?: Notice['tone']): void;
  rejectedEdits: RejectedEdit[];
  /** The dialog took a rejected edit back as a draft (or the user chose theirs). */
  settleRejectedEdit(id: number): void;
  write(op: PendingOp): void;
  /**
   * Calls `listener` with each message the board's stream brings, once the board has it folded in:
   * for what is not in the snapshot (a card's comments, its history). Stable; returns the unsubscribe.
   */
  onMessage(listener: (message: StreamMessage) => void): () => void;
}

/** Follows one board live through the SDK and routes the user's writes through the outbox. */
export function useLiveBoard(boardId: string): LiveBoard {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [deleted, setDeleted] = useState(false);
  const [ended, setEnded] = useState<Ended>();
  const [loadError, setLoadError] = useState<unknown>();
  const [notices, setNotices] = useState<Notice[]>([]);
  const [rejectedEdits, setRejectedEdits] = useState<RejectedEdit[]>([]);
  const confirmedRef = useRef<Board | undefined>(undefined);
  const nextNotice = useRef(1);
  const messageListeners = useRef(new Set<(message: StreamMessage) => void>());
  const onMessage = useCallback((listener: (message: StreamMessage) => void) => {
    messageListeners.current.add(listener);
    return () => void messageListeners.current.delete(listener);
  }, []);

  const notify = useCallback((text: string, tone: Notice['tone'] = 'error') => {
    const id = nextNotice.current++;
    setNotices((current) => [...current.slice(-2), { id, text, tone }]);
    setTimeout(() => setNotices((current) => current.filter((notice) => notice.id !== id)), 6000);
  }, []);

  const outbox = useMemo(
    () =>
      new Outbox(
        (op, key) => sendOp(client, boardId, op, key),
        (op, error) => {
          const edits = rejectedEditsOf(op, error);
          if (edits.length > 0) {
            setRejectedEdits((current) => [
              ...current.filter(
                (edit) =>
                  !edits.some(
                    (other) =>
                      other.taskId === edit.taskId &&
                      other.field === edit.field &&
                      other.itemId === edit.itemId,
                  ),
              ),
              ...edits.map((edit) => ({ ...edit, id: nextNotice.current++ })),
            ]);
          }
          notify(rejectionMessage(op, error, confirmedRef.current));
          // Refused for want of a session this page thought it had: it ended elsewhere.
          if (error.code === 'unauthenticated' && session.user) session.revoked();
        },
        () => confirmedRef.current,
      ),
    [boardId, notify],
  );
  useEffect(() => {
    outbox.start();
    return () => outbox.stop();
  }, [outbox]);
  const pending = useSyncExternalStore(outbox.subscribe, outbox.getSnapshot);
  const source = useMemo(() => new OverlaidBoard(outbox), [outbox]);
  const board = useSyncExternalStore(source.subscribe, source.get);

  useEffect(() => {
    source.setConfirmed(undefined);
    setDeleted(false);
    setEnded(undefined);
    setLoadError(undefined);
    let over = false;
    // Stops following for good: nothing the watch still hands over is applied, no write is sent.
    const end = (why: Ended): void => {
      if (over) return;
      over = true;
      stop();
      outbox.stop();
      setEnded(why);
      setStatus('offline');
    };
    const stop = client.watchBoard(
      boardId,
      {
        onBoard(board: Board, cause: StreamMessage | null) {
          if (over) return;
          confirmedRef.current = board;
          source.setConfirmed(board);
          setLoadError(undefined);
          outbox.confirm(board.seq);
          if (cause?.type === 'board_deleted') setDeleted(true);
          if (cause) for (const listener of messageListeners.current) listener(cause);
          // The change that took this user's access away (removed, or a guest when the board
          // turned private) is the last one shown.
          if (
            cause &&
            cause.type !== 'reset' &&
            ACCESS_EVENT_TYPES.has(cause.type) &&
            session.user !== undefined
          ) {
            if (!permissionsOf(board, session.user?.id).read) end('access_lost');
          }
        },
        onStatus(next) {
          if (over) return;
          setStatus(next);
          if (next === 'live') outbox.retryNow();
        },
        onError(error) {
          if (over) return;
          if (!confirmedRef.current) return setLoadError(error);
          const why = endingOf(error);
          if (why === 'signed_out') session.revoked();
          if (why) end(why);
        },
      },
      { transport: transportFromLocation(), share: shareFromLocation() },
    );
    // A sign-out in another tab (or this one) ends following as that user here too.
    const unsubscribe = session.onEnded(() => end('signed_out'));
    return () => {
      over = true;
      unsubscribe();
      stop();
    };
  }, [boardId, outbox, source]);

  // Stable, so that the memoized lists and cards it is handed to do not render again for it.
  const write = useCallback((op: PendingOp) => outbox.enqueue(op), [outbox]);

  return {
    board,
    source,
    status,
    pending,
    deleted,
    ended,
    loadError,
    notices,
    dismissNotice: (id) => setNotices((current) => current.filter((notice) => notice.id !== id)),
    notify,
    rejectedEdits,
    settleRejectedEdit: useCallback(
      (id: number) => setRejectedEdits((current) => current.filter((edit) => edit.id !== id)),
      [],
    ),
    write,
    onMessage,
  };
}

/** The fields of an update the server refused for a conflict, with what the user had written. */
function rejectedEditsOf(op: PendingOp, error: LiveboardApiError): Omit<RejectedEdit, 'id'>[] {
  // A comment is the user's words: refused, they go back to its box (unless the card is gone or
  // the user may no longer write there).
  if (op.kind === 'addComment' && commentComesBack(error)) {
    return [{ taskId: op.taskId, field: 'comment', mine: op.body, by: null }];
  }
  if (error.code !== 'version_conflict') return [];
  if (op.kind === 'updateItem') {
    if (op.text === undefined) return [];
    const version = error.conflicts.find((conflict) => conflict.field === 'text')?.version;
    return [
      {
        taskId: op.taskId,
        field: 'itemText',
        itemId: op.itemId,
        mine: op.text,
        by: error.conflicts.find((conflict) => conflict.field === 'text')?.by ?? null,
        ...(version === undefined ? {} : { version }),
      },
    ];
  }
  if (op.kind !== 'updateTask') return [];
  return error.conflicts.flatMap((conflict) => {
    const field = conflict.field as DraftField;
    if (!(field in FIELD_NAMES) || !(field in op)) return [];
    return [{ taskId: op.taskId, field, mine: op[field], by: conflict.by }];
  });
}

function commentComesBack(error: LiveboardApiError): boolean {
  return error.status !== 401 && error.status !== 403 && error.status !== 404;
}

function rejectionMessage(op: PendingOp, error: LiveboardApiError, board: Board | undefined): string {
  if (error.code === 'wip_limit_reached') {
    const listId =
      op.kind === 'moveTask' || op.kind === 'createTask'
        ? op.listId
        : 'taskId' in op && board
          ? findTask(board, op.taskId)?.listId
          : undefined;
    const list = board?.lists.find((candidate) => candidate.id === listId);
    const limit = typeof error.details.limit === 'number' ? error.details.limit : list?.wipLimit;
    const what = op.kind === 'updateTask' ? 'restored' : op.kind === 'createTask' ? 'added' : 'moved';
    return `“${list?.title ?? 'That list'}” is full (its limit is ${limit ?? 'reached'}), so the card was not ${what}.`;
  }
  if (error.code === 'version_conflict' && op.kind === 'updateTask') {
    const names = error.conflicts.map(
      (conflict) => FIELD_NAMES[conflict.field as DraftField] ?? conflict.field,
    );
    const who = error.conflicts[0]?.by?.username ?? 'Someone';
    return `${who} changed the ${names.join(' and ') || 'card'} at the same time, so yours was not saved. Open the card to choose theirs or yours.`;
  }
  if (error.code === 'version_conflict' && op.kind === 'updateItem') {
    const who = error.conflicts[0]?.by?.username ?? 'Someone';
    return `${who} changed that checklist item at the same time, so yours was not saved. Open the card to choose theirs or yours.`;
  }
  if (error.code === 'limit_reached' && op.kind === 'updateItem') {
    return `That item was not moved: ${error.message}`;
  }
  if (error.code === 'limit_reached') return `That was not added: ${error.message}`;
  if (op.kind === 'addComment') {
    const back = commentComesBack(error) ? ' It is back in the card’s comment box.' : '';
    return `Your comment was not added: ${describeError(error)}${back}`;
  }
  if (op.kind === 'editComment') return `Your edit of a comment was not saved: ${describeError(error)}`;
  if (op.kind === 'deleteComment') return `The comment was not deleted: ${describeError(error)}`;
  if (op.kind === 'addLink' && error.status === 400) return `That link was not added: ${error.message}`;
  if (op.kind === 'updateLink' && error.status === 400) return `That link was not changed: ${error.message}`;
  if (error.status === 409) return 'Someone changed this task at the same time. Showing the latest version.';
  if (error.status === 404) return 'That was already deleted by someone else.';
  const what = op.kind.startsWith('create')
    ? 'create'
    : op.kind.startsWith('add')
      ? 'add'
      : op.kind.startsWith('delete') || op.kind === 'removeLink'
        ? 'delete'
        : 'save';
  return `Could not ${what} that: ${error.message}`;
}
