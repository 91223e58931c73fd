import type { FinishedJob } from "../common/finished-jobs.js";
import type { SnapshotJob } from "./snapshot.js";

export interface LifecycleChange {
  /** Jobs that appeared since the previous answer, per account. */
  started: Map<string, number>;
  finished: FinishedJob[];
  /** Jobs beyond the tracking bound, ignored in this answer. */
  untracked: number;
}

export interface JobTracker {
  /** Compares a successful answer's jobs with the previous one. Linear in the number of jobs. */
  observe(jobs: readonly SnapshotJob[]): LifecycleChange;
  readonly tracked: number;
}

/**
 * Tracks job IDs across successful answers. The first answer only seeds the tracker: jobs already
 * running when the exporter starts are not counted as started. Memory holds the jobs of the last
 * answer only, at most `maxTracked` of them.
 */
export function createJobTracker({ maxTracked }: { maxTracked: number }): JobTracker {
  let known: Map<string, SnapshotJob> | undefined;
  return {
    observe(jobs) {
      const next = new Map<string, SnapshotJob>();
      const started = new Map<string, number>();
      let untracked = 0;
      for (const job of jobs) {
        if (next.size >= maxTracked) {
          untracked++;
          continue;
        }
        next.set(job.jobId, job);
        if (known !== undefined && !known.has(job.jobId)) {
          started.set(job.account, (started.get(job.account) ?? 0) + 1);
        }
      }
      const finished: FinishedJob[] = [];
      if (known !== undefined) {
        for (const [jobId, job] of known) {
          if (!next.has(jobId)) {
            finished.push({ jobId, account: job.account, lastElapsedSeconds: job.elapsedSeconds });
          }
        }
      }
      known = next;
      return { started, finished, untracked };
    },
    get tracked() {
      return known?.size ?? 0;
    },
  };
}
