import { describeValue, isRecord, LimitError, PayloadError } from "../../upstream/json-checks.js";
import { readAccountId } from "../common/account-id.js";
import { DEFAULT_LIMITS, type AnswerLimits } from "../../config/flag-reader.js";
import { labelValue, ownLabel, type LabelValue } from "../../metrics/label-value.js";
import { checkAccountCount } from "../common/limits.js";
import { readCount } from "../common/upstream-numbers.js";

export const GENERATION_TYPES = ["video", "image"] as const;
export type GenerationType = (typeof GENERATION_TYPES)[number];

/** A generation type as the `type` label. */
export function generationTypeLabel(type: GenerationType): LabelValue {
  return ownLabel(type);
}

/**
 * One listed generation, reduced to what the exporter reads. `replyUrl` and `replyRef` are the
 * user's (a webhook URL may carry a key): they are never copied out of the body.
 */
export interface ListedGeneration {
  /**
   * undefined when the element has neither a string `videoId` nor `imageId`, or both, or when its
   * ID names no account.
   */
  id: string | undefined;
  account: LabelValue | undefined;
  type: GenerationType | undefined;
  started: unknown;
  elapsed: unknown;
}

/** One entry of `available[]`; a count that is not a whole number is undefined. */
export interface Capacity {
  account: LabelValue | undefined;
  maxJobs: number | undefined;
  executing: number | undefined;
  available: number | undefined;
  /** Speech in flight (`executingAudio`): undefined when absent, "invalid" when not a count. */
  executingAudio: number | "invalid" | undefined;
}

export interface SchedulerAnswer {
  executing: ListedGeneration[];
  available: Capacity[];
  /** Distinct account IDs, in `available[]` or generation IDs, refused as labels and left out. */
  invalidLabels: number;
}

export const SCHEDULER_PATH = "/v1/minimax/scheduler/available";

/** What stands before the account in a generation ID. */
const ACCOUNT_MARK = "minimax:";

/**
 * The account and type of a generation ID: the account stands between `minimax:` and the first
 * `-video:` or `-image:` after it, which gives the type: `user:1-minimax:567-video:x` is a video
 * of account `567`.
 */
export function readGenerationId(
  id: string,
): { account: string; type: GenerationType } | undefined {
  const at = id.indexOf(ACCOUNT_MARK);
  if (at < 0) return undefined;
  const from = at + ACCOUNT_MARK.length;
  const video = id.indexOf("-video:", from);
  const image = id.indexOf("-image:", from);
  const isVideo = video >= 0 && (image < 0 || video < image);
  const end = isVideo ? video : image;
  return end > from
    ? { account: id.slice(from, end), type: isVideo ? "video" : "image" }
    : undefined;
}

/** The account of a generation ID (see readGenerationId). */
export function accountFromId(id: string): string | undefined {
  return readGenerationId(id)?.account;
}

function listAt(body: Record<string, unknown>, key: string): unknown[] {
  const list = body[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list))
    throw new PayloadError(key, `expected a list, got ${describeValue(list)}`);
  return list;
}

/** The distinct accounts of one answer, refused ones included, bounded by --useapi.max-accounts. */
function accountSet(max: number) {
  const seen = new Map<string, LabelValue>();
  const refused = new Set<string>();
  let last: LabelValue | undefined;
  return {
    /**
     * The account if it may be a label; throws once more than `max` distinct ones were seen. The
     * same account as the last one taken is that very string (the next steps compare it at once).
     */
    take(account: string): LabelValue | undefined {
      if (account === last) return last;
      const known = seen.get(account);
      if (known !== undefined) return (last = known);
      if (refused.has(account)) return undefined;
      const safe = labelValue(account);
      if (safe === undefined) refused.add(account);
      else seen.set(account, safe);
      if (seen.size + refused.size > max) {
        throw new LimitError(
          `more than ${max} accounts in available[] and generation IDs: over --useapi.max-accounts`,
        );
      }
      return safe === undefined ? undefined : (last = safe);
    },
    refused: () => refused.size,
  };
}

/**
 * Checks GET /v1/minimax/scheduler/available. Missing or null lists mean "nothing running" and
 * "no capacity reported"; an element that is not an object fails the poll; odd fields inside one
 * are kept as unreadable and counted as anomalies later. A generation's type is the one its ID names; which
 * field holds the ID does not matter (the documentation's own example puts an image under
 * `videoId`).
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
  const accounts = accountSet(limits.maxAccounts);
  const available = new Array<Capacity>(rawAvailable.length);
  let kept = 0;
  for (let i = 0; i < rawAvailable.length; i++) {
    const entry: unknown = rawAvailable[i];
    if (!isRecord(entry)) {
      throw new PayloadError(`available[${i}]`, `expected an object, got ${describeValue(entry)}`);
    }
    const id = readAccountId(entry["account"]);
    const account = id === undefined ? undefined : accounts.take(id);
    if (id !== undefined && account === undefined) continue;
    const audio = entry["executingAudio"];
    available[kept++] = {
      account,
      maxJobs: readCount(entry["maxJobs"]),
      executing: readCount(entry["executing"]),
      available: readCount(entry["available"]),
      executingAudio:
        audio === undefined || audio === null ? undefined : (readCount(audio) ?? "invalid"),
    };
  }
  available.length = kept;
  // Sized once: grown element by element, a list of 50,000 is copied a dozen times.
  const executing = new Array<ListedGeneration>(rawExecuting.length);
  kept = 0;
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
    const id = isVideo === isImage ? undefined : isVideo ? video : (image as string);
    const read = id === undefined ? undefined : readGenerationId(id);
    const account = read === undefined ? undefined : accounts.take(read.account);
    if (read !== undefined && account === undefined) continue;
    executing[kept++] = {
      id: read === undefined ? undefined : id,
      account,
      type: read?.type,
      started: entry["started"],
      elapsed: entry["elapsed"],
    };
  }
  executing.length = kept;
  return { executing, available, invalidLabels: accounts.refused() };
}
