// What both floors share: the rows one task creation writes, shaped and sized as Liveboard writes
// them (the task row, the `task_created` event row, the used_ids claim, the board's seq bump; each
// floor adds the title's search row as its store writes it), and the floors' input and result.
// The tables are Liveboard's own (each floor runs the server build's migrations). Pure but for
// the clock.
import { randomBytes } from 'node:crypto';
import { monotonicMs } from '../lib/clock.js';
import { round, summarize } from '../lib/stats.js';
import { cpuBetween } from './cpu.js';

/** The floor's input, from argv[2] (the orchestrator) or defaults (by hand). */
export function floorInput(argv = process.argv) {
  const input = argv[2] ? JSON.parse(argv[2]) : {};
  return {
    writers: 1,
    boards: 1,
    warmupMs: 1000,
    measureMs: 4000,
    maxWrites: 1_000_000,
    maxConnections: 64,
    ...input,
  };
}

export const boardId = (k) => `board-floor${String(k).padStart(6, '0')}`;
export const listId = (k) => `list-floor${String(k).padStart(6, '0')}`;

/** The values of task creation number `n` on board `k` at seq `seq`: task row, event JSON. */
export function taskCreation(k, n, seq, title = 'bench write') {
  const at = new Date().toISOString();
  const task = {
    id: `task-${randomBytes(8).toString('hex')}`,
    boardId: boardId(k),
    listId: listId(k),
    title,
    description: '',
    position: `a${n.toString(36).padStart(6, '0')}`,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const event = JSON.stringify({ type: 'task_created', seq, at, task });
  return {
    task,
    at,
    event,
    // TaskRowValues order: id, board_id, list_id, title, description, position, version, created_at, updated_at
    taskValues: [task.id, task.boardId, task.listId, task.title, '', task.position, 1, at, at],
  };
}

/** Records the writes of a window: latencies of those that ended inside it. */
export function windowRecorder({ warmupMs, measureMs }, cpu) {
  const startAt = monotonicMs();
  const from = startAt + warmupMs;
  const to = from + measureMs;
  const latencies = [];
  let cpuFrom = null;
  let cpuTo = null;
  return {
    to,
    /** Call with each write's start and end; false once the window has closed. */
    record(started, ended) {
      if (ended >= from && ended < to) latencies.push(ended - started);
      return ended < to;
    },
    /** Call often: takes the CPU readings when the window opens and closes. */
    tick(now) {
      if (cpuFrom === null && now >= from) cpuFrom = cpu();
      if (cpuTo === null && now >= to) cpuTo = cpu();
    },
    result(extra) {
      const seconds = measureMs / 1000;
      const end = cpuTo ?? cpu();
      const begin = cpuFrom ?? end;
      return {
        writes: latencies.length,
        seconds,
        writesPerSecond: Math.round(latencies.length / seconds),
        latencyMs: summarize(latencies),
        cpuSeconds: round(end.own - begin.own),
        dbCpuSeconds: end.db === undefined ? null : round(cpuBetween(begin.db, end.db)),
        ...extra,
      };
    },
  };
}
