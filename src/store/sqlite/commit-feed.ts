import cluster from 'node:cluster';
import { isRevocation, type Revocation, type RevocationListener } from '../accounts.js';
import type { CommitWatcher } from '../store.js';

/**
 * SQLite's commit feed between the processes of `npm run cluster`: they share one database file (WAL
 * lets them read at once and write one at a time), and a commit in one is announced to the others
 * through the cluster's IPC, relayed by the primary. Like PostgreSQL's NOTIFY, an announcement names
 * the board and seq only; every process reads the events themselves from the log.
 */
const MESSAGE_TYPE = 'liveboard:commit';

interface CommitMessage {
  type: typeof MESSAGE_TYPE;
  boardId: string;
  seq: number;
}

function isCommitMessage(message: unknown): message is CommitMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === MESSAGE_TYPE &&
    typeof (message as { boardId?: unknown }).boardId === 'string' &&
    Number.isInteger((message as { seq?: unknown }).seq)
  );
}

/** True in a worker of `npm run cluster`: other processes write to the same file. */
export function inCluster(): boolean {
  return cluster.isWorker;
}

export function announceCommit(boardId: string, seq: number): void {
  const message: CommitMessage = { type: MESSAGE_TYPE, boardId, seq };
  process.send?.(message);
}

export function listenForCommits(watcher: CommitWatcher): void {
  process.on('message', (message: unknown) => {
    if (isCommitMessage(message)) watcher.onCommit(message.boardId, message.seq);
  });
}

/**
 * Revocations (store/accounts.ts) travel the same way: the revoking worker announces one after its
 * commit, and the primary relays it to the others, which end the streams made with it.
 */
const REVOCATION_MESSAGE_TYPE = 'liveboard:revocation';

interface RevocationMessage {
  type: typeof REVOCATION_MESSAGE_TYPE;
  revocation: Revocation;
}

function isRevocationMessage(message: unknown): message is RevocationMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === REVOCATION_MESSAGE_TYPE &&
    isRevocation((message as { revocation?: unknown }).revocation)
  );
}

export function announceRevocation(revocation: Revocation): void {
  const message: RevocationMessage = { type: REVOCATION_MESSAGE_TYPE, revocation };
  process.send?.(message);
}

export function listenForRevocations(listener: RevocationListener): void {
  process.on('message', (message: unknown) => {
    if (isRevocationMessage(message)) listener(message.revocation);
  });
}

/** In the primary: passes each worker's announcements (commits, revocations) on to every other worker. */
export function relayCommits(): void {
  cluster.on('message', (sender, message: unknown) => {
    if (!isCommitMessage(message) && !isRevocationMessage(message)) return;
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker && worker !== sender && worker.isConnected()) worker.send(message);
    }
  });
}
