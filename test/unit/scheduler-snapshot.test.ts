import { describe, expect, it } from "vitest";
import {
  accountFromId,
  parseSchedulerAnswer,
  readGenerationId,
  UNKNOWN_TYPE,
} from "../../src/sources/scheduler/answer.js";
import { startedMs, toGenerationSnapshot } from "../../src/sources/scheduler/snapshot.js";
import { LimitError, PayloadError } from "../../src/upstream/json-checks.js";

const NOW = Date.parse("2024-09-25T02:00:00.000Z");
const parse = (body: unknown) => parseSchedulerAnswer(body);
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
    expect(accountFromId(id)).toBe(account);
  });

  it.each([
    ["user:1-minimax:5-video:x", "video"],
    ["user:1-minimax:5-image:x", "image"],
    ["user:1-minimax:5-image:x-video:y", "image"],
    ["user:1-minimax:5-video:x-image:y", "video"],
    ["user:1-minimax:5-audio:x", "audio"],
    ["user:1-minimax:5-audio:x-video:y", "audio"],
  ])("reads the type of %s as %s", (id, type) => {
    expect(readGenerationId(id)).toEqual({ account: "5", type });
  });

  it("reads the August 2026 speech ID: an 18-digit account, type audio", () => {
    const id = "user:12345-minimax:123456789012345678-audio:178737039436895391";
    expect(readGenerationId(id, "video")).toEqual({ account: "123456789012345678", type: "audio" });
  });

  it.each([
    "user:1-minimax:5-music:x",
    "user:1-minimax:5-Video:x",
    "user:1-minimax:5-music:x-video:y",
  ])("reads %s as a type it does not know, whatever the key", (id) => {
    expect(readGenerationId(id)).toBe(UNKNOWN_TYPE);
    expect(readGenerationId(id, "video")).toBe(UNKNOWN_TYPE);
  });

  it.each([
    ["video", "user:1-minimax:5"],
    ["image", "user:1-minimax:5"],
    ["audio", "user:1-minimax:123456789012345678"],
  ] as const)("gives an ID with no segment the type of its key, %s", (type, id) => {
    expect(readGenerationId(id, type)).toEqual({
      account: id.slice(id.indexOf("minimax:") + 8),
      type,
    });
    expect(readGenerationId(id)).toBeUndefined();
    expect(readGenerationId("user:1-minimax:", type)).toBeUndefined();
  });
});

