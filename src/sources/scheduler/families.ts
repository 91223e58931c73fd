import type { FamilyMeta } from "../../metrics/families.js";

/** The scheduler's hand-written families, named from the metric prefix and the endpoint's path. */
export interface SchedulerFamilies {
  executing: FamilyMeta;
  maxElapsed: FamilyMeta;
  videoSlots: FamilyMeta;
  videoSlotsAvailable: FamilyMeta;
  speechExecuting: FamilyMeta;
  started: FamilyMeta;
  finished: FamilyMeta;
  duration: FamilyMeta;
}

export function schedulerFamilies(prefix: string, path: string): SchedulerFamilies {
  const from = `(from the background poll of GET ${path})`;
  return {
    executing: {
      name: `${prefix}_generations_executing`,
      help: `Video and image generations running on the MiniMax account, by type ${from}.`,
      type: "gauge",
    },
    maxElapsed: {
      name: `${prefix}_generation_max_elapsed_seconds`,
      help: `Elapsed seconds of the account's longest-running generation of the type, 0 when idle ${from}.`,
      type: "gauge",
    },
    videoSlots: {
      name: `${prefix}_video_slots`,
      help: `Video generations the account may run at once (maxJobs) ${from}.`,
      type: "gauge",
    },
    videoSlotsAvailable: {
      name: `${prefix}_video_slots_available`,
      help: `Video generation slots of the account free now (available) ${from}.`,
      type: "gauge",
    },
    speechExecuting: {
      name: `${prefix}_speech_executing`,
      help: `Speech generations running on the MiniMax account (executingAudio), where reported ${from}.`,
      type: "gauge",
    },
    started: {
      name: `${prefix}_generations_started_total`,
      help: "Generations seen appearing in the scheduler's list between two successful polls.",
      type: "counter",
    },
    finished: {
      name: `${prefix}_generations_finished_total`,
      help: "Generations that left the scheduler's list.",
      type: "counter",
    },
    duration: {
      name: `${prefix}_generation_duration_seconds`,
      help: "Run time of finished generations: the elapsed time last seen before they left the list.",
      type: "histogram",
    },
  };
}
