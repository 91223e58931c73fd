import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  labelValue,
  MAX_LABEL_VALUE_LENGTH,
  ownLabel,
  ownLabels,
} from "../../src/metrics/label-value.js";
import { parseAccounts } from "../../src/sources/accounts/answer.js";
import { parseJobsAnswer } from "../../src/sources/jobs/answer.js";
import { toSnapshot } from "../../src/sources/jobs/snapshot.js";
import { parseSchedulerAnswer } from "../../src/sources/scheduler/answer.js";
import { toGenerationSnapshot } from "../../src/sources/scheduler/snapshot.js";

const LONG = "9".repeat(1_000_000);
const AT_BOUND = "9".repeat(MAX_LABEL_VALUE_LENGTH);
const LONE = ["\ud800", "\udc00", "\udfff", "a\ud83d", "\ude00b"];
const CONTROLS = ["\u0000", "a\tb", "a\nb", "\r", "\u001b[31m", "\u007f", "\u0085", "\u009f"];
const BIDI = [
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "a\u202eb",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
];

describe("the label-value check", () => {
  it.each<[string, boolean, string]>([
    ["digits", true, "567890"],
    ["an API name with spaces", true, "MiniMax API"],
    ["an endpoint", true, "post-videos-create"],
    ["the empty string", true, ""],
    ["quotes and a backslash (escaped by the exposition)", true, 'a"b\\c'],
    ["the longest allowed", true, AT_BOUND],
    ["an emoji (a surrogate pair)", true, "acct-\ud83d\ude00"],
    ["an emoji at the bound (two code units)", true, `${"9".repeat(126)}\ud83d\ude00`],
    ["a mark next to the refused ones (U+200E, U+2029, U+2070)", true, "\u200e\u2029\u2070"],
    ["one code unit too long", false, `${AT_BOUND}9`],
    ["a million characters", false, LONG],
    ...LONE.map((id): [string, boolean, string] => [
      `a lone surrogate in ${JSON.stringify(id)}`,
      false,
      id,
    ]),
    ...CONTROLS.map((id): [string, boolean, string] => [
      `a control in ${JSON.stringify(id)}`,
      false,
      id,
    ]),
    ...BIDI.map((id): [string, boolean, string] => [
      `a bidi override in ${JSON.stringify(id)}`,
      false,
      id,
    ]),
  ])("%s: accepted %s", (_name, accepted, text) => {
    expect(labelValue(text)).toBe(accepted ? text : undefined);
  });

  it("is the only maker of a label value: src/ casts to one only to read an element of a checked list", () => {
    const src = new URL("../../src/", import.meta.url);
    const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter(
      (f) => f.endsWith(".ts") && f !== "metrics/label-value.ts",
    );
    const casts = files.flatMap((file) =>
      [...readFileSync(new URL(file, src), "utf8").matchAll(/(\S+) as LabelValue\b/g)].map(
        (m) => `${file}: ${m[1] ?? ""}`,
      ),
    );
    expect(casts.length).toBeGreaterThan(0);
    expect(casts.filter((cast) => !/\]\)?$/.test(cast))).toEqual([]);
  });

  it("makes the exporter's own values label values, and refuses a bad one at once", () => {
    expect(ownLabels(["video", "image"] as const)).toEqual(["video", "image"]);
    expect(ownLabel("other")).toBe("other");
    expect(() => ownLabel("a\nb")).toThrow(/not a label value/);
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
    expect(snapshot.anomalies.invalid_label_value).toBe(4);
  });

  it("are left out of the accounts answer and counted", () => {
    const answer = parseAccounts({ "1": { maxJobs: 1 }, [LONG]: { maxJobs: 2 }, "\udfff": {} });
    expect(answer.accounts.map((a) => a.account)).toEqual(["1"]);
    expect(answer.invalidLabels).toBe(2);
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
    expect(snapshot.anomalies.invalid_label_value).toBe(3);
    expect(snapshot.anomalies.unreadable_generation_id).toBe(0);
  });
});
