// The write benchmark's figures, pure: merging the load processes' answers, the table per store,
// the issue's targets as PASS/FAIL, and the chart as a hand-written SVG (no dependency).
import { medianBy, round, summarize } from '../lib/stats.js';

/** One run's figure from its load processes' answers over a window of `seconds`. */
export function mergeRuns(replies, seconds) {
  const statuses = {};
  let samples = 0;
  for (const reply of replies) {
    samples += reply.latencies.length;
    for (const [status, count] of Object.entries(reply.statuses))
      statuses[status] = (statuses[status] ?? 0) + count;
  }
  const all = new Float64Array(samples);
  let at = 0;
  for (const reply of replies) {
    all.set(reply.latencies, at);
    at += reply.latencies.length;
  }
  const ok = statuses[201] ?? 0;
  return {
    writes: ok,
    failures: Object.entries(statuses).reduce(
      (sum, [status, count]) => sum + (status === '201' ? 0 : count),
      0,
    ),
    statuses,
    seconds,
    writesPerSecond: Math.round(ok / seconds),
    latencyMs: summarize(all),
    timedOut: replies.some((reply) => reply.timedOut),
    errors: replies.flatMap((reply) => reply.errors ?? []).slice(0, 10),
  };
}

/** The round with the median writes/s (the lower middle of an even count), with every round's. */
export function medianRound(rounds) {
  const measured = rounds.filter((r) => Number.isFinite(r.writesPerSecond));
  if (!measured.length) return rounds.at(-1);
  return {
    ...medianBy(measured, (r) => r.writesPerSecond),
    roundsWritesPerSecond: measured.map((r) => r.writesPerSecond),
  };
}

const fmt = (value, digits = 0) =>
  value === null || value === undefined || Number.isNaN(value)
    ? '—'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : null;
}

const times = (value) => (value === null ? '—' : `${value.toFixed(2)}×`);
const ms = (value) => (value === null || value === undefined ? '—' : fmt(value, value < 10 ? 2 : 1));

/** The columns of a store's table, as cells: one row per point. */
export function storeRows(section) {
  const header = [
    'writers × boards',
    'this w/s',
    'p50 ms',
    'p99 ms',
    'alt w/s',
    'p50 ms',
    'p99 ms',
    'floor w/s',
    'p50 ms',
    'p99 ms',
    'this/alt',
    'this/floor',
    'CPU % srv/load/db',
  ];
  const rows = section.points.map((point) => {
    const lb = point.liveboard;
    const alt = point['liveboard-alt'];
    const floor = point.floor;
    const cpu = lb?.cpuPercent;
    return [
      `${point.writers} × ${point.boards}`,
      fmt(lb?.writesPerSecond),
      ms(lb?.latencyMs?.p50),
      ms(lb?.latencyMs?.p99),
      fmt(alt?.writesPerSecond),
      ms(alt?.latencyMs?.p50),
      ms(alt?.latencyMs?.p99),
      fmt(floor?.writesPerSecond),
      ms(floor?.latencyMs?.p50),
      ms(floor?.latencyMs?.p99),
      times(ratio(lb?.writesPerSecond, alt?.writesPerSecond)),
      times(ratio(lb?.writesPerSecond, floor?.writesPerSecond)),
      cpu ? `${cpu.server}/${cpu.load}/${cpu.db ?? '—'}` : '—',
    ];
  });
  return [header, ...rows];
}

