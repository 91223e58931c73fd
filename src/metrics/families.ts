/**
 * The families the exporter writes as text itself, from plain data, and the order in which
 * /metrics shows them: ahead of prom-client's. Every other family is prom-client's, on the
 * exporter's own registry; rendering.ts refuses at startup a name that would stand in both.
 */

export interface FamilyMeta {
  readonly name: string;
  readonly help: string;
  readonly type: "gauge" | "counter" | "histogram";
}

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

const FROM_SCHEDULER = "(from the background poll of GET /v1/minimax/scheduler/available)";

export const GENERATIONS_EXECUTING = {
  name: "useapi_minimax_generations_executing",
  help: `Video and image generations running on the MiniMax account, by type ${FROM_SCHEDULER}.`,
  type: "gauge",
} as const satisfies FamilyMeta;

export const GENERATION_MAX_ELAPSED = {
  name: "useapi_minimax_generation_max_elapsed_seconds",
  help: `Elapsed seconds of the account's longest-running generation of the type, 0 when idle ${FROM_SCHEDULER}.`,
  type: "gauge",
} as const satisfies FamilyMeta;

export const VIDEO_SLOTS = {
  name: "useapi_minimax_video_slots",
  help: `Video generations the account may run at once (maxJobs) ${FROM_SCHEDULER}.`,
  type: "gauge",
} as const satisfies FamilyMeta;

export const VIDEO_SLOTS_AVAILABLE = {
  name: "useapi_minimax_video_slots_available",
  help: `Video generation slots of the account free now (available) ${FROM_SCHEDULER}.`,
  type: "gauge",
} as const satisfies FamilyMeta;

export const GENERATIONS_STARTED = {
  name: "useapi_minimax_generations_started_total",
  help: "Generations seen appearing in the scheduler's list between two successful polls.",
  type: "counter",
} as const satisfies FamilyMeta;

export const GENERATIONS_FINISHED = {
  name: "useapi_minimax_generations_finished_total",
  help: "Generations that left the scheduler's list.",
  type: "counter",
} as const satisfies FamilyMeta;

export const GENERATION_DURATION = {
  name: "useapi_minimax_generation_duration_seconds",
  help: "Run time of finished generations: the elapsed time last seen before they left the list.",
  type: "histogram",
} as const satisfies FamilyMeta;

/** The hand-written families in the order /metrics shows them. */
export const HAND_WRITTEN_FAMILIES = [
  JOBS_EXECUTING,
  JOB_MAX_ELAPSED,
  JOBS_STARTED,
  JOBS_FINISHED,
  JOB_DURATION,
  GENERATIONS_EXECUTING,
  GENERATION_MAX_ELAPSED,
  VIDEO_SLOTS,
  VIDEO_SLOTS_AVAILABLE,
  GENERATIONS_STARTED,
  GENERATIONS_FINISHED,
  GENERATION_DURATION,
] as const satisfies readonly FamilyMeta[];
export type HandWrittenFamily = (typeof HAND_WRITTEN_FAMILIES)[number]["name"];

/** The headline gauge (prom-client's); named here because a failed rendering writes it by hand. */
export const UP = {
  name: "useapi_minimax_up",
  help: `1 if the last poll of the useapi.net API succeeded, else 0 ${FROM_JOBS}.`,
} as const;

export const RENDERING_FAILURES = {
  name: "useapi_minimax_rendering_failures_total",
  help: "Renderings of the /metrics body that failed; /metrics then says up 0 until one succeeds.",
} as const;
