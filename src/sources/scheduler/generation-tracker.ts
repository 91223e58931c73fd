import type { SnapshotGeneration } from "./snapshot.js";

export interface GenerationChange {
  started: SnapshotGeneration[];
  /** As last seen: their elapsed time is their run time. */
  finished: SnapshotGeneration[];
}

/**
 * Tracks generation IDs across successful answers. The first answer only seeds it: generations
 * already running when the exporter starts are not counted as started. Keeps the last answer's
 * map itself; an answer of more than `maxTracked` is skipped (nothing started or finished).
 */
export function createGenerationTracker({ maxTracked }: { maxTracked: number }): {
  observe(generations: ReadonlyMap<string, SnapshotGeneration>): GenerationChange;
} {
  let known: ReadonlyMap<string, SnapshotGeneration> | undefined;
  return {
    observe(generations) {
      if (generations.size > maxTracked) return { started: [], finished: [] };
      const next = generations;
      const started: SnapshotGeneration[] = [];
      const finished: SnapshotGeneration[] = [];
      if (known !== undefined) {
        for (const [id, generation] of next) if (!known.has(id)) started.push(generation);
        for (const [id, generation] of known) if (!next.has(id)) finished.push(generation);
      }
      known = next;
      return { started, finished };
    },
  };
}
