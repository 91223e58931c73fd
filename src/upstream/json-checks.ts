/** A body of the wrong shape; `path` names the offending part, e.g. `executing["123"][0]`. */
export class PayloadError extends Error {
  override name = "PayloadError";
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "null", "an array", "a string"… ("nothing" for undefined): errors never quote values. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
}

/** The PayloadError of a `value` at `path` that is not what it should be, e.g. "an object". */
export function unexpected(path: string, expected: string, value: unknown): PayloadError {
  return new PayloadError(path, `expected ${expected}, got ${describeValue(value)}`);
}

/** A checked answer holding more accounts or jobs than the exporter accepts (a flag's bound). */
export class LimitError extends Error {
  override name = "LimitError";
}
