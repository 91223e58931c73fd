import { registerFamily, registerHistogram, type Families } from "../metrics/family.js";
import { UP } from "../metrics/families.js";
import { ownLabel } from "../metrics/label-value.js";
import { createHistogram, observe, type Histogram } from "../metrics/histogram.js";
import { OUTCOMES, type Outcome } from "../upstream/outcome.js";

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

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
  registry: Families,
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
  const statusOf = (source: string): SourceStatus => {
    const status = statuses.get(source);
    if (status === undefined) throw new Error(`source ${source} is not enabled`);
    return status;
  };
  // Every outcome of every source from the start, at 0; a duration from its first request.
  const labels = new Map(enabled.map((source) => [source, ownLabel(source)]));
  const outcomes = new Map(OUTCOMES.map((outcome) => [outcome, ownLabel(outcome)]));
  const requests = new Map(
    enabled.map((source) => [source, new Map(OUTCOMES.map((outcome) => [outcome, 0]))]),
  );
  const durations = new Map<string, Histogram>();
  const sourceLabel = (source: string) => labels.get(source) ?? ownLabel(source);

  registerFamily(registry, {
    ...UP,
    ...{ type: "gauge", labelNames: [] },
    samples: (set) => set({}, statuses.get(headline)?.lastOutcome === "success" ? 1 : 0),
  });
  // Up and the timestamp appear with an endpoint's first request, so that one not asked yet
  // (job_status before any job finished) does not look down.
  const perSource = (name: string, help: string, value: (s: SourceStatus) => number | undefined) =>
    registerFamily(registry, {
      ...{ name, help, type: "gauge", labelNames: ["source"] },
      samples(set) {
        for (const [source, status] of statuses) {
          const v = value(status);
          if (v !== undefined) set({ source: sourceLabel(source) }, v);
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
  registerHistogram(registry, {
    name: "useapi_minimax_source_duration_seconds",
    help: "Duration of requests to this upstream endpoint, whatever their outcome.",
    labelNames: ["source"],
    buckets: DURATION_BUCKETS,
    samples(set) {
      for (const [source, histogram] of durations) set({ source: sourceLabel(source) }, histogram);
    },
  });
  registerFamily(registry, {
    name: "useapi_minimax_source_requests_total",
    help: "Requests to this upstream endpoint by outcome.",
    type: "counter",
    labelNames: ["source", "outcome"],
    samples(set) {
      for (const [source, counts] of requests) {
        for (const [outcome, count] of counts) {
          set(
            { source: sourceLabel(source), outcome: outcomes.get(outcome) ?? ownLabel(outcome) },
            count,
          );
        }
      }
    },
  });

  const request: SourceHealth["request"] = (source, outcome, durationSeconds) => {
    statusOf(source);
    const counts = requests.get(source);
    counts?.set(outcome, (counts.get(outcome) ?? 0) + 1);
    let histogram = durations.get(source);
    if (histogram === undefined)
      durations.set(source, (histogram = createHistogram(DURATION_BUCKETS)));
    observe(histogram, DURATION_BUCKETS, durationSeconds);
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
