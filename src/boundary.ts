/** Helpers for checking upstream JSON at the client boundary. */

/** A body of the wrong shape; `path` names the offending part, e.g. `executing["123"][0]`. */
export class PayloadError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = "PayloadError";
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "null", "an array", "a string"…, for error messages that never quote upstream values. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** A checked answer holding more accounts or jobs than the exporter accepts (a flag's bound). */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LimitError";
  }
}

/** Longest piece of upstream-derived text that goes into a log line or a page. */
export const MAX_DETAIL_CHARS = 200;
export const TOKEN_MARK = "[token]";

/**
 * `text` with every secret (and its JSON-escaped form) replaced by [token]. Replaced before any cut,
 * so that no cut can leave a piece of a secret that a later replacement would miss.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === "") continue;
    out = out.replaceAll(secret, TOKEN_MARK);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.replaceAll(escaped, TOKEN_MARK);
  }
  return out;
}

/** Upstream-derived text made safe for a log line or a page: secrets replaced, then cut. */
export function safeText(text: string, secrets: readonly string[], max = MAX_DETAIL_CHARS): string {
  const clean = redact(text, secrets);
  if (clean.length <= max) return clean;
  const end = /[\uD800-\uDBFF]/.test(clean.charAt(max - 2)) ? max - 2 : max - 1;
  return `${clean.slice(0, end)}…`;
}
