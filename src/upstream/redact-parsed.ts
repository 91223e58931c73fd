import { isRecord } from "./json-checks.js";
import { redact, shortestSpelling } from "./redaction.js";

type Container = Record<string | number, unknown>;

/** Every string and key redacted in place, on a stack of its own: JSON.parse's reviver recurses. */
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
  const holder: Container = { root };
  const pending = [holder];
  const visit = (container: Container, key: string | number) => {
    const value = clean(container[key]);
    if (value !== container[key]) container[key] = value;
    if (typeof value === "object" && value !== null) pending.push(value as Container);
  };
  for (let container = pending.pop(); container !== undefined; container = pending.pop()) {
    if (Array.isArray(container)) for (let i = 0; i < container.length; i++) visit(container, i);
    // for…in without a hasOwn check: JSON.parse makes plain objects of own properties only.
    else for (const key in container) visit(container, key);
  }
  return holder["root"];
}
