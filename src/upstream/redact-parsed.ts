import { isRecord } from "./json-checks.js";
import { redact, shortestSpelling } from "./redaction.js";

/**
 * Parsed JSON with every string and key redacted, for an answer whose escapes (\u0041, \/) could
 * spell a secret that the redaction of its text missed. Walks with a stack of its own, so that no
 * nesting can overflow the call stack (JSON.parse's reviver recurses), and changes only what
 * changes: a string is replaced in its container, an object with a changed key is rebuilt.
 */
export function redactParsed(root: unknown, secrets: readonly string[]): unknown {
  const shortest = shortestSpelling(secrets);
  const cleanText = (text: string) => (text.length < shortest ? text : redact(text, secrets));
  const keysChange = (record: Record<string, unknown>) => {
    for (const key in record) if (cleanText(key) !== key) return true;
    return false;
  };
  const clean = (value: unknown): unknown => {
    if (typeof value === "string") return cleanText(value);
    if (isRecord(value) && keysChange(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), v]));
    }
    return value;
  };
  const holder: unknown[] = [root];
  const pending: (unknown[] | Record<string, unknown>)[] = [holder];
  for (let container = pending.pop(); container !== undefined; container = pending.pop()) {
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) {
        const value = clean(container[i]);
        if (value !== container[i]) container[i] = value;
        if (typeof value === "object" && value !== null)
          pending.push(value as Record<string, unknown>);
      }
    } else {
      // for…in without a hasOwn check: JSON.parse makes plain objects of own properties only.
      for (const key in container) {
        const value = clean(container[key]);
        if (value !== container[key]) container[key] = value;
        if (typeof value === "object" && value !== null)
          pending.push(value as Record<string, unknown>);
      }
    }
  }
  return holder[0];
}
