import { Counter, Histogram, type Registry } from "prom-client";
import { JOB_STATUSES, type FinalStatus } from "./job-status.js";
import type { FinishedJob } from "./lifecycle.js";

/** From the 20 s of a simple job to the 15-minute expiry. */
export const DURATION_BUCKETS = [20, 30, 45, 60, 90, 120, 180, 300, 450, 600, 750, 900];

export interface LifecycleMetrics {
  /**
   * The accounts of a successful answer: a new account's counters start at 0 (so rate() sees its
   * first job), and an account that left loses its lifecycle series, which bounds memory and
   * cardinality however the accounts churn.
   */
  setAccounts(accounts: readonly string[]): void;
  recordStarted(started: ReadonlyMap<string, number>): void;
  /** A job left the list: its last elapsed time feeds the duration histogram. */
  recordLeft(job: FinishedJob): void;
  recordFinished(job: FinishedJob, status: FinalStatus): void;
}

export function createLifecycleMetrics(registry: Registry): LifecycleMetrics {
  const registers = [registry];
  const started = new Counter({
    name: "useapi_minimax_agent_jobs_started_total",
    help: "Agent jobs seen appearing in the running list between two successful polls.",
    labelNames: ["account"] as const,
    registers,
  });
  const finished = new Counter({
    name: "useapi_minimax_agent_jobs_finished_total",
    help: "Agent jobs that left the running list, by final status (completed, failed or unknown).",
    labelNames: ["account", "status"] as const,
    registers,
  });
  const duration = new Histogram({
    name: "useapi_minimax_agent_job_duration_seconds",
    help: "Run time of finished agent jobs: the elapsed time last seen before they left the list.",
    labelNames: ["account"] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const seen = new Set<string>();
  return {
    setAccounts(accounts) {
      const current = new Set(accounts);
      for (const account of seen) {
        if (current.has(account)) continue;
        seen.delete(account);
        started.remove({ account });
        for (const status of JOB_STATUSES) finished.remove({ account, status });
        duration.remove({ account });
      }
      for (const account of accounts) {
        if (seen.has(account)) continue;
        seen.add(account);
        started.inc({ account }, 0);
        for (const status of JOB_STATUSES) finished.inc({ account, status }, 0);
      }
    },
    recordStarted(counts) {
      for (const [account, count] of counts) started.inc({ account }, count);
    },
    recordLeft(job) {
      seen.add(job.account);
      if (job.lastElapsedSeconds !== undefined) {
        duration.observe({ account: job.account }, job.lastElapsedSeconds);
      }
    },
    recordFinished(job, status) {
      seen.add(job.account);
      finished.inc({ account: job.account, status });
    },
  };
}
