import { describe, expect, it } from "vitest";
import {
  EARLIEST_TIMESTAMP_MS,
  latestTimestampMs,
  MAX_COUNT,
  readCount,
  readTimestampMs,
  readTimestampSeconds,
} from "../../src/sources/common/upstream-numbers.js";

const NOW = Date.UTC(2026, 1, 13, 12);
const TEN_YEARS_ON = Date.UTC(2036, 1, 13, 12);

describe("the count check", () => {
  it.each<[string, unknown, number | undefined]>([
    ["0", 0, 0],
    ["a small count", 3, 3],
    ["the largest", MAX_COUNT, MAX_COUNT],
    ["one more than the largest", MAX_COUNT + 1, undefined],
    ["1e308", 1e308, undefined],
    ["Infinity", Infinity, undefined],
    ["NaN", NaN, undefined],
    ["1.5", 1.5, undefined],
    ["-1", -1, undefined],
    ["a numeric string", "3", undefined],
    ["null", null, undefined],
    ["a boolean", true, undefined],
  ])("%s: %s", (_name, value, expected) => {
    expect(readCount(value)).toBe(expected);
  });
});

describe("the timestamp check", () => {
  it("reaches ten calendar years after now, a leap day included", () => {
    expect(latestTimestampMs(NOW)).toBe(TEN_YEARS_ON);
    expect(latestTimestampMs(Date.UTC(2028, 1, 29))).toBe(Date.UTC(2038, 2, 1));
  });

  it.each<[string, unknown, number | undefined]>([
    ["2020-01-01, the earliest", EARLIEST_TIMESTAMP_MS, EARLIEST_TIMESTAMP_MS],
    ["a millisecond before 2020", EARLIEST_TIMESTAMP_MS - 1, undefined],
    ["now", NOW, NOW],
    ["a fraction of a millisecond", NOW + 0.5, NOW + 0.5],
    ["ten years ahead, the latest", TEN_YEARS_ON, TEN_YEARS_ON],
    ["a millisecond later", TEN_YEARS_ON + 1, undefined],
    ["1e308", 1e308, undefined],
    ["seconds read as milliseconds (1970)", NOW / 1000, undefined],
    ["0", 0, undefined],
    ["-1", -1, undefined],
    ["Infinity", Infinity, undefined],
    ["NaN", NaN, undefined],
    ["an ISO string", "2026-02-13T12:00:00Z", undefined],
    ["null", null, undefined],
  ])("in milliseconds, %s: %s", (_name, value, expected) => {
    expect(readTimestampMs(value, NOW)).toBe(expected);
  });

  it.each<[string, unknown, number | undefined]>([
    ["now", NOW / 1000, NOW / 1000],
    ["a session expiry with a fraction", 1_771_000_000.864, 1_771_000_000.864],
    ["before 2020", EARLIEST_TIMESTAMP_MS / 1000 - 1, undefined],
    ["past ten years", TEN_YEARS_ON / 1000 + 1, undefined],
    ["milliseconds read as seconds", NOW, undefined],
    ["1e308", 1e308, undefined],
    ["a string", "1771000000", undefined],
  ])("in seconds, %s: %s", (_name, value, expected) => {
    expect(readTimestampSeconds(value, NOW)).toBe(expected);
  });
});
