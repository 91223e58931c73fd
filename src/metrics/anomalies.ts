import { Counter, type Registry } from "prom-client";

const ANOMALIES = {
  name: "useapi_minimax_payload_anomalies_total",
  help: "Inconsistencies tolerated in otherwise valid upstream answers, by kind.",
} as const;

/** Adds to one kind of useapi_minimax_payload_anomalies_total. */
export type AnomalyCount = (kind: string, count: number) => void;

/**
 * The registry's one anomaly counter, shared by every source; each source's kinds start at 0.
 * Found by name on the registry, so that each source asks for it without knowing the others.
 */
export function anomalyCounter(registry: Registry, kinds: readonly string[]): AnomalyCount {
  const counter =
    (registry.getSingleMetric(ANOMALIES.name) as Counter<"kind"> | undefined) ??
    new Counter({ ...ANOMALIES, labelNames: ["kind"] as const, registers: [registry] });
  for (const kind of kinds) counter.inc({ kind }, 0);
  return (kind, count) => {
    if (count > 0) counter.inc({ kind }, count);
  };
}
