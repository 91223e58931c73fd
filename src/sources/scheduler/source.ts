import type { Families } from "../../metrics/family.js";
import type { AnomalyCount } from "../../metrics/anomalies.js";
import type { AccountBook } from "../channels.js";
import type { AnswerLimits } from "../../config/flag-reader.js";
import { createIdDiff } from "../common/id-diff.js";
import type { Source } from "../source.js";
import {
  GENERATION_TYPES,
  generationTypeLabel,
  parseSchedulerAnswer,
  SCHEDULER_PATH,
  type SchedulerAnswer,
} from "./answer.js";
import { registerSchedulerFamilies } from "./families.js";
import {
  SCHEDULER_ANOMALY_KINDS,
  toGenerationSnapshot,
  type AccountGenerations,
  type GenerationSnapshot,
  type SnapshotGeneration,
} from "./snapshot.js";

export interface SchedulerSourceOptions {
  registry: Families;
  intervalMs: number;
  limits?: AnswerLimits | undefined;
  countAnomaly: AnomalyCount;
  /** Where the accounts of each answer are reported; none by default. */
  accounts?: AccountBook | undefined;
}

export interface SchedulerSource extends Source<SchedulerAnswer> {
  /** The last good snapshot; still shown on the landing page after failures. */
  snapshot(): GenerationSnapshot | undefined;
}

/** The scheduler's running video, image, speech generations; video capacity, speech in flight. */
export function createSchedulerSource(options: SchedulerSourceOptions): SchedulerSource {
  const { limits, countAnomaly } = options;
  let snapshot: GenerationSnapshot | undefined;
  // The per-account gauges are dropped when stale; the snapshot stays for the landing page.
  let exported: readonly AccountGenerations[] = [];
  const lifecycle = registerSchedulerFamilies(options.registry, () => exported);
  const diff = createIdDiff((generation: SnapshotGeneration) => generation.id);
  const labelsOf = ({ account, type }: SnapshotGeneration) => ({
    account,
    type: generationTypeLabel(type),
  });

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
      const change = diff.observe(snapshot.generations);
      for (const generation of change.started) lifecycle.started(labelsOf(generation), 1);
      for (const generation of change.finished) {
        lifecycle.finished(labelsOf(generation));
        lifecycle.ended(labelsOf(generation), generation.elapsedSeconds);
      }
      // After the finished ones: an account that left loses its series in this same update.
      const ids = snapshot.accounts.map((a) => a.account);
      lifecycle.keep(
        ids.flatMap((account) =>
          GENERATION_TYPES.map((type) => ({ account, type: generationTypeLabel(type) })),
        ),
      );
      options.accounts?.report("scheduler", ids, false);
      return { accounts: snapshot.accounts.length, generations: snapshot.generations.length };
    },
    drop() {
      exported = [];
    },
    snapshot: () => snapshot,
  };
}
