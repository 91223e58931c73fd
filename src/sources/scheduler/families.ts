import type { Families } from "../../metrics/family.js";
import { registerAccountGauge, registerFamily } from "../../metrics/family.js";
import { createLifecycle, type Lifecycle } from "../common/lifecycle.js";
import { GENERATION_TYPES, generationTypeLabel, SCHEDULER_PATH } from "./answer.js";
import type { AccountGenerations, ByType } from "./snapshot.js";

/** From a 30 s image or short clip to the 30 minutes of a long video queue. */
export const GENERATION_BUCKETS = [30, 60, 90, 120, 180, 240, 300, 420, 600, 900, 1200, 1800];

const FROM = `(from the background poll of GET ${SCHEDULER_PATH})`;

/** The scheduler's families, fed the accounts exported now; returns the generation lifecycle. */
export function registerSchedulerFamilies(
  registry: Families,
  exported: () => readonly AccountGenerations[],
): Lifecycle {
  const byType = (name: string, help: string, value: (a: AccountGenerations) => ByType) =>
    registerFamily(registry, {
      ...{ name, help, type: "gauge", labelNames: ["account", "type"] },
      samples(set) {
        for (const a of exported()) {
          const values = value(a);
          GENERATION_TYPES.forEach((type, t) =>
            set({ account: a.account, type: generationTypeLabel(type) }, values[t] ?? 0),
          );
        }
      },
    });
  const perAccount = (
    name: string,
    help: string,
    value: (a: AccountGenerations) => number | undefined,
  ) => registerAccountGauge(registry, { name, help }, exported, value);
  byType(
    `useapi_minimax_generations_executing`,
    `Generations listed in useapi.net's scheduler for the MiniMax account, by type: video, image or audio, which is speech ${FROM}.`,
    (a) => a.executing,
  );
  byType(
    `useapi_minimax_generation_max_elapsed_seconds`,
    `Elapsed seconds of the account's longest-running generation of the type, 0 when idle ${FROM}.`,
    (a) => a.maxElapsedSeconds,
  );
  perAccount(
    `useapi_minimax_video_slots`,
    `Video generations the account may run at once (maxJobs) ${FROM}.`,
    (a) => a.maxJobs,
  );
  perAccount(
    `useapi_minimax_video_slots_available`,
    `Video generation slots of the account free now (available) ${FROM}.`,
    (a) => a.available,
  );
  perAccount(
    `useapi_minimax_speech_executing`,
    `Speech generations in flight by the account's own count (executingAudio of available[]), where reported; the scheduler's list of them is useapi_minimax_generations_executing{type="audio"} ${FROM}.`,
    (a) => a.speechExecuting,
  );
  return createLifecycle(registry, {
    labelNames: ["account", "type"],
    started: {
      name: `useapi_minimax_generations_started_total`,
      help: "Generations seen appearing in the scheduler's list between two successful polls.",
    },
    finished: {
      name: `useapi_minimax_generations_finished_total`,
      help: "Generations that left the scheduler's list.",
    },
    duration: {
      name: `useapi_minimax_generation_duration_seconds`,
      help: "Run time of finished generations: the elapsed time last seen before they left the list.",
      buckets: GENERATION_BUCKETS,
    },
  });
}
