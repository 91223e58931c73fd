import { describeValue, isRecord, LimitError, PayloadError } from "../../upstream/json-checks.js";

export { PayloadError };

export const JOBS_PATH = "/v1/minimax/agent/jobs";

/** The upstream body of GET /v1/minimax/agent/jobs, checked at the client boundary. */
export interface JobsPayload {
  accounts: string[];
  /** Absent entries mean "not reported"; a bad entry is kept as `invalid` and counted later. */
  summary: Map<string, number | "invalid">;
  executing: Map<string, Job[]>;
}

/** What one answer may hold at most (--useapi.max-accounts, --useapi.max-jobs). */
export interface PayloadLimits {
  maxAccounts: number;
  maxJobs: number;
}

export const DEFAULT_LIMITS: PayloadLimits = { maxAccounts: 10_000, maxJobs: 100_000 };

/** Throws a LimitError as soon as `record` has more than `max` keys, without listing them. */
export function checkKeyCount(record: Record<string, unknown>, max: number, what: string): void {
  let count = 0;
  for (const key in record) {
    if (Object.hasOwn(record, key) && ++count > max) {
      throw new LimitError(`more than ${max} accounts in ${what}: over --useapi.max-accounts`);
    }
  }
}

export interface Job {
  jobId: string;
  /** The raw `elapsed` value; parsed during normalisation so a bad one only loses itself. */
  elapsed: unknown;
}

function accountId(value: unknown, path: string): string {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  throw new PayloadError(path, `expected an account ID, got ${describeValue(value)}`);
}

/**
 * Checks the shape of a parsed body. Missing `summary`/`executing` (or null) mean "no running
 * jobs"; a summary entry without a usable count is kept as invalid rather than failing the poll.
 */
export function parsePayload(body: unknown, limits: PayloadLimits = DEFAULT_LIMITS): JobsPayload {
  if (!isRecord(body))
    throw new PayloadError("$", `expected an object, got ${describeValue(body)}`);

  const { accounts: rawAccounts, summary: rawSummary, executing: rawExecuting } = body;
  if (!Array.isArray(rawAccounts)) {
    throw new PayloadError("accounts", `expected a list, got ${describeValue(rawAccounts)}`);
  }
  if (rawAccounts.length > limits.maxAccounts) {
    throw new LimitError(
      `${rawAccounts.length} accounts listed, more than --useapi.max-accounts=${limits.maxAccounts}`,
    );
  }
  const accounts = rawAccounts.map((a: unknown, i) => accountId(a, `accounts[${i}]`));

  const summary = new Map<string, number | "invalid">();
  if (rawSummary !== undefined && rawSummary !== null) {
    if (!isRecord(rawSummary)) {
      throw new PayloadError("summary", `expected an object, got ${describeValue(rawSummary)}`);
    }
    checkKeyCount(rawSummary, limits.maxAccounts, "summary");
    for (const [account, entry] of Object.entries(rawSummary)) {
      const count = isRecord(entry) ? entry["executing"] : undefined;
      summary.set(
        account,
        typeof count === "number" && Number.isSafeInteger(count) && count >= 0 ? count : "invalid",
      );
    }
  }

  const executing = new Map<string, Job[]>();
  if (rawExecuting !== undefined && rawExecuting !== null) {
    if (!isRecord(rawExecuting)) {
      throw new PayloadError("executing", `expected an object, got ${describeValue(rawExecuting)}`);
    }
    checkKeyCount(rawExecuting, limits.maxAccounts, "executing");
    let jobs = 0;
    for (const account in rawExecuting) {
      const list = rawExecuting[account];
      // Built only on failure: this loop runs once per account on every poll.
      const path = () => `executing[${JSON.stringify(account)}]`;
      if (list === null) continue;
      if (!Array.isArray(list)) {
        throw new PayloadError(path(), `expected a list, got ${describeValue(list)}`);
      }
      jobs += list.length;
      if (jobs > limits.maxJobs) {
        throw new LimitError(
          `more than ${limits.maxJobs} running jobs listed: over --useapi.max-jobs`,
        );
      }
      for (let i = 0; i < list.length; i++) {
        const job: unknown = list[i];
        if (!isRecord(job)) {
          throw new PayloadError(
            `${path()}[${i}]`,
            `expected a job object, got ${describeValue(job)}`,
          );
        }
        if (typeof job["jobId"] !== "string" || job["jobId"] === "") {
          throw new PayloadError(
            `${path()}[${i}].jobId`,
            `expected a string, got ${describeValue(job["jobId"])}`,
          );
        }
      }
      // Every element was just checked to carry a string jobId: the list is used as it is.
      executing.set(account, list as Job[]);
    }
  }

  return { accounts, summary, executing };
}
