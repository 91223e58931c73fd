import { describe, expect, it } from "vitest";
import { accountFromId, parseSchedulerAnswer } from "../../src/sources/scheduler/answer.js";
import { startedMs, toGenerationSnapshot } from "../../src/sources/scheduler/snapshot.js";
import { LimitError, PayloadError } from "../../src/upstream/json-checks.js";

const NOW = Date.parse("2024-09-25T02:00:00.000Z");
const parse = (body: unknown) => parseSchedulerAnswer(body, "minimax:");
const snap = (body: unknown) => toGenerationSnapshot(parse(body), NOW);

describe("the account in a generation ID", () => {
  it.each([
    ["user:1234-minimax:567890-video:abc123", "567890"],
    ["user:1234-minimax:567890-image:def456", "567890"],
    ["user:1-minimax:a-b-video:x-image:y", "a-b"],
    ["user:1234-minimax:-video:abc", undefined],
    ["user:1234-video:abc", undefined],
    ["minimax:567890", undefined],
  ])("reads %s as %s", (id, account) => {
    expect(accountFromId(id, "minimax:")).toBe(account);
  });
});

describe("started", () => {
  it.each([
    ["an ISO string", "2024-09-25T01:55:16.128Z", Date.parse("2024-09-25T01:55:16.128Z")],
    ["epoch milliseconds", 1727229316128, 1727229316128],
    ["epoch milliseconds as digits", "1727229316128", 1727229316128],
    ["text", "yesterday", undefined],
    ["a negative number", -5, undefined],
    ["null", null, undefined],
  ])("reads %s", (_name, value, ms) => {
    expect(startedMs(value, NOW)).toBe(ms);
  });
});

