import { ACCOUNT_ID_ANOMALY } from "../common/account-id.js";
import { parseElapsed } from "../common/elapsed.js";
import type { Capacity, ListedGeneration, SchedulerAnswer } from "./answer.js";
import {
  listGenerations,
  NO_ELAPSED,
  type GenerationListing,
  type SnapshotGenerations,
} from "./generation-list.js";
import { listKeys, type KeyListing } from "./key-listing.js";

export const SCHEDULER_ANOMALY_KINDS = [
  "duplicate_generation",
  "unreadable_generation_id",
  "unreadable_generation_time",
  "unlisted_account",
  "capacity_mismatch",
  "invalid_capacity",
  ACCOUNT_ID_ANOMALY,
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
  /** `executingAudio` of `available[]`; undefined when absent or unreadable. */
  speechExecuting: number | undefined;
}

export interface GenerationSnapshot {
  takenAtMs: number;
  /** `available[]` order, then accounts found only in generation IDs, in order of appearance. */
  accounts: AccountGenerations[];
  /** Every distinct generation whose account could be read, in upstream order. */
  generations: SnapshotGenerations;
  /** For the next answer's snapshot. */
  listings: SnapshotListings;
  anomalies: Record<SchedulerAnomalyKind, number>;
}

/** No generation started before this; an earlier `started` is a placeholder or a misread. */
const EARLIEST_START_MS = Date.UTC(2020, 0, 1);
/** How far ahead of the exporter's clock useapi.net's may be. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** ISO 8601 with a zone: read without one, it would be in the host's time zone. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * `started` as epoch milliseconds: a number, a string of digits, or an ISO 8601 timestamp with
 * `Z` or an offset. Undefined for anything else, and for a time before 2020 or more than five
 * minutes after `nowMs`.
 */
export function startedMs(value: unknown, nowMs: number): number | undefined {
  let ms: number;
  if (typeof value === "number") ms = value;
  else if (typeof value !== "string") return undefined;
  else if (/^\d+$/.test(value)) ms = Number(value);
  else if (ISO_WITH_ZONE.test(value)) ms = Date.parse(value);
  else return undefined;
  return ms >= EARLIEST_START_MS && ms <= nowMs + MAX_CLOCK_SKEW_MS ? ms : undefined;
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
  const from = startedMs(started, nowMs);
  return from === undefined ? undefined : Math.max(0, Math.floor((nowMs - from) / 1000));
}

/** What a snapshot shares with the next one when its answer lists the same keys. */
export interface SnapshotListings {
  generations: GenerationListing;
  /** The accounts of `available[]`. */
  capacities: KeyListing;
}

const accountOf = (capacity: Capacity) => capacity.account;

/**
 * Normalises a checked scheduler answer into per-account values. Pure: the time is handed in, and
 * the last snapshot's listings, shared when this answer lists the same keys (never changed).
 */
export function toGenerationSnapshot(
  answer: SchedulerAnswer,
  nowMs: number,
  previous?: SnapshotListings,
): GenerationSnapshot {
  const capacities = listKeys(answer.available, accountOf, previous?.capacities);
  const listing = listGenerations(answer.executing, previous?.generations);
  const anomalies: Record<SchedulerAnomalyKind, number> = {
    duplicate_generation: listing.ids.repeated,
    unreadable_generation_id: listing.ids.missing,
    unreadable_generation_time: 0,
    unlisted_account: 0,
    capacity_mismatch: 0,
    invalid_capacity: capacities.repeated + capacities.missing,
    [ACCOUNT_ID_ANOMALY]: answer.unreadableAccounts,
  };
  const accounts: AccountGenerations[] = [];
  const add = (account: string): AccountGenerations => {
    const entry: AccountGenerations = {
      account,
      executing: [0, 0],
      maxElapsedSeconds: [0, 0],
      maxJobs: undefined,
      available: undefined,
      speechExecuting: undefined,
    };
    accounts.push(entry);
    return entry;
  };
  const listed = capacities.at;
  for (let p = 0; p < listed.length; p++) {
    const capacity = answer.available[listed[p] as number] as Capacity;
    const entry = add(capacity.account as string);
    entry.maxJobs = capacity.maxJobs;
    entry.available = capacity.available;
    const audio = capacity.executingAudio;
    if (audio !== "invalid") entry.speechExecuting = audio;
    if (capacity.maxJobs === undefined || capacity.available === undefined || audio === "invalid")
      anomalies.invalid_capacity++;
  }
  // Accounts found only in generation IDs, after the listed ones.
  const unlisted = new Map<string, AccountGenerations>();
  const entryOf = (account: string): AccountGenerations => {
    const p = capacities.index.get(account);
    if (p !== undefined) return accounts[p] as AccountGenerations;
    let entry = unlisted.get(account);
    if (entry === undefined) {
      anomalies.unlisted_account++;
      entry = add(account);
      unlisted.set(account, entry);
    }
    return entry;
  };

  const { accounts: generationAccounts, types } = listing;
  const at = listing.ids.at;
  const elapsedSeconds = new Int32Array(at.length);
  let last: string | undefined;
  let entry: AccountGenerations | undefined;
  for (let p = 0; p < at.length; p++) {
    const account = generationAccounts[p] as string;
    // Generations of one account are mostly listed together: one lookup for all of them.
    if (account !== last || entry === undefined) {
      last = account;
      entry = entryOf(account);
    }
    const t = types[p] === "video" ? 0 : 1;
    entry.executing[t]++;
    const generation = answer.executing[at[p] as number] as ListedGeneration;
    const seconds = generationElapsed(generation.started, generation.elapsed, nowMs);
    if (seconds === undefined) {
      anomalies.unreadable_generation_time++;
      elapsedSeconds[p] = NO_ELAPSED;
    } else {
      if (seconds > entry.maxElapsedSeconds[t]) entry.maxElapsedSeconds[t] = seconds;
      elapsedSeconds[p] = seconds;
    }
  }

  for (let p = 0; p < listed.length; p++) {
    const { maxJobs, available } = accounts[p] as AccountGenerations;
    const { executing } = answer.available[listed[p] as number] as Capacity;
    const videos = (accounts[p] as AccountGenerations).executing[0];
    const counted = executing !== undefined && executing !== videos;
    const free =
      maxJobs !== undefined && available !== undefined && executing !== undefined
        ? available !== Math.max(0, maxJobs - executing)
        : false;
    if (counted || free) anomalies.capacity_mismatch++;
  }
  return {
    takenAtMs: nowMs,
    accounts,
    generations: { size: at.length, listing, elapsedSeconds },
    listings: { generations: listing, capacities },
    anomalies,
  };
}
