import { describeValue, isRecord, PayloadError } from "../../upstream/json-checks.js";
import { safeText } from "../../upstream/redaction.js";

/** Followed by the URL-encoded account: one call per account. */
export const CREDITS_PATH = "/v1/minimax/features/?account=";

/** Longest plan name kept as a label value; longer ones are cut. */
export const MAX_PLAN_CHARS = 64;

export function creditsPath(account: string): string {
  return CREDITS_PATH + encodeURIComponent(account);
}

/** A batch of credits and when it ends, in Unix milliseconds. */
export interface CreditBatch {
  credit: number;
  endTimeMs: number;
}

/**
 * What the exporter takes from GET /v1/minimax/features/: these fields only, each undefined when
 * missing or of an odd type; its size does not depend on the answer's. `batches` is undefined
 * unless every listed batch reads well.
 */
export interface Credits {
  totalCredits: number | undefined;
  videoCost: number | undefined;
  queueLength: number | undefined;
  imageQueueLength: number | undefined;
  plan: string | undefined;
  batches: Batches | undefined;
}

/** What is kept of `creditExpireText`: the next expiry, never the list itself. */
export interface Batches {
  readonly next: NextExpiry | undefined;
}

/** The earliest end of a batch with credits left, and the credits of the batches ending then. */
export interface NextExpiry {
  atMs: number;
  credits: number;
}

function amount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function plan(value: unknown): string | undefined {
  return typeof value === "string" && value !== ""
    ? safeText(value, [], MAX_PLAN_CHARS)
    : undefined;
}

/**
 * The next expiry of the batches, read one at a time with no list kept; undefined when the list is
 * missing or one of them is odd (it could be the next).
 */
function batches(value: unknown): Batches | undefined {
  if (!Array.isArray(value)) return undefined;
  let next: NextExpiry | undefined;
  for (const entry of value as unknown[]) {
    if (!isRecord(entry)) return undefined;
    const credit = amount(entry["credit"]);
    const endTimeMs = amount(entry["endTime"]);
    if (credit === undefined || endTimeMs === undefined) return undefined;
    next = earlier(next, { credit, endTimeMs });
  }
  return { next };
}

/** Checks one account's answer: an object, else a PayloadError; odd fields become unknown. */
export function parseCreditsAnswer(body: unknown): Credits {
  if (!isRecord(body)) {
    throw new PayloadError("$", `expected an object, got ${describeValue(body)}`);
  }
  return {
    totalCredits: amount(body["totalCredits"]),
    videoCost: amount(body["videoCost"]),
    queueLength: amount(body["queueLength"]),
    imageQueueLength: amount(body["imageQueueLength"]),
    plan: plan(body["memberName"]),
    batches: batches(body["creditExpireText"]),
  };
}

/**
 * The next expiry of `batches`: undefined when none has credits left. Batches are taken as the
 * upstream lists them, even one whose end has passed.
 */
export function nextExpiry(batches: readonly CreditBatch[]): NextExpiry | undefined {
  let next: NextExpiry | undefined;
  for (const batch of batches) next = earlier(next, batch);
  return next;
}

/** The next expiry once `batch` is taken into account. */
function earlier(next: NextExpiry | undefined, batch: CreditBatch): NextExpiry | undefined {
  const { credit, endTimeMs } = batch;
  if (credit <= 0) return next;
  if (next === undefined || endTimeMs < next.atMs) return { atMs: endTimeMs, credits: credit };
  if (endTimeMs === next.atMs) next.credits += credit;
  return next;
}
