import { INVALID_LABEL_VALUE, type LabelValue } from "../../metrics/label-value.js";
import { parseElapsed } from "../common/elapsed.js";
import { isPlainJobId } from "../common/job-id.js";
import type { Job, JobsAnswer } from "./answer.js";

export const ANOMALY_KINDS = [
  "summary_mismatch",
  "invalid_summary",
  "unparsable_elapsed",
  "duplicate_job",
  "odd_job_id",
  INVALID_LABEL_VALUE,
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export interface AccountState {
  account: LabelValue;
  executing: number;
  maxElapsedSeconds: number;
}

/** A running job as seen in one answer; its ID is tracked, never exported as a label. */
export interface SnapshotJob {
  jobId: string;
  account: LabelValue;
  elapsedSeconds: number | undefined;
}

export interface Snapshot {
  takenAtMs: number;
  /** Upstream order, listed ones first: sorting took a third of toSnapshot at 50,000 accounts. */
  accounts: AccountState[];
  /** Every distinct running job, in upstream order. */
  jobs: SnapshotJob[];
  anomalies: Record<AnomalyKind, number>;
}

const NO_JOBS: readonly Job[] = [];
/** Up to this many jobs, duplicates are found by comparing with the account's earlier jobs. */
const SHORT_LIST = 8;

function seenIn(running: readonly SnapshotJob[], from: number, jobId: string): boolean {
  for (let i = from; i < running.length; i++) if (running[i]?.jobId === jobId) return true;
  return false;
}

/** Normalises a checked answer into per-account values. Pure: the time is handed in. */
export function toSnapshot(answer: JobsAnswer, nowMs: number): Snapshot {
  const anomalies: Record<AnomalyKind, number> = {
    summary_mismatch: 0,
    invalid_summary: 0,
    unparsable_elapsed: 0,
    duplicate_job: 0,
    odd_job_id: 0,
    [INVALID_LABEL_VALUE]: answer.invalidLabels,
  };

  const ids = new Set(answer.accounts);
  for (const id of answer.summary.keys()) ids.add(id);
  for (const id of answer.executing.keys()) ids.add(id);

  const accounts: AccountState[] = [];
  const running: SnapshotJob[] = [];
  const seen = new Set<string>(); // for long lists only; reused: one allocation per poll
  for (const account of ids) {
    const jobs = answer.executing.get(account) ?? NO_JOBS;
    const first = running.length; // this account's jobs are running[first..]
    const long = jobs.length > SHORT_LIST;
    if (long) seen.clear();
    let maxElapsedSeconds = 0;
    for (const job of jobs) {
      if (long ? seen.has(job.jobId) : seenIn(running, first, job.jobId)) {
        anomalies.duplicate_job++;
        continue;
      }
      if (long) seen.add(job.jobId);
      if (!isPlainJobId(job.jobId)) anomalies.odd_job_id++;
      const seconds = parseElapsed(job.elapsed);
      running.push({ jobId: job.jobId, account, elapsedSeconds: seconds });
      if (seconds === undefined) anomalies.unparsable_elapsed++;
      else if (seconds > maxElapsedSeconds) maxElapsedSeconds = seconds;
    }
    const distinct = running.length - first;

    const reported = answer.summary.get(account);
    if (reported === "invalid") anomalies.invalid_summary++;
    else if (reported !== undefined && reported !== distinct) anomalies.summary_mismatch++;
    const executing = typeof reported === "number" ? reported : distinct;
    accounts.push({ account, executing, maxElapsedSeconds });
  }

  return { takenAtMs: nowMs, accounts, jobs: running, anomalies };
}
