import { INVALID_LABEL_VALUE, type LabelValue } from "../../metrics/label-value.js";
import { parseElapsed } from "../common/elapsed.js";
import { readTimestampMs } from "../common/upstream-numbers.js";
import {
  GENERATION_TYPES,
  type Capacity,
  type GenerationType,
  type SchedulerAnswer,
} from "./answer.js";

export const SCHEDULER_ANOMALY_KINDS = [
  "duplicate_generation",
  "unreadable_generation_id",
  "unknown_generation_type",
  "unreadable_generation_time",
  "unlisted_account",
  "capacity_mismatch",
  "invalid_capacity",
  INVALID_LABEL_VALUE,
] as const;
export type SchedulerAnomalyKind = (typeof SCHEDULER_ANOMALY_KINDS)[number];

/** Indexed like GENERATION_TYPES. */
export type ByType = number[];

/** A running generation as seen in one answer; its ID is tracked, never exported. */
export interface SnapshotGeneration {
  id: string;
  account: LabelValue;
  type: GenerationType;
  elapsedSeconds: number | undefined;
}

export interface AccountGenerations {
  account: LabelValue;
  executing: ByType;
  /** 0 when idle, or when no running generation's time could be read. */
  maxElapsedSeconds: ByType;
  /** From `available[]`; undefined when the account is not listed there or the count unreadable. */
  maxJobs: number | undefined;
  available: number | undefined;
  /** `executingAudio` of `available[]`; undefined when absent or unreadable. */
  speechExecuting: number | undefined;
}

export interface GenerationSnapshot {
  takenAtMs: number;
  /** `available[]` order, then accounts found only in generation IDs, in order of appearance. */
  accounts: AccountGenerations[];
  /** Every distinct generation whose account could be read, in upstream order. */
  generations: SnapshotGeneration[];
  anomalies: Record<SchedulerAnomalyKind, number>;
}

/** How far ahead of the exporter's clock useapi.net's may be. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** ISO 8601 with a zone: read without one, it would be in the host's time zone. */
const ISO_WITH_ZONE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/** Epoch ms, undefined unless every field is in range: Date.parse rolls `2024-02-30` to 1 March. */
function isoMs(value: string): number | undefined {
  const m = ISO_WITH_ZONE.exec(value);
  if (m === null) return undefined;
  const field = (i: number) => Number(m[i] ?? 0);
  const [year, month, day] = [field(1), field(2), field(3)] as const;
  const [hour, minute, second] = [field(4), field(5), field(6)] as const;
  const [offsetHours, offsetMinutes] = [field(9), field(10)] as const;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) {
    return undefined;
  }
  const millis = Number((m[7] ?? "").slice(0, 3).padEnd(3, "0"));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const date = new Date(ms);
  // Only a day that reads back the same is one (2023-02-29 is not).
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return undefined;
  if (date.getUTCDate() !== day) return undefined;
  const offsetMs = (offsetHours * 60 + offsetMinutes) * 60_000;
  return m[8] === "-" ? ms + offsetMs : ms - offsetMs;
}

/** `started` as ms (number, digits, zoned ISO 8601); undefined if odd, pre-2020 or 5 min ahead. */
export function startedMs(value: unknown, nowMs: number): number | undefined {
  let ms: number | undefined;
  if (typeof value === "number") ms = value;
  else if (typeof value !== "string") return undefined;
  else ms = /^\d+$/.test(value) ? Number(value) : isoMs(value);
  if (ms === undefined) return undefined;
  // The one timestamp check (from 2020), then a start can only be as far ahead as the clocks' skew.
  return readTimestampMs(ms, nowMs) !== undefined && ms <= nowMs + MAX_CLOCK_SKEW_MS
    ? ms
    : undefined;
}

/** The upstream's `elapsed` (`mm:ss`, free of clock skew), else seconds since `started` (>= 0). */
function generationElapsed(started: unknown, elapsed: unknown, nowMs: number): number | undefined {
  const seconds = parseElapsed(elapsed);
  if (seconds !== undefined) return seconds;
  const from = startedMs(started, nowMs);
  return from === undefined ? undefined : Math.max(0, Math.floor((nowMs - from) / 1000));
}

/** A checked scheduler answer into per-account values; pure, handed the time. */
export function toGenerationSnapshot(answer: SchedulerAnswer, nowMs: number): GenerationSnapshot {
  const anomalies: Record<SchedulerAnomalyKind, number> = {
    duplicate_generation: 0,
    unreadable_generation_id: 0,
    unknown_generation_type: 0,
    unreadable_generation_time: 0,
    unlisted_account: 0,
    capacity_mismatch: 0,
    invalid_capacity: 0,
    [INVALID_LABEL_VALUE]: answer.invalidLabels,
  };
  const accounts: AccountGenerations[] = [];
  const byAccount = new Map<string, AccountGenerations>();
  const add = (account: LabelValue): AccountGenerations => {
    const entry: AccountGenerations = {
      account,
      executing: GENERATION_TYPES.map(() => 0),
      maxElapsedSeconds: GENERATION_TYPES.map(() => 0),
      maxJobs: undefined,
      available: undefined,
      speechExecuting: undefined,
    };
    accounts.push(entry);
    byAccount.set(account, entry);
    return entry;
  };
  // Each account of `available[]` once, where it is first listed.
  const listed: Capacity[] = [];
  for (const capacity of answer.available) {
    if (capacity.account === undefined || byAccount.has(capacity.account)) {
      anomalies.invalid_capacity++;
      continue;
    }
    listed.push(capacity);
    const entry = add(capacity.account);
    entry.maxJobs = capacity.maxJobs;
    entry.available = capacity.available;
    const audio = capacity.executingAudio;
    if (audio !== "invalid") entry.speechExecuting = audio;
    if (capacity.maxJobs === undefined || capacity.available === undefined || audio === "invalid")
      anomalies.invalid_capacity++;
  }
  const listedCount = accounts.length;

  const generations: SnapshotGeneration[] = [];
  const seen = new Set<string>();
  for (const generation of answer.executing) {
    const { id, account, type } = generation;
    if (id === undefined || account === undefined || type === undefined) {
      if (generation.unknownType) anomalies.unknown_generation_type++;
      else anomalies.unreadable_generation_id++;
      continue;
    }
    if (seen.has(id)) {
      anomalies.duplicate_generation++;
      continue;
    }
    seen.add(id);
    let entry = byAccount.get(account);
    if (entry === undefined) {
      // An account found only in generation IDs, after the listed ones.
      anomalies.unlisted_account++;
      entry = add(account);
    }
    const t = GENERATION_TYPES.indexOf(type);
    entry.executing[t] = (entry.executing[t] ?? 0) + 1;
    const seconds = generationElapsed(generation.started, generation.elapsed, nowMs);
    if (seconds === undefined) anomalies.unreadable_generation_time++;
    else if (seconds > (entry.maxElapsedSeconds[t] ?? 0)) entry.maxElapsedSeconds[t] = seconds;
    generations.push({ id, account, type, elapsedSeconds: seconds });
  }

  for (let p = 0; p < listedCount; p++) {
    const { maxJobs, available, executing: byType } = accounts[p] as AccountGenerations;
    const { executing } = listed[p] as Capacity;
    const videos = byType[GENERATION_TYPES.indexOf("video")];
    const counted = executing !== undefined && executing !== videos;
    const free =
      maxJobs !== undefined && available !== undefined && executing !== undefined
        ? available !== Math.max(0, maxJobs - executing)
        : false;
    if (counted || free) anomalies.capacity_mismatch++;
  }
  return { takenAtMs: nowMs, accounts, generations, anomalies };
}
