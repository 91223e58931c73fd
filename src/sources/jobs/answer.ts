import { describeValue, isRecord, LimitError, PayloadError } from "../../upstream/json-checks.js";
import { isLabelSafeAccountId, readAccountId } from "../common/account-id.js";
import { DEFAULT_LIMITS, type AnswerLimits } from "../../config/flag-reader.js";
import { checkAccountCount, checkKeyCount } from "../common/limits.js";

export const JOBS_PATH = "/v1/minimax/agent/jobs";

/** The answer of GET /v1/minimax/agent/jobs, checked at the client boundary. */
export interface JobsAnswer {
  accounts: string[];
  /** Absent entries mean "not reported"; a bad entry is kept as `invalid` and counted later. */
  summary: Map<string, number | "invalid">;
  executing: Map<string, Job[]>;
  /** Distinct account IDs left out everywhere: too long, or not well-formed UTF-16. */
  unreadableAccounts: number;
}

export interface Job {
  jobId: string;
  /** The raw `elapsed` value; parsed during normalisation so a bad one only loses itself. */
  elapsed: unknown;
}

function accountId(value: unknown, path: string): string {
  const id = readAccountId(value);
  if (id === undefined) {
    throw new PayloadError(path, `expected an account ID, got ${describeValue(value)}`);
  }
  return id;
}

/**
 * Checks the shape of a parsed answer. Missing `summary`/`executing` (or null) mean "no running
 * jobs"; a summary entry without a usable count is kept as invalid rather than failing the poll.
 */
export function parseJobsAnswer(body: unknown, limits: AnswerLimits = DEFAULT_LIMITS): JobsAnswer {
  if (!isRecord(body))
    throw new PayloadError("$", `expected an object, got ${describeValue(body)}`);

  const { accounts: rawAccounts, summary: rawSummary, executing: rawExecuting } = body;
  if (!Array.isArray(rawAccounts)) {
    throw new PayloadError("accounts", `expected a list, got ${describeValue(rawAccounts)}`);
  }
  checkAccountCount(rawAccounts.length, limits.maxAccounts, "accounts");
  const refused = new Set<string>();
  const accounts: string[] = [];
  for (let i = 0; i < rawAccounts.length; i++) {
    const id = accountId(rawAccounts[i], `accounts[${i}]`);
    if (isLabelSafeAccountId(id)) accounts.push(id);
    else refused.add(id);
  }

  const summary = new Map<string, number | "invalid">();
  if (rawSummary !== undefined && rawSummary !== null) {
    if (!isRecord(rawSummary)) {
      throw new PayloadError("summary", `expected an object, got ${describeValue(rawSummary)}`);
    }
    checkKeyCount(rawSummary, limits.maxAccounts, "summary");
    for (const [account, entry] of Object.entries(rawSummary)) {
      if (!isLabelSafeAccountId(account)) {
        refused.add(account);
        continue;
      }
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
      if (!isLabelSafeAccountId(account)) {
        refused.add(account);
        continue;
      }
      // Every element was just checked to carry a string jobId: the list is used as it is.
      executing.set(account, list as Job[]);
    }
  }

  return { accounts, summary, executing, unreadableAccounts: refused.size };
}
