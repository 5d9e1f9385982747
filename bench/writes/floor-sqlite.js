// SQLite's floor for a task creation: what the database alone needs to do what one POST does to
// it, with Liveboard's durability (WAL, synchronous=FULL, foreign keys on) and its concurrency
// (one connection, one writer: transactions one after another, whatever the number of clients).
// Each write is one `BEGIN IMMEDIATE`: read the board's seq, insert the task, the event, the title's
// search journal entry and the used_ids claim, bump the board's seq, COMMIT, on Liveboard's own
// schema (the server build's migrations). As the server does, the search index takes in the
// journal every 100 ms, in one transaction (the server's own statements: search-journal.ts).
// Boards are written round-robin.
//   node bench/writes/floor-sqlite.js '{"path":"/tmp/x/floor.db","boards":64,"warmupMs":1000,"measureMs":4000}'
// prints one JSON line: writes/s, latency of each transaction, its own CPU seconds.
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { monotonicMs } from '../lib/clock.js';
import { ownCpuSeconds } from './cpu.js';
import { migrate } from '../../dist/store/sqlite/schema.js';
import { searchDoc } from '../../dist/store/search-rows.js';
import { prepareSearchJournal } from '../../dist/store/sqlite/search-journal.js';
import { boardId, floorInput, listId, taskCreation, windowRecorder } from './floor-rows.js';

const input = floorInput();
const path = input.path ?? `/tmp/liveboard-floor-${process.pid}.db`;
for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });

const db = new Database(path);
try {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const at = new Date().toISOString();
  db.transaction(() => {
    const board = db.prepare(
      'INSERT INTO boards (id, title, seq, created_at, updated_at) VALUES (?, ?, 0, ?, ?)',
    );
    const list = db.prepare('INSERT INTO lists (id, board_id, title, position) VALUES (?, ?, ?, ?)');
    const claim = db.prepare('INSERT INTO used_ids (id, board_id) VALUES (?, ?)');
    for (let k = 0; k < input.boards; k++) {
      board.run(boardId(k), `Floor ${k}`, at, at);
      list.run(listId(k), boardId(k), 'To do', 'a0');
      claim.run(boardId(k), boardId(k));
      claim.run(listId(k), boardId(k));
    }
  })();

  const head = db.prepare('SELECT seq, deleted_at FROM boards WHERE id = ?');
  const insertTask = db.prepare(
    `INSERT INTO tasks (id, board_id, list_id, title, description, position, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEvent = db.prepare(
    'INSERT INTO events (board_id, seq, type, data, task_id) VALUES (?, ?, ?, ?, ?)',
  );
  const journal = prepareSearchJournal(db);
  const claim = db.prepare('INSERT OR IGNORE INTO used_ids (id, board_id) VALUES (?, ?)');
  const bump = db.prepare('UPDATE boards SET seq = ?, updated_at = ? WHERE id = ?');
  let n = 0;
  const write = db.transaction((k) => {
    const seq = head.get(boardId(k)).seq + 1;
    const row = taskCreation(k, n++, seq);
    insertTask.run(...row.taskValues);
    insertEvent.run(boardId(k), seq, 'task_created', row.event, row.task.id);
    const doc = searchDoc(boardId(k), row.task, 'title', row.task.title, row.at);
    journal.record({ purgeTaskIds: [], upsertSearchDocs: [doc], deleteSearchDocKeys: [] });
    if (claim.run(row.task.id, boardId(k)).changes === 0) throw new Error('id taken');
    bump.run(seq, row.at, boardId(k));
  }).immediate;

  const cpu = () => ({ own: ownCpuSeconds() });
  const window = windowRecorder(input, cpu);
  let writes = 0;
  let indexedAt = monotonicMs();
  for (;;) {
    if (monotonicMs() - indexedAt >= 100) {
      journal.applyAll();
      indexedAt = monotonicMs();
    }
    const started = monotonicMs();
    write(writes % input.boards);
    writes++;
    const ended = monotonicMs();
    window.tick(ended);
    if (!window.record(started, ended) || writes >= input.maxWrites) break;
  }
  console.log(
    JSON.stringify(
      window.result({ store: 'sqlite', connections: 1, writers: input.writers, boards: input.boards }),
    ),
  );
} finally {
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}
