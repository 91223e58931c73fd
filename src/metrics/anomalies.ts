import { registerFamily, type Families } from "./family.js";
import { ownLabel, type LabelValue } from "./label-value.js";

/** Adds to one kind of useapi_minimax_payload_anomalies_total, for the source it was made for. */
export type AnomalyCount = (kind: string, count: number) => void;

/**
 * The registry's one anomaly counter, labelled by source and kind; every kind of every source is
 * exported at 0 from the start. Returns the counting function of each source.
 */
export function createAnomalies(
  registry: Families,
  kinds: ReadonlyMap<string, readonly string[]>,
): (source: string) => AnomalyCount {
  /** By source, then kind; each with its label value, checked once (label-value.ts). */
  const counts = new Map<
    string,
    { label: LabelValue; kinds: Map<string, { label: LabelValue; count: number }> }
  >();
  const entry = (source: string) => {
    let bySource = counts.get(source);
    if (bySource === undefined) {
      counts.set(source, (bySource = { label: ownLabel(source), kinds: new Map() }));
    }
    return bySource;
  };
  const kindEntry = (source: string, kind: string) => {
    const { kinds: byKind } = entry(source);
    let counted = byKind.get(kind);
    if (counted === undefined) byKind.set(kind, (counted = { label: ownLabel(kind), count: 0 }));
    return counted;
  };
  for (const [source, list] of kinds) for (const kind of list) kindEntry(source, kind);
  registerFamily(registry, {
    name: "useapi_minimax_payload_anomalies_total",
    help: "Inconsistencies tolerated in otherwise valid upstream answers, by source and kind.",
    type: "counter",
    labelNames: ["source", "kind"],
    samples(set) {
      for (const { label: source, kinds: byKind } of counts.values()) {
        for (const { label: kind, count } of byKind.values()) set({ source, kind }, count);
      }
    },
  });
  return (source) => (kind, count) => {
    if (count > 0) kindEntry(source, kind).count += count;
  };
}
