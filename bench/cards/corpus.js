// The pure part of `npm run bench:cards`: a seeded random source, the words cards are written in,
// the commands that seed a board (the same commands, ids and times on every store, so two stores
// can be compared result for result), order statistics with p95, SSE frame splitting and the
// PASS/FAIL check of a figure against its target. No I/O here: bench/cards/corpus.test.js.

/** mulberry32: a small seeded PRNG, so that every run and every store seeds the same board. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ser',
  'tan',
  'vel',
  'dor',
  'pri',
  'nu',
  'qua',
  'ble',
  'stor',
  'ex',
  'rin',
  'go',
  'fa',
];
/** Words people write on cards, ahead of the made-up ones (the searches ask for some of them). */
const COMMON = [
  'release',
  'deploy',
  'invoice',
  'customer',
  'review',
  'design',
  'bug',
  'login',
  'crash',
  'report',
  'update',
  'meeting',
  'draft',
  'budget',
  'mobile',
  'search',
  'export',
  'payment',
  'email',
  'fix',
  'café',
  'straße',
  'naïve',
  'résumé',
  'ёлка',
  'test',
  'the',
  'and',
  'for',
  'with',
  'page',
  'server',
];

/** `count` distinct words: the common ones, then made-up ones of two to four syllables. */
export function vocabulary(count = 4000) {
  const words = [...COMMON];
  const seen = new Set(words);
  const next = random(7);
  while (words.length < count) {
    const length = 2 + Math.floor(next() * 3);
    let word = '';
    for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(next() * SYLLABLES.length)];
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
}

/** A Zipf-like pick: word k about as often as 1 / (k + 1), so a few words are common and most rare. */
export function zipfPicker(words, next) {
  const weights = words.map((_, k) => 1 / (k + 1));
  const cumulative = [];
  let total = 0;
  for (const weight of weights) cumulative.push((total += weight));
  return () => {
    const target = next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return words[lo];
  };
}

/** `words` words as a sentence-ish text, first letter up, a full stop every 8 to 15 words. */
export function text(pick, next, words) {
  const out = [];
  let sentence = 0;
  for (let i = 0; i < words; i++) {
    let word = pick();
    if (sentence === 0) word = word[0].toUpperCase() + word.slice(1);
    sentence++;
    if (sentence >= 8 && (next() < 0.2 || sentence >= 15)) {
      word += '.';
      sentence = 0;
    }
    out.push(word);
  }
  const joined = out.join(' ');
  return joined.endsWith('.') ? joined : `${joined}.`;
}

export const LABEL_COLORS = [
  'green',
  'yellow',
  'orange',
  'red',
  'purple',
  'blue',
  'sky',
  'lime',
  'pink',
  'black',
  'green_dark',
  'blue_light',
];

/**
 * The commands that seed one board, in order, each with the time it is made at: lists, labels,
 * members (given as users {id, username}), tasks (with labels, assignees, dates and descriptions
 * as the shares say), comments, then the archives. Ids are derived from `prefix`, so the same
 * plan names the same things on every store. Returns {commands: [{command, now}], tasks, lists,
 * labels, archived, withDue, comments}.
 */
