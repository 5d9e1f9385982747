// The counting PostgreSQL proxy of lib.js in a process of its own, so that the simulation's own
// work (thousands of streams, the day's clock) does not delay the servers' round trips. Started by
// simulate-day.js with an IPC channel: it sends { port } once listening, and answers 'counts' with
// the counts so far (round trips, NOTIFY deliveries, statements by the store's name for them).
import { startPgProxy } from './lib.js';

const { SQL } = await import('../../dist/store/postgres/statements.js');
const KINDS = new Map(Object.entries(SQL).map(([name, text]) => [text, name]));

function classify(sql) {
  const kind = KINDS.get(sql);
  if (kind) return kind;
  if (sql.trimStart().startsWith('WITH')) return 'writeBatch';
  if (sql.startsWith('BEGIN ISOLATION LEVEL REPEATABLE READ')) return 'snapshotBegin';
  if (/^(BEGIN|COMMIT|ROLLBACK)$/.test(sql)) return sql.toLowerCase();
  return 'other';
}

const proxy = await startPgProxy(Number(process.env.SCALING_PG_PORT ?? 5432), classify);
process.on('message', (message) => {
  if (message === 'counts') process.send({ type: 'counts', counts: proxy.counts });
});
process.on('disconnect', () => void proxy.close().finally(() => process.exit(0)));
process.send({ type: 'listening', port: proxy.port });
