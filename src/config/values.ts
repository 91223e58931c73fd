import { ConfigError, quoted } from "./config-error.js";
import { formatDuration, MAX_TIMER_MS, parseDuration } from "./duration.js";

/** Readers of flag values shared by the common flags and every source module's own. */

export function parseBool(flag: string, text: string): boolean {
  if (text === "true" || text === "1") return true;
  if (text === "false" || text === "0" || text === "") return false;
  throw new ConfigError(flag, `${quoted(text)} is not a boolean (true or false)`);
}

/** A duration above zero that a Node.js timer can hold. */
export function parsePositiveDuration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw new ConfigError(flag, `${quoted(text)} is not a duration (examples: 500ms, 15s, 2m)`);
  }
  if (ms <= 0) throw new ConfigError(flag, `${quoted(text)} must be greater than zero`);
  if (ms > MAX_TIMER_MS) {
    throw new ConfigError(
      flag,
      `${quoted(text)} is longer than ${formatDuration(MAX_TIMER_MS)} (24.8 days), the longest wait a timer can hold`,
    );
  }
  return ms;
}

/** A source's own interval: 0 for off, else longer than the poll timeout. */
export function parseSourceInterval(flag: string, text: string, pollTimeoutMs: number): number {
  if (text === "0") return 0;
  const ms = parsePositiveDuration(flag, text);
  if (ms <= pollTimeoutMs) {
    throw new ConfigError(
      flag,
      `${formatDuration(ms)} must be longer than --poll.timeout (${formatDuration(pollTimeoutMs)}), or 0 for off`,
    );
  }
  return ms;
}

export function parseCount(flag: string, text: string, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= max)) {
    throw new ConfigError(flag, `${quoted(text)} is not a whole number from 1 to ${max}`);
  }
  return value;
}

export function parseChoice<T extends string>(flag: string, text: string, choices: readonly T[]) {
  const found = choices.find((c) => c === text);
  if (found === undefined) {
    throw new ConfigError(flag, `${quoted(text)} is not one of ${choices.join(", ")}`);
  }
  return found;
}

const BYTE_UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

export function parseBytes(flag: string, text: string): number {
  const match = /^(\d+)(B|KiB|MiB|GiB)?$/.exec(text);
  const bytes = match ? Number(match[1]) * (BYTE_UNITS[match[2] ?? "B"] ?? 1) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1024) {
    throw new ConfigError(
      flag,
      `${quoted(text)} is not a size of at least 1024 bytes (examples: 4194304, 512KiB, 4MiB)`,
    );
  }
  return bytes;
}
