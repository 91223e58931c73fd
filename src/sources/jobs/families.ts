import type { FamilyMeta } from "../../metrics/families.js";

const FROM_JOBS = "(from the background poll of GET /v1/minimax/agent/jobs)";

export const JOBS_EXECUTING = {
  name: "useapi_minimax_agent_jobs_executing",
  help: `Agent jobs currently executing on the MiniMax account ${FROM_JOBS}.`,
  type: "gauge",
} as const satisfies FamilyMeta;

export const JOB_MAX_ELAPSED = {
  name: "useapi_minimax_agent_job_max_elapsed_seconds",
  help: `Elapsed seconds of the account's longest-running agent job, 0 when idle ${FROM_JOBS}.`,
  type: "gauge",
} as const satisfies FamilyMeta;

export const JOBS_STARTED = {
  name: "useapi_minimax_agent_jobs_started_total",
  help: "Agent jobs seen appearing in the running list between two successful polls.",
  type: "counter",
} as const satisfies FamilyMeta;

export const JOBS_FINISHED = {
  name: "useapi_minimax_agent_jobs_finished_total",
  help: "Agent jobs that left the running list, by final status (completed, failed or unknown).",
  type: "counter",
} as const satisfies FamilyMeta;

export const JOB_DURATION = {
  name: "useapi_minimax_agent_job_duration_seconds",
  help: "Run time of finished agent jobs: the elapsed time last seen before they left the list.",
  type: "histogram",
} as const satisfies FamilyMeta;

/** The jobs list's hand-written families, in /metrics order. */
export const JOBS_FAMILIES: readonly FamilyMeta[] = [
  JOBS_EXECUTING,
  JOB_MAX_ELAPSED,
  JOBS_STARTED,
  JOBS_FINISHED,
  JOB_DURATION,
];
