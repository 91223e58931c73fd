// Refuses, before JSON.parse, bodies whose parsing would take memory far beyond their size.

/** Deepest nesting accepted; the documented answers nest 4 (body, `executing`, a list, a job). */
export const MAX_JSON_DEPTH = 32;
/** Bytes of the cap per object or array: an answer spends over 30 on each, V8 about 110. */
export const CAP_BYTES_PER_CONTAINER = 16;
/** Bytes of the cap per object member: a job spends over 13 on each, V8 up to 200 on a key. */
export const CAP_BYTES_PER_MEMBER = 16;
/** Bytes of the cap per element (array item or object member): `"12345",` is 8 of them. */
export const CAP_BYTES_PER_ELEMENT = 4;
/** Keys beyond --useapi.max-accounts: each new key is a V8 hidden class (goal: bench/bounds.js). */
export const KEYS_BEYOND_ACCOUNTS = 1_024;

export type JsonBounds = ReturnType<typeof jsonBounds>;

export function jsonBounds(maxResponseBytes: number, maxAccounts: number) {
  const perCap = (bytes: number) => Math.max(1, Math.floor(maxResponseBytes / bytes));
  return {
    maxDepth: MAX_JSON_DEPTH,
    maxKeys: maxAccounts + KEYS_BEYOND_ACCOUNTS,
    maxContainers: perCap(CAP_BYTES_PER_CONTAINER),
    maxMembers: perCap(CAP_BYTES_PER_MEMBER),
    maxElements: perCap(CAP_BYTES_PER_ELEMENT),
  };
}

type ScanRefusal = { outcome: "invalid_json" | "limit_exceeded"; detail: string };

function overCap(max: number, what: string, bytes: number): ScanRefusal {
  const detail = `body holds more than ${max} ${what} (one per ${bytes} bytes of --useapi.max-response-bytes)`;
  return { outcome: "limit_exceeded", detail };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** Why `text` must not be parsed: counts outside strings only; the syntax is JSON.parse's. */
export function scanJson(text: string, bounds: JsonBounds): ScanRefusal | undefined {
  const { maxDepth, maxContainers, maxMembers, maxElements, maxKeys } = bounds;
  const keys = new Set<string>();
  // The last string is a key when a colon follows it; each comma adds an element to its container.
  let [stringStart, stringEnd, depth, containers, members, commas] = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      stringStart = i + 1;
      i = closingQuote(text, i);
      if (i < 0) return undefined;
      stringEnd = i;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > maxDepth) {
        const detail = `body nests deeper than ${maxDepth} levels at position ${i}`;
        return { outcome: "invalid_json", detail };
      }
      if (++containers > maxContainers)
        return overCap(maxContainers, "objects and arrays", CAP_BYTES_PER_CONTAINER);
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      if (depth > 0) depth--;
    } else if (c === COMMA) {
      if (++commas > maxElements) return overCap(maxElements, "elements", CAP_BYTES_PER_ELEMENT);
    } else if (c === COLON) {
      if (++members > maxMembers)
        return overCap(maxMembers, "object members", CAP_BYTES_PER_MEMBER);
      const key = text.slice(stringStart, stringEnd);
      if (!keys.has(key)) {
        if (keys.size >= maxKeys) {
          const detail = `body holds more than ${maxKeys} distinct object keys (--useapi.max-accounts and ${KEYS_BEYOND_ACCOUNTS})`;
          return { outcome: "limit_exceeded", detail };
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
