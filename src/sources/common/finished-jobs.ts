import type { LabelValue } from "../../metrics/label-value.js";

export const JOB_STATUSES = ["completed", "failed", "unknown"] as const;
export type FinalStatus = (typeof JOB_STATUSES)[number];

/** A job that was running in the previous successful answer and is missing from this one. */
export interface FinishedJob {
  jobId: string;
  account: LabelValue;
  /** The elapsed time last seen, undefined when it never parsed. */
  lastElapsedSeconds: number | undefined;
}

/** The jobs that left one answer, and how to record each one's final status. */
export interface FinishedBatch {
  jobs: readonly FinishedJob[];
  readonly settle: (job: FinishedJob, status: FinalStatus) => void;
}
