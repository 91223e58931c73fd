// What these checks refuse is an anomaly of its source and exports nothing (1.5 jobs, year 1e308).

/** The largest count exported; far above any account, job or credit count of useapi.net. */
export const MAX_COUNT = 1_000_000_000;
/** No timestamp of the upstream is before this (the service did not exist). */
export const EARLIEST_TIMESTAMP_MS = Date.UTC(2020, 0, 1);
/** How far after the exporter's clock a timestamp may be (a credits batch, a session expiry). */
export const MAX_YEARS_AHEAD = 10;

export const INVALID_COUNT = "invalid_count";
export const INVALID_TIMESTAMP = "invalid_timestamp";

/** A whole number from 0 to MAX_COUNT, else undefined. */
export function readCount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_COUNT
    ? value
    : undefined;
}

/** The latest timestamp accepted at `nowMs`: MAX_YEARS_AHEAD calendar years later. */
export function latestTimestampMs(nowMs: number): number {
  const latest = new Date(nowMs);
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_YEARS_AHEAD);
  return latest.getTime();
}

/** Unix milliseconds from 2020-01-01 to MAX_YEARS_AHEAD after `nowMs`, else undefined. */
export function readTimestampMs(value: unknown, nowMs: number): number | undefined {
  const ok = typeof value === "number" && value >= EARLIEST_TIMESTAMP_MS;
  return ok && value <= latestTimestampMs(nowMs) ? value : undefined;
}

/** Unix seconds, checked as readTimestampMs checks milliseconds. */
export function readTimestampSeconds(value: unknown, nowMs: number): number | undefined {
  return typeof value === "number" && readTimestampMs(value * 1000, nowMs) !== undefined
    ? value
    : undefined;
}
