import { describeValue, isRecord, LimitError, PayloadError } from "../../upstream/json-checks.js";
import { safeText } from "../../upstream/redaction.js";
import { readAccountId } from "../common/account-id.js";

/**
 * Rows asked for per poll. Rows show 5 to 15 minutes after their request, so one answer must hold
 * every request of one interval plus that latency: 20 minutes at the default 5m, which 10,000 rows
 * cover up to 500 requests a minute. A MiniMax row is about 190 bytes (timestamp, jobid, config,
 * endpoint, status, code, msec), so a full answer is about 1.9 MB: under half the default 4 MiB
 * --useapi.max-response-bytes, room for rows twice as long. Busier tokens show as usage_rows_missed.
 */
export const USAGE_LIMIT = 10_000;
export const USAGE_PATH = `/v2/account/stats?bot=minimax&limit=${USAGE_LIMIT}`;
/** The most the upstream returns (its documented bound on `limit`); more is refused. */
export const MAX_USAGE_ROWS = 50_000;
/** Longest account or endpoint label; longer ones are cut (and end in …). */
export const MAX_LABEL_CHARS = 64;
/** Longest job ID remembered between answers; a row with a longer one is not counted. */
export const MAX_JOB_ID_CHARS = 256;
export const UNKNOWN = "unknown";

/** What is kept of one row: nothing else of it (prompts, captcha data) is ever copied out. */
export interface UsageRow {
  readonly jobId: string;
  /** The row's `config`, cut to MAX_LABEL_CHARS; `unknown` when missing. */
  readonly account: string;
  readonly endpoint: string;
  /** An integer from 100 to 599 as text, else `unknown`. */
  readonly code: string;
  /** `msec` in seconds; undefined when missing or not a non-negative number. */
  readonly seconds: number | undefined;
}

export interface UsageAnswer {
  readonly rows: readonly UsageRow[];
  /** Length of `data[]`, the unreadable rows included: whether the answer was full. */
  readonly listed: number;
  /** Rows without a usable `jobid` (or not objects): never counted. */
  readonly invalidRows: number;
  /** Rows counted with an `unknown` label or without a duration. */
  readonly oddRows: number;
}

function label(value: unknown): string | undefined {
  const text = readAccountId(value);
  return text === undefined ? undefined : safeText(text, [], MAX_LABEL_CHARS);
}

function statusCode(value: unknown): string | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599
    ? String(value)
    : undefined;
}

/**
 * Checks GET /v2/account/stats: `data[]` in any order. An answer without `data` has no rows (the
 * upstream omits `summary` then, and may omit more); `summary` and `total` are not read, since the
 * rows are what is counted.
 */
export function parseUsageAnswer(body: unknown): UsageAnswer {
  if (!isRecord(body))
    throw new PayloadError("$", `expected an object, got ${describeValue(body)}`);
  const bot = body["bot"];
  if (bot !== undefined && bot !== "minimax")
    throw new PayloadError("bot", "expected minimax, the bot asked for");
  const data = body["data"];
  if (data === undefined || data === null)
    return { rows: [], listed: 0, invalidRows: 0, oddRows: 0 };
  if (!Array.isArray(data))
    throw new PayloadError("data", `expected a list, got ${describeValue(data)}`);
  if (data.length > MAX_USAGE_ROWS)
    throw new LimitError(
      `${data.length} usage rows, more than the ${MAX_USAGE_ROWS} asked at most`,
    );
  const rows: UsageRow[] = [];
  let invalidRows = 0;
  let oddRows = 0;
  for (const row of data as unknown[]) {
    const jobId = isRecord(row) ? row["jobid"] : undefined;
    if (typeof jobId !== "string" || jobId === "" || jobId.length > MAX_JOB_ID_CHARS) {
      invalidRows++;
      continue;
    }
    const r = row as Record<string, unknown>;
    const account = label(r["config"]);
    const endpoint = label(r["endpoint"]);
    const code = statusCode(r["code"]);
    const msec = r["msec"];
    const seconds =
      typeof msec === "number" && msec >= 0 && msec < Infinity ? msec / 1000 : undefined;
    if (
      account === undefined ||
      endpoint === undefined ||
      code === undefined ||
      seconds === undefined
    )
      oddRows++;
    rows.push({
      jobId,
      account: account ?? UNKNOWN,
      endpoint: endpoint ?? UNKNOWN,
      code: code ?? UNKNOWN,
      seconds,
    });
  }
  return { rows, listed: data.length, invalidRows, oddRows };
}