function textTable(rows) {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => String(row[col]).length)));
  return rows
    .map((row, index) => {
      const line = row
        .map((cell, col) =>
          col === 0 ? String(cell).padEnd(widths[col]) : String(cell).padStart(widths[col]),
        )
        .join('  ');
      return index === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

export function renderStoreTable(section) {
  return `${section.label}\n${textTable(storeRows(section))}`;
}

/** The same table in Markdown, for the READMEs. */
export function renderMarkdownTable(section) {
  const [header, ...rows] = storeRows(section);
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

const pointOf = (section, writers, boards) =>
  section?.points.find((point) => point.writers === writers && point.boards === boards);

/**
 * The targets of issue 16 on this build's figures: one board under 64 writers (against the build
 * before the group commit, against its own 1-writer figure, and its p99), and 64 boards under 64
 * writers (against the build before, and the database's own floor). `pass: null`: not measured.
 */
export function checkWrites(stores) {
  const checks = [];
  const add = (name, goal, value, pass) => checks.push({ name, goal, value, pass });
  for (const [store, section] of Object.entries(stores)) {
    const label = section.label;
    const one = pointOf(section, 64, 1);
    const single = pointOf(section, 1, 1);
    const lb = one?.liveboard?.writesPerSecond;
    const altFactor = store === 'sqlite' ? 2 : 3;
    const vsAlt = ratio(lb, one?.['liveboard-alt']?.writesPerSecond);
    add(
      `${label}, 1 board × 64 writers: this build vs alt`,
      `≥ ${altFactor}×`,
      times(vsAlt),
      vsAlt === null ? null : vsAlt >= altFactor,
    );
    const vsOne = ratio(lb, single?.liveboard?.writesPerSecond);
    add(
      `${label}, 1 board × 64 writers: vs 1 writer (${fmt(single?.liveboard?.writesPerSecond)} w/s)`,
      '≥ 1.00×',
      times(vsOne),
      vsOne === null ? null : vsOne >= 1,
    );
    const p99 = one?.liveboard?.latencyMs?.p99;
    add(`${label}, 1 board × 64 writers: p99`, '≤ 50 ms', `${ms(p99)} ms`, p99 == null ? null : p99 <= 50);
    const many = pointOf(section, 64, 64);
    const manyLb = many?.liveboard?.writesPerSecond;
    const manyAlt = ratio(manyLb, many?.['liveboard-alt']?.writesPerSecond);
    add(
      `${label}, 64 boards × 64 writers: this build vs alt`,
      '≥ 1.50×',
      times(manyAlt),
      manyAlt === null ? null : manyAlt >= 1.5,
    );
    const manyFloor = ratio(manyLb, many?.floor?.writesPerSecond);
    add(
      `${label}, 64 boards × 64 writers: vs the floor (${fmt(many?.floor?.writesPerSecond)} w/s)`,
      '≥ 1.00×',
      times(manyFloor),
      manyFloor === null ? null : manyFloor >= 1,
    );
  }
  return checks;
}

export function renderChecks(checks) {
  return checks
    .map(
      ({ name, goal, value, pass }) =>
        `${pass === null ? 'SKIP' : pass ? 'PASS' : 'FAIL'}  ${name}: ${value} (goal ${goal})`,
    )
    .join('\n');
}

/** The fan-out figures: one event's delivery to N subscribers, quiet and under paced writes elsewhere. */
export function renderFanout(stores) {
  const rows = [
    [
      'store, build',
      'subscribers',
      'quiet p50/p99 ms',
      'with writes p50/p99 ms',
      'p99 ratio',
      'paced w/s (p99 ms)',
    ],
  ];
  for (const section of Object.values(stores)) {
    for (const [build, f] of Object.entries(section.fanout ?? {})) {
      if (!f || f.error) {
        rows.push([`${section.label}, ${build}`, '—', f?.error ?? '—', '', '', '']);
        continue;
      }
      rows.push([
        `${section.label}, ${build}`,
        fmt(f.subscribers),
        `${ms(f.quiet.latencyMs.p50)} / ${ms(f.quiet.latencyMs.p99)}`,
        `${ms(f.busy.latencyMs.p50)} / ${ms(f.busy.latencyMs.p99)}`,
        times(ratio(f.busy.latencyMs.p99, f.quiet.latencyMs.p99)),
        `${fmt(f.busy.paced?.writesPerSecond)} (${ms(f.busy.paced?.latencyMs?.p99)})`,
      ]);
    }
  }
  return rows.length > 1
    ? `One event to the subscribers of one board, quiet and with writes to other boards\n${textTable(rows)}`
    : '';
}

// ---------------------------------------------------------------------------------------------
// The chart: writes/s against writers (log x), one panel per boards count, one line per store ×
// build (this build solid, the build before dashed, the database's floor dotted).

const COLORS = { sqlite: '#1f6fb4', postgres: '#c62828', 'postgres-cluster': '#2e8b3a' };
const STYLES = {
  liveboard: { dash: '', width: 2.2, label: 'this build' },
  'liveboard-alt': { dash: '6 4', width: 1.6, label: 'before (alt)' },
  floor: { dash: '1.5 3', width: 1.6, label: 'database floor' },
};

const escapeXml = (text) =>
  String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten, at least `value`. */
export function niceCeiling(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** The series a chart draws: [{store, runner, boards, points: [[writers, writes/s]…]}]. */
export function chartSeries(stores) {
  const series = [];
  for (const [store, section] of Object.entries(stores)) {
    const boards = [...new Set(section.points.map((point) => point.boards))];
    for (const runner of Object.keys(STYLES)) {
      // One floor per database: PostgreSQL's is the same for one process or two.
      if (runner === 'floor' && store === 'postgres-cluster' && stores.postgres) continue;
      for (const b of boards) {
        const points = section.points
          .filter((point) => point.boards === b && Number.isFinite(point[runner]?.writesPerSecond))
          .map((point) => [point.writers, point[runner].writesPerSecond])
          .sort((x, y) => x[0] - y[0]);
        if (points.length) series.push({ store, runner, boards: b, label: section.label, points });
      }
    }
  }
  return series;
}

export function renderSvg(report) {
  const series = chartSeries(report.stores);
  const boards = [...new Set(series.map((s) => s.boards))].sort((a, b) => a - b);
  const writers = [...new Set(series.flatMap((s) => s.points.map(([w]) => w)))].sort((a, b) => a - b);
  const panelW = 300;
  const panelH = 240;
  const left = 64;
  const gap = 34;
  const top = 72;
  const width = left + boards.length * panelW + (boards.length - 1) * gap + 24;
  const legendRows = Object.keys(report.stores).length;
  const height = top + panelH + 52 + legendRows * 20 + 30;
  const yMax = niceCeiling(Math.max(1, ...series.flatMap((s) => s.points.map(([, y]) => y))) * 1.05);
  const xMin = Math.log10(writers[0] ?? 1);
  const xMax = Math.log10(writers.at(-1) ?? 10);
  const xSpan = xMax - xMin || 1;
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">REST writes/s against concurrent writers (POST /boards/:id/tasks, HTTP/1.1 keep-alive)</text>`,
    `<text x="${left}" y="40" fill="#555">${escapeXml(report.caption ?? '')}</text>`,
  );
  boards.forEach((b, index) => {
    const x0 = left + index * (panelW + gap);
    const x = (w) => x0 + ((Math.log10(w) - xMin) / xSpan) * panelW;
    const y = (v) => top + panelH - (v / yMax) * panelH;
    out.push(`<g>`);
    out.push(
      `<text x="${x0 + panelW / 2}" y="${top - 6}" text-anchor="middle" font-weight="bold">${b.toLocaleString('en-US')} board${b === 1 ? '' : 's'}</text>`,
    );
    for (let k = 0; k <= 5; k++) {
      const v = (yMax * k) / 5;
      out.push(
        `<line x1="${x0}" x2="${x0 + panelW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e4e4e4"/>`,
      );
      if (index === 0)
        out.push(
          `<text x="${x0 - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#444">${Math.round(v).toLocaleString('en-US')}</text>`,
        );
    }
    for (const w of writers) {
      out.push(
        `<line x1="${x(w).toFixed(1)}" x2="${x(w).toFixed(1)}" y1="${top}" y2="${top + panelH}" stroke="#f0f0f0"/>`,
      );
      out.push(
        `<text x="${x(w).toFixed(1)}" y="${top + panelH + 16}" text-anchor="middle" fill="#444">${w}</text>`,
      );
    }
    out.push(`<rect x="${x0}" y="${top}" width="${panelW}" height="${panelH}" fill="none" stroke="#999"/>`);
    out.push(
      `<text x="${x0 + panelW / 2}" y="${top + panelH + 32}" text-anchor="middle" fill="#444">concurrent writers (log scale)</text>`,
    );
    for (const s of series.filter((item) => item.boards === b)) {
      const style = STYLES[s.runner];
      const color = COLORS[s.store] ?? '#555';
      const path = s.points
        .map(([w, v], i) => `${i ? 'L' : 'M'}${x(w).toFixed(1)},${y(v).toFixed(1)}`)
        .join(' ');
      out.push(
        `<path d="${path}" fill="none" stroke="${color}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}><title>${escapeXml(`${s.label}, ${style.label}`)}</title></path>`,
      );
      for (const [w, v] of s.points)
        out.push(
          `<circle cx="${x(w).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.4" fill="${color}"><title>${escapeXml(`${s.label}, ${style.label}: ${w} writers, ${v.toLocaleString('en-US')} writes/s`)}</title></circle>`,
        );
    }
    out.push(`</g>`);
  });
  if (boards.length)
    out.push(
      `<text x="16" y="${top + panelH / 2}" transform="rotate(-90 16 ${top + panelH / 2})" text-anchor="middle" fill="#444">writes/s</text>`,
    );
  let ly = top + panelH + 58;
  for (const [store, section] of Object.entries(report.stores)) {
    let lx = left;
    out.push(
      `<text x="${lx}" y="${ly + 4}" font-weight="bold" fill="${COLORS[store] ?? '#555'}">${escapeXml(section.label)}</text>`,
    );
    lx += 190;
    for (const [runner, style] of Object.entries(STYLES)) {
      if (runner === 'floor' && store === 'postgres-cluster' && report.stores.postgres) continue;
      out.push(
        `<line x1="${lx}" x2="${lx + 34}" y1="${ly}" y2="${ly}" stroke="${COLORS[store] ?? '#555'}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>`,
        `<text x="${lx + 40}" y="${ly + 4}">${style.label}</text>`,
      );
      lx += 150;
    }
    ly += 20;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** CPU seconds over a window as percent of one core, rounded. */
export function cpuPercent(cpuSeconds, seconds) {
  return cpuSeconds === null || cpuSeconds === undefined ? null : Math.round((cpuSeconds / seconds) * 100);
}

export { round };
