import { Gauge, type Registry } from "prom-client";
import { anomalyCounter } from "../../metrics/anomalies.js";
import { JOB_MAX_ELAPSED, JOBS_EXECUTING } from "../../metrics/families.js";
import type { TextSink } from "../../metrics/mapped-sink.js";
import type { FamilyWriters } from "../../metrics/rendering.js";
import { perAccountSamples } from "../../metrics/text-format.js";
import type { Source } from "../source.js";
import { JOBS_PATH, parsePayload, type JobsPayload, type PayloadLimits } from "./answer.js";
import { createJobTracker, type FinishedJob } from "./job-tracker.js";
import { createLifecycleMetrics, type LifecycleMetrics } from "./lifecycle-families.js";
import { ANOMALY_KINDS, toSnapshot, type AccountState, type Snapshot } from "./snapshot.js";

const FROM_JOBS = "(from the background poll of GET /v1/minimax/agent/jobs)";

export interface JobsSourceOptions {
  registry: Registry;
  intervalMs: number;
  /** Bounds on one answer; beyond them it is refused as `limit_exceeded`. */
  limits?: PayloadLimits | undefined;
  /** Job IDs tracked between polls, at most. */
  maxTracked: number;
  /** Jobs that left the list: looked up, or counted unknown, by the wiring. */
  onFinished(jobs: readonly FinishedJob[]): void;
}

export interface JobsSource extends Source<JobsPayload> {
  /** The last good snapshot; still shown on the landing page after failures. */
  snapshot(): Snapshot | undefined;
  /** The started, finished and duration counts; final statuses are recorded here. */
  readonly lifecycle: LifecycleMetrics;
  /** The hand-written families of the jobs list. */
  readonly writers: FamilyWriters;
}

/** GET /v1/minimax/agent/jobs: running jobs per account, and their lifecycle between answers. */
export function createJobsSource(options: JobsSourceOptions): JobsSource {
  const { registry, limits } = options;
  const registers = [registry];
  const accountsGauge = new Gauge({
    name: "useapi_minimax_accounts",
    help: `MiniMax accounts configured for the token, from the last successful poll ${FROM_JOBS}.`,
    registers,
  });
  const countAnomaly = anomalyCounter(registry, ANOMALY_KINDS);
  const tracker = createJobTracker({ maxTracked: options.maxTracked });
  const lifecycle = createLifecycleMetrics();
  let snapshot: Snapshot | undefined;
  // The per-account gauges are dropped when stale; the snapshot stays for the landing page.
  let exported: readonly AccountState[] = [];

  const gauge = (name: string, value: (account: AccountState) => number) => (out: TextSink) =>
    perAccountSamples(out, name, exported, value);

  return {
    name: "jobs",
    title: "the jobs list",
    path: JOBS_PATH,
    intervalMs: options.intervalMs,
    parse: (body) => parsePayload(body, limits),
    update(answer, nowMs) {
      snapshot = toSnapshot(answer, nowMs);
      exported = snapshot.accounts;
      accountsGauge.set(snapshot.accounts.length);
      for (const kind of ANOMALY_KINDS) countAnomaly(kind, snapshot.anomalies[kind]);
      lifecycle.setAccounts(snapshot.accounts.map((a) => a.account));
      const change = tracker.observe(snapshot.jobs);
      lifecycle.recordStarted(change.started);
      for (const job of change.finished) lifecycle.recordLeft(job);
      options.onFinished(change.finished);
      return { accounts: snapshot.accounts.length };
    },
    drop() {
      exported = [];
    },
    snapshot: () => snapshot,
    lifecycle,
    writers: {
      [JOBS_EXECUTING.name]: gauge(JOBS_EXECUTING.name, (a) => a.executing),
      [JOB_MAX_ELAPSED.name]: gauge(JOB_MAX_ELAPSED.name, (a) => a.maxElapsedSeconds),
      ...lifecycle.writers,
    },
  };
}
