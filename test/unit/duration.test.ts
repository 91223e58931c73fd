import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../src/config/duration.js";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["15s", 15_000],
    ["2m", 120_000],
    ["1h30m", 5_400_000],
    ["1m30s500ms", 90_500],
    ["1d", 86_400_000],
    ["0", 0],
    ["0s", 0],
  ])("reads %j as %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "15", "1.5s", "s", "-1s", "15 s", "30s1m", "1s1s", "1x", " 15s", "15S"])(
    "rejects %j",
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [500, "500ms"],
    [15_000, "15s"],
    [90_500, "1m30s500ms"],
    [3_600_000, "1h"],
    [86_400_000, "1d"],
    [2 ** 31 - 1, "24d20h31m23s647ms"],
    [400 * 86_400_000, "400d"],
  ])("writes %i ms as %j", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});
