/**
 * The distinct keys of a list, by position of first appearance. It depends on the keys alone, so a
 * list that repeats the last one's keys in the same order shares the last one's listing: no map of
 * tens of thousands of keys built again each poll (on a 2-core VM, a fresh 50,000-entry map costs
 * more in page faults than the lookups themselves).
 */
export interface KeyListing {
  /** Each distinct key's position, by key. */
  readonly index: ReadonlyMap<string, number>;
  readonly keys: readonly string[];
  /** Where each distinct key is first listed. */
  readonly at: Int32Array;
  /** The keys as listed, repeated and missing (undefined) ones included. */
  readonly listed: readonly (string | undefined)[];
  /** Keys listed again after their first appearance. */
  readonly repeated: number;
  /** Items without a key. */
  readonly missing: number;
}

function repeats<T>(
  items: readonly T[],
  key: (item: T) => string | undefined,
  previous: KeyListing | undefined,
): previous is KeyListing {
  if (previous === undefined || previous.listed.length !== items.length) return false;
  const { listed } = previous;
  for (let i = 0; i < items.length; i++) if (key(items[i] as T) !== listed[i]) return false;
  return true;
}

/** The listing of the keys of `items`: `previous` itself when they are the same, in order. */
export function listKeys<T>(
  items: readonly T[],
  key: (item: T) => string | undefined,
  previous?: KeyListing,
): KeyListing {
  if (repeats(items, key, previous)) return previous;
  const index = new Map<string, number>();
  // Sized once: grown element by element, a list of 50,000 is copied a dozen times.
  const keys = new Array<string>(items.length);
  const at = new Int32Array(items.length);
  const listed = new Array<string | undefined>(items.length);
  let distinct = 0;
  let repeated = 0;
  let missing = 0;
  for (let i = 0; i < items.length; i++) {
    const k = key(items[i] as T);
    listed[i] = k;
    if (k === undefined) missing++;
    else if (index.has(k)) repeated++;
    else {
      index.set(k, distinct);
      keys[distinct] = k;
      at[distinct++] = i;
    }
  }
  keys.length = distinct;
  // Mostly every key is listed once: then the keys are the list as listed.
  const asListed = repeated + missing === 0 ? keys : listed;
  return { index, keys, at: at.subarray(0, distinct), listed: asListed, repeated, missing };
}
