import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { OUTCOMES, type Outcome } from "../upstream/outcome.js";
import { UP } from "../metrics/families.js";

/** What the exporter knows of one endpoint's health; the gauges are read from it, never kept apart. */
export interface SourceStatus {
  lastOutcome: Outcome | undefined;
  /** Why the last poll failed, as the client made it safe to log (token replaced, cut); none after a success. */
  lastDetail?: string | undefined;
  lastPollAtMs: number | undefined;
  lastSuccessAtMs: number | undefined;
  /** No success within the staleness window: the per-account series are dropped. */
  stale: boolean;
}

export interface SourceHealth {
  /** One request to the source's endpoint: counted by outcome and timed. */
  request(source: string, outcome: Outcome, durationSeconds: number): void;
  /**
   * Whether the source works after a poll (or a round of calls): `success` is up, any other
   * outcome down; it sets the up, last-success and last-outcome the page and gauges show.
   */
  settle(source: string, outcome: Outcome, atMs: number, detail?: string): void;
  /** A poll of one request: `request`, then `settle` with its outcome. */
  record(
    source: string,
    outcome: Outcome,
    durationSeconds: number,
    atMs: number,
    detail?: string,
  ): void;
  setStale(source: string, stale: boolean): void;
  status(source: string): Readonly<SourceStatus>;
}

/**
 * The per-source health families, and useapi_minimax_up, the headline: 1 when the last poll of
 * the `headline` source (the jobs list) succeeded.
 */
export function createSourceHealth(
  registry: Registry,
  enabled: readonly string[],
  headline: string,
): SourceHealth {
  const statuses = new Map<string, SourceStatus>(
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
  const statusOf = (source: string): SourceStatus => {
    const status = statuses.get(source);
    if (status === undefined) throw new Error(`source ${source} is not enabled`);
    return status;
  };

  new Gauge({
    ...UP,
    registers,
    collect() {
      this.set(statuses.get(headline)?.lastOutcome === "success" ? 1 : 0);
    },
  });
  // Up and the timestamp appear with an endpoint's first request, so that one not asked yet
  // (job_status before any job finished) does not look down.
  const perSource = (name: string, help: string, value: (s: SourceStatus) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ["source"] as const,
      registers,
      collect() {
        for (const [source, status] of statuses) {
          const v = value(status);
          if (v !== undefined) this.set({ source }, v);
        }
      },
    });
  perSource(
    "useapi_minimax_source_up",
    "1 if this upstream endpoint works: its last poll succeeded (credits: its last round had no 401 or 403 and not every call failed), else 0.",
    (s) => (s.lastOutcome === undefined ? undefined : s.lastOutcome === "success" ? 1 : 0),
  );
  perSource(
    "useapi_minimax_source_last_success_timestamp_seconds",
    "Unix time of the last poll of this upstream endpoint that left it up.",
    (s) => (s.lastSuccessAtMs === undefined ? undefined : s.lastSuccessAtMs / 1000),
  );
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

  const request: SourceHealth["request"] = (source, outcome, durationSeconds) => {
    statusOf(source);
    requests.inc({ source, outcome });
    duration.observe({ source }, durationSeconds);
  };
  const settle: SourceHealth["settle"] = (source, outcome, atMs, detail) => {
    const status = statusOf(source);
    status.lastOutcome = outcome;
    status.lastDetail = outcome === "success" ? undefined : detail;
    status.lastPollAtMs = atMs;
    if (outcome === "success") {
      status.lastSuccessAtMs = atMs;
      status.stale = false;
    }
  };
  return {
    request,
    settle,
    record(source, outcome, durationSeconds, atMs, detail) {
      request(source, outcome, durationSeconds);
      settle(source, outcome, atMs, detail);
    },
    setStale(source, stale) {
      statusOf(source).stale = stale;
    },
    status: statusOf,
  };
}
