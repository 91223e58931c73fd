import { registerFamily, type Families } from "./family.js";
import { ownLabel, type LabelValue } from "./label-value.js";

/** Adds to one kind of useapi_minimax_payload_anomalies_total, for the source it was made for. */
export type AnomalyCount = (kind: string, count: number) => void;

/** The one anomaly counter, every kind of every source at 0 from the start; a count per source. */
export function createAnomalies(
  registry: Families,
  kinds: ReadonlyMap<string, readonly string[]>,
): (source: string) => AnomalyCount {
  const counts = new Map<string, { source: LabelValue; kind: LabelValue; count: number }>();
  const entry = (source: string, kind: string) => {
    const key = JSON.stringify([source, kind]);
    let counted = counts.get(key);
    if (counted === undefined)
      counts.set(key, (counted = { source: ownLabel(source), kind: ownLabel(kind), count: 0 }));
    return counted;
  };
  for (const [source, list] of kinds) for (const kind of list) entry(source, kind);
  registerFamily(registry, {
    name: "useapi_minimax_payload_anomalies_total",
    help: "Inconsistencies tolerated in otherwise valid upstream answers, by source and kind.",
    type: "counter",
    labelNames: ["source", "kind"],
    samples(set) {
      for (const { source, kind, count } of counts.values()) set({ source, kind }, count);
    },
  });
  return (source) => (kind, count) => {
    if (count > 0) entry(source, kind).count += count;
  };
}
