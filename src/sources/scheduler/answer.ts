import { describeValue, isRecord, LimitError, PayloadError } from "../../upstream/json-checks.js";
import { readAccountId } from "../common/account-id.js";
import { checkAccountCount, DEFAULT_LIMITS, type AnswerLimits } from "../common/limits.js";

export const GENERATION_TYPES = ["video", "image"] as const;
export type GenerationType = (typeof GENERATION_TYPES)[number];

/**
 * One listed generation, reduced to what the exporter reads. `replyUrl` and `replyRef` are the
 * user's (a webhook URL may carry a key): they are never copied out of the body.
 */
export interface ListedGeneration {
  /** undefined when the element has neither a string `videoId` nor `imageId`, or both. */
  id: string | undefined;
  type: GenerationType | undefined;
  started: unknown;
  elapsed: unknown;
}

/** One entry of `available[]`; a count that is not a whole number is undefined. */
export interface Capacity {
  account: string | undefined;
  maxJobs: number | undefined;
  executing: number | undefined;
  available: number | undefined;
}

export interface SchedulerAnswer {
  executing: ListedGeneration[];
  available: Capacity[];
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function listAt(body: Record<string, unknown>, key: string): unknown[] {
  const list = body[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list))
    throw new PayloadError(key, `expected a list, got ${describeValue(list)}`);
  return list;
}

/**
 * Checks GET /v1/minimax/scheduler/available. Missing or null lists mean "nothing running" and
 * "no capacity reported"; an element that is not an object fails the poll; odd fields inside one
 * are kept as unreadable and counted as anomalies later.
 */
export function parseSchedulerAnswer(
  body: unknown,
  limits: AnswerLimits = DEFAULT_LIMITS,
): SchedulerAnswer {
  if (!isRecord(body))
    throw new PayloadError("$", `expected an object, got ${describeValue(body)}`);
  const rawExecuting = listAt(body, "executing");
  const rawAvailable = listAt(body, "available");
  if (rawExecuting.length > limits.maxJobs) {
    throw new LimitError(
      `${rawExecuting.length} running generations listed, more than --useapi.max-jobs=${limits.maxJobs}`,
    );
  }
  checkAccountCount(rawAvailable.length, limits.maxAccounts, "accounts");
  const executing: ListedGeneration[] = new Array<ListedGeneration>(rawExecuting.length);
  for (let i = 0; i < rawExecuting.length; i++) {
    const entry: unknown = rawExecuting[i];
    if (!isRecord(entry)) {
      throw new PayloadError(
        `executing[${i}]`,
        `expected a generation object, got ${describeValue(entry)}`,
      );
    }
    const video = entry["videoId"];
    const image = entry["imageId"];
    const isVideo = typeof video === "string" && video !== "";
    const isImage = typeof image === "string" && image !== "";
    executing[i] = {
      id: isVideo === isImage ? undefined : isVideo ? video : (image as string),
      type: isVideo === isImage ? undefined : isVideo ? "video" : "image",
      started: entry["started"],
      elapsed: entry["elapsed"],
    };
  }
  const available: Capacity[] = rawAvailable.map((entry: unknown, i) => {
    if (!isRecord(entry)) {
      throw new PayloadError(`available[${i}]`, `expected an object, got ${describeValue(entry)}`);
    }
    return {
      account: readAccountId(entry["account"]),
      maxJobs: count(entry["maxJobs"]),
      executing: count(entry["executing"]),
      available: count(entry["available"]),
    };
  });
  return { executing, available };
}
