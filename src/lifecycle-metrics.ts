import { Counter, Histogram, type Registry } from "prom-client";
import { JOB_STATUSES, type FinalStatus } from "./job-status.js";
import type { FinishedJob } from "./lifecycle.js";

/** From the 20 s of a simple job to the 15-minute expiry. */
export const DURATION_BUCKETS = [20, 30, 45, 60, 90, 120, 180, 300, 450, 600, 750, 900];

export interface LifecycleMetrics {
  /** Exports the account's counters at 0 the first time it is seen, so rate() sees the first job. */
  recordAccounts(accounts: Iterable<string>): void;
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
    recordAccounts(accounts) {
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
      if (job.lastElapsedSeconds !== undefined) {
        duration.observe({ account: job.account }, job.lastElapsedSeconds);
      }
    },
    recordFinished(job, status) {
      finished.inc({ account: job.account, status });
    },
  };
}
