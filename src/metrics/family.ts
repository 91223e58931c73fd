import type { LabelValue } from "./label-value.js";

/** One series' label values, by label name: only checked values (label-value.ts) can be labels. */
export type Labels<L extends string = string> = Readonly<Record<L, LabelValue>>;

/** Sets one sample of a gauge or counter family as it is written. */
export type SetSample<L extends string> = (labels: Labels<L>, value: number) => void;

/** What one histogram series counted: per bucket (not cumulative), then every observation. */
export interface HistogramCounts {
  readonly buckets: readonly number[];
  readonly sum: number;
  readonly count: number;
}

interface Declared<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
}

/** A gauge or counter whose module sets every sample at each rendering: what it skips is absent. */
export interface CollectedFamily<L extends string> extends Declared<L> {
  readonly type: "gauge" | "counter";
  readonly samples: (set: SetSample<L>) => void;
}

/** A histogram whose series a module keeps (histogram.ts) and hands over as it is rendered. */
export interface HistogramFamily<L extends string> extends Declared<L> {
  readonly type: "histogram";
  /** Upper bounds, ascending; +Inf is implied. */
  readonly buckets: readonly number[];
  readonly samples: (set: (labels: Labels<L>, counts: HistogramCounts) => void) => void;
}

export type Family<L extends string = string> = CollectedFamily<L> | HistogramFamily<L>;

/** Where families are registered: the exporter's registry (registry.ts). */
export interface Families {
  register(family: Family): void;
}

/** Like node_exporter's const metrics: a series that left the module's state leaves /metrics. */
export function registerFamily<L extends string>(
  registry: Families,
  family: CollectedFamily<L>,
): void {
  registry.register(family);
}

/** Registers a histogram family, whose series its module keeps (histogram.ts). */
export function registerHistogram<L extends string>(
  registry: Families,
  family: Omit<HistogramFamily<L>, "type">,
): void {
  registry.register({ ...family, type: "histogram" });
}

/** A gauge of one sample per row with a value, labelled with the row's account. */
export function registerAccountGauge<Row extends { readonly account: LabelValue }>(
  registry: Families,
  { name, help }: { name: string; help: string },
  rows: () => readonly Row[],
  value: (row: Row) => number | undefined,
): void {
  registerFamily(registry, {
    ...{ name, help, type: "gauge", labelNames: ["account"] },
    samples(set) {
      for (const row of rows()) {
        const v = value(row);
        if (v !== undefined) set({ account: row.account }, v);
      }
    },
  });
}
