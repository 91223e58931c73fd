import { describe, isRecord, PayloadError } from "./boundary.js";

export const JOB_STATUSES = ["completed", "failed", "unknown"] as const;
export type FinalStatus = (typeof JOB_STATUSES)[number];

export function jobPath(jobId: string): string {
  return `/v1/minimax/agent/${encodeURIComponent(jobId)}`;
}

/**
 * Reads only `status` from GET /v1/minimax/agent/{jobId}: the rest (prompt, response) is user
 * content that is never looked at. "started" means the upstream still runs the job.
 */
export function parseJobStatus(body: unknown): FinalStatus | "started" {
  if (!isRecord(body)) throw new PayloadError("$", `expected an object, got ${describe(body)}`);
  const { status } = body;
  if (status === "completed" || status === "failed" || status === "started") return status;
  throw new PayloadError(
    "status",
    `expected started, completed or failed, got ${describe(status)}`,
  );
}
