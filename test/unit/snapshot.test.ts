import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseJobsAnswer } from "../../src/sources/jobs/answer.js";
import { PayloadError } from "../../src/upstream/json-checks.js";
import {
  toSnapshot,
  type AccountState,
  type AnomalyKind,
} from "../../src/sources/jobs/snapshot.js";

const NOW = 1_764_000_000_000;
const docPayload: unknown = JSON.parse(
  readFileSync(new URL("../fixtures/doc-payload.json", import.meta.url), "utf8"),
);

function snap(body: unknown) {
  return toSnapshot(parseJobsAnswer(body), NOW);
}

function job(jobId: string, elapsed: unknown) {
  return { jobId, elapsed };
}

/** An account's values as expected: its ID as the answer spells it. */
type Expected = Omit<AccountState, "account"> & { account: string };

function anomalies(partial: Partial<Record<AnomalyKind, number>>): Record<AnomalyKind, number> {
  return {
    summary_mismatch: 0,
    invalid_summary: 0,
    unparsable_elapsed: 0,
    duplicate_job: 0,
    odd_job_id: 0,
    invalid_label_value: 0,
    ...partial,
  };
}

describe("toSnapshot", () => {
  it("turns the documented example into per-account counts and longest elapsed times", () => {
    expect(snap(docPayload)).toEqual({
      takenAtMs: NOW,
      accounts: [
        { account: "67890", executing: 2, maxElapsedSeconds: 135 },
        { account: "54321", executing: 1, maxElapsedSeconds: 45 },
      ],
      jobs: [
        { jobId: "p123456789-u12345-a67890-bot:minimax", account: "67890", elapsedSeconds: 135 },
        { jobId: "p987654321-u12345-a67890-bot:minimax", account: "67890", elapsedSeconds: 90 },
        { jobId: "p456789123-u12345-a54321-bot:minimax", account: "54321", elapsedSeconds: 45 },
      ],
      anomalies: anomalies({}),
    });
  });

  it.each<[string, unknown, Expected[], Partial<Record<AnomalyKind, number>>]>([
    [
      "reports a listed account missing from summary and executing as idle",
      { accounts: ["1"], summary: {}, executing: {} },
      [{ account: "1", executing: 0, maxElapsedSeconds: 0 }],
      {},
    ],
    [
      "treats absent summary and executing objects as no running jobs",
      { accounts: ["1", "2"] },
      [
        { account: "1", executing: 0, maxElapsedSeconds: 0 },
        { account: "2", executing: 0, maxElapsedSeconds: 0 },
      ],
      {},
    ],
    [
      "treats null summary and executing as no running jobs",
      { accounts: ["1"], summary: null, executing: null },
      [{ account: "1", executing: 0, maxElapsedSeconds: 0 }],
      {},
    ],
    [
      "reports an account that appears only in summary",
      { accounts: [], summary: { "7": { executing: 0 } } },
      [{ account: "7", executing: 0, maxElapsedSeconds: 0 }],
      {},
    ],
    [
      "reports an account that appears only in executing, counting its jobs",
      { accounts: [], executing: { "8": [job("a", "00:10"), job("b", "00:20")] } },
      [{ account: "8", executing: 2, maxElapsedSeconds: 20 }],
      {},
    ],
    [
      "reports the summary count and counts a mismatch when it disagrees with the job list",
      {
        accounts: ["1"],
        summary: { "1": { executing: 3 } },
        executing: { "1": [job("a", "01:00")] },
      },
      [{ account: "1", executing: 3, maxElapsedSeconds: 60 }],
      { summary_mismatch: 1 },
    ],
    [
      "counts a mismatch when summary reports jobs but no job list is given",
      { accounts: ["1"], summary: { "1": { executing: 2 } } },
      [{ account: "1", executing: 2, maxElapsedSeconds: 0 }],
      { summary_mismatch: 1 },
    ],
    [
      "falls back to the job list and counts an invalid summary entry",
      {
        accounts: ["1"],
        summary: { "1": { executing: "two" } },
        executing: { "1": [job("a", "00:05")] },
      },
      [{ account: "1", executing: 1, maxElapsedSeconds: 5 }],
      { invalid_summary: 1 },
    ],
    [
      "treats a negative or fractional summary count as invalid",
      { accounts: ["1", "2"], summary: { "1": { executing: -1 }, "2": { executing: 1.5 } } },
      [
        { account: "1", executing: 0, maxElapsedSeconds: 0 },
        { account: "2", executing: 0, maxElapsedSeconds: 0 },
      ],
      { invalid_summary: 2 },
    ],
    [
      "counts a job with an unparsable elapsed as executing without feeding the max",
      {
        accounts: ["1"],
        summary: { "1": { executing: 2 } },
        executing: { "1": [job("a", "soon"), job("b", "00:30")] },
      },
      [{ account: "1", executing: 2, maxElapsedSeconds: 30 }],
      { unparsable_elapsed: 1 },
    ],
    [
      "counts a job without elapsed as executing and as unparsable",
      { accounts: ["1"], executing: { "1": [{ jobId: "a" }] } },
      [{ account: "1", executing: 1, maxElapsedSeconds: 0 }],
      { unparsable_elapsed: 1 },
    ],
    [
      "counts a jobId listed twice once",
      {
        accounts: ["1"],
        summary: { "1": { executing: 1 } },
        executing: { "1": [job("a", "00:10"), job("a", "00:12")] },
      },
      [{ account: "1", executing: 1, maxElapsedSeconds: 10 }],
      { duplicate_job: 1 },
    ],
    [
      "counts repeated jobIds once in a long list too, and keeps the same jobId on two accounts",
      {
        accounts: ["1", "2"],
        executing: {
          "1": [
            ...Array.from({ length: 12 }, (_, i) => job(`j${i}`, `00:${10 + i}`)),
            job("j3", "09:00"),
            job("j11", "09:00"),
          ],
          "2": [job("j3", "00:05"), job("j3", "00:06"), job("j4", "00:07")],
        },
      },
      [
        { account: "1", executing: 12, maxElapsedSeconds: 21 },
        { account: "2", executing: 2, maxElapsedSeconds: 7 },
      ],
      { duplicate_job: 3 },
    ],
    [
      "reads elapsed times past an hour",
      { accounts: ["1"], executing: { "1": [job("a", "75:30"), job("b", "1:20:00")] } },
      [{ account: "1", executing: 2, maxElapsedSeconds: 4800 }],
      {},
    ],
    [
      "accepts numeric account IDs as their decimal text",
      { accounts: [67890], executing: { "67890": [job("a", "00:01")] } },
      [{ account: "67890", executing: 1, maxElapsedSeconds: 1 }],
      {},
    ],
    [
      "reports an account listed twice once",
      { accounts: ["1", "1"] },
      [{ account: "1", executing: 0, maxElapsedSeconds: 0 }],
      {},
    ],
    [
      "keeps the upstream order: listed accounts, then those only in summary or executing",
      {
        accounts: ["b", "a"],
        summary: { d: { executing: 0 }, a: { executing: 0 } },
        executing: { c: [], d: [] },
      },
      [
        { account: "b", executing: 0, maxElapsedSeconds: 0 },
        { account: "a", executing: 0, maxElapsedSeconds: 0 },
        { account: "d", executing: 0, maxElapsedSeconds: 0 },
        { account: "c", executing: 0, maxElapsedSeconds: 0 },
      ],
      {},
    ],
  ])("%s", (_name, body, accounts, expected) => {
    const result = snap(body);
    expect(result.accounts).toEqual(accounts);
    expect(result.anomalies).toEqual(anomalies(expected));
  });
});

describe("parseJobsAnswer", () => {
  it.each([
    ["a list instead of an object", [], "$"],
    ["null", null, "$"],
    ["a string", "ok", "$"],
    ["accounts that is not a list", { accounts: "67890" }, "accounts"],
    ["accounts missing", { summary: {} }, "accounts"],
    ["an account that is an object", { accounts: [{}] }, "accounts[0]"],
    ["an empty account ID", { accounts: [""] }, "accounts[0]"],
    ["summary that is a list", { accounts: [], summary: [] }, "summary"],
    ["executing that is a list", { accounts: [], executing: [] }, "executing"],
    ["a job list that is an object", { accounts: [], executing: { "1": {} } }, 'executing["1"]'],
    ["a job that is a string", { accounts: [], executing: { "1": ["job"] } }, 'executing["1"][0]'],
    [
      "a job without a jobId",
      { accounts: [], executing: { "1": [{ elapsed: "00:01" }] } },
      'executing["1"][0].jobId',
    ],
  ])("rejects %s and names the path", (_name, body, path) => {
    expect(() => parseJobsAnswer(body)).toThrow(PayloadError);
    try {
      parseJobsAnswer(body);
    } catch (error) {
      expect((error as PayloadError).path).toBe(path);
    }
  });
});
