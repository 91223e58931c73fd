import {
  generationAt,
  type SnapshotGeneration,
  type SnapshotGenerations,
} from "./generation-list.js";

export interface GenerationChange {
  started: SnapshotGeneration[];
  /** As last seen: their elapsed time is their run time. */
  finished: SnapshotGeneration[];
}

/**
 * Tracks generation IDs across successful answers. The first answer only seeds it: generations
 * already running when the exporter starts are not counted as started. Keeps the last answer's
 * generations themselves; an answer of more than `maxTracked` is skipped (nothing started or
 * finished). An answer sharing the last one's listing lists the same generations: nothing to
 * compare.
 */
export function createGenerationTracker({ maxTracked }: { maxTracked: number }): {
  observe(generations: SnapshotGenerations): GenerationChange;
} {
  let known: SnapshotGenerations | undefined;
  return {
    observe(next) {
      if (next.size > maxTracked) return { started: [], finished: [] };
      const started: SnapshotGeneration[] = [];
      const finished: SnapshotGeneration[] = [];
      if (known !== undefined && known.listing !== next.listing) {
        // One pass over the new IDs; the known ones not found are the finished ones.
        const before = known.listing.ids.index;
        const found = new Uint8Array(known.size);
        let matched = 0;
        for (const [id, position] of next.listing.ids.index) {
          const was = before.get(id);
          if (was === undefined) started.push(generationAt(next, position));
          else {
            found[was] = 1;
            matched++;
          }
        }
        if (matched < known.size) {
          for (let was = 0; was < found.length; was++) {
            if (found[was] === 0) finished.push(generationAt(known, was));
          }
        }
      }
      known = next;
      return { started, finished };
    },
  };
}
