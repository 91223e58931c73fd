import {
  registerFamily,
  registerHistogram,
  type Families,
  type Labels,
} from "../../metrics/family.js";
import { createHistogram, observe, type Histogram } from "../../metrics/histogram.js";
import { ownLabel, ownLabels, type LabelValue } from "../../metrics/label-value.js";

/** The finished count of a family without statuses. */
const NO_STATUS = ownLabel("");

interface Named {
  readonly name: string;
  readonly help: string;
}

/** The three families of runs that start and finish between answers (agent jobs, generations). */
export interface LifecycleSpec {
  /** The labels of one series, e.g. account (and type). */
  readonly labelNames: readonly string[];
  readonly started: Named;
  /** With `statuses`, finished runs are counted by a `status` label too. */
  readonly finished: Named & { readonly statuses?: readonly string[] };
  readonly duration: Named & { readonly buckets: readonly number[] };
}

export interface Lifecycle {
  /** A successful answer's series: a new one starts at 0 (rate() sees its first run), others go. */
  keep(series: readonly Labels[]): void;
  started(labels: Labels, count: number): void;
  /** A run left the list after `seconds` (undefined when its time was never read). */
  ended(labels: Labels, seconds: number | undefined): void;
  finished(labels: Labels, status?: string): void;
}

/** One series of the three families; a family shows it once it was counted there. */
interface Series {
  readonly labels: Labels;
  /** Every counter set, at 0 or more, by keep(): an event alone makes only the series it counts. */
  counted: boolean;
  started?: number;
  /** By status (NO_STATUS without statuses). */
  readonly finished: Map<LabelValue, number>;
  duration?: Histogram;
}

export function createLifecycle(registry: Families, spec: LifecycleSpec): Lifecycle {
  const { labelNames } = spec;
  const statuses =
    spec.finished.statuses === undefined ? undefined : ownLabels(spec.finished.statuses);
  const { buckets } = spec.duration;
  const held = new Map<string, Series>();
  const keyOf = (labels: Labels) => JSON.stringify(labelNames.map((name) => labels[name]));
  const hold = (labels: Labels): Series => {
    const key = keyOf(labels);
    let series = held.get(key);
    if (series === undefined)
      held.set(key, (series = { labels, counted: false, finished: new Map() }));
    return series;
  };

  registerFamily(registry, {
    ...{ name: spec.started.name, help: spec.started.help, type: "counter", labelNames },
    samples(set) {
      for (const s of held.values()) if (s.started !== undefined) set(s.labels, s.started);
    },
  });
  registerFamily(registry, {
    ...{ name: spec.finished.name, help: spec.finished.help, type: "counter" },
    labelNames: statuses === undefined ? labelNames : [...labelNames, "status"],
    samples(set) {
      for (const s of held.values()) {
        for (const [status, count] of s.finished) {
          set(statuses === undefined ? s.labels : { ...s.labels, status }, count);
        }
      }
    },
  });
  registerHistogram(registry, {
    ...{ name: spec.duration.name, help: spec.duration.help, labelNames, buckets },
    samples(set) {
      for (const s of held.values()) if (s.duration !== undefined) set(s.labels, s.duration);
    },
  });
  const countFinished = (series: Series, status: LabelValue, count: number) =>
    series.finished.set(status, (series.finished.get(status) ?? 0) + count);

  return {
    keep(list) {
      const kept = new Map(list.map((labels) => [keyOf(labels), labels]));
      for (const key of held.keys()) if (!kept.has(key)) held.delete(key);
      for (const labels of kept.values()) {
        const series = hold(labels);
        if (series.counted) continue;
        series.started ??= 0;
        for (const status of statuses ?? [NO_STATUS]) countFinished(series, status, 0);
        series.counted = true;
      }
    },
    started(labels, count) {
      const series = hold(labels);
      series.started = (series.started ?? 0) + count;
    },
    ended(labels, seconds) {
      const series = hold(labels);
      if (seconds === undefined) return;
      series.duration ??= createHistogram(buckets);
      observe(series.duration, buckets, seconds);
    },
    finished(labels, status) {
      const own = status === undefined ? NO_STATUS : statuses?.find((s) => s === status);
      if (own === undefined) throw new Error(`${spec.finished.name}: no status ${String(status)}`);
      countFinished(hold(labels), own, 1);
    },
  };
}
