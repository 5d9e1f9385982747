// Heap per board snapshot held in BoardCache (src/store/board-cache.ts, up to 512 per store, so per
// process): boards of 50, 500 and 1,500 cards are built the way a store builds them on a cache miss
// (boardFromRows over rows whose strings are fresh, as a driver decodes them), held in a BoardCache,
// and measured with process.memoryUsage() after a full GC (--expose-gc; the script re-runs itself
// with it). Cards: titles of 10 to 80 characters; half with a description of 50 to 600 characters.
//
//   node bench/scaling/cache-memory.js [--sizes 50,500,1500] [--boards 64]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateNKeysBetween } from 'fractional-indexing';
import { deadline, loadAverage, machine, options, round, writeReport } from './lib.js';

if (typeof globalThis.gc !== 'function') {
  execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(0);
}

const { BoardCache } = await import('../../dist/store/board-cache.js');
const { boardFromRows } = await import('../../dist/store/board-rows.js');

/** A deterministic generator, so runs compare. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const WORDS =
  'fix ship review draft the api login page for bug release notes design customer sync deploy'.split(' ');

function text(next, min, max) {
  const length = min + Math.floor(next() * (max - min));
  let out = '';
  while (out.length < length) out += `${WORDS[Math.floor(next() * WORDS.length)]} `;
  return out.slice(0, length).trim() || 'x';
}

function id(next, kind) {
  let suffix = '';
  for (let index = 0; index < 12; index++)
    suffix += '0123456789abcdefghijklmnopqrstuvwxyz'[Math.floor(next() * 36)];
  return `${kind}-${suffix}`;
}

/** Rows as a driver hands them over: every string its own (JSON.parse makes fresh ones). */
function boardRows(seed, cards) {
  const next = random(seed);
  const boardId = id(next, 'board');
  const at = new Date(1_700_000_000_000 + seed * 1000).toISOString();
  const listCount = 3 + Math.floor(next() * 6);
  const listPositions = generateNKeysBetween(null, null, listCount);
  const lists = listPositions.map((position, index) => ({
    id: id(next, 'list'),
    board_id: boardId,
    title: text(next, 4, 20) + index,
    position,
  }));
  const perList = Math.ceil(cards / listCount);
  const tasks = [];
  for (const list of lists) {
    const positions = generateNKeysBetween(null, null, perList);
    for (const position of positions) {
      if (tasks.length === cards) break;
      tasks.push({
        id: id(next, 'task'),
        board_id: boardId,
        list_id: list.id,
        title: text(next, 10, 80),
        description: next() < 0.5 ? '' : text(next, 50, 600),
        position,
        version: 1 + Math.floor(next() * 5),
        created_at: at,
        updated_at: new Date(1_700_000_000_000 + seed * 1000 + tasks.length).toISOString(),
      });
    }
  }
  const row = {
    id: boardId,
    title: text(next, 5, 30),
    seq: cards + listCount,
    created_at: at,
    updated_at: at,
    deleted_at: null,
  };
  return JSON.parse(JSON.stringify({ row, lists, tasks }));
}

function heapUsed() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

function perBoard(cards, boards, seedBase) {
  // The rows of each board become garbage once its snapshot is built; what stays is the cache's.
  const cache = new BoardCache(512);
  const base = heapUsed();
  for (let index = 0; index < boards; index++) {
    const { row, lists, tasks } = boardRows(seedBase + index, cards);
    cache.set(boardFromRows(row, lists, tasks));
  }
  const full = heapUsed();
  const snapshot = boardRows(seedBase, cards);
  const wireBytes = Buffer.byteLength(
    JSON.stringify(boardFromRows(snapshot.row, snapshot.lists, snapshot.tasks)),
  );
  const heapPerBoard = (full - base) / boards;
  cache.delete('none'); // the cache stays reachable until `full` has been measured
  return { heapPerBoard, wireBytes };
}

const opts = options({ sizes: '50,500,1500', boards: 64 });
deadline(120_000);
const report = { machine: machine(), options: opts, sizes: [] };
console.log('cards  boards  heap per cached board  JSON of the board  heap/JSON  512 boards in cache');
for (const cards of opts.sizes.split(',').map(Number)) {
  const { heapPerBoard, wireBytes } = perBoard(cards, opts.boards, cards * 1000);
  const result = {
    cards,
    boards: opts.boards,
    heapKbPerBoard: round(heapPerBoard / 1024, 1),
    heapBytesPerCard: Math.round(heapPerBoard / cards),
    jsonKb: round(wireBytes / 1024, 1),
    heapToJson: round(heapPerBoard / wireBytes),
    fullCacheMb: round((512 * heapPerBoard) / 2 ** 20, 1),
    loadAverage: loadAverage(),
  };
  report.sizes.push(result);
  console.log(
    [
      String(cards).padStart(5),
      String(opts.boards).padStart(7),
      `${result.heapKbPerBoard} KB`.padStart(22),
      `${result.jsonKb} KB`.padStart(18),
      String(result.heapToJson).padStart(10),
      `${result.fullCacheMb} MB`.padStart(20),
    ].join(' '),
  );
}
console.log(`report: ${writeReport('cache-memory', report)}`);
