// Order statistics over raw samples (no histogram: the sample counts here are small enough to sort).
export function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  const at = (q) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN;
  return {
    count: sorted.length,
    min: round(sorted.length ? sorted[0] : NaN),
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : NaN),
    mean: round(mean),
  };
}

export function round(value, digits = 2) {
  if (!Number.isFinite(value)) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Of a figure's rounds, the one with the median `value` (the lower middle one of an even count). */
export function medianBy(runs, value) {
  return [...runs].sort((a, b) => value(a) - value(b))[Math.floor((runs.length - 1) / 2)];
}

/** The median of `values`: the mean of the two middle ones of an even count. */
export function median(values) {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
