import { describe, expect, it } from "vitest";
import { parseAccounts } from "../../src/sources/accounts/answer.js";
import {
  isLabelSafeAccountId,
  MAX_ACCOUNT_ID_LENGTH,
} from "../../src/sources/common/account-id.js";
import { parseJobsAnswer } from "../../src/sources/jobs/answer.js";
import { toSnapshot } from "../../src/sources/jobs/snapshot.js";
import { parseSchedulerAnswer } from "../../src/sources/scheduler/answer.js";
import { toGenerationSnapshot } from "../../src/sources/scheduler/snapshot.js";

const LONG = "9".repeat(1_000_000);
const AT_BOUND = "9".repeat(MAX_ACCOUNT_ID_LENGTH);
const LONE = ["\ud800", "\udc00", "\udfff", "a\ud83d", "\ude00b"];

describe("an account ID as a label", () => {
  it.each<[string, boolean, string]>([
    ["digits", true, "567890"],
    ["the longest allowed", true, AT_BOUND],
    ["an emoji (a surrogate pair)", true, "acct-\ud83d\ude00"],
    ["one character too long", false, `${AT_BOUND}9`],
    ["a million characters", false, LONG],
    ...LONE.map((id): [string, boolean, string] => [
      `a lone surrogate in ${JSON.stringify(id)}`,
      false,
      id,
    ]),
  ])("%s: label-safe %s", (_name, safe, id) => {
    expect(isLabelSafeAccountId(id)).toBe(safe);
  });
});

// The same IDs in all three answers: each left out and counted, the rest of the answer kept.
describe("refused account IDs", () => {
  it("are left out of the jobs answer and counted once each, wherever they appear", () => {
    const job = { jobId: "j1", elapsed: "00:10" };
    const snapshot = toSnapshot(
      parseJobsAnswer({
        accounts: ["1", LONG, ...LONE.slice(0, 3)],
        summary: { [LONG]: { executing: 1 }, "\udc00": { executing: 2 }, "1": { executing: 1 } },
        executing: { [LONG]: [job], "\ud800": [job], "1": [job] },
      }),
      0,
    );
    expect(snapshot.accounts.map((a) => a.account)).toEqual(["1"]);
    expect(snapshot.jobs.map((j) => j.account)).toEqual(["1"]);
    expect(snapshot.anomalies.unreadable_account_id).toBe(4);
  });

  it("are left out of the accounts answer and counted", () => {
    const answer = parseAccounts({ "1": { maxJobs: 1 }, [LONG]: { maxJobs: 2 }, "\udfff": {} });
    expect(answer.accounts.map((a) => a.account)).toEqual(["1"]);
    expect(answer.unreadableAccounts).toBe(2);
  });

  it("are left out of the scheduler answer, from available[] and from generation IDs, and counted", () => {
    const answer = parseSchedulerAnswer({
      executing: [
        { videoId: `user:1-minimax:${LONG}-video:a`, elapsed: "00:10" },
        { imageId: "user:1-minimax:\ud800-image:b", elapsed: "00:10" },
        { imageId: "user:1-minimax:\ud800-image:c", elapsed: "00:10" },
        { videoId: "user:1-minimax:7-video:d", elapsed: "00:10" },
      ],
      available: [
        { account: LONG, maxJobs: 1, executing: 1, available: 0 },
        { account: "\udc00", maxJobs: 1, executing: 0, available: 1 },
        { account: "7", maxJobs: 1, executing: 1, available: 0 },
      ],
    });
    const snapshot = toGenerationSnapshot(answer, 0);
    expect(snapshot.accounts.map((a) => a.account)).toEqual(["7"]);
    expect(snapshot.generations.map((g) => g.id)).toEqual(["user:1-minimax:7-video:d"]);
    expect(snapshot.anomalies.unreadable_account_id).toBe(3);
    expect(snapshot.anomalies.unreadable_generation_id).toBe(0);
  });
});
