import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Board, StreamMessage } from '../../domain/index.js';
import type { LiveboardApiError } from '../sdk.js';
import { client, type ConnectionStatus } from '../sdk.js';
import { shareFromLocation, transportFromLocation } from '../router.js';
import { Outbox, type OutboxSnapshot } from './outbox.js';
import { sendOp, type PendingOp } from './pending-op.js';

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

export interface LiveBoard {
  /** What the user sees: the server's board with the writes still on their way laid over it. */
  board: Board | undefined;
  status: ConnectionStatus;
  pending: OutboxSnapshot;
  deleted: boolean;
  loadError: unknown;
  notices: Notice[];
  dismissNotice(id: number): void;
  write(op: PendingOp): void;
}

/** Follows one board live through the SDK and routes the user's writes through the outbox. */
export function useLiveBoard(boardId: string): LiveBoard {
  const [confirmed, setConfirmed] = useState<Board>();
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [deleted, setDeleted] = useState(false);
  const [loadError, setLoadError] = useState<unknown>();
  const [notices, setNotices] = useState<Notice[]>([]);
  const confirmedRef = useRef<Board | undefined>(undefined);
  const nextNotice = useRef(1);

  const notify = useCallback((text: string, tone: Notice['tone'] = 'error') => {
    const id = nextNotice.current++;
    setNotices((current) => [...current.slice(-2), { id, text, tone }]);
    setTimeout(() => setNotices((current) => current.filter((notice) => notice.id !== id)), 6000);
  }, []);

  const outbox = useMemo(
    () =>
      new Outbox(
        (op, key) => sendOp(client, boardId, op, key),
        (op, error) => notify(rejectionMessage(op, error)),
        () => confirmedRef.current,
      ),
    [boardId, notify],
  );
  useEffect(() => {
    outbox.start();
    return () => outbox.stop();
  }, [outbox]);
  const pending = useSyncExternalStore(outbox.subscribe, outbox.getSnapshot);

  useEffect(() => {
    setConfirmed(undefined);
    setDeleted(false);
    setLoadError(undefined);
    const stop = client.watchBoard(
      boardId,
      {
        onBoard(board: Board, cause: StreamMessage | null) {
          confirmedRef.current = board;
          setConfirmed(board);
          setLoadError(undefined);
          outbox.confirm(board.seq);
          if (cause?.type === 'board_deleted') setDeleted(true);
        },
        onStatus(next) {
          setStatus(next);
          if (next === 'live') outbox.retryNow();
        },
        onError(error) {
          if (!confirmedRef.current) setLoadError(error);
        },
      },
      { transport: transportFromLocation(), share: shareFromLocation() },
    );
    return stop;
  }, [boardId, outbox]);

  // Stable, so that the memoized lists and cards it is handed to do not render again for it.
  const write = useCallback((op: PendingOp) => outbox.enqueue(op), [outbox]);

  // `pending` changing is what changes the overlay (the outbox holds the entries themselves).
  const board = useMemo(
    () => (confirmed && pending ? outbox.overlay(confirmed) : undefined),
    [confirmed, outbox, pending],
  );

  return {
    board,
    status,
    pending,
    deleted,
    loadError,
    notices,
    dismissNotice: (id) => setNotices((current) => current.filter((notice) => notice.id !== id)),
    write,
  };
}

function rejectionMessage(op: PendingOp, error: LiveboardApiError): string {
  if (error.status === 409) return 'Someone changed this task at the same time. Showing the latest version.';
  if (error.status === 404) return 'That was already deleted by someone else.';
  const what = op.kind.startsWith('create') ? 'create' : op.kind.startsWith('delete') ? 'delete' : 'save';
  return `Could not ${what} that: ${error.message}`;
}
