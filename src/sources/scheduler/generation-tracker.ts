import type { SnapshotGeneration } from "./snapshot.js";

export interface GenerationChange {
  started: SnapshotGeneration[];
  /** As last seen: their elapsed time is their run time. */
  finished: SnapshotGeneration[];
}

/**
 * Tracks generation IDs across successful answers. The first answer only seeds it: generations
 * already running when the exporter starts are not counted as started. Holds the last answer's
 * generations only, at most `maxTracked`.
 */
export function createGenerationTracker({ maxTracked }: { maxTracked: number }): {
  observe(generations: readonly SnapshotGeneration[]): GenerationChange;
} {
  let known: Map<string, SnapshotGeneration> | undefined;
  return {
    observe(generations) {
      const next = new Map<string, SnapshotGeneration>();
      const started: SnapshotGeneration[] = [];
      for (const generation of generations) {
        if (next.size >= maxTracked) break;
        next.set(generation.id, generation);
        if (known !== undefined && !known.has(generation.id)) started.push(generation);
      }
      const finished: SnapshotGeneration[] = [];
      if (known !== undefined) {
        for (const [id, generation] of known) if (!next.has(id)) finished.push(generation);
      }
      known = next;
      return { started, finished };
    },
  };
}
