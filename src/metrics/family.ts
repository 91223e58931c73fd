import { Counter, Gauge, type Registry } from "prom-client";
import type { LabelValue } from "./label-value.js";

/** Sets one sample of a family as it is collected; only checked values can be labels. */
export type SetSample<L extends string> = (
  labels: Readonly<Record<L, LabelValue>>,
  value: number,
) => void;

/** A family whose samples a module sets from its last state each time /metrics is rendered. */
export interface CollectedFamily<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly type: "gauge" | "counter";
  readonly labelNames: readonly L[];
  /** Sets every sample of the family; a series it does not set is absent from /metrics. */
  readonly samples: (set: SetSample<L>) => void;
}

/**
 * Registers a family on the exporter's registry with prom-client's own metric, whose `collect`
 * replaces every sample with the module's (node_exporter's const metrics): nothing is kept apart
 * from the module's state, so a series that left the state leaves /metrics in the same rendering.
 */
export function registerFamily<L extends string>(
  registry: Registry,
  family: CollectedFamily<L>,
): void {
  const { name, help, labelNames, samples } = family;
  const options = { name, help, labelNames, registers: [registry] };
  const refill = (metric: Gauge<L> | Counter<L>, set: SetSample<L>) => {
    metric.reset();
    // A family without labels keeps a 0 sample after reset(): it is shown only when set.
    if (labelNames.length === 0) metric.remove({});
    samples(set);
  };
  if (family.type === "gauge") {
    new Gauge<L>({
      ...options,
      collect() {
        refill(this, (labels, value) => this.set(labels, value));
      },
    });
  } else {
    new Counter<L>({
      ...options,
      collect() {
        refill(this, (labels, value) => this.inc(labels, value));
      },
    });
  }
}

/** A gauge of one sample per row with a value, labelled with the row's account. */
export function registerAccountGauge<Row extends { readonly account: LabelValue }>(
  registry: Registry,
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
