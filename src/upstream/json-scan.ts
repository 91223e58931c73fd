/**
 * A linear pass over an answer's text before JSON.parse: it refuses bodies whose parsing alone
 * would take memory far beyond their size (millions of nested or empty containers, millions of
 * tiny values), and nesting far beyond any documented answer, which code that recurses over a
 * parsed body could not take.
 */

/**
 * Deepest nesting accepted. The documented answers nest 4 levels (the body, `executing`, an
 * account's list, a job); the rest is room for upstream additions.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Bytes of --useapi.max-response-bytes per object or array accepted. A documented answer spends
 * more than 30 bytes on each (a job is `{"jobId":"…","elapsed":"…"}`, an account `"12345":[…]`);
 * V8 spends about 110 bytes of memory on each, so the bound keeps them to a few times the cap.
 */
export const CAP_BYTES_PER_CONTAINER = 16;

/**
 * Bytes of the cap per object member: a job spends more than 13 bytes on each of its two, a summary
 * entry 12; V8 spends up to 200 bytes on a key (one object of 500,000 keys: 100 MB).
 */
export const CAP_BYTES_PER_MEMBER = 16;

/** Bytes of the cap per element (array item or object member): `"12345",` is 8 of them. */
export const CAP_BYTES_PER_ELEMENT = 4;

/**
 * Distinct object keys accepted beyond --useapi.max-accounts: an answer's keys are its field names
 * and, in the jobs list and the accounts, its account IDs. V8 builds each new key of an object as a
 * new hidden class: 262,144 keys of one object, or 32,768 objects of 8 new keys each, took 0.35 to
 * 0.58 s of JSON.parse (goal: the longest event-loop block at the bounds, bench/bounds.js).
 */
export const KEYS_BEYOND_ACCOUNTS = 1_024;

export interface JsonBounds {
  maxDepth: number;
  maxContainers: number;
  maxMembers: number;
  maxElements: number;
  maxKeys: number;
}

export function jsonBounds(maxResponseBytes: number, maxAccounts: number): JsonBounds {
  return {
    maxDepth: MAX_JSON_DEPTH,
    maxKeys: maxAccounts + KEYS_BEYOND_ACCOUNTS,
    maxContainers: Math.max(1, Math.floor(maxResponseBytes / CAP_BYTES_PER_CONTAINER)),
    maxMembers: Math.max(1, Math.floor(maxResponseBytes / CAP_BYTES_PER_MEMBER)),
    maxElements: Math.max(1, Math.floor(maxResponseBytes / CAP_BYTES_PER_ELEMENT)),
  };
}

export interface ScanRefusal {
  outcome: "invalid_json" | "limit_exceeded";
  detail: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Why `text` must not be parsed, or undefined. Counts outside strings only, keeps nothing but the
 * distinct keys (at most `maxKeys`) and does not check the syntax: what is not JSON is left to
 * JSON.parse, which says where it stops. Keys are compared as written, escapes and all.
 */
export function scanJson(text: string, bounds: JsonBounds): ScanRefusal | undefined {
  const { maxDepth, maxContainers, maxMembers, maxElements, maxKeys } = bounds;
  const keys = new Set<string>();
  // The last string: a key when a colon follows it.
  let stringStart = 0;
  let stringEnd = 0;
  let depth = 0;
  let containers = 0;
  let members = 0;
  // Each comma adds one element to its container; the first elements are at most `containers`.
  let commas = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      stringStart = i + 1;
      i = closingQuote(text, i);
      if (i < 0) return undefined;
      stringEnd = i;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > maxDepth) {
        return {
          outcome: "invalid_json",
          detail: `body nests deeper than ${maxDepth} levels at position ${i}`,
        };
      }
      if (++containers > maxContainers) {
        return {
          outcome: "limit_exceeded",
          detail: `body holds more than ${maxContainers} objects and arrays (one per ${CAP_BYTES_PER_CONTAINER} bytes of --useapi.max-response-bytes)`,
        };
      }
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      if (depth > 0) depth--;
    } else if (c === COMMA) {
      if (++commas > maxElements) {
        return {
          outcome: "limit_exceeded",
          detail: `body holds more than ${maxElements} elements (one per ${CAP_BYTES_PER_ELEMENT} bytes of --useapi.max-response-bytes)`,
        };
      }
    } else if (c === COLON) {
      if (++members > maxMembers) {
        return {
          outcome: "limit_exceeded",
          detail: `body holds more than ${maxMembers} object members (one per ${CAP_BYTES_PER_MEMBER} bytes of --useapi.max-response-bytes)`,
        };
      }
      const key = text.slice(stringStart, stringEnd);
      if (!keys.has(key)) {
        if (keys.size >= maxKeys) {
          return {
            outcome: "limit_exceeded",
            detail: `body holds more than ${maxKeys} distinct object keys (--useapi.max-accounts and ${KEYS_BEYOND_ACCOUNTS})`,
          };
        }
        keys.add(key);
      }
    }
  }
  return undefined;
}

/** Position of the quote closing the string opened at `open`, or -1 if none does. */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}
