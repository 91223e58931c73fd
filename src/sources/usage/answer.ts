import { isRecord, LimitError, PayloadError, unexpected } from "../../upstream/json-checks.js";
import { labelValue, ownLabel, ownLabels, type LabelValue } from "../../metrics/label-value.js";
import { readAccountId } from "../common/account-id.js";

/**
 * Rows per poll: an interval plus the 5-15 min rows lag (20 at 5m) at up to 500 requests a minute;
 * at about 190 bytes a row, 1.9 MB, under half the default 4 MiB cap. Busier: usage_rows_missed.
 */
export const USAGE_LIMIT = 10_000;
export const USAGE_PATH = `/v2/account/stats?bot=minimax&limit=${USAGE_LIMIT}`;
/** The most the upstream returns (its documented bound on `limit`); more is refused. */
export const MAX_USAGE_ROWS = 50_000;
/** Longest job ID remembered between answers; a row with a longer one is not counted. */
export const MAX_JOB_ID_CHARS = 256;
export const UNKNOWN = ownLabel("unknown");

/** A row's duration when its `msec` is missing or not a non-negative number. */
export const NO_DURATION = -1;

/** An answer's rows as columns (entry i of each is row i): no other field copied, no row object. */
export interface UsageAnswer {
  /** The rows with a usable `jobid`, in the answer's order. */
  readonly jobIds: readonly string[];
  /** Each row's `config`; `unknown` when missing. */
  readonly accounts: readonly LabelValue[];
  readonly endpoints: readonly LabelValue[];
  /** An integer from 100 to 599 as text, else `unknown`. */
  readonly codes: readonly LabelValue[];
  /** `msec` in seconds; NO_DURATION when missing or not a non-negative number. */
  readonly seconds: Float64Array;
  /** Length of `data[]`, the unreadable rows included: whether the answer was full. */
  readonly listed: number;
  /** Rows without a usable `jobid` (or not objects): never counted. */
  readonly invalidRows: number;
  /** Rows counted with an `unknown` label or without a duration. */
  readonly oddRows: number;
  /** Rows whose `config` or `endpoint` the label check refused: never counted. */
  readonly invalidLabels: number;
}

/** The text of each code from 100 to 599, made once rather than once per row. */
const CODE_TEXT = ownLabels(
  Array.from({ length: 600 }, (_, code) => (code >= 100 ? String(code) : UNKNOWN)),
);

/** Refused by the label check: the row is not counted. */
const REFUSED = Symbol("refused");

/** The label of `config` or `endpoint`: a string or a whole number; undefined when neither. */
function label(value: unknown): LabelValue | undefined | typeof REFUSED {
  const text = readAccountId(value);
  return text === undefined ? undefined : (labelValue(text) ?? REFUSED);
}

/**
 * Checks GET /v2/account/stats: `data[]` in any order, none without `data` (the upstream then omits
 * `summary` and may omit more); `summary` and `total` unread, rows read in place, field by field.
 */
export function parseUsageAnswer(body: unknown): UsageAnswer {
  if (!isRecord(body)) throw unexpected("$", "an object", body);
  const bot = body["bot"];
  if (bot !== undefined && bot !== "minimax")
    throw new PayloadError("bot", "expected minimax, the bot asked for");
  const data = body["data"] ?? [];
  if (!Array.isArray(data)) throw unexpected("data", "a list", data);
  if (data.length > MAX_USAGE_ROWS)
    throw new LimitError(
      `${data.length} usage rows, more than the ${MAX_USAGE_ROWS} asked at most`,
    );
  const listed = data.length;
  // Made at their longest and cut once: pushing would copy each column as it grows.
  const jobIds = new Array<string>(listed);
  const accounts = new Array<LabelValue>(listed);
  const endpoints = new Array<LabelValue>(listed);
  const codes = new Array<LabelValue>(listed);
  const seconds = new Float64Array(listed);
  let kept = 0;
  let invalidRows = 0;
  let oddRows = 0;
  let invalidLabels = 0;
  for (let i = 0; i < listed; i++) {
    const row: unknown = data[i];
    const jobId = isRecord(row) ? row["jobid"] : undefined;
    if (typeof jobId !== "string" || jobId === "" || jobId.length > MAX_JOB_ID_CHARS) {
      invalidRows++;
      continue;
    }
    const r = row as Record<string, unknown>;
    const account = label(r["config"]);
    const endpoint = label(r["endpoint"]);
    if (account === REFUSED || endpoint === REFUSED) {
      invalidLabels++;
      continue;
    }
    const code = r["code"];
    const msec = r["msec"];
    const known = typeof code === "number" && Number.isInteger(code) && code >= 100 && code <= 599;
    const timed = typeof msec === "number" && msec >= 0 && msec < Infinity;
    if (account === undefined || endpoint === undefined || !known || !timed) oddRows++;
    jobIds[kept] = jobId;
    accounts[kept] = account ?? UNKNOWN;
    endpoints[kept] = endpoint ?? UNKNOWN;
    codes[kept] = known ? (CODE_TEXT[code] as LabelValue) : UNKNOWN;
    seconds[kept++] = timed ? msec / 1000 : NO_DURATION;
  }
  if (kept < listed) jobIds.length = accounts.length = endpoints.length = codes.length = kept;
  return {
    jobIds,
    accounts,
    endpoints,
    codes,
    seconds: seconds.subarray(0, kept),
    listed,
    invalidRows,
    oddRows,
    invalidLabels,
  };
}
