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
 * The interval after a success; after failures, exponential backoff up to `maxBackoffMs`, jittered
 * down by up to a quarter; Retry-After cut to 1 h; at least the interval; whole ms a timer holds.
 */
export function nextDelayMs(input: DelayInput): number {
  const ms = rawDelayMs(input);
  return Number.isNaN(ms) ? MAX_TIMER_MS : Math.min(MAX_TIMER_MS, Math.max(1, Math.round(ms)));
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
