import cluster from 'node:cluster';
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

/** In the primary: passes each worker's announcements on to every other worker. */
export function relayCommits(): void {
  cluster.on('message', (sender, message: unknown) => {
    if (!isCommitMessage(message)) return;
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker && worker !== sender && worker.isConnected()) worker.send(message);
    }
  });
}
