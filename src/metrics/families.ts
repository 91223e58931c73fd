// The two families a failed rendering still shows (rendering.ts), also in the exporter's registry.

/** The headline gauge; set from the jobs list's health (sources/health.ts). */
export const UP = {
  name: "useapi_minimax_up",
  help: "1 if the last poll of the jobs list (GET /v1/minimax/agent/jobs) succeeded, else 0.",
} as const;

export const RENDERING_FAILURES = {
  name: "useapi_minimax_rendering_failures_total",
  help: "Renderings of the /metrics body that failed; /metrics then says up 0 until one succeeds.",
} as const;
