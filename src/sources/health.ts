import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { OUTCOMES, type Outcome } from "../upstream/outcome.js";

/** The upstream endpoints the exporter reads, each reporting its own health. */
export const SOURCES = ["jobs", "accounts", "job_status"] as const;
export type Source = (typeof SOURCES)[number];

export interface SourceMetrics {
  record(source: Source, outcome: Outcome, durationSeconds: number, atMs: number): void;
}

export function createSourceMetrics(registry: Registry, enabled: readonly Source[]): SourceMetrics {
  const registers = [registry];
  const up = new Gauge({
    name: "useapi_minimax_source_up",
    help: "1 if the last request to this upstream endpoint succeeded, else 0.",
    labelNames: ["source"] as const,
    registers,
  });
  const lastSuccess = new Gauge({
    name: "useapi_minimax_source_last_success_timestamp_seconds",
    help: "Unix time of the last successful request to this upstream endpoint.",
    labelNames: ["source"] as const,
    registers,
  });
  const duration = new Histogram({
    name: "useapi_minimax_source_duration_seconds",
    help: "Duration of requests to this upstream endpoint, whatever their outcome.",
    labelNames: ["source"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const requests = new Counter({
    name: "useapi_minimax_source_requests_total",
    help: "Requests to this upstream endpoint by outcome.",
    labelNames: ["source", "outcome"] as const,
    registers,
  });
  // Counters start at 0; up and the timestamp appear with the first request, so that an endpoint
  // not asked yet (job_status before any job finished) does not look down.
  for (const source of enabled) {
    for (const outcome of OUTCOMES) requests.inc({ source, outcome }, 0);
  }
  return {
    record(source, outcome, durationSeconds, atMs) {
      requests.inc({ source, outcome });
      duration.observe({ source }, durationSeconds);
      up.set({ source }, outcome === "success" ? 1 : 0);
      if (outcome === "success") lastSuccess.set({ source }, atMs / 1000);
    },
  };
}
