import { describeValue, isRecord, PayloadError } from "../../upstream/json-checks.js";
import type { FinalStatus } from "../common/finished-jobs.js";

/**
 * The lookup path, every character that could change it percent-encoded, `.` too. A WHATWG URL
 * still reads a segment of only %2E as a dot segment: isPlainJobId refuses those IDs.
 */
export function jobPath(jobId: string): string {
  return `/v1/minimax/agent/${encodeURIComponent(jobId).replace(/\./g, "%2E")}`;
}

/**
 * Reads only `status` from GET /v1/minimax/agent/{jobId}: the rest (prompt, response) is user
 * content that is never looked at. "started" means the upstream still runs the job.
 */
export function parseJobStatus(body: unknown): FinalStatus | "started" {
  if (!isRecord(body))
    throw new PayloadError("$", `expected an object, got ${describeValue(body)}`);
  const { status } = body;
  if (status === "completed" || status === "failed" || status === "started") return status;
  throw new PayloadError(
    "status",
    `expected started, completed or failed, got ${describeValue(status)}`,
  );
}
