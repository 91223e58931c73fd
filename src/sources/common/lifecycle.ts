import { Counter, Histogram, type Registry } from "prom-client";
import { ownLabels, type LabelValue } from "../../metrics/label-value.js";

type Labels = Readonly<Record<string, LabelValue>>;

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
  /**
   * The series of a successful answer: a new one starts at 0 (so rate() sees its first run), and
   * every other series goes, which bounds memory and cardinality however the accounts churn.
   */
  keep(series: readonly Labels[]): void;
  started(labels: Labels, count: number): void;
  /** A run left the list after `seconds` (undefined when its time was never read). */
  ended(labels: Labels, seconds: number | undefined): void;
  finished(labels: Labels, status?: string): void;
}

/** The lifecycle families as prom-client counters and a histogram, and the series they hold. */
export function createLifecycle(registry: Registry, spec: LifecycleSpec): Lifecycle {
  const { labelNames } = spec;
  const statuses =
    spec.finished.statuses === undefined ? undefined : ownLabels(spec.finished.statuses);
  const registers = [registry];
  const started = new Counter({ ...spec.started, labelNames, registers });
  const finished = new Counter({
    ...{ name: spec.finished.name, help: spec.finished.help, registers },
    labelNames: statuses === undefined ? labelNames : [...labelNames, "status"],
  });
  const duration = new Histogram({
    ...{ name: spec.duration.name, help: spec.duration.help, labelNames, registers },
    buckets: [...spec.duration.buckets],
  });
  const withStatus = (labels: Labels): Labels[] =>
    statuses === undefined ? [labels] : statuses.map((status) => ({ ...labels, status }));
  /**
   * Every series some family holds, by its label values; `counted` once its counters were all
   * set, at 0 or more (an event alone makes only the series it counts).
   */
  const held = new Map<string, { labels: Labels; counted: boolean }>();
  const keyOf = (labels: Labels) => JSON.stringify(labelNames.map((name) => labels[name]));
  const hold = (labels: Labels) => {
    const key = keyOf(labels);
    if (!held.has(key)) held.set(key, { labels, counted: false });
  };

  return {
    keep(series) {
      const kept = new Map(series.map((labels) => [keyOf(labels), labels]));
      for (const [key, { labels }] of held) {
        if (kept.has(key)) continue;
        started.remove(labels);
        for (const each of withStatus(labels)) finished.remove(each);
        duration.remove(labels);
        held.delete(key);
      }
      for (const [key, labels] of kept) {
        if (held.get(key)?.counted === true) continue;
        started.inc(labels, 0);
        for (const each of withStatus(labels)) finished.inc(each, 0);
        held.set(key, { labels, counted: true });
      }
    },
    started(labels, count) {
      hold(labels);
      started.inc(labels, count);
    },
    ended(labels, seconds) {
      hold(labels);
      if (seconds !== undefined) duration.observe(labels, seconds);
    },
    finished(labels, status) {
      hold(labels);
      if (status === undefined) {
        finished.inc(labels);
        return;
      }
      const own = statuses?.find((s) => s === status);
      if (own === undefined) throw new Error(`${spec.finished.name}: no status ${status}`);
      finished.inc({ ...labels, status: own });
    },
  };
}
