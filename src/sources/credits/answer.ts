import { isRecord, unexpected } from "../../upstream/json-checks.js";
import { INVALID_LABEL_VALUE, labelValue, type LabelValue } from "../../metrics/label-value.js";
import {
  INVALID_COUNT,
  INVALID_TIMESTAMP,
  readCount,
  readTimestampMs,
} from "../common/upstream-numbers.js";

/** Its kinds of useapi_minimax_payload_anomalies_total: a plan, count or time the checks refuse. */
export const CREDITS_ANOMALY_KINDS = [
  INVALID_LABEL_VALUE,
  INVALID_COUNT,
  INVALID_TIMESTAMP,
] as const;
export type CreditsAnomaly = (typeof CREDITS_ANOMALY_KINDS)[number];

/** One call per account. */
export function creditsPath(account: string): string {
  return `/v1/minimax/features/?account=${encodeURIComponent(account)}`;
}

/** A batch of credits and when it ends, in Unix milliseconds. */
export interface CreditBatch {
  credit: number;
  endTimeMs: number;
}

/** What is kept of GET /v1/minimax/features/, of a fixed size: each field undefined when odd. */
export interface Credits {
  totalCredits: number | undefined;
  videoCost: number | undefined;
  queueLength: number | undefined;
  imageQueueLength: number | undefined;
  plan: LabelValue | undefined;
  batches: Batches | undefined;
  /** Fields present but refused by the checks, each left out. */
  anomalies: Readonly<Record<CreditsAnomaly, number>>;
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

/** Reads one answer's fields through the checks, counting each present value they refuse. */
function fieldReader(nowMs: number) {
  const anomalies: Record<CreditsAnomaly, number> = {
    [INVALID_LABEL_VALUE]: 0,
    [INVALID_COUNT]: 0,
    [INVALID_TIMESTAMP]: 0,
  };
  const checked = <T>(value: unknown, read: T | undefined, kind: CreditsAnomaly) => {
    if (read === undefined && value !== undefined && value !== null) anomalies[kind]++;
    return read;
  };
  return {
    anomalies,
    count: (value: unknown) => checked(value, readCount(value), INVALID_COUNT),
    timestamp: (value: unknown) => checked(value, readTimestampMs(value, nowMs), INVALID_TIMESTAMP),
    label: (value: unknown) =>
      checked(
        value,
        typeof value === "string" ? labelValue(value) : undefined,
        INVALID_LABEL_VALUE,
      ),
  };
}

/** The next expiry, no list kept; undefined when the list or a batch is odd (it could be next). */
function batches(value: unknown, read: ReturnType<typeof fieldReader>): Batches | undefined {
  if (!Array.isArray(value)) return undefined;
  let next: NextExpiry | undefined;
  for (const entry of value as unknown[]) {
    if (!isRecord(entry)) return undefined;
    const credit = read.count(entry["credit"]);
    if (credit === undefined) return undefined;
    const endTimeMs = read.timestamp(entry["endTime"]);
    if (endTimeMs === undefined) return undefined;
    next = earlier(next, { credit, endTimeMs });
  }
  return { next };
}

/** One account's answer at `nowMs`, else PayloadError; odd fields unknown, refused ones counted. */
export function parseCreditsAnswer(body: unknown, nowMs: number): Credits {
  if (!isRecord(body)) throw unexpected("$", "an object", body);
  const read = fieldReader(nowMs);
  const member = body["memberName"];
  return {
    totalCredits: read.count(body["totalCredits"]),
    videoCost: read.count(body["videoCost"]),
    queueLength: read.count(body["queueLength"]),
    imageQueueLength: read.count(body["imageQueueLength"]),
    plan: member === "" ? undefined : read.label(member),
    batches: batches(body["creditExpireText"], read),
    anomalies: read.anomalies,
  };
}

/** The next expiry of the batches with credits left, as listed (even one whose end has passed). */
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