describe("toGenerationSnapshot", () => {
  it("reads the documented example: generations by account and type, and video capacity", () => {
    const s = snap({
      executing: [
        {
          videoId: "user:1234-minimax:567890-video:abc123",
          started: "2024-09-25T01:55:16.128Z",
          elapsed: "03:57",
          replyUrl: "https://example.com/hook",
          replyRef: "ref-1",
        },
        {
          imageId: "user:1234-minimax:567890-image:def456",
          started: "2024-09-25T01:58:18.555Z",
          elapsed: "00:35",
        },
      ],
      available: [
        { account: "567890", maxJobs: 5, executing: 1, available: 4 },
        { account: "112233", maxJobs: 1, executing: 0, available: 1 },
      ],
    });
    expect(s.accounts).toEqual([
      {
        account: "567890",
        executing: [1, 1],
        maxElapsedSeconds: [237, 35],
        maxJobs: 5,
        available: 4,
      },
      { account: "112233", executing: [0, 0], maxElapsedSeconds: [0, 0], maxJobs: 1, available: 1 },
    ]);
    expect(Object.values(s.anomalies).every((n) => n === 0)).toBe(true);
  });

  it("never keeps replyUrl or replyRef", () => {
    const answer = parse({
      executing: [
        {
          videoId: "user:1-minimax:2-video:x",
          started: 0,
          replyUrl: "https://h.example/?key=SECRET",
          replyRef: "REF",
        },
      ],
    });
    const text = JSON.stringify([answer, toGenerationSnapshot(answer, NOW)]);
    expect(text).not.toMatch(/SECRET|REF|h\.example/);
  });

  it("takes the elapsed time from elapsed, else from started in both forms, never below 0", () => {
    const s = snap({
      executing: [
        { videoId: "user:1-minimax:a-video:iso", started: "2024-09-25T01:59:00.000Z" },
        { videoId: "user:1-minimax:b-video:ms", started: NOW - 90_000, elapsed: "later" },
        { videoId: "user:1-minimax:c-video:text", started: NOW - 90_000, elapsed: "02:05" },
        { videoId: "user:1-minimax:d-video:future", started: NOW + 5_000 },
        { imageId: "user:1-minimax:e-image:none", started: "soon", elapsed: "later" },
      ],
    });
    expect(
      s.accounts.map((a) => [a.account, a.maxElapsedSeconds[0], a.maxElapsedSeconds[1]]),
    ).toEqual([
      ["a", 60, 0],
      ["b", 90, 0],
      ["c", 125, 0],
      ["d", 0, 0],
      ["e", 0, 0],
    ]);
    expect(s.accounts.find((a) => a.account === "e")?.executing).toEqual([0, 1]);
    expect(s.anomalies.unreadable_generation_time).toBe(1);
  });

  it("counts a generation listed twice once", () => {
    const g = { videoId: "user:1-minimax:7-video:x", elapsed: "01:00" };
    const s = snap({ executing: [g, g, { ...g, elapsed: "09:00" }] });
    expect(s.accounts[0]?.executing).toEqual([1, 0]);
    expect(s.accounts[0]?.maxElapsedSeconds).toEqual([60, 0]);
    expect(s.generations.size).toBe(1);
    expect(s.anomalies.duplicate_generation).toBe(2);
  });

  it("leaves out a generation whose account or type cannot be read, and counts it", () => {
    const s = snap({
      executing: [
        { videoId: "no-account-here" },
        { started: 0 },
        { videoId: "user:1-minimax:7-video:x", imageId: "user:1-minimax:7-image:y" },
        { videoId: 42 },
      ],
      available: [{ account: "7", maxJobs: 1, executing: 0, available: 1 }],
    });
    expect(s.generations.size).toBe(0);
    expect(s.accounts.map((a) => a.account)).toEqual(["7"]);
    expect(s.anomalies.unreadable_generation_id).toBe(4);
  });

  it("reports an account running generations but missing from available[], without capacity", () => {
    const s = snap({
      executing: [{ videoId: "user:1-minimax:9-video:x", elapsed: "00:10" }],
      available: [{ account: "7", maxJobs: 1, executing: 0, available: 1 }],
    });
    expect(s.accounts[1]).toEqual({
      account: "9",
      executing: [1, 0],
      maxElapsedSeconds: [10, 0],
      maxJobs: undefined,
      available: undefined,
    });
    expect(s.anomalies.unlisted_account).toBe(1);
  });

  it("counts capacity that disagrees with the list, and entries it cannot read", () => {
    const s = snap({
      executing: [{ videoId: "user:1-minimax:1-video:x", elapsed: "00:10" }],
      available: [
        { account: "1", maxJobs: 2, executing: 2, available: 0 },
        { account: "2", maxJobs: 2, executing: 0, available: 1 },
        { account: "3", maxJobs: "two", executing: 0, available: 1 },
        { account: "3", maxJobs: 1, executing: 0, available: 1 },
        { maxJobs: 1, executing: 0, available: 1 },
        { account: 4, maxJobs: 1, executing: 0, available: 1 },
      ],
    });
    expect(s.accounts.map((a) => [a.account, a.maxJobs, a.available])).toEqual([
      ["1", 2, 0],
      ["2", 2, 1],
      ["3", undefined, 1],
      ["4", 1, 1],
    ]);
    expect(s.anomalies.capacity_mismatch).toBe(2);
    expect(s.anomalies.invalid_capacity).toBe(3);
  });
});

describe("parseSchedulerAnswer", () => {
  it("takes missing or null lists as nothing running", () => {
    const none = { executing: [], available: [], unreadableAccounts: 0 };
    expect(parse({})).toEqual(none);
    expect(parse({ executing: null, available: null })).toEqual(none);
  });

  it.each([
    ["a list", []],
    ["executing as an object", { executing: {} }],
    ["a generation that is a string", { executing: ["x"] }],
    ["available as a string", { available: "none" }],
    ["a capacity that is a number", { available: [3] }],
  ])("refuses %s as a payload of the wrong shape", (_name, body) => {
    expect(() => parse(body)).toThrow(PayloadError);
  });

  it("refuses more generations than --useapi.max-jobs and more entries than --useapi.max-accounts", () => {
    const g = { videoId: "user:1-minimax:1-video:x" };
    expect(() =>
      parseSchedulerAnswer({ executing: [g, g, g] }, "minimax:", { maxAccounts: 9, maxJobs: 2 }),
    ).toThrow(LimitError);
    const c = { account: "1" };
    expect(() =>
      parseSchedulerAnswer({ available: [c, c] }, "minimax:", { maxAccounts: 1, maxJobs: 9 }),
    ).toThrow(LimitError);
  });
});
