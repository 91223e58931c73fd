import type { HistogramCounts } from "./family.js";

/** One histogram series as it counts: what a HistogramFamily's samples hand to the writer. */
export interface Histogram extends HistogramCounts {
  readonly buckets: number[];
  sum: number;
  count: number;
}

export function createHistogram(bounds: readonly number[]): Histogram {
  return { buckets: bounds.map(() => 0), sum: 0, count: 0 };
}

/** Counts `value` in the first bucket whose upper bound holds it (none: only in +Inf). */
export function observe(histogram: Histogram, bounds: readonly number[], value: number): void {
  const i = bounds.findIndex((bound) => value <= bound);
  if (i >= 0) histogram.buckets[i] = (histogram.buckets[i] ?? 0) + 1;
  histogram.sum += value;
  histogram.count++;
}
