import { describe, expect, it } from "vitest";
import { MAX_RETRY_AFTER_MS, nextDelayMs } from "../src/backoff.js";

const base = { intervalMs: 15_000, maxBackoffMs: 300_000 };

describe("nextDelayMs", () => {
  it.each([
    ["waits one interval after a success", 0, undefined, 0.5, 15_000],
    ["waits one interval after the first failure", 1, undefined, 0, 15_000],
    ["doubles after the second failure (no jitter at random 1)", 2, undefined, 1, 30_000],
    ["jitters down by at most a quarter", 2, undefined, 0, 22_500],
    ["keeps doubling", 4, undefined, 1, 120_000],
    ["stops at the cap", 10, undefined, 1, 300_000],
    ["stays at the cap for very long outages", 500, undefined, 1, 300_000],
    ["jitters the cap down by at most a quarter", 10, undefined, 0, 225_000],
    ["honours a Retry-After longer than the backoff", 1, 120_000, 0.5, 120_000],
    ["honours a Retry-After past the backoff cap", 1, 900_000, 0.5, 900_000],
    ["never polls sooner than the interval on a short Retry-After", 3, 1_000, 0.5, 15_000],
    ["caps an absurd Retry-After at an hour", 1, 86_400_000, 0.5, MAX_RETRY_AFTER_MS],
  ])("%s", (_name, failures, retryAfterMs, random, expected) => {
    expect(nextDelayMs({ ...base, consecutiveFailures: failures, retryAfterMs, random })).toBe(
      expected,
    );
  });

  it("never returns less than the interval or more than the cap for any random", () => {
    for (let failures = 1; failures < 40; failures++) {
      for (const random of [0, 0.25, 0.5, 0.999]) {
        const delay = nextDelayMs({ ...base, consecutiveFailures: failures, random });
        expect(delay).toBeGreaterThanOrEqual(base.intervalMs);
        expect(delay).toBeLessThanOrEqual(base.maxBackoffMs);
      }
    }
  });
});
