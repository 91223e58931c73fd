import { isRecord, LimitError, unexpected } from "../../upstream/json-checks.js";
import { createLabelChecks, readAccountId } from "../common/account-id.js";
import { DEFAULT_LIMITS, type AnswerLimits } from "../../config/flag-reader.js";
import type { LabelValue } from "../../metrics/label-value.js";
import { checkAccountCount, checkKeyCount } from "../common/limits.js";
import { readCount } from "../common/upstream-numbers.js";

export const JOBS_PATH = "/v1/minimax/agent/jobs";

/** The answer of GET /v1/minimax/agent/jobs, checked at the client boundary. */
export interface JobsAnswer {
  accounts: LabelValue[];
  /** Absent entries mean "not reported"; a bad entry is kept as `invalid` and counted later. */
  summary: Map<LabelValue, number | "invalid">;
  executing: Map<LabelValue, Job[]>;
  /** Distinct account IDs refused as labels and left out everywhere. */
  invalidLabels: number;
}

export interface Job {
  jobId: string;
  /** The raw `elapsed` value; parsed during normalisation so a bad one only loses itself. */
  elapsed: unknown;
}

/** Missing or null `summary`/`executing` mean no running jobs; a bad summary entry is "invalid". */
export function parseJobsAnswer(body: unknown, limits: AnswerLimits = DEFAULT_LIMITS): JobsAnswer {
  if (!isRecord(body)) throw unexpected("$", "an object", body);
  const { accounts: rawAccounts, summary: rawSummary, executing: rawExecuting } = body;
  if (!Array.isArray(rawAccounts)) throw unexpected("accounts", "a list", rawAccounts);
  checkAccountCount(rawAccounts.length, limits.maxAccounts, "accounts");
  const labels = createLabelChecks();
  const accounts: LabelValue[] = [];
  for (let i = 0; i < rawAccounts.length; i++) {
    const id = readAccountId(rawAccounts[i]);
    if (id === undefined) throw unexpected(`accounts[${i}]`, "an account ID", rawAccounts[i]);
    const account = labels.take(id);
    if (account !== undefined) accounts.push(account);
  }

  const summary = new Map<LabelValue, number | "invalid">();
  if (rawSummary !== undefined && rawSummary !== null) {
    if (!isRecord(rawSummary)) throw unexpected("summary", "an object", rawSummary);
    checkKeyCount(rawSummary, limits.maxAccounts, "summary");
    for (const [id, entry] of Object.entries(rawSummary)) {
      const account = labels.take(id);
      if (account === undefined) continue;
      summary.set(
        account,
        readCount(isRecord(entry) ? entry["executing"] : undefined) ?? "invalid",
      );
    }
  }

  const executing = new Map<LabelValue, Job[]>();
  if (rawExecuting !== undefined && rawExecuting !== null) {
    if (!isRecord(rawExecuting)) throw unexpected("executing", "an object", rawExecuting);
    checkKeyCount(rawExecuting, limits.maxAccounts, "executing");
    let jobs = 0;
    for (const account in rawExecuting) {
      const list = rawExecuting[account];
      // Built only on failure: this loop runs once per account on every poll.
      const path = () => `executing[${JSON.stringify(account)}]`;
      if (list === null) continue;
      if (!Array.isArray(list)) throw unexpected(path(), "a list", list);
      jobs += list.length;
      if (jobs > limits.maxJobs) {
        throw new LimitError(
          `more than ${limits.maxJobs} running jobs listed: over --useapi.max-jobs`,
        );
      }
      for (let i = 0; i < list.length; i++) {
        const job: unknown = list[i];
        if (!isRecord(job)) throw unexpected(`${path()}[${i}]`, "a job object", job);
        if (typeof job["jobId"] !== "string" || job["jobId"] === "")
          throw unexpected(`${path()}[${i}].jobId`, "a string", job["jobId"]);
      }
      const id = labels.take(account);
      // Every element was just checked to carry a string jobId: the list is used as it is.
      if (id !== undefined) executing.set(id, list as Job[]);
    }
  }

  return { accounts, summary, executing, invalidLabels: labels.refused() };
}