export function boardPlan({
  prefix,
  cards,
  lists = 8,
  labels = 12,
  users = [],
  dueShare = 0.25,
  archivedShare = 0.1,
  commentsPerCard = 2,
  labelShare = 0.5,
  assigneeShare = 0.3,
  checklistShare = 0,
  seed = 1,
  startMs = Date.UTC(2026, 0, 1),
  words = vocabulary(),
}) {
  const next = random(seed);
  const pick = zipfPicker(words, next);
  let clock = startMs;
  const commands = [];
  const push = (command) => commands.push({ command, now: new Date((clock += 1000)) });
  const listIds = Array.from({ length: lists }, (_, k) => `list-${prefix}${String(k).padStart(2, '0')}`);
  listIds.forEach((id, k) => push({ type: 'create_list', id, title: `List ${k + 1}` }));
  const labelIds = Array.from({ length: labels }, (_, k) => `label-${prefix}${String(k).padStart(2, '0')}`);
  labelIds.forEach((id, k) =>
    push({
      type: 'create_label',
      id,
      name: `${pick()} ${k + 1}`,
      color: LABEL_COLORS[k % LABEL_COLORS.length],
    }),
  );
  for (const user of users)
    push({ type: 'add_member', userId: user.id, username: user.username, role: 'editor' });
  const taskIds = [];
  const withDue = [];
  for (let k = 0; k < cards; k++) {
    const id = `task-${prefix}${String(k).padStart(6, '0')}`;
    taskIds.push(id);
    const command = {
      type: 'create_task',
      id,
      listId: listIds[k % lists],
      title: text(pick, next, 3 + Math.floor(next() * 6)).replace(/\.$/, ''),
      // Realistic lengths: a fifth empty, most a few sentences, some long.
      description: next() < 0.2 ? '' : text(pick, next, 10 + Math.floor(next() * next() * 150)),
    };
    if (next() < labelShare) {
      const count = 1 + Math.floor(next() * 3);
      command.labelIds = [
        ...new Set(Array.from({ length: count }, () => labelIds[Math.floor(next() * labels)])),
      ];
    }
    if (users.length && next() < assigneeShare)
      command.assigneeIds = [users[Math.floor(next() * users.length)].id];
    if (next() < dueShare) {
      command.dueAt = new Date(startMs + Math.floor(next() * 120) * 86_400_000).toISOString();
      withDue.push(id);
    }
    push(command);
  }
  // Checklists (40% of cards in the issue, once the task model has them: CHECKLISTS in cards.js),
  // each with 2 to 8 items, some done. Their items get ids from the server.
  let checklists = 0;
  for (const id of checklistShare > 0 ? taskIds : []) {
    if (next() >= checklistShare) continue;
    const items = Array.from({ length: 2 + Math.floor(next() * 7) }, () => ({
      text: text(pick, next, 2 + Math.floor(next() * 6)),
      done: next() < 0.4,
    }));
    push({ type: 'add_checklist', taskId: id, id: `checklist-${id.slice(5)}`, title: 'Checklist', items });
    checklists++;
  }
  let comments = 0;
  const total = Math.round(cards * commentsPerCard);
  for (let c = 0; c < total; c++) {
    const taskId = taskIds[Math.floor(next() * cards)];
    push({
      type: 'add_comment',
      taskId,
      id: `comment-${prefix}${String(c).padStart(7, '0')}`,
      body: text(pick, next, 5 + Math.floor(next() * 40)),
    });
    comments++;
  }
  const archived = [];
  for (const id of taskIds) {
    if (next() < archivedShare) {
      push({ type: 'update_task', taskId: id, archived: true });
      archived.push(id);
    }
  }
  return {
    commands,
    tasks: taskIds,
    lists: listIds,
    labels: labelIds,
    archived,
    withDue,
    comments,
    checklists,
    endMs: clock,
  };
}

/** Order statistics over raw samples, with p95 (the targets are p50/p95 and p99). */
export function quantiles(samples) {
  const sorted = Float64Array.from(samples).sort();
  const at = (q) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
  const r = (v) => (Number.isFinite(v) ? Math.round(v * 100) / 100 : null);
  return {
    count: sorted.length,
    min: r(sorted[0]),
    p50: r(at(0.5)),
    p95: r(at(0.95)),
    p99: r(at(0.99)),
    max: r(sorted[sorted.length - 1]),
  };
}

/**
 * Splits an SSE byte stream into frames (each up to and including its blank line): feed it
 * chunks, it calls `onFrame(frameText, bytes)` per complete frame and keeps the rest.
 */
export function frameSplitter(onFrame) {
  let carry = Buffer.alloc(0);
  return (chunk) => {
    carry = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    for (;;) {
      const end = carry.indexOf('\n\n');
      if (end < 0) return;
      const frame = carry.subarray(0, end + 2);
      carry = carry.subarray(end + 2);
      onFrame(frame.toString(), frame.length);
    }
  };
}

/** The `data:` of one SSE frame, parsed; null for a comment or heartbeat. */
export function frameData(frame) {
  const lines = frame.split('\n').filter((line) => line.startsWith('data:'));
  if (!lines.length) return null;
  try {
    return JSON.parse(lines.map((line) => line.slice(5).replace(/^ /, '')).join('\n'));
  } catch {
    return null;
  }
}

/** Two stores' search answers, query by query: the queries whose result lists differ (empty: identical). */
export function searchDifferences(a, b) {
  const differ = [];
  for (const [query, results] of Object.entries(a)) {
    if (JSON.stringify(results) !== JSON.stringify(b[query])) differ.push(query);
  }
  for (const query of Object.keys(b)) if (!(query in a)) differ.push(query);
  return differ;
}

/** A figure against its target: {name, value, unit, target, pass}; `pass` null when not measured. */
export function check(name, value, limit, unit = 'ms', { atMost = true, label } = {}) {
  const measured = typeof value === 'number' && Number.isFinite(value);
  return {
    name,
    value: measured ? value : null,
    unit,
    target: label ?? `${atMost ? '≤' : '≥'} ${limit.toLocaleString('en-US')} ${unit}`,
    pass: measured ? (atMost ? value <= limit : value >= limit) : null,
  };
}

/** The checks as lines: PASS / FAIL / n/a, the name, the figure and the target. */
export function renderChecks(checks) {
  const width = Math.max(...checks.map((c) => c.name.length), 10);
  return checks
    .map((c) => {
      const verdict = c.pass === null ? ' n/a' : c.pass ? 'PASS' : 'FAIL';
      const value =
        c.value === null ? '—' : `${c.value.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${c.unit}`;
      return `${verdict}  ${c.name.padEnd(width)}  ${value.padStart(14)}  (target ${c.target})`;
    })
    .join('\n');
}
