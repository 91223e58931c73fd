import { registerFamily, registerHistogram, type Families } from "../metrics/family.js";
import { UP } from "../metrics/families.js";
import { ownLabel, type LabelValue } from "../metrics/label-value.js";
import { createHistogram, observe, type Histogram } from "../metrics/histogram.js";
import { OUTCOMES, type Outcome } from "../upstream/outcome.js";

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What the exporter knows of one endpoint's health; the gauges read from it, never kept apart. */
export interface SourceStatus {
  lastOutcome: Outcome | undefined;
  /** Why the last poll failed, redacted and cut by the client; none after a success. */
  lastDetail?: string | undefined;
  lastPollAtMs: number | undefined;
  lastSuccessAtMs: number | undefined;
  /** No success within the staleness window: the per-account series are dropped. */
  stale: boolean;
}

export interface SourceHealth {
  /** One request to the source's endpoint: counted by outcome and timed. */
  request(source: string, outcome: Outcome, durationSeconds: number): void;
  /** Whether the source works after a poll (or a round of calls): up on `success`, else down. */
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

/** One enabled source: its checked label, its status, and its requests' counts and durations. */
interface SourceState {
  readonly label: LabelValue;
  readonly status: SourceStatus;
  readonly requests: Map<Outcome, number>;
  duration: Histogram | undefined;
}

const OUTCOME_LABELS = OUTCOMES.map((outcome) => [outcome, ownLabel(outcome)] as const);

/** The per-source health families, and useapi_minimax_up: the last poll of `headline` succeeded. */
export function createSourceHealth(
  registry: Families,
  enabled: readonly string[],
  headline: string,
): SourceHealth {
  // Every outcome of every source from the start, at 0; a duration from its first request.
  const sources = new Map<string, SourceState>(
    enabled.map((source) => [
      source,
      {
        label: ownLabel(source),
        status: {
          lastOutcome: undefined,
          lastPollAtMs: undefined,
          lastSuccessAtMs: undefined,
          stale: false,
        },
        requests: new Map(OUTCOMES.map((outcome) => [outcome, 0])),
        duration: undefined,
      },
    ]),
  );
  const stateOf = (source: string): SourceState => {
    const state = sources.get(source);
    if (state === undefined) throw new Error(`source ${source} is not enabled`);
    return state;
  };

  registerFamily(registry, {
    ...UP,
    ...{ type: "gauge", labelNames: [] },
    samples: (set) => set({}, sources.get(headline)?.status.lastOutcome === "success" ? 1 : 0),
  });
  // Up and its time from an endpoint's first request: job_status before any lookup is not down.
  const perSource = (name: string, help: string, value: (s: SourceStatus) => number | undefined) =>
    registerFamily(registry, {
      ...{ name, help, type: "gauge", labelNames: ["source"] },
      samples(set) {
        for (const { label, status } of sources.values()) {
          const v = value(status);
          if (v !== undefined) set({ source: label }, v);
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
      for (const { label, duration } of sources.values()) {
        if (duration !== undefined) set({ source: label }, duration);
      }
    },
  });
  registerFamily(registry, {
    name: "useapi_minimax_source_requests_total",
    help: "Requests to this upstream endpoint by outcome.",
    type: "counter",
    labelNames: ["source", "outcome"],
    samples(set) {
      for (const { label, requests } of sources.values()) {
        for (const [outcome, outcomeLabel] of OUTCOME_LABELS) {
          set({ source: label, outcome: outcomeLabel }, requests.get(outcome) ?? 0);
        }
      }
    },
  });

  const request: SourceHealth["request"] = (source, outcome, durationSeconds) => {
    const state = stateOf(source);
    state.requests.set(outcome, (state.requests.get(outcome) ?? 0) + 1);
    state.duration ??= createHistogram(DURATION_BUCKETS);
    observe(state.duration, DURATION_BUCKETS, durationSeconds);
  };
  const settle: SourceHealth["settle"] = (source, outcome, atMs, detail) => {
    const { status } = stateOf(source);
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
      stateOf(source).status.stale = stale;
    },
    status: (source) => stateOf(source).status,
  };
}
