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
 * missing or of an odd type. `batches` is undefined unless every listed batch reads well.
 */
export interface Credits {
  totalCredits: number | undefined;
  videoCost: number | undefined;
  queueLength: number | undefined;
  imageQueueLength: number | undefined;
  plan: string | undefined;
  batches: readonly CreditBatch[] | undefined;
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

/** Every batch, or undefined when the list is missing or one of them is odd (it could be the next). */
function batches(value: unknown): CreditBatch[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: CreditBatch[] = [];
  for (const entry of value as unknown[]) {
    if (!isRecord(entry)) return undefined;
    const credit = amount(entry["credit"]);
    const endTimeMs = amount(entry["endTime"]);
    if (credit === undefined || endTimeMs === undefined) return undefined;
    out.push({ credit, endTimeMs });
  }
  return out;
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
  for (const { credit, endTimeMs } of batches) {
    if (credit <= 0) continue;
    if (next === undefined || endTimeMs < next.atMs) next = { atMs: endTimeMs, credits: credit };
    else if (endTimeMs === next.atMs) next.credits += credit;
  }
  return next;
}
