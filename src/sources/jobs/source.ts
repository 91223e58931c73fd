import { Gauge, type Registry } from "prom-client";
import type { AnomalyCount } from "../../metrics/anomalies.js";
import type { TextSink } from "../../metrics/mapped-sink.js";
import type { FamilyWriters } from "../../metrics/rendering.js";
import { perAccountSamples } from "../../metrics/text-format.js";
import type { AccountBook, Channel } from "../channels.js";
import type { FinishedBatch } from "../common/finished-jobs.js";
import type { AnswerLimits } from "../../config/flag-reader.js";
import type { Source } from "../source.js";
import { JOBS_PATH, parseJobsAnswer, type JobsAnswer } from "./answer.js";
import { JOB_MAX_ELAPSED, JOBS_EXECUTING } from "./families.js";
import { createJobTracker } from "./job-tracker.js";
import { createLifecycleMetrics } from "./lifecycle-families.js";
import { ANOMALY_KINDS, toSnapshot, type AccountState, type Snapshot } from "./snapshot.js";

const FROM_JOBS = "(from the background poll of GET /v1/minimax/agent/jobs)";

export interface JobsSourceOptions {
  registry: Registry;
  intervalMs: number;
  /** Bounds on one answer; beyond them it is refused as `limit_exceeded`. */
  limits?: AnswerLimits | undefined;
  /** Job IDs tracked between polls, at most. */
  maxTracked: number;
  countAnomaly: AnomalyCount;
  /** Where jobs that left the list go to be looked up; unheard, they count unknown. */
  finished: Channel<FinishedBatch>;
  /** Where the accounts of each answer are reported; none by default. */
  accounts?: AccountBook | undefined;
}

export interface JobsSource extends Source<JobsAnswer> {
  /** The last good snapshot; still shown on the landing page after failures. */
  snapshot(): Snapshot | undefined;
  /** The hand-written families of the jobs list. */
  readonly writers: FamilyWriters;
}

/** GET /v1/minimax/agent/jobs: running jobs per account, and their lifecycle between answers. */
export function createJobsSource(options: JobsSourceOptions): JobsSource {
  const { limits, countAnomaly } = options;
  const accountsGauge = new Gauge({
    name: "useapi_minimax_accounts",
    help: `MiniMax accounts configured for the token, from the last successful poll ${FROM_JOBS}.`,
    registers: [options.registry],
  });
  const tracker = createJobTracker({ maxTracked: options.maxTracked });
  const lifecycle = createLifecycleMetrics();
  const settle: FinishedBatch["settle"] = (job, status) => lifecycle.recordFinished(job, status);
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
    parse: (body) => parseJobsAnswer(body, limits),
    update(answer, nowMs) {
      snapshot = toSnapshot(answer, nowMs);
      exported = snapshot.accounts;
      accountsGauge.set(snapshot.accounts.length);
      for (const kind of ANOMALY_KINDS) countAnomaly(kind, snapshot.anomalies[kind]);
      const ids = snapshot.accounts.map((a) => a.account);
      lifecycle.setAccounts(ids);
      options.accounts?.report("jobs", ids, false);
      const change = tracker.observe(snapshot.jobs);
      lifecycle.recordStarted(change.started);
      for (const job of change.finished) lifecycle.recordLeft(job);
      const batch = { jobs: change.finished, settle };
      if (!options.finished.publish(batch)) {
        for (const job of change.finished) settle(job, "unknown");
      }
      return { accounts: snapshot.accounts.length };
    },
    drop() {
      exported = [];
    },
    snapshot: () => snapshot,
    writers: {
      [JOBS_EXECUTING.name]: gauge(JOBS_EXECUTING.name, (a) => a.executing),
      [JOB_MAX_ELAPSED.name]: gauge(JOB_MAX_ELAPSED.name, (a) => a.maxElapsedSeconds),
      ...lifecycle.writers,
    },
  };
}
