import type { GenerationType, ListedGeneration } from "./answer.js";
import { listKeys, type KeyListing } from "./key-listing.js";

/**
 * Which generations an answer lists, without their times: the distinct ones whose account could
 * be read, by position in upstream order. An answer listing the same IDs in the same order as the
 * last one shares its listing (an ID always names the same account and type), which the tracker
 * sees unchanged at a glance.
 */
export interface GenerationListing {
  /** By ID; a generation listed twice counts once, where it is first listed. */
  readonly ids: KeyListing;
  readonly accounts: readonly string[];
  readonly types: readonly GenerationType[];
}

/** Elapsed seconds stored where no time could be read. */
export const NO_ELAPSED = -1;

/** The distinct generations of one answer: who lists them, and how long each has been running. */
export interface SnapshotGenerations {
  readonly size: number;
  readonly listing: GenerationListing;
  /** By position; NO_ELAPSED where no time could be read. */
  readonly elapsedSeconds: Int32Array;
}

/** A running generation as seen in one answer; its ID is tracked, never exported. */
export interface SnapshotGeneration {
  id: string;
  account: string;
  type: GenerationType;
  elapsedSeconds: number | undefined;
}

/** The generation at `position`, as one object (for the few that start or finish). */
export function generationAt(
  generations: SnapshotGenerations,
  position: number,
): SnapshotGeneration {
  const { listing } = generations;
  const seconds = generations.elapsedSeconds[position] as number;
  return {
    id: listing.ids.keys[position] as string,
    account: listing.accounts[position] as string,
    type: listing.types[position] as GenerationType,
    elapsedSeconds: seconds === NO_ELAPSED ? undefined : seconds,
  };
}

/** An unreadable generation has no ID (see ListedGeneration). */
const idOf = (g: ListedGeneration) => g.id;

/** The listing of `executing`: `previous` itself when it lists the same IDs in the same order. */
export function listGenerations(
  executing: readonly ListedGeneration[],
  previous?: GenerationListing,
): GenerationListing {
  const ids = listKeys(executing, idOf, previous?.ids);
  if (previous !== undefined && ids === previous.ids) return previous;
  const accounts = new Array<string>(ids.at.length);
  const types = new Array<GenerationType>(ids.at.length);
  for (let p = 0; p < ids.at.length; p++) {
    const listed = executing[ids.at[p] as number] as ListedGeneration;
    accounts[p] = listed.account as string;
    types[p] = listed.type as GenerationType;
  }
  return { ids, accounts, types };
}
