import type { Families } from "../../metrics/family.js";
import type { AnomalyCount } from "../../metrics/anomalies.js";
import type { LabelValue } from "../../metrics/label-value.js";
import type { AnswerLimits } from "../../config/flag-reader.js";
import type { AccountBook, Channel } from "../channels.js";
import type { FinishedBatch, FinishedJob } from "../common/finished-jobs.js";
import { createIdDiff } from "../common/id-diff.js";
import type { Source } from "../source.js";
import { JOBS_PATH, parseJobsAnswer, type JobsAnswer } from "./answer.js";
import { registerJobsFamilies } from "./families.js";
import {
  ANOMALY_KINDS,
  toSnapshot,
  type AccountState,
  type Snapshot,
  type SnapshotJob,
} from "./snapshot.js";

export interface JobsSourceOptions {
  registry: Families;
  intervalMs: number;
  /** Bounds on one answer; beyond them it is refused as `limit_exceeded`. */
  limits?: AnswerLimits | undefined;
  countAnomaly: AnomalyCount;
  /** Where jobs that left the list go to be looked up; unheard, they count unknown. */
  finished: Channel<FinishedBatch>;
  /** Where the accounts of each answer are reported; none by default. */
  accounts?: AccountBook | undefined;
}

export interface JobsSource extends Source<JobsAnswer> {
  /** The last good snapshot; still shown on the landing page after failures. */
  snapshot(): Snapshot | undefined;
}

/** GET /v1/minimax/agent/jobs: running jobs per account, and their lifecycle between answers. */
export function createJobsSource(options: JobsSourceOptions): JobsSource {
  const { limits, countAnomaly } = options;
  let snapshot: Snapshot | undefined;
  // The per-account gauges are dropped when stale; the snapshot stays for the landing page.
  let exported: readonly AccountState[] = [];
  const lifecycle = registerJobsFamilies(options.registry, {
    exported: () => exported,
    accounts: () => snapshot?.accounts.length ?? 0,
  });
  const diff = createIdDiff((job: SnapshotJob) => job.jobId);
  const settle: FinishedBatch["settle"] = (job, status) =>
    lifecycle.finished({ account: job.account }, status);

  return {
    name: "jobs",
    title: "the jobs list",
    path: JOBS_PATH,
    intervalMs: options.intervalMs,
    parse: (body) => parseJobsAnswer(body, limits),
    update(answer, nowMs) {
      snapshot = toSnapshot(answer, nowMs);
      exported = snapshot.accounts;
      for (const kind of ANOMALY_KINDS) countAnomaly(kind, snapshot.anomalies[kind]);
      const ids = snapshot.accounts.map((a) => a.account);
      lifecycle.keep(ids.map((account) => ({ account })));
      options.accounts?.report("jobs", ids, false);
      const change = diff.observe(snapshot.jobs);
      const started = new Map<LabelValue, number>();
      for (const job of change.started)
        started.set(job.account, (started.get(job.account) ?? 0) + 1);
      for (const [account, count] of started) lifecycle.started({ account }, count);
      const finished: FinishedJob[] = change.finished.map((job) => ({
        jobId: job.jobId,
        account: job.account,
        lastElapsedSeconds: job.elapsedSeconds,
      }));
      for (const job of finished) lifecycle.ended({ account: job.account }, job.lastElapsedSeconds);
      if (!options.finished.publish({ jobs: finished, settle })) {
        for (const job of finished) settle(job, "unknown");
      }
      return { accounts: snapshot.accounts.length };
    },
    drop() {
      exported = [];
    },
    snapshot: () => snapshot,
  };
}
