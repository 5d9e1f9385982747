// This build against the build before it (`liveboard-alt`), figure by figure: the ratio
// this/alt, and whether it is within a tolerance (5%: issue 13's bar) in the direction that
// matters — a rate may not fall more than 5%, a time or a memory figure may not grow more than 5%.
//
// A figure measured in rounds (each round runs both builds one after the other) is compared
// round by round: its ratio is the median of the rounds' ratios. The machine drifts by 20% over a
// minute (one pass's bursts ran at 1.4 M deliveries/s, the next pass's at 1.8 M, both builds
// alike), far more than the two builds differ, and a ratio of the two medians carries that drift
// wherever the median round of one build falls in a different minute from the other's.
import { median } from './stats.js';

/** [label, path in a target's results, 'higher' | 'lower' is better, digits, path of its rounds]. */
export const AB_FIGURES = [
  ['memory per idle stream KB', 'memory.kbPerStream', 'lower', 2],
  ['one event to all: p50 ms', 'latency.latencyMs.p50', 'lower', 1, 'latency.rounds.p50'],
  ['one event to all: p99 ms', 'latency.latencyMs.p99', 'lower', 1, 'latency.rounds.p99'],
  ['burst deliveries/s', 'burst.deliveriesPerSecond', 'higher', 0, 'burst.rounds'],
  ['sequential writes: p50 ms', 'writes.latencyMs.p50', 'lower', 2, 'writes.rounds.p50'],
  ['sequential writes: p99 ms', 'writes.latencyMs.p99', 'lower', 2, 'writes.rounds.p99'],
  ['sequential writes/s', 'writes.writesPerSecond', 'higher', 0],
  ['sequential writes: server CPU µs per write', 'writes.serverCpuUsPerWrite', 'lower', 0],
  ['concurrent writes/s', 'writesConcurrent.writesPerSecond', 'higher', 0],
  ['concurrent writes: p99 ms', 'writesConcurrent.latencyMs.p99', 'lower', 2, 'writesConcurrent.rounds.p99'],
  ['concurrent writes: server CPU µs per write', 'writesConcurrent.serverCpuUsPerWrite', 'lower', 0],
  ['capacity streams delivered', 'capacity.delivered', 'higher', 0],
  ['capacity RSS MB', 'capacity.rssMb', 'lower', 1],
  ['capacity: RSS per stream opened KB', 'capacity.kbPerAddedStream', 'lower', 2],
  ['restart: all resumed s', 'restart.allResumedSeconds', 'lower', 2],
  ['connect N streams s', 'memory.connectSeconds', 'lower', 2],
  ['server CPU per stream open µs', 'memory.serverCpuUsPerOpen', 'lower', 1],
];

const get = (object, path) => path.split('.').reduce((value, key) => value?.[key], object);

/**
 * The ratios of round i of `mine` to round i of `theirs`: {ratio: their median, low, high: a 90%
 * confidence interval of that median (the order statistics a binomial count puts around it, so
 * no assumption on how the ratios spread), n}; null unless the rounds pair up.
 */
export function pairedRatio(mine, theirs) {
  if (!Array.isArray(mine) || !Array.isArray(theirs) || !mine.length || mine.length !== theirs.length)
    return null;
  const ratios = [];
  for (let i = 0; i < mine.length; i++) {
    if (!Number.isFinite(mine[i]) || !Number.isFinite(theirs[i]) || theirs[i] === 0) return null;
    ratios.push(mine[i] / theirs[i]);
  }
  ratios.sort((a, b) => a - b);
  const n = ratios.length;
  const half = (1.645 * Math.sqrt(n)) / 2;
  return {
    ratio: median(ratios),
    low: ratios[Math.max(0, Math.floor(n / 2 - half))],
    high: ratios[Math.min(n - 1, Math.ceil(n / 2 + half) - 1)],
    n,
  };
}

/**
 * One row per figure both builds have: {figure, path, better, digits, value, alt, ratio, rounds,
 * within}; `rounds`: how many paired rounds the ratio is the median of (0: the values' ratio).
 * `within`: null when either value is missing or the alt's is 0.
 */
export function abFigures(results, { name = 'liveboard', alt = 'liveboard-alt', tolerance = 0.05 } = {}) {
  const mine = results?.[name];
  const theirs = results?.[alt];
  if (!mine || !theirs) return [];
  return AB_FIGURES.map(([figure, path, better, digits, roundsPath]) => {
    const value = get(mine, path);
    const before = get(theirs, path);
    const ok = Number.isFinite(value) && Number.isFinite(before) && before !== 0;
    const paired = roundsPath ? pairedRatio(get(mine, roundsPath), get(theirs, roundsPath)) : null;
    const ratio = paired?.ratio ?? (ok ? value / before : null);
    const within =
      ratio === null ? null : better === 'higher' ? ratio >= 1 - tolerance : ratio <= 1 + tolerance;
    return {
      figure,
      path,
      better,
      digits,
      value: value ?? null,
      alt: before ?? null,
      ratio,
      rounds: paired?.n ?? 0,
      interval: paired ? [paired.low, paired.high] : null,
      within,
    };
  }).filter((row) => row.value !== null || row.alt !== null);
}

const fmt = (value, digits) =>
  value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Text columns: the first left-aligned, the others right-aligned, a rule under the header. */
function table(lines) {
  const widths = lines[0].map((_, col) => Math.max(...lines.map((line) => line[col].length)));
  return lines
    .map((line, index) => {
      const text = line
        .map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col])))
        .join('  ');
      return index === 0 ? `${text}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : text;
    })
    .join('\n');
}

/** The A/B rows as a text table (stdout). */
export function renderAb(rows, { tolerance = 0.05 } = {}) {
  if (!rows.length) return '';
  const lines = [
    [
      'this build / build before (liveboard-alt)',
      'this',
      'alt',
      'this/alt',
      'paired rounds: n, 90% interval',
      `within ${tolerance * 100}%`,
    ],
    ...rows.map((row) => [
      `${row.figure} (${row.better} is better)`,
      fmt(row.value, row.digits),
      fmt(row.alt, row.digits),
      row.ratio === null ? '—' : `${row.ratio.toFixed(3)}×`,
      row.rounds ? `${row.rounds}: ${row.interval[0].toFixed(3)}–${row.interval[1].toFixed(3)}` : '',
      row.within === null ? '?' : row.within ? 'yes' : 'NO',
    ]),
  ];
  return table(lines);
}

/** The revocation phase's figures as a text table: per store and kind, ms after the answer. */
export function renderRevocation(revocation) {
  const lines = [
    [
      'revocation: stream end after the answer',
      'ended',
      'p50 ms',
      'p99 ms',
      'max ms',
      'event p50 ms',
      'still open',
    ],
  ];
  for (const [store, result] of Object.entries(revocation ?? {})) {
    if (!result.kinds) {
      lines.push([`${store}: ${result.skipped ?? result.error ?? 'no figures'}`, '', '', '', '', '', '']);
      continue;
    }
    for (const [kind, k] of Object.entries(result.kinds)) {
      lines.push([
        `${store} ${kind}`,
        `${k.closed}/${k.streams}`,
        fmt(k.closeMs.p50, 2),
        fmt(k.closeMs.p99, 2),
        fmt(k.closeMs.max, 2),
        fmt(k.eventMs.p50, 2),
        String(k.stillOpen),
      ]);
    }
  }
  if (lines.length === 1) return '';
  return table(lines);
}
