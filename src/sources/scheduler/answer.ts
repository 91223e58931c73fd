import { isRecord, LimitError, unexpected } from "../../upstream/json-checks.js";
import { readAccountId } from "../common/account-id.js";
import { DEFAULT_LIMITS, type AnswerLimits } from "../../config/flag-reader.js";
import { labelValue, ownLabel, type LabelValue } from "../../metrics/label-value.js";
import { checkAccountCount } from "../common/limits.js";
import { readCount } from "../common/upstream-numbers.js";

/** Scheduler generation types: the `-video:`, `-image:` or `-audio:` (speech) of their IDs. */
export const GENERATION_TYPES = ["video", "image", "audio"] as const;
export type GenerationType = (typeof GENERATION_TYPES)[number];

/** The keys an `executing[]` element may hold its ID under, and the type each one falls back to. */
const ID_KEYS: readonly (readonly [string, GenerationType])[] = [
  ["videoId", "video"],
  ["imageId", "image"],
  ["audioId", "audio"],
];

export function generationTypeLabel(type: GenerationType): LabelValue {
  return ownLabel(type);
}

/** One listed generation: `replyUrl`, `replyRef` (a webhook URL may hold a key) never copied. */
export interface ListedGeneration {
  /** Undefined unless exactly one ID key is set, to a string naming an account and a known type. */
  id: string | undefined;
  account: LabelValue | undefined;
  type: GenerationType | undefined;
  /** The ID names a type this exporter does not know (a `-music:` segment, say): not guessed. */
  unknownType: boolean;
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

const ACCOUNT_MARK = "minimax:";

/** A type segment of a generation ID, as `-video:`: the first one after the account ends it. */
const SEGMENT = /-([A-Za-z]+):/g;

const isGenerationType = (word: string): word is GenerationType =>
  (GENERATION_TYPES as readonly string[]).includes(word);

/** An ID whose type segment names no type this exporter knows. */
export const UNKNOWN_TYPE = "unknown_type";

/**
 * The account between `minimax:` and the first `-word:` after it, the word its type
 * (`user:1-minimax:567-audio:x`: speech of `567`), UNKNOWN_TYPE for an unknown word; with no
 * segment, the type `fallback` (its key's) and all that follows `minimax:`.
 */
export function readGenerationId(
  id: string,
  fallback?: GenerationType,
): { account: string; type: GenerationType } | typeof UNKNOWN_TYPE | undefined {
  const at = id.indexOf(ACCOUNT_MARK);
  if (at < 0) return undefined;
  const from = at + ACCOUNT_MARK.length;
  SEGMENT.lastIndex = from;
  const segment = SEGMENT.exec(id);
  if (segment === null) {
    return fallback !== undefined && id.length > from
      ? { account: id.slice(from), type: fallback }
      : undefined;
  }
  const word = segment[1] ?? "";
  if (!isGenerationType(word)) return UNKNOWN_TYPE;
  return segment.index > from ? { account: id.slice(from, segment.index), type: word } : undefined;
}

export function accountFromId(id: string): string | undefined {
  const read = readGenerationId(id);
  return typeof read === "object" ? read.account : undefined;
}

/** An element's ID and its key's type: undefined unless exactly one ID key is set, to a string. */
function idOf(entry: Record<string, unknown>): { id: string; key: GenerationType } | undefined {
  let found: { id: unknown; key: GenerationType } | undefined;
  for (const [name, key] of ID_KEYS) {
    const value = entry[name];
    if (value === undefined || value === null || value === "") continue;
    if (found !== undefined) return undefined;
    found = { id: value, key };
  }
  return typeof found?.id === "string" ? { id: found.id, key: found.key } : undefined;
}

function listAt(body: Record<string, unknown>, key: string): unknown[] {
  const list = body[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw unexpected(key, "a list", list);
  return list;
}

/** The distinct accounts of one answer, refused ones included, bounded by --useapi.max-accounts. */
function accountSet(max: number) {
  const seen = new Map<string, LabelValue>();
  const refused = new Set<string>();
  let last: LabelValue | undefined;
  return {
    /** The account if it may be a label, a repeat as the very same string; throws past `max`. */
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
 * Checks GET /v1/minimax/scheduler/available: a missing list is empty, an element not an object
 * fails the poll, odd fields are kept unreadable. The type is the one the ID names, whichever key
 * holds it (the documentation puts an image under `videoId`); the key types only an ID naming none.
 */
export function parseSchedulerAnswer(
  body: unknown,
  limits: AnswerLimits = DEFAULT_LIMITS,
): SchedulerAnswer {
  if (!isRecord(body)) throw unexpected("$", "an object", body);
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
    if (!isRecord(entry)) throw unexpected(`available[${i}]`, "an object", entry);
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
    if (!isRecord(entry)) throw unexpected(`executing[${i}]`, "a generation object", entry);
    const found = idOf(entry);
    const read = found === undefined ? undefined : readGenerationId(found.id, found.key);
    const known = typeof read === "object" ? read : undefined;
    const account = known === undefined ? undefined : accounts.take(known.account);
    if (known !== undefined && account === undefined) continue;
    executing[kept++] = {
      id: known === undefined ? undefined : found?.id,
      account,
      type: known?.type,
      unknownType: read === UNKNOWN_TYPE,
      started: entry["started"],
      elapsed: entry["elapsed"],
    };
  }
  executing.length = kept;
  return { executing, available, invalidLabels: accounts.refused() };
}
