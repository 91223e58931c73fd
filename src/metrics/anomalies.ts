import { Counter, type Registry } from "prom-client";

/** Adds to one kind of useapi_minimax_payload_anomalies_total, for the source it was made for. */
export type AnomalyCount = (kind: string, count: number) => void;

/**
 * The registry's one anomaly counter, labelled by source and kind; every kind of every source is
 * exported at 0 from the start. Returns the counting function of each source.
 */
export function createAnomalies(
  registry: Registry,
  kinds: ReadonlyMap<string, readonly string[]>,
): (source: string) => AnomalyCount {
  const counter = new Counter({
    name: "useapi_minimax_payload_anomalies_total",
    help: "Inconsistencies tolerated in otherwise valid upstream answers, by source and kind.",
    labelNames: ["source", "kind"] as const,
    registers: [registry],
  });
  for (const [source, list] of kinds) for (const kind of list) counter.inc({ source, kind }, 0);
  return (source) => (kind, count) => {
    if (count > 0) counter.inc({ source, kind }, count);
  };
}
