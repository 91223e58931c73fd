import { registerFamily, type Families } from "./family.js";

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
  const counts = new Map<string, Map<string, number>>();
  for (const [source, list] of kinds) counts.set(source, new Map(list.map((kind) => [kind, 0])));
  registerFamily(registry, {
    name: "useapi_minimax_payload_anomalies_total",
    help: "Inconsistencies tolerated in otherwise valid upstream answers, by source and kind.",
    type: "counter",
    labelNames: ["source", "kind"],
    samples(set) {
      for (const [source, byKind] of counts) {
        for (const [kind, count] of byKind) set({ source, kind }, count);
      }
    },
  });
  return (source) => (kind, count) => {
    if (count <= 0) return;
    let byKind = counts.get(source);
    if (byKind === undefined) counts.set(source, (byKind = new Map<string, number>()));
    byKind.set(kind, (byKind.get(kind) ?? 0) + count);
  };
}
