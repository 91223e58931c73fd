/**
 * An account ID as the upstream spells it: a non-empty string, or a whole number (some answers
 * give `567890` where others give `"567890"`). Undefined for anything else.
 */
export function readAccountId(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}
