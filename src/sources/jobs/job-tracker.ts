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

/** A tracked job: its account, its elapsed time in the last answer that listed it, that answer. */
interface Tracked {
  readonly account: string;
  elapsedSeconds: number | undefined;
  seen: number;
}

/**
 * Tracks job IDs across successful answers. The first answer only seeds the tracker: jobs already
 * running when the exporter starts are not counted as started. Memory holds the jobs of the last
 * answer only, at most `maxTracked` of them. One map is kept from answer to answer: a job still
 * running is one lookup, and only started and finished jobs change the map.
 */
export function createJobTracker({ maxTracked }: { maxTracked: number }): JobTracker {
  const known = new Map<string, Tracked>();
  let answers = 0;
  return {
    observe(jobs) {
      const answer = ++answers;
      const started = new Map<string, number>();
      let listed = 0;
      let untracked = 0;
      for (const job of jobs) {
        if (listed >= maxTracked) {
          untracked++;
          continue;
        }
        const tracked = known.get(job.jobId);
        if (tracked === undefined) {
          known.set(job.jobId, {
            account: job.account,
            elapsedSeconds: job.elapsedSeconds,
            seen: answer,
          });
          if (answer > 1) started.set(job.account, (started.get(job.account) ?? 0) + 1);
          listed++;
        } else if (tracked.seen !== answer) {
          tracked.seen = answer;
          tracked.elapsedSeconds = job.elapsedSeconds;
          listed++;
        }
      }
      const finished: FinishedJob[] = [];
      if (known.size > listed) {
        for (const [jobId, job] of known) {
          if (job.seen === answer) continue;
          finished.push({ jobId, account: job.account, lastElapsedSeconds: job.elapsedSeconds });
          known.delete(jobId);
        }
      }
      return { started, finished, untracked };
    },
    get tracked() {
      return known.size;
    },
  };
}
