import type { AnomalyCount } from "../../metrics/anomalies.js";
import type { TextSink } from "../../metrics/mapped-sink.js";
import type { FamilyWriters } from "../../metrics/rendering.js";
import { escapeLabel } from "../../metrics/text-format.js";
import type { AccountBook } from "../channels.js";
import type { AnswerLimits } from "../../config/flag-reader.js";
import type { Source } from "../source.js";
import { GENERATION_TYPES, parseSchedulerAnswer, type SchedulerAnswer } from "./answer.js";
import type { SchedulerFamilies } from "./families.js";
import { createGenerationTracker } from "./generation-tracker.js";
import { createGenerationLifecycle } from "./lifecycle-families.js";
import {
  SCHEDULER_ANOMALY_KINDS,
  toGenerationSnapshot,
  type AccountGenerations,
  type ByType,
  type GenerationSnapshot,
} from "./snapshot.js";

/** Where a scheduler-shaped endpoint is and how its answers are read. */
export interface SchedulerEndpoint {
  /** The `source` label of its health families. */
  name: string;
  /** How log lines name it, e.g. "the scheduler". */
  title: string;
  path: string;
  /** What stands before the account in a generation ID, e.g. `minimax:`. */
  accountMark: string;
}

export interface SchedulerSourceOptions {
  endpoint: SchedulerEndpoint;
  families: SchedulerFamilies;
  intervalMs: number;
  limits?: AnswerLimits | undefined;
  /** Generation IDs tracked between polls, at most. */
  maxTracked: number;
  countAnomaly: AnomalyCount;
  /** Where the accounts of each answer are reported; none by default. */
  accounts?: AccountBook | undefined;
}

export interface SchedulerSource extends Source<SchedulerAnswer> {
  /** The last good snapshot; still shown on the landing page after failures. */
  snapshot(): GenerationSnapshot | undefined;
  readonly writers: FamilyWriters;
}

/** A scheduler's running video and image generations, video capacity and speech in flight. */
export function createSchedulerSource(options: SchedulerSourceOptions): SchedulerSource {
  const { endpoint, families, limits, countAnomaly } = options;
  const tracker = createGenerationTracker({ maxTracked: options.maxTracked });
  const lifecycle = createGenerationLifecycle(families);
  let snapshot: GenerationSnapshot | undefined;
  // The per-account gauges are dropped when stale; the snapshot stays for the landing page.
  let exported: readonly AccountGenerations[] = [];

  // The exported accounts' labels, escaped once per answer for all the families.
  let labels: readonly string[] | undefined;
  const labelsOf = (): readonly string[] =>
    (labels ??= exported.map((a) => escapeLabel(a.account)));
  const suffixes = GENERATION_TYPES.map((type) => `",type="${type}"} `);
  const byType = (name: string, value: (a: AccountGenerations) => ByType) => (out: TextSink) => {
    const escaped = labelsOf();
    for (let i = 0; i < exported.length; i++) {
      const label = escaped[i] as string;
      const values = value(exported[i] as AccountGenerations);
      out.write(`${name}{account="${label}${suffixes[0]}${values[0]}\n`);
      out.write(`${name}{account="${label}${suffixes[1]}${values[1]}\n`);
    }
  };
  const slots =
    (name: string, value: (a: AccountGenerations) => number | undefined) => (out: TextSink) => {
      const escaped = labelsOf();
      for (let i = 0; i < exported.length; i++) {
        const v = value(exported[i] as AccountGenerations);
        if (v !== undefined) out.write(`${name}{account="${escaped[i] as string}"} ${v}\n`);
      }
    };

  return {
    name: endpoint.name,
    title: endpoint.title,
    path: endpoint.path,
    intervalMs: options.intervalMs,
    parse: (body) => parseSchedulerAnswer(body, endpoint.accountMark, limits),
    update(answer, nowMs) {
      snapshot = toGenerationSnapshot(answer, nowMs, snapshot?.listings);
      exported = snapshot.accounts;
      labels = undefined;
      for (const kind of SCHEDULER_ANOMALY_KINDS) countAnomaly(kind, snapshot.anomalies[kind]);
      const change = tracker.observe(snapshot.generations);
      for (const generation of change.started) lifecycle.recordStarted(generation);
      for (const generation of change.finished) lifecycle.recordFinished(generation);
      // After the finished ones: an account that left loses its series in this same update.
      const ids = snapshot.accounts.map((a) => a.account);
      lifecycle.setAccounts(ids);
      options.accounts?.report(endpoint.name, ids, false);
      return { accounts: snapshot.accounts.length, generations: snapshot.generations.size };
    },
    drop() {
      exported = [];
      labels = undefined;
    },
    snapshot: () => snapshot,
    writers: {
      [families.executing.name]: byType(families.executing.name, (a) => a.executing),
      [families.maxElapsed.name]: byType(families.maxElapsed.name, (a) => a.maxElapsedSeconds),
      [families.videoSlots.name]: slots(families.videoSlots.name, (a) => a.maxJobs),
      [families.videoSlotsAvailable.name]: slots(
        families.videoSlotsAvailable.name,
        (a) => a.available,
      ),
      [families.speechExecuting.name]: slots(
        families.speechExecuting.name,
        (a) => a.speechExecuting,
      ),
      ...lifecycle.writers,
    },
  };
}
