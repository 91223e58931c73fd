import { isRecord, unexpected } from "../../upstream/json-checks.js";
import type { FinalStatus } from "../common/finished-jobs.js";

/** The lookup path, dots encoded too: a URL reads `%2E%2E` as `..` (isPlainJobId refuses those). */
export function jobPath(jobId: string): string {
  return `/v1/minimax/agent/${encodeURIComponent(jobId).replace(/\./g, "%2E")}`;
}

/** Only `status` is read: the rest (prompt, response) is the user's; "started" is still running. */
export function parseJobStatus(body: unknown): FinalStatus | "started" {
  if (!isRecord(body)) throw unexpected("$", "an object", body);
  const { status } = body;
  if (status === "completed" || status === "failed" || status === "started") return status;
  throw unexpected("status", "started, completed or failed", status);
}
