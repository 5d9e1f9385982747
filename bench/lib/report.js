// Turns the per-target results into the stdout table: one row per figure, one column per server,
// the ratios to nchan, and Liveboard's figure against its target.
const fmt = (value, digits = 0) =>
  value === null || value === undefined || Number.isNaN(value)
    ? '—'
    : typeof value === 'number'
      ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
      : String(value);

const ratio = (a, b) =>
  Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : '—';

/** The targets of issue 6, as checks on Liveboard's results. */
export function checkTargets(results, config) {
  const lb = results.liveboard;
  const nchan = results.nchan;
  if (!lb) return [];
  const checks = [];
  const add = (name, goal, value, pass) => checks.push({ name, goal, value, pass });
  const lbRate = lb.burst?.deliveriesPerSecond;
  const nchanRate = nchan?.burst?.deliveriesPerSecond;
  add(
    'burst deliveries/s vs nchan',
    '≥ 1.50×',
    ratio(lbRate, nchanRate),
    nchanRate ? lbRate >= 1.5 * nchanRate : null,
  );
  const p99 = lb.latency?.latencyMs?.p99;
  add(
    `single event to all ${config.n}: p99`,
    '< 100 ms',
    // nchan's own p99 in the same run: what this machine allows the reference.
    `${fmt(p99, 1)} ms${nchan?.latency ? ` (nchan ${fmt(nchan.latency.latencyMs?.p99, 1)})` : ''}`,
    p99 != null ? p99 < 100 : null,
  );
  const kb = lb.memory?.kbPerStream;
  add('memory per idle stream', '≤ 8 KB', `${fmt(kb, 2)} KB`, kb != null ? kb <= 8 : null);
  const wp99 = lb.writes?.latencyMs?.p99;
  add(
    `REST write p99 (sequential), ${config.writeStreams} subscribers`,
    '< 10 ms',
    `${fmt(wp99, 2)} ms`,
    wp99 != null ? wp99 < 10 : null,
  );
  if (lb.capacity) {
    add(
      `${config.capacity} concurrent streams`,
      'no error',
      lb.capacity.ok ? 'ok' : 'errors',
      lb.capacity.ok,
    );
  }
  if (lb.restart) {
    const r = lb.restart;
    add(
      `SIGKILL + restart, ${r.streams} subscribers`,
      'all, none lost, ≤ 15 s',
      r.allResumedSeconds == null ? `${r.resumed}/${r.streams} resumed` : `${fmt(r.allResumedSeconds, 2)} s`,
      r.ok && r.allResumedSeconds <= 15,
    );
  }
  return checks;
}

function table(rows) {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => String(row[col]).length)));
  return rows
    .map((row, index) => {
      const line = row.map((cell, col) =>
        col === 0 ? String(cell).padEnd(widths[col]) : String(cell).padStart(widths[col]),
      );
      return index === 0
        ? `${line.join('  ')}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`
        : line.join('  ');
    })
    .join('\n');
}

export function renderTable(results, config) {
  const names = Object.keys(results);
  const short = { liveboard: 'LB', 'liveboard-alt': 'LB-alt', 'node-floor': 'floor' };
  const get = (name, path) => path.split('.').reduce((value, key) => value?.[key], results[name]);
  const header = ['figure', ...names.map((name) => results[name].label ?? name)];
  const withRatios = names.includes('nchan');
  if (withRatios) header.push(...names.filter((n) => n !== 'nchan').map((n) => `${short[n] ?? n}/nchan`));
  const row = (label, path, digits = 0) => {
    const values = names.map((name) => get(name, path));
    const cells = [label, ...values.map((v) => fmt(v, digits))];
    if (withRatios) {
      const base = get('nchan', path);
      for (const name of names.filter((n) => n !== 'nchan')) {
        const v = get(name, path);
        cells.push(ratio(v, base));
      }
    }
    return cells;
  };
  const rows = [
    header,
    row(
      `burst deliveries/s (${config.n} subs × ${results.liveboard?.burst?.events ?? config.burstEvents} events)`,
      'burst.deliveriesPerSecond',
    ),
    row('  burst: server CPU s', 'burst.serverCpuSeconds', 2),
    row('  burst: bytes per delivered event', 'burst.bytesPerEvent'),
    row('  burst: load clients CPU s', 'burst.clientCpuSeconds', 2),
    row('  burst: socket reads per delivery (1: a write each)', 'burst.readsPerDelivery', 3),
    row(`1 event → all ${config.n}: p50 ms`, 'latency.latencyMs.p50', 1),
    row('  p99 ms', 'latency.latencyMs.p99', 1),
    row('  max ms', 'latency.latencyMs.max', 1),
    row('  last subscriber, median sample ms', 'latency.lastSubscriberMs.p50', 1),
    row('  server CPU µs per delivery', 'latency.serverCpuUsPerDelivery', 1),
    row(`memory per idle stream KB (${config.n})`, 'memory.kbPerStream', 2),
    row(`connect ${config.n} streams s`, 'memory.connectSeconds', 2),
    row(`sequential writes/s (${config.writeStreams} subs)`, 'writes.writesPerSecond'),
    row('  write p50 ms', 'writes.latencyMs.p50', 2),
    row('  write p99 ms', 'writes.latencyMs.p99', 2),
    row('  server CPU µs per write (and its fan-out)', 'writes.serverCpuUsPerWrite'),
    row(`writes/s, ${config.writeConcurrency} concurrent writers`, 'writesConcurrent.writesPerSecond'),
    row('  write p99 ms', 'writesConcurrent.latencyMs.p99', 2),
    row('  server CPU µs per write (and its fan-out)', 'writesConcurrent.serverCpuUsPerWrite'),
    row('  events lost', 'writesConcurrent.lost'),
  ];
  if (config.capacity) {
    rows.push(row(`${config.capacity} streams: delivered`, 'capacity.delivered'));
    rows.push(row('  RSS MB', 'capacity.rssMb', 1));
    rows.push(row('  RSS per stream opened KB', 'capacity.kbPerAddedStream', 2));
  }
  if (names.some((name) => results[name].restart)) {
    rows.push(row(`restart (SIGKILL, ${config.n} subs): all resumed s`, 'restart.allResumedSeconds', 2));
    rows.push(row('  events missing', 'restart.missing'));
    rows.push(row('  gaps seen', 'restart.gaps'));
    rows.push(row('  duplicates seen', 'restart.dups'));
  }
  return table(rows);
}

