import type { Families } from "../../metrics/family.js";
import { registerAccountGauge, registerFamily } from "../../metrics/family.js";
import { JOB_STATUSES } from "../common/finished-jobs.js";
import { createLifecycle, type Lifecycle } from "../common/lifecycle.js";
import type { AccountState } from "./snapshot.js";

const FROM_JOBS = "(from the background poll of GET /v1/minimax/agent/jobs)";

/** From the 20 s of a simple job to the 15-minute expiry. */
export const DURATION_BUCKETS = [20, 30, 45, 60, 90, 120, 180, 300, 450, 600, 750, 900];

/** What the jobs list's families read at each rendering. */
export interface JobsState {
  /** The per-account values exported now (none once they went stale). */
  readonly exported: () => readonly AccountState[];
  /** The accounts of the last successful answer, 0 before one. */
  readonly accounts: () => number;
}

/** The jobs list's families: the per-account gauges, the account count and the job lifecycle. */
export function registerJobsFamilies(registry: Families, state: JobsState): Lifecycle {
  const gauge = (name: string, help: string, value: (a: AccountState) => number) =>
    registerAccountGauge(registry, { name, help: `${help} ${FROM_JOBS}.` }, state.exported, value);
  gauge(
    "useapi_minimax_agent_jobs_executing",
    "Agent jobs currently executing on the MiniMax account",
    (a) => a.executing,
  );
  gauge(
    "useapi_minimax_agent_job_max_elapsed_seconds",
    "Elapsed seconds of the account's longest-running agent job, 0 when idle",
    (a) => a.maxElapsedSeconds,
  );
  registerFamily(registry, {
    name: "useapi_minimax_accounts",
    help: `MiniMax accounts configured for the token, from the last successful poll ${FROM_JOBS}.`,
    type: "gauge",
    labelNames: [],
    samples: (set) => set({}, state.accounts()),
  });
  return createLifecycle(registry, {
    labelNames: ["account"],
    started: {
      name: "useapi_minimax_agent_jobs_started_total",
      help: "Agent jobs seen appearing in the running list between two successful polls.",
    },
    finished: {
      name: "useapi_minimax_agent_jobs_finished_total",
      help: "Agent jobs that left the running list, by final status (completed, failed or unknown).",
      statuses: JOB_STATUSES,
    },
    duration: {
      name: "useapi_minimax_agent_job_duration_seconds",
      help: "Run time of finished agent jobs: the elapsed time last seen before they left the list.",
      buckets: DURATION_BUCKETS,
    },
  });
}
