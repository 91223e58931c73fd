import type { TextSink } from "./mapped-sink.js";
import { formatValue } from "./text-format.js";

/** One series' observations: per bucket of the bounds (not cumulative), their count and sum. */
export interface HistogramCounts {
  /** Undefined before the first observation: the series is not written. */
  buckets: number[] | undefined;
  count: number;
  sum: number;
}

export function emptyHistogram(): HistogramCounts {
  return { buckets: undefined, count: 0, sum: 0 };
}

/** Adds one observation; a value above the last bound counts only in +Inf, as in prom-client. */
export function observe(counts: HistogramCounts, bounds: readonly number[], value: number): void {
  counts.buckets ??= bounds.map(() => 0);
  const bucket = bounds.findIndex((bound) => value <= bound);
  if (bucket >= 0) counts.buckets[bucket] = (counts.buckets[bucket] ?? 0) + 1;
  counts.count++;
  counts.sum += value;
}

/**
 * Writes histogram series as prom-client does, byte for byte: `le` first, then the series' own
 * labels, cumulative buckets, +Inf, _sum and _count. The bucket prefixes are made once.
 */
export function histogramWriter(
  name: string,
  bounds: readonly number[],
): (out: TextSink, labels: string, counts: HistogramCounts) => void {
  const prefixes = bounds.map((bound) => `${name}_bucket{le="${formatValue(bound)}",`);
  const inf = `${name}_bucket{le="+Inf",`;
  return (out, labels, counts) => {
    if (counts.buckets === undefined) return;
    let cumulative = 0;
    for (let b = 0; b < prefixes.length; b++) {
      cumulative += counts.buckets[b] ?? 0;
      out.write(`${prefixes[b]}${labels}} ${cumulative}\n`);
    }
    out.write(
      `${inf}${labels}} ${counts.count}\n` +
        `${name}_sum{${labels}} ${formatValue(counts.sum)}\n` +
        `${name}_count{${labels}} ${counts.count}\n`,
    );
  };
}
