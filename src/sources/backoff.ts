import { MAX_TIMER_MS } from "../config/duration.js";

/** Longest Retry-After honoured, so that a nonsensical header cannot silence the exporter. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

export interface DelayInput {
  /** Failed polls in a row, 0 after a success. */
  consecutiveFailures: number;
  intervalMs: number;
  maxBackoffMs: number;
  /** From the upstream's Retry-After; takes precedence over the backoff. */
  retryAfterMs?: number | undefined;
  /** A number in [0, 1). */
  random: number;
}

/**
 * Delay before the next poll: the interval after a success; after failures, exponential backoff
 * from the interval up to `maxBackoffMs`, jittered down by up to a quarter but never below the
 * interval. A Retry-After wins, cut to 1 h but never below the interval. Whatever the input, the
 * result is a whole number of milliseconds from 1 to the longest timer Node.js holds.
 */
export function nextDelayMs(input: DelayInput): number {
  return toTimerMs(rawDelayMs(input));
}

function rawDelayMs(input: DelayInput): number {
  const { consecutiveFailures, intervalMs, maxBackoffMs, retryAfterMs, random } = input;
  if (retryAfterMs !== undefined && !Number.isNaN(retryAfterMs)) {
    return Math.max(intervalMs, Math.min(MAX_RETRY_AFTER_MS, retryAfterMs));
  }
  if (!(consecutiveFailures > 0)) return intervalMs;
  const exponent = Math.min(consecutiveFailures - 1, 30);
  const raw = Math.min(maxBackoffMs, intervalMs * 2 ** exponent);
  return Math.max(intervalMs, raw * (0.75 + 0.25 * random));
}

function toTimerMs(ms: number): number {
  if (Number.isNaN(ms)) return MAX_TIMER_MS;
  return Math.min(MAX_TIMER_MS, Math.max(1, Math.round(ms)));
}
