/**
 * The runs that started and finished (as last seen) between successful answers, by ID. The first
 * answer only seeds it: what already runs when the exporter starts has not started.
 */
export function createIdDiff<T>(idOf: (run: T) => string): {
  observe(runs: readonly T[]): { started: T[]; finished: T[] };
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
