import { parseElapsed } from "../common/elapsed.js";
import type { GenerationType, SchedulerAnswer } from "./answer.js";

export const SCHEDULER_ANOMALY_KINDS = [
  "duplicate_generation",
  "unreadable_generation_id",
  "unreadable_generation_time",
  "unlisted_account",
  "capacity_mismatch",
  "invalid_capacity",
] as const;
export type SchedulerAnomalyKind = (typeof SCHEDULER_ANOMALY_KINDS)[number];

/** Indexed like GENERATION_TYPES: [video, image]. */
export type ByType = [number, number];

export interface AccountGenerations {
  account: string;
  executing: ByType;
  /** 0 when idle, or when no running generation's time could be read. */
  maxElapsedSeconds: ByType;
  /** From `available[]`; undefined when the account is not listed there or the count is unreadable. */
  maxJobs: number | undefined;
  available: number | undefined;
}

/** A running generation as seen in one answer; its ID is tracked, never exported. */
export interface SnapshotGeneration {
  id: string;
  account: string;
  type: GenerationType;
  elapsedSeconds: number | undefined;
}

export interface GenerationSnapshot {
  takenAtMs: number;
  /** `available[]` order, then accounts found only in generation IDs, in order of appearance. */
  accounts: AccountGenerations[];
  /** Every distinct generation whose account could be read, by ID, in upstream order. */
  generations: Map<string, SnapshotGeneration>;
  anomalies: Record<SchedulerAnomalyKind, number>;
}

const VIDEO_MARK = "-video:";
const IMAGE_MARK = "-image:";

/**
 * The account between `accountMark` and `-video:` or `-image:`: with `minimax:`, the `567` of
 * `user:1-minimax:567-video:x`.
 */
export function accountFromId(id: string, accountMark: string): string | undefined {
  const at = id.indexOf(accountMark);
  if (at < 0) return undefined;
  const from = at + accountMark.length;
  const video = id.indexOf(VIDEO_MARK, from);
  const image = id.indexOf(IMAGE_MARK, from);
  const end = video < 0 ? image : image < 0 ? video : Math.min(video, image);
  return end > from ? id.slice(from, end) : undefined;
}

/** `started` as epoch milliseconds: a number, a string of digits, or an ISO timestamp. */
export function startedMs(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string" || value === "") return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The upstream's `elapsed` text (`mm:ss`): measured on the clock that set `started`, so free of
 * skew between useapi.net and the exporter. Else the seconds since `started` at `nowMs`, never
 * below 0.
 */
export function generationElapsed(
  started: unknown,
  elapsed: unknown,
  nowMs: number,
): number | undefined {
  const seconds = parseElapsed(elapsed);
  if (seconds !== undefined) return seconds;
  const from = startedMs(started);
  return from === undefined ? undefined : Math.max(0, Math.floor((nowMs - from) / 1000));
}

/**
 * Normalises a checked scheduler answer into per-account values. Pure: the time is handed in.
 * `accountMark` is what stands before the account in a generation ID (`minimax:`).
 */
export function toGenerationSnapshot(
  answer: SchedulerAnswer,
  nowMs: number,
  accountMark: string,
): GenerationSnapshot {
  const anomalies: Record<SchedulerAnomalyKind, number> = {
    duplicate_generation: 0,
    unreadable_generation_id: 0,
    unreadable_generation_time: 0,
    unlisted_account: 0,
    capacity_mismatch: 0,
    invalid_capacity: 0,
  };
  const byAccount = new Map<string, AccountGenerations>();
  const accounts: AccountGenerations[] = [];
  const add = (account: string): AccountGenerations => {
    const entry: AccountGenerations = {
      account,
      executing: [0, 0],
      maxElapsedSeconds: [0, 0],
      maxJobs: undefined,
      available: undefined,
    };
    byAccount.set(account, entry);
    accounts.push(entry);
    return entry;
  };
  const reported = new Map<AccountGenerations, number | undefined>();
  for (const capacity of answer.available) {
    const { account } = capacity;
    if (account === undefined || byAccount.has(account)) {
      anomalies.invalid_capacity++;
      continue;
    }
    const entry = add(account);
    entry.maxJobs = capacity.maxJobs;
    entry.available = capacity.available;
    if (capacity.maxJobs === undefined || capacity.available === undefined)
      anomalies.invalid_capacity++;
    reported.set(entry, capacity.executing);
  }

  // Also what the tracker keeps until the next answer: one map per poll, not a set and a map.
  const generations = new Map<string, SnapshotGeneration>();
  for (const listed of answer.executing) {
    const { id, type } = listed;
    const account = id === undefined ? undefined : accountFromId(id, accountMark);
    if (id === undefined || type === undefined || account === undefined) {
      anomalies.unreadable_generation_id++;
      continue;
    }
    if (generations.has(id)) {
      anomalies.duplicate_generation++;
      continue;
    }
    let entry = byAccount.get(account);
    if (entry === undefined) {
      anomalies.unlisted_account++;
      entry = add(account);
    }
    const t = type === "video" ? 0 : 1;
    entry.executing[t]++;
    const seconds = generationElapsed(listed.started, listed.elapsed, nowMs);
    if (seconds === undefined) anomalies.unreadable_generation_time++;
    else if (seconds > entry.maxElapsedSeconds[t]) entry.maxElapsedSeconds[t] = seconds;
    generations.set(id, { id, account, type, elapsedSeconds: seconds });
  }

  for (const [entry, executing] of reported) {
    const { maxJobs, available } = entry;
    const videos = entry.executing[0];
    const counted = executing !== undefined && executing !== videos;
    const free =
      maxJobs !== undefined && available !== undefined && executing !== undefined
        ? available !== Math.max(0, maxJobs - executing)
        : false;
    if (counted || free) anomalies.capacity_mismatch++;
  }
  return { takenAtMs: nowMs, accounts, generations, anomalies };
}
