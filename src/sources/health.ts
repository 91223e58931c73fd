import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { OUTCOMES, type Outcome } from "../upstream/outcome.js";
import { UP } from "../metrics/families.js";
import type { SourceName } from "./source.js";

/** What the exporter knows of one endpoint's health; the gauges are read from it, never kept apart. */
export interface SourceStatus {
  lastOutcome: Outcome | undefined;
  lastPollAtMs: number | undefined;
  lastSuccessAtMs: number | undefined;
  /** No success within the staleness window: the per-account series are dropped. */
  stale: boolean;
}

export interface SourceHealth {
  record(source: SourceName, outcome: Outcome, durationSeconds: number, atMs: number): void;
  setStale(source: SourceName, stale: boolean): void;
  status(source: SourceName): Readonly<SourceStatus>;
}

/**
 * The per-source health families, and useapi_minimax_up, the headline: 1 when the last poll of
 * the jobs list succeeded.
 */
export function createSourceHealth(
  registry: Registry,
  enabled: readonly SourceName[],
): SourceHealth {
  const statuses = new Map<SourceName, SourceStatus>(
    enabled.map((source) => [
      source,
      {
        lastOutcome: undefined,
        lastPollAtMs: undefined,
        lastSuccessAtMs: undefined,
        stale: false,
      },
    ]),
  );
  const registers = [registry];
  const statusOf = (source: SourceName): SourceStatus => {
    const status = statuses.get(source);
    if (status === undefined) throw new Error(`source ${source} is not enabled`);
    return status;
  };

  new Gauge({
    ...UP,
    registers,
    collect() {
      this.set(statuses.get("jobs")?.lastOutcome === "success" ? 1 : 0);
    },
  });
  // Up and the timestamp appear with an endpoint's first request, so that one not asked yet
  // (job_status before any job finished) does not look down.
  new Gauge({
    name: "useapi_minimax_source_up",
    help: "1 if the last request to this upstream endpoint succeeded, else 0.",
    labelNames: ["source"] as const,
    registers,
    collect() {
      for (const [source, status] of statuses) {
        if (status.lastOutcome !== undefined) {
          this.set({ source }, status.lastOutcome === "success" ? 1 : 0);
        }
      }
    },
  });
  new Gauge({
    name: "useapi_minimax_source_last_success_timestamp_seconds",
    help: "Unix time of the last successful request to this upstream endpoint.",
    labelNames: ["source"] as const,
    registers,
    collect() {
      for (const [source, status] of statuses) {
        if (status.lastSuccessAtMs !== undefined) {
          this.set({ source }, status.lastSuccessAtMs / 1000);
        }
      }
    },
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
  for (const source of enabled) {
    for (const outcome of OUTCOMES) requests.inc({ source, outcome }, 0);
  }

  return {
    record(source, outcome, durationSeconds, atMs) {
      const status = statusOf(source);
      requests.inc({ source, outcome });
      duration.observe({ source }, durationSeconds);
      status.lastOutcome = outcome;
      status.lastPollAtMs = atMs;
      if (outcome === "success") {
        status.lastSuccessAtMs = atMs;
        status.stale = false;
      }
    },
    setStale(source, stale) {
      statusOf(source).stale = stale;
    },
    status: statusOf,
  };
}
