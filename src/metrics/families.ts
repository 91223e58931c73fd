/**
 * A family the exporter writes as text itself, from plain data: each source module lists its own,
 * and /metrics shows them in the registry's order, ahead of prom-client's. Every other family is
 * prom-client's, on the exporter's own registry; rendering.ts refuses at startup a name that would
 * stand in both.
 */

export interface FamilyMeta {
  readonly name: string;
  readonly help: string;
  readonly type: "gauge" | "counter" | "histogram";
}

/** The headline gauge (prom-client's); named here because a failed rendering writes it by hand. */
export const UP = {
  name: "useapi_minimax_up",
  help: "1 if the last poll of the jobs list (GET /v1/minimax/agent/jobs) succeeded, else 0.",
} as const;

export const RENDERING_FAILURES = {
  name: "useapi_minimax_rendering_failures_total",
  help: "Renderings of the /metrics body that failed; /metrics then says up 0 until one succeeds.",
} as const;
