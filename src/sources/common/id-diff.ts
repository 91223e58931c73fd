/** What changed between two successful answers' lists of running work. */
export interface IdChange<T> {
  /** Listed now and not before. */
  started: T[];
  /** Listed before and not now, as last seen (their elapsed time is their run time). */
  finished: T[];
}

/**
 * The runs (agent jobs, generations) that started and finished between successful answers, by
 * ID. The first answer only seeds it: what already runs when the exporter starts has not started.
 * It holds the last answer's runs, at most --useapi.max-jobs of them (a longer answer is refused).
 */
export function createIdDiff<T>(idOf: (run: T) => string): {
  observe(runs: readonly T[]): IdChange<T>;
} {
  let known: Map<string, T> | undefined;
  return {
    observe(runs) {
      const now = new Map<string, T>();
      for (const run of runs) now.set(idOf(run), run);
      const started: T[] = [];
      const finished: T[] = [];
      if (known !== undefined) {
        for (const [id, run] of now) if (!known.has(id)) started.push(run);
        for (const [id, run] of known) if (!now.has(id)) finished.push(run);
      }
      known = now;
      return { started, finished };
    },
  };
}