describe("started", () => {
  it.each([
    ["an ISO string", "2024-09-25T01:55:16.128Z", Date.parse("2024-09-25T01:55:16.128Z")],
    ["epoch milliseconds", 1727229316128, 1727229316128],
    ["epoch milliseconds as digits", "1727229316128", 1727229316128],
    ["text", "yesterday", undefined],
    ["an ISO string with an offset", "2024-09-25T03:55:16+02:00", NOW - 284_000],
    ["a start 5 minutes ahead (clock skew)", NOW + 300_000, NOW + 300_000],
    ["a negative number", -5, undefined],
    ["null", null, undefined],
    // Each was once read as a start decades ago, or in the host's time zone.
    ["year 1", "0001-01-01T00:00:00Z", undefined],
    ["digits after a space", " 123", undefined],
    ["a negative number as text", "-1", undefined],
    ["ISO without an offset", "2024-09-25T01:55:16.128", undefined],
    ["a date alone", "2024-09-25", undefined],
    ["epoch seconds", 1727229316, undefined],
    ["a start before 2020", "2019-12-31T23:59:59Z", undefined],
    ["a start more than 5 minutes ahead", NOW + 300_001, undefined],
    ["a lowercase zone", "2024-09-25T01:55:16z", undefined],
  ])("reads %s", (_name, value, ms) => {
    expect(startedMs(value, NOW)).toBe(ms);
  });

  // Date.parse rolls each of these over into another day instead of refusing it.
  it.each([
    "2024-02-30T10:00Z",
    "2023-02-29T10:00Z",
    "2024-04-31T10:00:00Z",
    "2024-01-01T24:00Z",
    "2024-09-24T23:59:60Z",
    "2024-00-10T10:00Z",
    "2024-09-00T10:00Z",
    "2024-09-24T10:00+24:00",
    "2024-09-24T10:00+01:60",
  ])("refuses the impossible time %s", (value) => {
    expect(startedMs(value, NOW)).toBeUndefined();
  });

  it.each([
    ["2024-02-29T10:00Z", Date.UTC(2024, 1, 29, 10)],
    ["2024-09-24T23:59:59.999Z", Date.UTC(2024, 8, 24, 23, 59, 59, 999)],
    ["2024-09-24T00:00Z", Date.UTC(2024, 8, 24)],
    ["2024-09-25T00:30:00.123456789+01:00", Date.UTC(2024, 8, 24, 23, 30, 0, 123)],
    ["2024-09-24T22:00-0330", Date.UTC(2024, 8, 25, 1, 30)],
    ["2020-01-01T00:00:00Z", Date.UTC(2020, 0, 1)],
  ])("reads the possible time %s", (value, ms) => {
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
        executing: [1, 1, 0],
        maxElapsedSeconds: [237, 35, 0],
        maxJobs: 5,
        available: 4,
      },
      {
        account: "112233",
        executing: [0, 0, 0],
        maxElapsedSeconds: [0, 0, 0],
        maxJobs: 1,
        available: 1,
      },
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
    expect(s.accounts.find((a) => a.account === "e")?.executing).toEqual([0, 1, 0]);
    expect(s.anomalies.unreadable_generation_time).toBe(1);
  });

  it("takes a generation's type from its ID, whichever field holds it", () => {
    const s = snap({
      executing: [
        // As in the documentation's March 2025 example: an image under videoId.
        { videoId: "user:1-minimax:7-image:x", elapsed: "00:20" },
        { imageId: "user:1-minimax:7-video:y", elapsed: "01:00" },
      ],
      available: [{ account: "7", maxJobs: 1, executing: 1, available: 0 }],
    });
    expect(s.accounts[0]?.executing).toEqual([1, 1, 0]);
    expect(s.accounts[0]?.maxElapsedSeconds).toEqual([60, 20, 0]);
    expect(s.generations.map((g) => g.type)).toEqual(["image", "video"]);
    expect(s.anomalies.capacity_mismatch).toBe(0);
  });

  it("takes speech from its -audio: segment under audioId or videoId, apart from video capacity", () => {
    const s = snap({
      executing: [
        { audioId: "user:1-minimax:7-audio:a", elapsed: "00:12" },
        { videoId: "user:1-minimax:7-audio:b", elapsed: "00:30" },
        { imageId: "user:1-minimax:7-audio:c", elapsed: "00:05" },
        { audioId: "user:1-minimax:7-video:d", elapsed: "02:00" },
      ],
      available: [{ account: "7", maxJobs: 2, executing: 1, available: 1, executingAudio: 3 }],
    });
    expect(s.generations.map((g) => g.type)).toEqual(["audio", "audio", "audio", "video"]);
    expect(s.accounts[0]?.executing).toEqual([1, 0, 3]);
    expect(s.accounts[0]?.maxElapsedSeconds).toEqual([120, 0, 30]);
    expect(s.accounts[0]?.speechExecuting).toBe(3);
    expect(Object.values(s.anomalies).every((n) => n === 0)).toBe(true);
  });

  it("counts an ID of a type it does not know apart, and guesses no type for it", () => {
    const s = snap({
      executing: [
        { audioId: "user:1-minimax:7-music:a", elapsed: "00:12" },
        { videoId: "user:1-minimax:8-music:b-video:c", elapsed: "00:12" },
      ],
      available: [{ account: "7", maxJobs: 1, executing: 0, available: 1 }],
    });
    expect(s.generations).toEqual([]);
    expect(s.accounts.map((a) => [a.account, a.executing])).toEqual([["7", [0, 0, 0]]]);
    expect(s.anomalies.unknown_generation_type).toBe(2);
    expect(s.anomalies.unreadable_generation_id).toBe(0);
    expect(s.anomalies.unlisted_account).toBe(0);
  });

  it("refuses an element with two ID keys set, of whichever types, and reads one with a single key", () => {
    const s = snap({
      executing: [
        { videoId: "user:1-minimax:7-video:a", audioId: "user:1-minimax:7-audio:b" },
        { imageId: "user:1-minimax:7-image:c", audioId: "user:1-minimax:7-audio:c" },
        { audioId: "user:1-minimax:7-audio:d", videoId: 5 },
        { audioId: "user:1-minimax:7-audio:e", videoId: "", imageId: null },
      ],
    });
    expect(s.generations.map((g) => g.id)).toEqual(["user:1-minimax:7-audio:e"]);
    expect(s.anomalies.unreadable_generation_id).toBe(3);
  });

  it("gives an ID with no type segment the type of its key", () => {
    const s = snap({
      executing: [
        { audioId: "user:1-minimax:7", elapsed: "00:09" },
        { imageId: "user:2-minimax:7", elapsed: "00:08" },
        { videoId: "user:3-minimax:7", elapsed: "00:07" },
      ],
      available: [{ account: "7", maxJobs: 1, executing: 1, available: 0 }],
    });
    expect(s.generations.map((g) => [g.id, g.account, g.type])).toEqual([
      ["user:1-minimax:7", "7", "audio"],
      ["user:2-minimax:7", "7", "image"],
      ["user:3-minimax:7", "7", "video"],
    ]);
    expect(s.accounts[0]?.executing).toEqual([1, 1, 1]);
    expect(s.accounts[0]?.maxElapsedSeconds).toEqual([7, 8, 9]);
    expect(Object.values(s.anomalies).every((n) => n === 0)).toBe(true);
  });

  it("reads speech in flight from executingAudio, and no value where it is absent", () => {
    const s = snap({
      available: [
        { account: "1", maxJobs: 1, executing: 0, available: 1, executingAudio: 2 },
        { account: "2", maxJobs: 1, executing: 0, available: 1, executingAudio: 0 },
        { account: "3", maxJobs: 1, executing: 0, available: 1 },
        { account: "4", maxJobs: 1, executing: 0, available: 1, executingAudio: null },
        { account: "5", maxJobs: 1, executing: 0, available: 1, executingAudio: "2" },
      ],
    });
    expect(s.accounts.map((a) => [a.account, a.speechExecuting])).toEqual([
      ["1", 2],
      ["2", 0],
      ["3", undefined],
      ["4", undefined],
      ["5", undefined],
    ]);
    expect(s.anomalies.invalid_capacity).toBe(1);
  });

  it("counts a start it cannot believe as unreadable rather than decades of elapsed time", () => {
    const s = snap({
      executing: [
        { videoId: "user:1-minimax:1-video:a", started: "0001-01-01T00:00:00Z" },
        { videoId: "user:1-minimax:1-video:b", started: " 123" },
        { videoId: "user:1-minimax:1-video:c", started: "-1" },
        { videoId: "user:1-minimax:1-video:d", started: "2024-09-25T01:00:00" },
        { videoId: "user:1-minimax:1-video:e", started: NOW + 3_600_000 },
      ],
    });
    expect(s.accounts[0]?.executing).toEqual([5, 0, 0]);
    expect(s.accounts[0]?.maxElapsedSeconds).toEqual([0, 0, 0]);
    expect(s.anomalies.unreadable_generation_time).toBe(5);
  });

  it("counts a generation listed twice once", () => {
    const g = { videoId: "user:1-minimax:7-video:x", elapsed: "01:00" };
    const s = snap({ executing: [g, g, { ...g, elapsed: "09:00" }] });
    expect(s.accounts[0]?.executing).toEqual([1, 0, 0]);
    expect(s.accounts[0]?.maxElapsedSeconds).toEqual([60, 0, 0]);
    expect(s.generations).toHaveLength(1);
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
    expect(s.generations).toHaveLength(0);
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
      executing: [1, 0, 0],
      maxElapsedSeconds: [10, 0, 0],
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
    const none = { executing: [], available: [], invalidLabels: 0 };
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
      parseSchedulerAnswer({ executing: [g, g, g] }, { maxAccounts: 9, maxJobs: 2 }),
    ).toThrow(LimitError);
    const c = { account: "1" };
    expect(() =>
      parseSchedulerAnswer({ available: [c, c] }, { maxAccounts: 1, maxJobs: 9 }),
    ).toThrow(LimitError);
  });

  it("refuses more distinct accounts than --useapi.max-accounts, however they are found", () => {
    const limits = { maxAccounts: 3, maxJobs: 100 };
    const ids = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ imageId: `minimax:${i}-image:a`, elapsed: "00:45" }));
    // Four accounts from IDs alone (no available[]), or two listed and two more from IDs.
    expect(() => parseSchedulerAnswer({ executing: ids(4) }, limits)).toThrow(
      /more than 3 accounts .*--useapi.max-accounts/,
    );
    const listed = [{ account: "0" }, { account: "9" }];
    expect(() => parseSchedulerAnswer({ executing: ids(3), available: listed }, limits)).toThrow(
      LimitError,
    );
    // Refused IDs count too; the same account many times counts once.
    const long = { videoId: `minimax:${"9".repeat(200)}-video:z` };
    expect(() => parseSchedulerAnswer({ executing: [...ids(3), long] }, limits)).toThrow(
      LimitError,
    );
    const same = [...ids(3), ...ids(3), ...ids(3)].map((g, i) => ({
      ...g,
      imageId: `${g.imageId}${i}`,
    }));
    expect(
      parseSchedulerAnswer({ executing: same, available: [{ account: "1" }] }, limits).executing,
    ).toHaveLength(9);
  });
});
