import type { Registry } from "prom-client";
import { anomalyCounter } from "../../metrics/anomalies.js";
import {
  GENERATION_MAX_ELAPSED,
  GENERATIONS_EXECUTING,
  VIDEO_SLOTS,
  VIDEO_SLOTS_AVAILABLE,
} from "../../metrics/families.js";
import type { TextSink } from "../../metrics/mapped-sink.js";
import type { FamilyWriters } from "../../metrics/rendering.js";
import { escapeLabel, perAccountSamples } from "../../metrics/text-format.js";
import type { PayloadLimits } from "../jobs/answer.js";
import type { Source } from "../source.js";
import {
  GENERATION_TYPES,
  parseSchedulerAnswer,
  SCHEDULER_PATH,
  type SchedulerAnswer,
} from "./answer.js";
import { createGenerationTracker } from "./generation-tracker.js";
import { createGenerationLifecycle } from "./lifecycle-families.js";
import {
  SCHEDULER_ANOMALY_KINDS,
  toGenerationSnapshot,
  type AccountGenerations,
  type ByType,
  type GenerationSnapshot,
} from "./snapshot.js";

export interface SchedulerSourceOptions {
  registry: Registry;
  intervalMs: number;
  limits?: PayloadLimits | undefined;
  /** Generation IDs tracked between polls, at most. */
  maxTracked: number;
}

export interface SchedulerSource extends Source<SchedulerAnswer> {
  /** The last good snapshot; still shown on the landing page after failures. */
  snapshot(): GenerationSnapshot | undefined;
  readonly writers: FamilyWriters;
}

/** GET /v1/minimax/scheduler/available: running video and image generations, and video capacity. */
export function createSchedulerSource(options: SchedulerSourceOptions): SchedulerSource {
  const { limits } = options;
  const countAnomaly = anomalyCounter(options.registry, SCHEDULER_ANOMALY_KINDS);
  const tracker = createGenerationTracker({ maxTracked: options.maxTracked });
  const lifecycle = createGenerationLifecycle();
  let snapshot: GenerationSnapshot | undefined;
  // The per-account gauges are dropped when stale; the snapshot stays for the landing page.
  let exported: readonly AccountGenerations[] = [];

  const suffixes = GENERATION_TYPES.map((type) => `",type="${type}"} `);
  const byType = (name: string, value: (a: AccountGenerations) => ByType) => (out: TextSink) => {
    for (const a of exported) {
      const label = escapeLabel(a.account);
      const values = value(a);
      out.write(`${name}{account="${label}${suffixes[0]}${values[0]}\n`);
      out.write(`${name}{account="${label}${suffixes[1]}${values[1]}\n`);
    }
  };
  const slots =
    (name: string, value: (a: AccountGenerations) => number | undefined) => (out: TextSink) =>
      perAccountSamples(out, name, exported, value);

  return {
    name: "scheduler",
    title: "the scheduler",
    path: SCHEDULER_PATH,
    intervalMs: options.intervalMs,
    parse: (body) => parseSchedulerAnswer(body, limits),
    update(answer, nowMs) {
      snapshot = toGenerationSnapshot(answer, nowMs);
      exported = snapshot.accounts;
      for (const kind of SCHEDULER_ANOMALY_KINDS) countAnomaly(kind, snapshot.anomalies[kind]);
      const change = tracker.observe(snapshot.generations);
      for (const generation of change.started) lifecycle.recordStarted(generation);
      for (const generation of change.finished) lifecycle.recordFinished(generation);
      // After the finished ones: an account that left loses its series in this same update.
      lifecycle.setAccounts(snapshot.accounts.map((a) => a.account));
      return { accounts: snapshot.accounts.length, generations: snapshot.generations.size };
    },
    drop() {
      exported = [];
    },
    snapshot: () => snapshot,
    writers: {
      [GENERATIONS_EXECUTING.name]: byType(GENERATIONS_EXECUTING.name, (a) => a.executing),
      [GENERATION_MAX_ELAPSED.name]: byType(
        GENERATION_MAX_ELAPSED.name,
        (a) => a.maxElapsedSeconds,
      ),
      [VIDEO_SLOTS.name]: slots(VIDEO_SLOTS.name, (a) => a.maxJobs),
      [VIDEO_SLOTS_AVAILABLE.name]: slots(VIDEO_SLOTS_AVAILABLE.name, (a) => a.available),
      ...lifecycle.writers,
    },
  };
}
