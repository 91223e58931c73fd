import { describe, expect, it } from "vitest";
import { parseElapsed } from "../../src/sources/common/elapsed.js";

describe("parseElapsed", () => {
  it.each([
    ["00:00", 0],
    ["00:45", 45],
    ["02:15", 135],
    ["15:00", 900],
    ["75:30", 4530],
    ["1:15:30", 4530],
    ["0:00:59", 59],
    [" 01:30 ", 90],
    ["123:05", 7385],
  ])("reads %j as %i seconds", (text, seconds) => {
    expect(parseElapsed(text)).toBe(seconds);
  });

  it.each<[unknown, string]>([
    ["", "an empty string"],
    ["1:60", "seconds past 59"],
    ["01:5", "one-digit seconds"],
    ["-01:30", "a negative value"],
    ["1:60:00", "minutes past 59 in h:mm:ss"],
    ["90", "bare seconds"],
    ["01:30.5", "fractions"],
    ["ab:cd", "letters"],
    [135, "a number"],
    [null, "null"],
    [undefined, "a missing value"],
  ])("rejects %j (%s)", (value, _why) => {
    expect(parseElapsed(value)).toBeUndefined();
  });
});
