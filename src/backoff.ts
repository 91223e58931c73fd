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
 * interval. A Retry-After wins, within [interval, 1 h].
 */
export function nextDelayMs(input: DelayInput): number {
  const { consecutiveFailures, intervalMs, maxBackoffMs, retryAfterMs, random } = input;
  if (retryAfterMs !== undefined) {
    return Math.min(MAX_RETRY_AFTER_MS, Math.max(intervalMs, retryAfterMs));
  }
  if (consecutiveFailures <= 0) return intervalMs;
  const exponent = Math.min(consecutiveFailures - 1, 30);
  const raw = Math.min(maxBackoffMs, intervalMs * 2 ** exponent);
  return Math.round(Math.max(intervalMs, raw * (0.75 + 0.25 * random)));
}
