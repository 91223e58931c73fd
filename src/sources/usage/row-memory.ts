/**
 * Which rows of an answer were not counted before, by `jobid`, in any order. An answer is the
 * newest `limit` rows and rows are only added (late ones too), so a row that left never comes back:
 * the IDs of the last two non-empty answers (one lagging answer covered) are all that is kept.
 */
export interface RowMemory {
  /** Takes one answer's job IDs in any order; returns the indexes of those to count. */
  take(jobIds: readonly string[]): AnswerRows;
}

export interface AnswerRows {
  /** Indexes of the rows seen for the first time, in the answer's order. */
  readonly fresh: Uint32Array;
  /** Rows whose job ID came earlier in the same answer: counted once. */
  readonly duplicates: number;
  /** Whether this was the first non-empty answer: all its rows fresh, none can be missing. */
  readonly first: boolean;
}

export function createRowMemory(): RowMemory {
  // Each job ID and the last answer that listed it: a row seen again allocates nothing.
  const lastSeen = new Map<string, number>();
  let answers = 0;
  return {
    take(jobIds) {
      // An empty answer says nothing about the rows: forgetting them would count them again.
      if (jobIds.length === 0) return { fresh: new Uint32Array(0), duplicates: 0, first: false };
      const answer = ++answers;
      // Typed, at its longest: no copy as it grows, and only the pages written are touched.
      const fresh = new Uint32Array(jobIds.length);
      let count = 0;
      let duplicates = 0;
      for (let i = 0; i < jobIds.length; i++) {
        const id = jobIds[i] as string;
        const at = lastSeen.get(id);
        if (at === answer) {
          duplicates++;
          continue;
        }
        if (at === undefined) fresh[count++] = i;
        lastSeen.set(id, answer);
      }
      // forEach rather than for-of: no [id, at] pair is made per entry.
      lastSeen.forEach((at, id) => {
        if (at < answer - 1) lastSeen.delete(id);
      });
      return { fresh: fresh.subarray(0, count), duplicates, first: answer === 1 };
    },
  };
}