export function renderChecks(checks) {
  if (!checks.length) return '';
  const rows = [
    ['target (Liveboard)', 'goal', 'measured', ''],
    ...checks.map((c) => [c.name, c.goal, c.value, c.pass === null ? '?' : c.pass ? 'PASS' : 'FAIL']),
  ];
  return table(rows);
}

/** The multiboard phase (issue 14) as checks: one stream for 3 boards must cost less than 3 streams. */
export function checkMultiBoard(multiboard) {
  const checks = [];
  for (const [name, result] of Object.entries(multiboard ?? {})) {
    if (result.skipped || !result.multi) continue;
    const { multi, single, ratios } = result;
    const k = multi.perClient;
    const against = `< ${k} single-board streams`;
    const versus = (a, b, unit, r) => `${fmt(a, 2)} vs ${fmt(b, 2)} ${unit} (${fmt(r, 2)}×)`;
    checks.push({
      name: `multi-board stream (${name}): server memory per client`,
      goal: against,
      value: versus(multi.memory?.kbPerClient, single.memory?.kbPerClient, 'KB', ratios.memoryPerClient),
      pass: ratios.memoryPerClient === null ? null : ratios.memoryPerClient < 1,
    });
    checks.push({
      name: `multi-board stream (${name}): server CPU per delivered event`,
      goal: against,
      value: versus(
        multi.burst?.serverCpuUsPerDelivery,
        single.burst?.serverCpuUsPerDelivery,
        'µs',
        ratios.cpuPerDelivery,
      ),
      pass: ratios.cpuPerDelivery === null ? null : ratios.cpuPerDelivery < 1,
    });
    const incomplete = [multi, single].filter((mode) => !mode.complete).map((mode) => mode.mode);
    checks.push({
      name: `multi-board stream (${name}): every event to every client, in order`,
      goal: 'both modes, no gap',
      value: incomplete.length ? `incomplete: ${incomplete.join(', ')}` : 'complete',
      pass: incomplete.length === 0,
    });
  }
  return checks;
}

/** The multiboard phase's table: per target, both modes side by side and their ratio. */
export function renderMultiBoard(multiboard) {
  const parts = [];
  for (const [name, result] of Object.entries(multiboard ?? {})) {
    if (result.skipped) {
      parts.push(`multiboard (${name}): skipped: ${result.skipped}`);
      continue;
    }
    const { multi, single } = result;
    const k = multi.perClient;
    const get = (mode, path) => path.split('.').reduce((value, key) => value?.[key], mode);
    const row = (label, path, digits = 0, withRatio = true) => {
      const a = get(multi, path);
      const b = get(single, path);
      return [label, fmt(a, digits), fmt(b, digits), withRatio ? ratio(a, b) : ''];
    };
    const rows = [
      [
        `multiboard (${name}): ${fmt(multi.clients)} clients × ${k} of ${multi.boards} boards`,
        `1 stream for ${k} boards`,
        `${k} single-board streams`,
        'multi/single',
      ],
      row('connections', 'memory.connections'),
      row('memory per client KB', 'memory.kbPerClient', 2),
      row('  per connection KB', 'memory.kbPerConnection', 2),
      row('  server RSS idle, all connected MB', 'memory.rssAfterMb', 1),
      row('server CPU µs per delivered event (median round)', 'burst.serverCpuUsPerDelivery', 3),
      row('  less the writes alone (fan-out only) µs', 'burst.fanOutCpuUsPerDelivery', 3),
      row('  the writes alone: CPU µs per write', 'writeOnly.cpuUsPerWrite', 1, false),
      row('  server CPU s (median round)', 'burst.serverCpuSeconds', 2),
      row('  load clients CPU s (median round)', 'burst.clientCpuSeconds', 2),
      row('  socket reads per delivery (1: a write each)', 'burst.readsPerDelivery', 3),
      row('  bytes per delivery', 'burst.bytesPerDelivery'),
      row('deliveries (median round)', 'burst.delivered', 0, false),
      row('  expected', 'burst.expected', 0, false),
      row('  gaps / duplicates / control messages', 'burst.gaps', 0, false),
      row('  burst seconds (writes to last delivery)', 'burst.seconds', 2),
      row('connect all streams s', 'memory.connectSeconds', 2),
    ];
    const last = rows.find((cells) => cells[0].startsWith('  gaps'));
    last[1] = `${fmt(multi.burst?.gaps)} / ${fmt(multi.burst?.dups)} / ${fmt(multi.burst?.controls)}`;
    last[2] = `${fmt(single.burst?.gaps)} / ${fmt(single.burst?.dups)} / ${fmt(single.burst?.controls)}`;
    rows.push([
      'every event, every client, in order',
      multi.complete ? 'yes' : 'NO',
      single.complete ? 'yes' : 'NO',
      '',
    ]);
    parts.push(table(rows));
  }
  return parts.join('\n\n');
}
