/**
 * The composition root: reads the config, opens the store, wires the broadcaster and the HTTP app,
 * listens, and stops gracefully. Everything else is built from its dependencies.
 */
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './config.js';
import { buildApp } from './http/app.js';
import { Broadcaster } from './live/broadcaster.js';
import { Heartbeat } from './live/heartbeat.js';
import { ReaderRegistry } from './live/reader-registry.js';
import { createMetrics } from './metrics.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';
import { BoardWriter, type WriteSeams } from './writer/board-writer.js';
import { seedDemoBoard } from './writer/demo-board.js';

const IDEMPOTENCY_HORIZON_MS = 24 * 60 * 60 * 1000;
/** Connections the kernel queues for accept() (see the listen call). */
const LISTEN_BACKLOG = 4096;
/**
 * How long a stop waits for connections to finish once every stream was told to end. Streams resume
 * from their Last-Event-ID, so one still open after it (a client that does not read, a socket left
 * half-open) is cut rather than let the stop wait for it; so is a request that is still running.
 */
const STOP_GRACE_MS = 5000;

export interface RunningLiveboard {
  app: FastifyInstance;
  url: string;
  /** The one write path, for writers that are not HTTP. */
  writer: BoardWriter;
  /** Stop taking connections, close streams (clients resume elsewhere), finish writes, close the store. */
  stop(): Promise<void>;
}

/** `seams`: tests' hooks into the write path (see WriteSeams); production passes none. */
export async function startLiveboard(config: Config, seams: WriteSeams = {}): Promise<RunningLiveboard> {
  const store = await openStore(config.databaseUrl);
  const { created } = await store.migrate();
  const metrics = createMetrics();
  const broadcaster = new Broadcaster(store, metrics);
  const writer = new BoardWriter(store, broadcaster, metrics, seams, {
    maxBatch: config.writeBatchLimit,
    maxQueued: config.writeQueueLimit,
  });
  if (created && config.seedDemo) await seedDemoBoard(writer);
  // Housekeeping at start and then hourly: Idempotency-Keys past their horizon, and old events.
  const prune = async (): Promise<void> => {
    await store.pruneIdempotencyKeys(new Date(Date.now() - IDEMPOTENCY_HORIZON_MS));
    // Throttles look back an hour at most; expired sessions are only dead weight.
    await store.accounts.pruneAttempts(new Date(Date.now() - 24 * 60 * 60 * 1000));
    await store.accounts.pruneSessions(new Date());
    if (config.eventRetention > 0) await store.pruneEvents(config.eventRetention);
  };
  await prune();

  // Who reads each open stream and waiting poll: a revocation (this process's, or another's through
  // the store) ends those made with the credential it names, and a sweep bounds a lost notice.
  const readers = new ReaderRegistry({
    maxStreamsPerUser: config.maxStreamsPerUser,
    maxStreamsPerAddress: config.maxStreamsPerAddress,
  });
  const heartbeat = new Heartbeat(config.heartbeatMs, { maxAgeMs: config.streamMaxAgeMs, readers });
  const app = await buildApp({ config, store, writer, broadcaster, heartbeat, metrics });
  await store.accounts.watchRevocations((revocation) => readers.revoke(revocation));
  const sweepTimer = setInterval(() => {
    readers
      .sweep(store.accounts)
      .catch((error: unknown) => app.log.error({ err: error }, 'credential sweep failed'));
  }, config.revocationSweepMs).unref();
  // Other processes may write to this database too: stream their commits to our subscribers.
  await store.watchCommits({
    onCommit: (boardId, seq) => broadcaster.notifyHead(boardId, seq),
    onResync: (reason) => {
      metrics.commitFeedResyncs.inc();
      app.log.warn({ reason }, 'commit feed was interrupted and is back: catching up from the log');
      void broadcaster.resync().catch((error: unknown) => app.log.error({ err: error }, 'resync failed'));
    },
  });
  const pruneTimer = setInterval(
    () => {
      prune().catch((error: unknown) => app.log.error({ err: error }, 'pruning failed'));
    },
    60 * 60 * 1000,
  ).unref();

  // Fastify names the address http:// whatever the server speaks; with TLS it is https://.
  const scheme = (address: string): string => (config.tls ? address.replace(/^http:/, 'https:') : address);
  const url = scheme(
    await app.listen({
      host: config.host,
      port: config.port,
      // After a restart every stream reconnects at once (10,000 within a second): with Node's default
      // queue of 511, the connections past it wait for the client's SYN retries, 1, 3, 7 s later.
      // Linux caps this at net.core.somaxconn (4096 since 5.4).
      backlog: LISTEN_BACKLOG,
      listenTextResolver: (address) => `Server listening at ${scheme(address)}`,
    }),
  );
  heartbeat.start();
  const connections = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  app.log.info(
    { url, store: store.kind, databaseUrl: redact(config.databaseUrl), http2: config.tls !== undefined },
    'liveboard listening',
  );
  await logOwnerlessBoards(store, app);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      clearInterval(pruneTimer);
      clearInterval(sweepTimer);
      heartbeat.stop();
      broadcaster.closeAll();
      const cut = setTimeout(() => {
        for (const socket of connections) socket.destroy();
      }, STOP_GRACE_MS);
      await app.close();
      clearTimeout(cut);
      await store.close();
    })());
  return { app, url, writer, stop };
}

/**
 * Boards without an owner (the demo board, boards from before accounts) are open to everyone and
 * managed by no one: say which, and how to claim one, so an operator is not left to find out.
 */
async function logOwnerlessBoards(store: Store, app: FastifyInstance): Promise<void> {
  const shown = 20;
  const boards = await store.ownerlessBoards(shown + 1);
  if (boards.length === 0) return;
  app.log.info(
    {
      boards: boards.slice(0, shown),
      more: boards.length > shown,
      claim: 'liveboard admin grant <board> <username> owner',
    },
    'boards without an owner: anyone may read and edit their lists and tasks; claim one with `liveboard admin grant <board> <username> owner`',
  );
}

function redact(databaseUrl: string): string {
  return databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Runs the server as `npm start` does: config from the environment, stop on SIGTERM or SIGINT. */
export async function runFromEnvironment(): Promise<void> {
  const defaultWebRoot = fileURLToPath(new URL('./web', import.meta.url));
  const config = loadConfig(process.env, { webRoot: process.env.LIVEBOARD_WEB_ROOT ?? defaultWebRoot });
  const liveboard = await startLiveboard(config);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      liveboard.app.log.info({ signal }, 'stopping: closing streams, finishing writes in flight');
      liveboard.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          liveboard.app.log.error({ err: error }, 'unclean stop');
          process.exit(1);
        },
      );
    });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runFromEnvironment().catch((error: unknown) => {
    console.error(error instanceof Error ? `liveboard: ${error.message}` : error);
    process.exit(1);
  });
}
