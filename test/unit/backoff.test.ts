import { describe, expect, it } from "vitest";
import { MAX_RETRY_AFTER_MS, nextDelayMs } from "../../src/sources/backoff.js";
import { MAX_TIMER_MS } from "../../src/config/duration.js";
import { parseRetryAfter } from "../../src/upstream/retry-after.js";

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

  it.each([
    ["a Retry-After of 10^20 seconds", "100000000000000000000"],
    ["a Retry-After of 400 digits (Infinity)", "9".repeat(400)],
    ["a Retry-After date in the year 9999", "Fri, 31 Dec 9999 23:59:59 GMT"],
  ])("keeps %s to an hour, never above the longest timer", (_name, header) => {
    const now = Date.UTC(2026, 11, 1);
    const retryAfterMs = parseRetryAfter(header, now);
    expect(retryAfterMs).toBeGreaterThan(MAX_TIMER_MS);
    expect(nextDelayMs({ ...base, consecutiveFailures: 1, retryAfterMs, random: 0.5 })).toBe(
      MAX_RETRY_AFTER_MS,
    );
  });

  it("treats a Retry-After that is not a number as absent", () => {
    const input = { ...base, consecutiveFailures: 1, retryAfterMs: NaN, random: 0.5 };
    expect(nextDelayMs(input)).toBe(15_000);
  });

  it("never polls sooner than an interval longer than an hour, whatever the Retry-After", () => {
    const long = { intervalMs: 2 * 3_600_000, maxBackoffMs: 2 * 3_600_000 };
    for (const retryAfterMs of [0, 1_000, 3_600_000, 86_400_000, Infinity]) {
      const delay = nextDelayMs({ ...long, consecutiveFailures: 1, retryAfterMs, random: 0.5 });
      expect(delay).toBe(long.intervalMs);
    }
  });

  it("returns a whole delay from 1 ms to the longest timer for any input", () => {
    for (const intervalMs of [0, 0.4, 15_000, MAX_TIMER_MS, MAX_TIMER_MS * 4, Infinity, NaN]) {
      for (const retryAfterMs of [undefined, -5, 0, 1e30, Infinity, NaN]) {
        for (const consecutiveFailures of [0, 1, 31, 1e9, NaN]) {
          const delay = nextDelayMs({
            intervalMs,
            maxBackoffMs: intervalMs * 8,
            consecutiveFailures,
            retryAfterMs,
            random: 0.999,
          });
          expect(Number.isInteger(delay), `${intervalMs} ${retryAfterMs}`).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(1);
          expect(delay).toBeLessThanOrEqual(MAX_TIMER_MS);
        }
      }
    }
  });
});
