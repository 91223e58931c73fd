import { describe, expect, it } from "vitest";
import { describeValue } from "../../src/upstream/json-checks.js";

describe("describeValue", () => {
  it("names each JSON kind with the right article, and a missing field as nothing", () => {
    expect(
      [undefined, null, [], {}, "x", 1, true].map((value) => `got ${describeValue(value)}`),
    ).toEqual([
      "got nothing",
      "got null",
      "got an array",
      "got an object",
      "got a string",
      "got a number",
      "got a boolean",
    ]);
  });
});
